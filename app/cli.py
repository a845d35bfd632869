"""The `bounce-cleaner` command line: the same engine as the window, for scripts and scorers.

Heavy modules are imported inside the commands that need them, so `--version` and `--help` start
instantly and never load Qt.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__
from app.core.defaults import DEFAULT_SOFT_BOUNCE_LIMIT

if TYPE_CHECKING:
    from app.io.cleaning import Analysis

EXIT_OK = 0
EXIT_USAGE = 2


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bounce-cleaner",
        description="Read email bounce reports and say, address by address, what to do.",
    )
    parser.add_argument("--version", action="version", version=f"Bounce Cleaner {__version__}")
    parser.add_argument(
        "--sample", action="store_true", help="open the window on the bundled sample data"
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation offscreen: load the samples, export, read back",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser(
        "sample",
        help="print the triage of the bundled sample data (no window)",
        description="The same sample data as --sample, summarised in the terminal.",
    )

    classify = commands.add_parser(
        "classify",
        help="classify every bounce of one or more reports into a CSV",
        description="Write one row per bounce: source, row, email, smtp_code, enhanced_status, "
        "diagnostic, action, reason, explanation (then rule and provider).",
    )
    classify.add_argument("reports", nargs="+", type=Path, metavar="REPORT")
    classify.add_argument("--output", "-o", type=Path, required=True, metavar="OUT.csv")

    clean = commands.add_parser(
        "clean",
        help="decide per address and write the cleaned list, suppression list and report",
        description="Writes <list>-cleaned, <list>-suppression and <list>-report.xlsx into "
        "--out-dir. With --bounces alone, writes the suppression list and report of the bounced "
        "addresses.",
    )
    clean.add_argument("--contacts", nargs="+", type=Path, default=[], metavar="LIST")
    clean.add_argument("--bounces", nargs="+", type=Path, default=[], metavar="REPORT")
    clean.add_argument("--out-dir", type=Path, required=True, metavar="DIR")
    clean.add_argument(
        "--format", choices=("csv", "xlsx"), help="output format (default: as each input)"
    )
    clean.add_argument(
        "--soft-bounce-limit",
        type=int,
        default=DEFAULT_SOFT_BOUNCE_LIMIT,
        metavar="N",
        help="remove addresses that soft-bounced on N distinct days (default 3)",
    )
    clean.add_argument(
        "--sheet",
        metavar="NAME",
        help="sheet to read in spreadsheet contact lists (default: the first holding a table)",
    )
    clean.add_argument(
        "--no-report",
        action="store_true",
        help="skip the annotated XLSX report (slow for very large lists)",
    )

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
    from app.io.bounce_reports import write_classified
    from app.io.delimited import FileReadError

    for report in args.reports:
        if not report.exists():
            return _fail(f"{report}: no such file or folder")
    if args.output.resolve() in {r.resolve() for r in args.reports}:
        return _fail(f"{args.output}: the output would overwrite an input report")
    if not args.output.parent.is_dir():
        return _fail(f"{args.output.parent}: the output folder does not exist")
    try:
        rows = write_classified(args.reports, args.output, Classifier())
    except FileReadError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{args.output}: cannot write ({exc.strerror or exc})")
    print(f"{rows} bounces classified → {args.output}")
    return EXIT_OK


def _run_clean(args: argparse.Namespace) -> int:
    from app.io.clean_outputs import export_results
    from app.io.cleaning import analyse
    from app.io.delimited import FileReadError
    from app.io.exports import ExportError
    from app.io.importer import FileKind, import_file
    from app.io.mail_sources import is_mail_input

    if not args.contacts and not args.bounces:
        return _fail("give --contacts and/or --bounces")
    if args.soft_bounce_limit < 1:
        return _fail("--soft-bounce-limit must be at least 1")
    if not args.out_dir.is_dir():
        return _fail(f"{args.out_dir}: the output folder does not exist")
    with _progress() as report:
        try:
            reports = list(dict.fromkeys(p.resolve() for p in args.bounces))  # once each
            for path in reports:
                if not path.exists():
                    return _fail(f"{path}: no such file or folder")
            files = [
                import_file(p, kind=FileKind.CONTACTS, sheet=_sheet_for(p, args.sheet))
                for p in args.contacts
            ]
            mail = [p for p in reports if is_mail_input(p)]  # e-mails: parsed, not streamed
            files += [import_file(p, kind=FileKind.BOUNCES) for p in mail]
            reports = [p for p in reports if p not in mail]
            analysis = analyse(
                files,
                streamed_reports=reports,  # read as a stream: never held in memory
                soft_bounce_limit=args.soft_bounce_limit,
                progress=report,
            )
            report("Writing", 0, 1)
            written = export_results(analysis, args.out_dir, args.format, not args.no_report)
        except (FileReadError, ExportError) as exc:
            return _fail(str(exc))
        except OSError as exc:
            return _fail(f"cannot write into {args.out_dir} ({exc.strerror or exc})")
    print(_summary(analysis))
    print("\nWritten:")
    print("\n".join(f"  {p}" for p in written))
    return EXIT_OK


def _sheet_for(path: Path, sheet: str | None) -> str | None:
    from app.io.spreadsheets import SPREADSHEET_SUFFIXES

    return sheet if path.suffix.lower() in SPREADSHEET_SUFFIXES else None


def _summary(analysis: Analysis) -> str:
    from collections import Counter

    from app.core.taxonomy import Action, taxonomy

    rows = [o for outcomes in analysis.decision.outcomes for o in outcomes]
    if not rows:  # bounce reports only
        rows = list(analysis.decision.by_address.values())
    counts = Counter(o.action for o in rows)
    reasons = Counter((o.action, o.reason) for o in rows if o.reason)
    labels = taxonomy()
    what = "rows" if analysis.contacts else "bounced addresses"
    lines = [f"{len(rows)} {what}, {len(analysis.log)} bounces read"]
    for action in (Action.REMOVE, Action.RETRY, Action.INVESTIGATE, Action.KEEP):
        lines.append(f"  {action.value:<12}{counts[action]:>8}")
        for (a, reason), n in reasons.most_common():
            if a is action:
                lines.append(f"      {labels[reason].label:<32}{n:>8}")
    if analysis.incidents:
        lines.append("\nSender problems (look into these before removing anything):")
        lines += [f"  • {i.summary}" for i in analysis.incidents[:10]]
    orphans = len(analysis.decision.orphans)
    if orphans and analysis.contacts:
        subject = "address is" if orphans == 1 else "addresses are"
        lines.append(f"\n{orphans} bounced {subject} not in your contact lists (see the report).")
    for f in (*analysis.contacts, *analysis.reports):
        for note in f.notes[:5]:
            lines.append(f"Note: {f.path.name}: {note}")
    lines += [f"Note: {note}" for note in analysis.notes]
    return "\n".join(lines)


class _progress:
    """A progress bar on a terminal (rich); silent when stderr is not a TTY."""

    def __enter__(self):  # type: ignore[no-untyped-def]
        self._bar = None
        if sys.stderr.isatty():
            from rich.progress import Progress

            self._bar = Progress(transient=True)
            self._bar.start()
            self._task = self._bar.add_task("Reading", total=None)
        return self._report

    def _report(self, stage: str, done: int, total: int) -> None:
        if self._bar is not None:
            self._bar.update(self._task, description=stage, completed=done, total=total or None)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


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
    """The triage of the bundled sample data in the terminal (for machines without a display)."""
    from app.core.resources import resource_path
    from app.core.taxonomy import Action
    from app.io.cleaning import analyse
    from app.io.importer import FileKind, import_file

    samples = resource_path("samples")
    contacts = import_file(samples / "contacts.csv", kind=FileKind.CONTACTS)
    reports = sorted(samples.glob("*_bounces.csv"))
    analysis = analyse([contacts], streamed_reports=reports)
    print(f"Sample data: {contacts.path.name} with {', '.join(r.name for r in reports)}\n")
    print(_summary(analysis))
    emails = contacts.table.columns[contacts.mapping.roles["email"]]
    for action in (Action.REMOVE, Action.RETRY, Action.INVESTIGATE):
        rows = [(e, o) for e, o in zip(emails, analysis.decision.outcomes[0], strict=True)
                if o.action is action][:3]  # fmt: skip
        if rows:
            print(f"\nFor example, {action.value}:")
            for email, outcome in rows:
                print(f"  {email.strip():<36} {outcome.explanation}")
    print("\nTo clean your own list: bounce-cleaner clean --contacts LIST --bounces REPORT… "
          "--out-dir DIR")  # fmt: skip
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return EXIT_OK


COMMANDS = ("classify", "clean", "explain", "sample")


def _main(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--self-test"]:
        from app.gui.self_test import run_self_test

        return run_self_test()
    if not argv or argv == ["--sample"] or not (argv[0] in COMMANDS or argv[0].startswith("-")):
        return _open_window(argv)
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command in ("classify", "clean"):
        from app.core.gc_pause import gc_paused

        with gc_paused():  # a batch job over millions of rows: see app.core.gc_pause
            return _run_classify(args) if args.command == "classify" else _run_clean(args)
    if args.command == "explain":
        return _run_explain(args)
    if args.command == "sample":
        return _run_sample()
    parser.print_help()
    return EXIT_OK


def _open_window(argv: list[str]) -> int:
    """`bounce-cleaner`, `bounce-cleaner FILE…`, `bounce-cleaner --sample`: the window."""
    missing = [a for a in argv if a != "--sample" and not Path(a).exists()]
    if missing:
        return _fail(f"{missing[0]}: no such file or folder")
    try:
        from app.gui.launch import run
    except ImportError as exc:  # PySide6 missing or its system libraries absent
        return _fail(f"the window cannot open ({exc}); the command-line tools still work")
    return run([Path(a) for a in argv if a != "--sample"], sample="--sample" in argv)


if __name__ == "__main__":
    sys.exit(main())
