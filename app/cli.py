"""The `bounce-cleaner` command line: the same engine as the window, for scripts and scorers.

Heavy modules are imported inside the commands that need them, so `--version` and `--help` start
instantly and never load Qt.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from app import __version__

EXIT_OK = 0
EXIT_USAGE = 2


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bounce-cleaner",
        description="Read email bounce reports and say, address by address, what to do.",
    )
    parser.add_argument("--version", action="version", version=f"Bounce Cleaner {__version__}")
    parser.add_argument(
        "--sample", action="store_true", help="open the bundled sample data (see resources/samples)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    classify = commands.add_parser(
        "classify",
        help="classify every bounce of one or more reports into a CSV",
        description="Write one row per bounce: source, row, email, smtp_code, enhanced_status, "
        "diagnostic, action, reason, explanation (then rule and provider).",
    )
    classify.add_argument("reports", nargs="+", type=Path, metavar="REPORT")
    classify.add_argument("--output", "-o", type=Path, required=True, metavar="OUT.csv")

    explain = commands.add_parser(
        "explain",
        help="explain one bounce text",
        description='Example: bounce-cleaner explain "550 5.1.1 <a@b.c>: user unknown"',
    )
    explain.add_argument("text", help="the diagnostic text, codes included if you have them")
    explain.add_argument("--code", default="", help="SMTP reply code, e.g. 550")
    explain.add_argument("--status", default="", help="enhanced status, e.g. 5.1.1")
    explain.add_argument("--type", default="", dest="bounce_type", help="provider bounce type")
    return parser


def _fail(message: str) -> int:
    print(f"bounce-cleaner: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _run_classify(args: argparse.Namespace) -> int:
    from app.core.classifier import Classifier
    from app.io.bounce_reports import ReportError, write_classified

    for report in args.reports:
        if not report.is_file():
            return _fail(f"{report}: no such file")
    if args.output.resolve() in {r.resolve() for r in args.reports}:
        return _fail(f"{args.output}: the output would overwrite an input report")
    if not args.output.parent.is_dir():
        return _fail(f"{args.output.parent}: the output folder does not exist")
    try:
        rows = write_classified(args.reports, args.output, Classifier())
    except ReportError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{args.output}: cannot write ({exc.strerror or exc})")
    print(f"{rows} bounces classified → {args.output}")
    return EXIT_OK


def _run_explain(args: argparse.Namespace) -> int:
    from app.core.classifier import Classifier

    classifier = Classifier()
    verdict = classifier.classify(args.text, args.code, args.status, args.bounce_type)
    reason = classifier.reasons[verdict.reason]
    codes = " ".join(c for c in (verdict.smtp_code, verdict.enhanced_status) if c) or "none"
    lines = [
        f"Action:   {verdict.action.value}",
        f"Reason:   {verdict.reason} — {reason.label}",
        f"Codes:    {codes}",
        f"Rule:     {verdict.rule_id}",
    ]
    if verdict.provider:
        lines.append(f"Provider: {verdict.provider}")
    if verdict.blocklist:
        lines.append(f"Listed on: {verdict.blocklist}")
    lines += ["", verdict.explanation, "", *textwrap.wrap(reason.advice, 78)]
    print("\n".join(lines))
    return EXIT_OK


def _run_sample() -> int:
    """Until the window exists, show the triage of the bundled sample reports in the terminal."""
    from collections import Counter

    from app.core.classifier import Classifier
    from app.core.resources import resource_path
    from app.io.bounce_reports import read_report

    classifier = Classifier()
    actions: Counter[str] = Counter()
    for report in sorted(resource_path("samples").glob("*_bounces.csv")):
        print(f"\n{report.name}")
        for _source, _row, email, code, status, diagnostic, label in read_report(report):
            v = classifier.classify(diagnostic, code, status, label)
            actions[v.action.value] += 1
            print(f"  {v.action.value:<11} {email:<34} {v.explanation}")
    totals = ", ".join(f"{n} {a}" for a, n in actions.most_common())
    print(f"\n{sum(actions.values())} bounces: {totals}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command == "classify":
        return _run_classify(args)
    if args.command == "explain":
        return _run_explain(args)
    if args.sample:
        return _run_sample()
    parser.print_help()  # the window arrives with the GUI; until then, help
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
