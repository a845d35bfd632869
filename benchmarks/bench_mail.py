"""Reading speed of raw bounce e-mails: an mbox of N varied bounces.

Generates benchmarks/data/mail/bounces-N.mbox (RFC 3464 reports, Postfix, Exim, qmail and
Exchange HTML bounces, each for one unique recipient, with varied reasons), then times
`read_mail` on it in this process and `bounce-cleaner classify` on it end to end (a subprocess,
`python -m app classify FILE --output OUT`). Prints messages/second for both and the rows found.

    python benchmarks/bench_mail.py [--messages 10000] [--skip-cli]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.io.mail_sources import read_mail  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "mail"  # benchmarks/data is gitignored
SENDER = "news@example.com"
DOMAINS = ["example.com", "example.org", "example.jp", "mail.example.org", "example.co.jp"]
# (status, reply text): the reason each bounce gives; {a} is the recipient, {ip} an address
REPLIES = [
    ("5.1.1", "550 5.1.1 <{a}>: Recipient address rejected: User unknown in virtual mailbox table"),
    ("5.1.1", "550 5.1.1 <{a}>... User unknown"),
    ("5.2.2", "552 5.2.2 <{a}>: Mailbox full"),
    ("4.2.2", "452 4.2.2 <{a}>: Mailbox over quota, try again later"),
    ("5.7.1", "554 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org"),
    ("5.1.2", "550 5.1.2 Host or domain name not found. Name service error for name=x type=MX"),
    ("4.7.1", "451 4.7.1 <{a}>: Recipient address rejected: Greylisted, please retry later"),
    ("5.7.26", "550 5.7.26 Unauthenticated email from example.com is not accepted (DMARC)"),
]


def _dsn(a: str, status: str, reply: str, date: str, n: int) -> str:
    action = "delayed" if status.startswith("4") else "failed"
    return f"""From: Mail Delivery System <MAILER-DAEMON@mx{n % 7}.example.org>
To: {SENDER}
Subject: Delivery Status Notification
Date: {date}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b{n}"

--b{n}
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx{n % 7}.example.org.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

--b{n}
Content-Type: message/delivery-status

Reporting-MTA: dns; mx{n % 7}.example.org
Arrival-Date: {date}

Final-Recipient: rfc822; {a}
Original-Recipient: rfc822;{a}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; {reply}

--b{n}
Content-Type: text/rfc822-headers

From: {SENDER}
To: {a}
Subject: Our news, issue {n}

--b{n}--
"""


def _postfix(a: str, status: str, reply: str, date: str, n: int) -> str:
    return f"""From: MAILER-DAEMON@mx{n % 5}.example.org (Mail Delivery System)
To: {SENDER}
Subject: Undelivered Mail Returned to Sender
Date: {date}
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx{n % 5}.example.org.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

                   The mail system

<{a}>: host mx.{a.split("@")[1]}[192.0.2.{n % 250}] said: {reply}
    (in reply to RCPT TO command)

--- Original message follows.

Return-Path: <{SENDER}>
To: {a}
Cc: colleague{n}@example.net
Subject: Our news, issue {n}
"""


def _exim(a: str, status: str, reply: str, date: str, n: int) -> str:
    return f"""From: Mail Delivery System <Mailer-Daemon@mail{n % 3}.example.jp>
To: {SENDER}
Subject: Mail delivery failed: returning message to sender
Date: {date}
X-Failed-Recipients: {a}
Auto-Submitted: auto-replied

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  {a}
    host mx.{a.split("@")[1]} [192.0.2.{n % 250}]
    SMTP error from remote mail server after RCPT TO:<{a}>:
    {reply}

------ This is a copy of the message, including all the headers. ------

Return-path: <{SENDER}>
To: {a}
Cc: colleague{n}@example.net
Subject: Our news, issue {n}
"""


def _qmail(a: str, status: str, reply: str, date: str, n: int) -> str:
    return f"""From: MAILER-DAEMON@mail{n % 4}.example.com
To: {SENDER}
Subject: failure notice
Date: {date}

Hi. This is the qmail-send program at mail{n % 4}.example.com.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<{a}>:
192.0.2.{n % 250} does not like recipient.
Remote host said: {reply}
Giving up on 192.0.2.{n % 250}.

--- Below this line is a copy of the message.

Return-Path: <{SENDER}>
To: {a}
Subject: Our news, issue {n}
"""


def _exchange(a: str, status: str, reply: str, date: str, n: int) -> str:
    return f"""From: Microsoft Outlook <MicrosoftExchange329e71ec@example.com>
To: {SENDER}
Subject: Undeliverable: Our news, issue {n}
Date: {date}
MIME-Version: 1.0
Content-Type: text/html; charset="us-ascii"

<html><head><style>p {{ margin: 0 }}</style></head><body>
<p><b>Delivery has failed to these recipients or groups:</b></p>
<p><a href="mailto:{a}">{a}</a><br>
The email address you entered couldn't be delivered to.</p>
<p>Diagnostic information for administrators:</p>
<p>Generating server: EXCH{n % 9:02d}.example.com</p>
<p>{a}<br>Remote Server returned '{reply}'</p>
<p>Original message headers:</p>
<pre>To: &lt;{a}&gt;
Cc: &lt;colleague{n}@example.net&gt;
</pre></body></html>
"""


FORMATS: list[tuple[str, Callable[[str, str, str, str, int], str]]] = [
    ("dsn", _dsn),
    ("postfix", _postfix),
    ("exim", _exim),
    ("qmail", _qmail),
    ("exchange-html", _exchange),
]


def write_mbox(path: Path, count: int, seed: int = 1) -> Counter[str]:
    """An mbox of `count` bounces, one unique recipient each; returns how many of each format."""
    rnd = random.Random(seed)
    kinds: Counter[str] = Counter()
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for n in range(count):
            address = f"reader{n:07d}.{rnd.randrange(10**6)}@{rnd.choice(DOMAINS)}"
            status, template = rnd.choice(REPLIES)
            reply = template.format(a=address, ip=f"198.51.100.{rnd.randrange(1, 255)}")
            when = dt.datetime.fromtimestamp(1_772_400_000 + n * 37, dt.UTC)
            date = format_datetime(when)
            name, make = FORMATS[n % len(FORMATS)]
            kinds[name] += 1
            body = make(address, status, reply, date, n)
            body = "\n".join(
                ">" + line if line.startswith("From ") else line for line in body.split("\n")
            )
            out.write(f"From MAILER-DAEMON {when:%a %b %d %H:%M:%S %Y}\n{body}\n")
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    mbox = DATA / f"bounces-{args.messages}.mbox"

    start = time.perf_counter()
    kinds = write_mbox(mbox, args.messages)
    size = mbox.stat().st_size
    print(
        f"generated {mbox.relative_to(ROOT)}: {args.messages:,} messages, "
        f"{size / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s "
        f"({', '.join(f'{k} {v:,}' for k, v in kinds.items())})"
    )

    start = time.perf_counter()
    report = read_mail(mbox)
    elapsed = time.perf_counter() - start
    unique = len({row[0].lower() for row in report.rows})
    print(
        f"read_mail: {report.messages:,} messages, {len(report.rows):,} rows "
        f"({unique:,} distinct addresses, {len(report.problems)} problems) in {elapsed:.2f} s "
        f"= {report.messages / elapsed:,.0f} messages/s"
    )
    if len(report.rows) != args.messages:
        print(f"  WARNING: expected {args.messages:,} rows (one per message)")

    if args.skip_cli:
        return
    out = DATA / f"classified-{args.messages}.csv"
    command = [sys.executable, "-m", "app", "classify", str(mbox), "--output", str(out)]
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
    elapsed = time.perf_counter() - start
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    actions = Counter(r["action"] for r in rows)
    print(
        f"bounce-cleaner classify: {len(rows):,} rows in {elapsed:.2f} s "
        f"= {args.messages / elapsed:,.0f} messages/s "
        f"({', '.join(f'{k} {v:,}' for k, v in actions.most_common())})"
    )


if __name__ == "__main__":
    main()
