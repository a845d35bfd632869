"""Bounce e-mails where users keep them — .eml, .mbox, Maildir, folders of them, unreadable .msg
files — through read_mail, the importer, the workspace and the command line."""

from __future__ import annotations

import csv
import mailbox
import random
from collections.abc import Sequence
from pathlib import Path

import pytest

from app.cli import main
from app.core.taxonomy import Action
from app.io.delimited import FileReadError
from app.io.importer import FileKind, import_file
from app.io.mail_sources import MAIL_COLUMNS, SOURCE_COLUMN, is_mail_input, read_mail
from app.io.workspace import expand_paths, load

SENDER = "news@example.com"


# --- invented bounces (LF line ends: mbox and Maildir store them as written) ----------------------


def postfix_bounce(address: str, reply: str = "550 5.1.1 User unknown") -> bytes:
    return (
        "From: MAILER-DAEMON@mx1.example.org (Mail Delivery System)\n"
        f"To: {SENDER}\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        "Date: Mon, 02 Mar 2026 10:00:00 +0000\n"
        "Content-Type: text/plain; charset=us-ascii\n"
        "\n"
        "This is the mail system at host mx1.example.org.\n"
        "\n"
        "I'm sorry to have to inform you that your message could not\n"
        "be delivered to one or more recipients.\n"
        "\n"
        f"<{address}>: host mx.example.org[192.0.2.25] said: {reply}\n"
        "    (in reply to RCPT TO command)\n"
        "\n"
        "--- Original message follows.\n"
        "\n"
        f"From: {SENDER}\n"
        f"To: {address}\n"
        "Cc: quoted.colleague@example.org\n"
    ).encode()


def dsn_bounce(
    address: str,
    action: str = "failed",
    status: str = "5.1.1",
    diagnostic: str = "550 5.1.1 User unknown",
) -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx2.example.org>\n"
        f"To: {SENDER}\n"
        "Subject: Delivery Status Notification\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\n'
        "\n"
        "--b1\n"
        "Content-Type: text/plain\n"
        "\n"
        "This is the mail system at host mx2.example.org.\n"
        "\n"
        "--b1\n"
        "Content-Type: message/delivery-status\n"
        "\n"
        "Reporting-MTA: dns; mx2.example.org\n"
        "\n"
        f"Final-Recipient: rfc822; {address}\n"
        f"Action: {action}\n"
        f"Status: {status}\n"
        f"Diagnostic-Code: smtp; {diagnostic}\n"
        "\n"
        "--b1\n"
        "Content-Type: text/rfc822-headers\n"
        "\n"
        f"From: {SENDER}\n"
        f"To: {address}, quoted.colleague@example.org\n"
        "\n"
        "--b1--\n"
    ).encode()


def exim_bounce(address: str, reply: str = "550 5.1.1 User unknown") -> bytes:
    return (
        "From: Mail Delivery System <Mailer-Daemon@mail.example.jp>\n"
        f"To: {SENDER}\n"
        "Subject: Mail delivery failed: returning message to sender\n"
        f"X-Failed-Recipients: {address}\n"
        "\n"
        "This message was created automatically by mail delivery software.\n"
        "\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n"
        "\n"
        f"  {address}\n"
        f"    SMTP error from remote mail server after RCPT TO:<{address}>:\n"
        f"    {reply}\n"
        "\n"
        "------ This is a copy of the message, including all the headers. ------\n"
        "\n"
        f"From: {SENDER}\n"
        f"To: {address}\n"
        "Cc: quoted.colleague@example.org\n"
    ).encode()


def qmail_bounce(address: str, reply: str = "550 5.1.1 User unknown") -> bytes:
    return (
        "From: MAILER-DAEMON@mail.example.com\n"
        f"To: {SENDER}\n"
        "Subject: failure notice\n"
        "\n"
        "Hi. This is the qmail-send program at mail.example.com.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\n"
        "\n"
        f"<{address}>:\n"
        f"Remote host said: {reply}\n"
        "\n"
        "--- Below this line is a copy of the message.\n"
        "\n"
        f"To: {address}\n"
        "Cc: quoted.colleague@example.org\n"
    ).encode()


PERSON_REPLY = (
    "From: Paul Durand <paul.durand@example.org>\n"
    f"To: {SENDER}\n"
    "Subject: Re: Our March news\n"
    "\n"
    "Thanks! Please also send it to jo.lambert@example.org.\n"
).encode()

MAKERS = (postfix_bounce, dsn_bounce, exim_bounce, qmail_bounce)


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def emails(rows: Sequence[tuple[str, ...]]) -> list[str]:
    return sorted(row[0].lower() for row in rows)


# --- single files, mbox, Maildir ------------------------------------------------------------------


def test_read_mail_on_one_eml(tmp_path: Path) -> None:
    path = tmp_path / "bounce 1.eml"
    path.write_bytes(postfix_bounce("ana.silva@example.org"))

    report = read_mail(path)

    assert report.messages == 1
    assert report.problems == []
    assert [(r[0], r[-1]) for r in report.rows] == [("ana.silva@example.org", "bounce 1.eml")]
    assert len(report.rows[0]) == len(MAIL_COLUMNS) + 1
    assert report.table().header == [*MAIL_COLUMNS, SOURCE_COLUMN]


def write_mbox(path: Path, messages: list[bytes]) -> Path:
    box = mailbox.mbox(path, create=True)
    try:
        for raw in messages:
            box.add(raw)
        box.flush()
    finally:
        box.close()
    return path


def test_read_mail_on_an_mbox(tmp_path: Path) -> None:
    addresses = [f"reader{n}@example.{tld}" for n, tld in enumerate(["org", "jp", "com"] * 3)]
    messages = [MAKERS[n % len(MAKERS)](a) for n, a in enumerate(addresses)]
    messages.insert(4, PERSON_REPLY)
    path = write_mbox(tmp_path / "Bounces.mbox", messages)

    report = read_mail(path)

    assert report.messages == len(addresses) + 1
    assert report.problems == []
    assert emails(report.rows) == sorted(addresses)
    assert {row[-1] for row in report.rows} == {"Bounces.mbox"}


def test_read_mail_on_a_maildir(tmp_path: Path) -> None:
    root = tmp_path / "Bounces"
    box = mailbox.Maildir(root, create=True)
    addresses = ["new.one@example.org", "new.two@example.jp", "seen.three@example.com"]
    box.add(postfix_bounce(addresses[0]))
    box.add(dsn_bounce(addresses[1]))
    seen = mailbox.MaildirMessage(exim_bounce(addresses[2]))
    seen.set_subdir("cur")
    seen.add_flag("S")
    box.add(seen)
    box.add(PERSON_REPLY)
    box.close()
    (root / "tmp" / "half-written").write_bytes(qmail_bounce("never.read@example.org"))
    files = {p.name: p.read_bytes() for sub in ("new", "cur") for p in (root / sub).iterdir()}
    expected = sorted(
        (a, name) for a in addresses for name, raw in files.items() if a.encode() in raw
    )
    assert len(expected) == len(addresses)  # each address in exactly one stored file

    report = read_mail(root)

    assert is_mail_input(root)
    assert report.messages == 4  # tmp/ holds messages still being delivered: not read
    assert report.problems == []
    assert sorted((r[0], r[-1]) for r in report.rows) == expected


def test_read_mail_on_a_folder_tree_reads_only_the_emails(tmp_path: Path) -> None:
    root = tmp_path / "exports"
    (root / "inbox" / "2026").mkdir(parents=True)
    (root / "reports").mkdir()
    (root / "inbox" / "a.eml").write_bytes(postfix_bounce("alpha@example.org"))
    (root / "inbox" / "2026" / "b.EML").write_bytes(exim_bounce("beta@example.jp"))
    report_csv = root / "reports" / "bounces.csv"
    report_csv.write_text(
        "email,smtp_code,enhanced_status,diagnostic\n"
        "gamma@example.com,550,5.1.1,550 5.1.1 User unknown\n",
        encoding="utf-8",
    )
    (root / "screenshot.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))

    expanded = expand_paths([root])
    report = read_mail(root)

    assert sorted(expanded) == sorted([root, report_csv])
    assert report.messages == 2
    assert report.problems == []
    assert sorted((r[0], r[-1]) for r in report.rows) == [
        ("alpha@example.org", "a.eml"),
        ("beta@example.jp", "b.EML"),
    ]


def test_a_thunderbird_mbox_without_suffix_is_read(tmp_path: Path) -> None:
    """Thunderbird keeps each folder as an mbox file named like the folder: 'Inbox'."""
    path = write_mbox(tmp_path / "Inbox", [postfix_bounce("tb.one@example.org"), PERSON_REPLY])

    assert emails(read_mail(path).rows) == ["tb.one@example.org"]


def test_import_file_recognises_a_thunderbird_mbox(tmp_path: Path) -> None:
    path = write_mbox(tmp_path / "Inbox", [postfix_bounce("tb.two@example.org"), PERSON_REPLY])

    imported = import_file(path)

    assert imported.kind is FileKind.BOUNCES
    assert imported.table.column("email") == ["tb.two@example.org"]


def test_an_apple_mail_export_folder_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "Inbox.mbox"
    folder.mkdir()
    write_mbox(folder / "mbox", [postfix_bounce("apple.one@example.org"), PERSON_REPLY])
    (folder / "table_of_contents").write_bytes(b"\x00\x01binary index")

    report = read_mail(folder)

    assert report.messages == 2
    assert emails(report.rows) == ["apple.one@example.org"]


# --- unreadable files -----------------------------------------------------------------------------


def test_an_unreadable_file_is_reported_and_the_others_still_read(tmp_path: Path) -> None:
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "good-1.eml").write_bytes(postfix_bounce("good.one@example.org"))
    (folder / "good-2.eml").write_bytes(qmail_bounce("good.two@example.jp"))
    (folder / "broken.msg").write_bytes(random.Random(5).randbytes(3000))

    report = read_mail(folder)

    assert len(report.problems) == 1
    assert "broken.msg" in report.problems[0]
    assert sorted((r[0], r[-1]) for r in report.rows) == [
        ("good.one@example.org", "good-1.eml"),
        ("good.two@example.jp", "good-2.eml"),
    ]
    imported = import_file(folder)
    assert imported.kind is FileKind.BOUNCES
    assert any("broken.msg" in note for note in imported.notes)


def test_only_an_unreadable_msg_raises_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "Undeliverable report.msg"
    path.write_bytes(random.Random(6).randbytes(3000))

    with pytest.raises(FileReadError, match=r"Undeliverable report\.msg"):
        read_mail(path)


# --- the command line and the workspace -----------------------------------------------------------


def bounce_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "bounce mails"
    folder.mkdir()
    (folder / "01-unknown.eml").write_bytes(postfix_bounce("gone@example.org"))
    (folder / "02-delayed.eml").write_bytes(
        dsn_bounce("later@example.jp", "delayed", "4.2.2", "452 4.2.2 Mailbox full")
    )
    (folder / "03-full.eml").write_bytes(
        exim_bounce("full@example.com", "552 5.2.2 Mailbox quota exceeded")
    )
    return folder


def test_cli_classify_over_a_folder_of_emails(tmp_path: Path) -> None:
    folder = bounce_folder(tmp_path)
    out = tmp_path / "classified.csv"

    assert main(["classify", str(folder), "--output", str(out)]) == 0

    rows = read_csv(out)
    assert sorted((r["source"], r["email"], r["action"], r["reason"]) for r in rows) == [
        ("01-unknown.eml", "gone@example.org", "remove", "user_unknown"),
        ("02-delayed.eml", "later@example.jp", "keep", "delivered"),
        ("03-full.eml", "full@example.com", "retry", "mailbox_full"),
    ]
    assert [r["row"] for r in rows] == ["1", "2", "3"]


def write_contacts(path: Path) -> Path:
    path.write_text(
        "email,first_name\ngone@example.org,Gina\nstays@example.org,Sam\nlater@example.jp,Lea\n",
        encoding="utf-8",
    )
    return path


def test_cli_clean_with_a_folder_of_emails(tmp_path: Path) -> None:
    contacts = write_contacts(tmp_path / "contacts.csv")
    folder = bounce_folder(tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    code = main(
        [
            "clean",
            "--contacts",
            str(contacts),
            "--bounces",
            str(folder),
            "--out-dir",
            str(out_dir),
            "--no-report",
        ]
    )

    assert code == 0
    cleaned = read_csv(out_dir / "contacts-cleaned.csv")
    suppressed = read_csv(out_dir / "contacts-suppression.csv")
    assert [r["email"] for r in cleaned] == ["stays@example.org", "later@example.jp"]
    assert [(r["email"], r["first_name"], r["action"], r["reason"]) for r in suppressed] == [
        ("gone@example.org", "Gina", "remove", "user_unknown")
    ]
    assert not (out_dir / "contacts-report.xlsx").exists()


def test_workspace_loads_a_folder_of_contacts_and_emails(tmp_path: Path) -> None:
    folder = bounce_folder(tmp_path)
    contacts = write_contacts(folder / "contacts.csv")

    workspace = load([], [folder])

    assert workspace.errors == []
    assert sorted((f.path, f.kind) for f in workspace.files) == sorted(
        [(folder, FileKind.BOUNCES), (contacts, FileKind.CONTACTS)]
    )
    bounces = next(f for f in workspace.files if f.kind is FileKind.BOUNCES)
    assert sorted(bounces.table.column("email")) == sorted(
        ["gone@example.org", "later@example.jp", "full@example.com"]
    )
    assert workspace.analysis is not None
    assert len(workspace.analysis.contacts) == 1
    assert [r.name for r in workspace.analysis.log.reports] == [folder.name]
    outcomes = workspace.analysis.decision.outcomes[0]
    assert [o.action for o in outcomes] == [Action.REMOVE, Action.KEEP, Action.KEEP]


def test_an_mbox_of_2000_bounces(tmp_path: Path) -> None:
    count = 2000
    addresses = [f"user{n:04d}@example.{('org', 'jp', 'com')[n % 3]}" for n in range(count)]
    messages = [MAKERS[n % len(MAKERS)](a) for n, a in enumerate(addresses)]
    path = write_mbox(tmp_path / "big.mbox", messages)

    report = read_mail(path)

    assert report.messages == count
    assert report.problems == []
    assert len(report.rows) == count
    assert emails(report.rows) == sorted(addresses)


def test_a_real_outlook_msg_file_is_read_through_extract_msg() -> None:
    """An Outlook .msg (OLE) file written by Outlook: read as a message, not a bounce."""
    from app.io.mail_sources import MailReport, _outlook_message

    path = Path(__file__).resolve().parents[1] / "data" / "outlook" / "outer.msg"
    report = MailReport()
    message = _outlook_message(path, report)
    assert report.problems == []
    assert message is not None and message["Subject"] == "outer subject"
    assert "Outer body" in str(message.get_payload(decode=True), "utf-8")
    read = read_mail(path)
    assert (read.messages, read.rows, read.problems) == (1, [], [])
