"""Classification speed on 1,000,000 realistic report rows.

Prints rows/second for the classifier alone, then times `bounce-cleaner classify` end to end on a
CSV of the same rows against `../shared/tools/io_floor.py classify` (a bare csv read + write of the
same file), both in this run, so the ratio is fair on any machine.

    python benchmarks/bench_classify.py [--rows 1000000] [--skip-cli]

Rows come from templates of real bounce texts in which addresses, IPs, queue ids and dates vary, so
almost every raw text is distinct — the cache has to earn its keep by signature, not by repetition.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.classifier import Classifier  # noqa: E402

DOMAINS = ["gmail.com", "outlook.com", "hotmail.fr", "yahoo.com", "orange.fr", "icloud.com",
           "example.org", "gmx.de", "company.co.uk", "web.de", "free.fr", "aol.com"]  # fmt: skip
NAMES = ["anna", "marc", "julie", "tom", "lea", "pierre", "sofia", "ken", "ali", "eva", "noah"]
# (smtp_code column, status column, text template)
TEMPLATES = [
    (
        "550",
        "5.1.1",
        "550-5.1.1 The email account that you tried to reach does not exist. Please try "
        "double-checking the recipient's email address for typos or unnecessary spaces. "
        "https://support.google.com/mail/?p=NoSuchUser {id}.{n3} - gsmtp",
    ),
    (
        "550",
        "5.1.1",
        "550 5.1.1 <{addr}>: Recipient address rejected: User unknown in virtual mailbox table",
    ),
    (
        "",
        "",
        "host {host}[{ip}] said: 550 5.1.1 <{addr}>... User unknown (in reply to RCPT TO command)",
    ),
    (
        "550",
        "5.7.1",
        "550 5.7.1 Unfortunately, messages from [{ip}] weren't sent. Please contact your "
        "Internet service provider since part of their network is on our block list (S3150). "
        "You can also refer your provider to "
        "http://mail.live.com/mail/troubleshooting.aspx#errors. "
        "[{id}.namprd{n2}.prod.outlook.com]",
    ),
    ("552", "5.2.2", "552 5.2.2 <{addr}>: Recipient address rejected: Mailbox full"),
    (
        "452",
        "4.2.2",
        "452-4.2.2 The email account that you tried to reach is over quota. Please "
        "direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp {id} - gsmtp",
    ),
    (
        "421",
        "4.7.0",
        "421 4.7.0 [TSS04] Messages from {ip} temporarily deferred due to unexpected "
        "volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
    ),
    (
        "554",
        "5.7.1",
        "554 5.7.1 Service unavailable; Client host [{ip}] blocked using "
        "zen.spamhaus.org; https://www.spamhaus.org/query/ip/{ip}",
    ),
    (
        "550",
        "5.7.26",
        "550-5.7.26 Unauthenticated email from {dom} is not accepted due to domain's "
        "DMARC policy. Please contact the administrator of {dom} domain. {id} - gsmtp",
    ),
    (
        "451",
        "4.7.1",
        "451 4.7.1 <{addr}>: Recipient address rejected: Greylisted, see "
        "http://postgrey.schweikert.ch/help/{dom}.html",
    ),
    (
        "",
        "5.0.0",
        "Host or domain name not found. Name service error for name={dom} type=MX: Host "
        "not found, try again",
    ),
    ("", "", "connect to {host}[{ip}]:25: Connection timed out"),
    ("550", "", "550 Requested action not taken: mailbox unavailable ({id}:{n3}:{n4})"),
    (
        "",
        "",
        "Delivery failed for the following reason: Server {host}[{ip}] failed with: 550 <{addr}> "
        "No such user here. This has been a permanent failure.",
    ),
    (
        "554",
        "5.7.9",
        "554 5.7.9 Message not accepted for policy reasons. See "
        "https://postmaster.yahooinc.com/error-codes",
    ),
    ("550", "5.7.1", "550 5.7.1 Message content rejected, UBE, id={n4}-{n2}-{n3}"),
    ("", "", "This is an email abuse report for an email message received from IP {ip} on {date}"),
    (
        "550",
        "5.2.1",
        "550-5.2.1 The email account that you tried to reach is inactive. "
        "https://support.google.com/mail/?p=DisabledUser {id} - gsmtp",
    ),
    (
        "",
        "4.4.7",
        "Message expired: unable to deliver in 2880 minutes.<421 4.4.2 Connection timed "
        "out> queue id {id}",
    ),
    (
        "550",
        "5.4.1",
        "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) "
        "[{id}.eurprd{n2}.prod.outlook.com]",
    ),
]


def make_rows(count: int, seed: int = 1) -> list[tuple[str, str, str, str]]:
    rnd = random.Random(seed)
    rows = []
    for _ in range(count):
        code, status, template = rnd.choice(TEMPLATES)
        dom = rnd.choice(DOMAINS)
        text = template.format(
            addr=f"{rnd.choice(NAMES)}.{rnd.randrange(100000)}@{dom}",
            dom=dom,
            host=f"mx{rnd.randrange(1, 9)}.{dom}",
            ip=".".join(str(rnd.randrange(1, 255)) for _ in range(4)),
            id="".join(rnd.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=16)),
            n2=rnd.randrange(10, 99),
            n3=rnd.randrange(100, 999),
            n4=rnd.randrange(1000, 99999),
            date=f"Mon, {rnd.randrange(1, 28)} Nov 2026 {rnd.randrange(24):02d}:00:00 +0000",
        )
        rows.append((f"{rnd.choice(NAMES)}{rnd.randrange(10**6)}@{dom}", code, status, text))
    return rows


def bench_classifier(rows: list[tuple[str, str, str, str]]) -> None:
    classifier = Classifier()
    distinct = len({r[3] for r in rows})
    _emails, codes, statuses, texts = (list(c) for c in zip(*rows, strict=True))
    labels = [""] * len(rows)
    start = time.perf_counter()
    for at in range(0, len(rows), 20_000):  # in chunks, as `classify` and `clean` do
        part = slice(at, at + 20_000)
        classifier.classify_column(texts[part], codes[part], statuses[part], labels[part])
    elapsed = time.perf_counter() - start
    print(f"rows: {len(rows):,} ({distinct:,} distinct texts, "
          f"{len(classifier._cache):,} distinct signatures)")  # fmt: skip
    print(f"classifier alone: {len(rows) / elapsed:,.0f} rows/s ({elapsed:.2f} s)")


def bench_cli(rows: list[tuple[str, str, str, str]], workdir: Path) -> None:
    floor = ROOT.parent / "shared" / "tools" / "io_floor.py"
    report = workdir / "bounces.csv"
    with open(report, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["email", "smtp_code", "enhanced_status", "diagnostic"])
        writer.writerows(rows)
    timings = {}
    commands = {"bounce-cleaner classify": [sys.executable, "-m", "app", "classify", str(report),
                                            "--output", str(workdir / "out.csv")]}  # fmt: skip
    if floor.exists():
        commands["io_floor classify"] = [sys.executable, str(floor), "classify", str(report),
                                         str(workdir / "floor.csv")]  # fmt: skip
    else:
        print("(../shared/tools/io_floor.py not found: no floor to compare with)")
    for name, command in commands.items():
        start = time.perf_counter()
        subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
        timings[name] = time.perf_counter() - start
        print(f"{name}: {timings[name]:.2f} s ({len(rows) / timings[name]:,.0f} rows/s)")
    if len(timings) == 2:
        ratio = timings["bounce-cleaner classify"] / timings["io_floor classify"]
        print(f"end to end / io floor: {ratio:.2f}x (target <= 2.5x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()
    rows = make_rows(args.rows)
    bench_classifier(rows)
    if not args.skip_cli:
        workdir = ROOT / "benchmarks" / "data"
        workdir.mkdir(exist_ok=True)
        bench_cli(rows, workdir)


if __name__ == "__main__":
    main()
