"""Bounce e-mails wherever users keep them: .eml files, Outlook .msg files, mbox files
(Thunderbird, Apple Mail, Google Takeout), Maildir folders, and folders of any of these.

Every message becomes bounce rows with `source` = the file it came from. A message that cannot be
read is reported (file and problem) and skipped: one bad message never stops a mailbox.
"""

from __future__ import annotations

import email
import mailbox
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from pathlib import Path
from typing import Any

from app.core.table import Table
from app.io.delimited import FileReadError
from app.io.mail_bounces import rows_of

MAIL_SUFFIXES = {".eml", ".msg", ".mbox", ".mbx", ".mbs"}
MAIL_COLUMNS = ["email", "smtp_code", "enhanced_status", "diagnostic", "bounce_type", "date"]
MAIL_ROLES = {role: n for n, role in enumerate(MAIL_COLUMNS)}
SOURCE_COLUMN = "source"


def is_maildir(path: Path) -> bool:
    return path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir()


def is_mail_input(path: Path) -> bool:
    """A mail file, a Maildir, or a folder holding mail files (at any depth)."""
    if path.is_dir():
        return is_maildir(path) or any(True for _ in _mail_files(path))
    return path.suffix.lower() in MAIL_SUFFIXES or (
        path.suffix == "" and path.is_file() and _starts_like_mbox(path)
    )


def _mail_files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        in_maildir = path.parent.name in ("cur", "new") and is_maildir(path.parent.parent)
        bare_mbox = path.suffix == "" and _starts_like_mbox(path)  # Apple Mail's Inbox.mbox/mbox
        if in_maildir or bare_mbox or path.suffix.lower() in MAIL_SUFFIXES:
            yield path


@dataclass(slots=True)
class MailReport:
    """The bounce rows of one input (file or folder) and what could not be read."""

    rows: list[list[str]] = field(default_factory=list)  # BounceRow + source
    messages: int = 0
    problems: list[str] = field(default_factory=list)

    def table(self) -> Table:
        return Table.from_rows([*MAIL_COLUMNS, SOURCE_COLUMN], self.rows)


def read_mail(
    path: Path,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> MailReport:
    """Every bounce in a mail file or folder. Raises FileReadError only when nothing is readable."""
    report = MailReport()
    files = list(_mail_files(path)) if path.is_dir() else [path]
    for file in files:
        for source, message in _messages(file, report):
            report.messages += 1
            if cancelled is not None and report.messages % 200 == 0 and cancelled():
                raise FileReadError(f"{path.name}: import cancelled")
            if progress is not None and report.messages % 500 == 0:
                progress(report.messages)
            try:
                rows = rows_of(message)
            except Exception as exc:  # a malformed message must not stop the others
                report.problems.append(f"{source}: this message could not be read ({exc})")
                continue
            report.rows.extend([*row, file.name] for row in rows)
    if report.messages == 0 and report.problems:
        raise FileReadError(report.problems[0])
    return report


def _messages(file: Path, report: MailReport) -> Iterator[tuple[str, Message]]:
    suffix = file.suffix.lower()
    try:
        if suffix in (".mbox", ".mbx", ".mbs") or (suffix == "" and _starts_like_mbox(file)):
            box = mailbox.mbox(file, factory=None, create=False)
            try:
                for number, key in enumerate(box.iterkeys(), start=1):
                    try:
                        raw = box.get_bytes(key)
                    except (OSError, KeyError, ValueError) as exc:
                        report.problems.append(f"{file.name}, message {number}: {exc}")
                        continue
                    yield f"{file.name}, message {number}", _parse(raw)
            finally:
                box.close()
        elif suffix == ".msg":
            message = _outlook_message(file, report)
            if message is not None:
                yield file.name, message
        else:
            yield file.name, _parse(file.read_bytes())
    except OSError as exc:
        report.problems.append(f"{file.name}: cannot read the file ({exc.strerror or exc})")


def _starts_like_mbox(file: Path) -> bool:
    try:
        with open(file, "rb") as handle:
            return handle.read(5) == b"From "
    except OSError:
        return False


def _parse(raw: bytes) -> Message:
    return email.message_from_bytes(raw, policy=policy.compat32)


def _outlook_message(file: Path, report: MailReport) -> Message | None:
    """An Outlook .msg (OLE) file as an e-mail message, through extract-msg."""
    try:
        import extract_msg
    except ImportError:  # pragma: no cover - a declared dependency
        report.problems.append(f"{file.name}: Outlook .msg files need the extract-msg package")
        return None
    try:
        msg: Any = extract_msg.openMsg(str(file))  # a MSGFile subclass: Message for e-mails
    except Exception as exc:  # extract-msg raises many kinds for a damaged file
        report.problems.append(f"{file.name}: not a readable Outlook message ({exc})")
        return None
    try:
        headers = msg.header
        message = (
            email.message_from_string(headers.as_string(), policy=policy.compat32)
            if headers is not None
            else Message()
        )
        for name in ("Content-Type", "Content-Transfer-Encoding"):
            del message[name]
        if not message.get("Subject") and msg.subject:
            message["Subject"] = msg.subject
        if not message.get("From") and msg.sender:
            message["From"] = msg.sender
        body = msg.body or ""
        if not body.strip() and getattr(msg, "htmlBody", None):
            from app.io.mail_text import html_to_text

            html = msg.htmlBody
            body = html_to_text(
                html.decode("utf-8", "replace") if isinstance(html, bytes) else html
            )
        message.set_payload(body, charset="utf-8")
        return message
    finally:
        msg.close()
