"""Find SMTP reply codes (550) and enhanced status codes (5.1.1) in report columns and texts.

One linear scan finds both kinds of code. The look-arounds keep parts of IP addresses
("192.0.2.1", "5.1.1.1"), version strings and long numbers from passing for codes, while accepting
the shapes servers really write: "550-5.1.1", "#5.1.1", "(#5.7.1)", "554.30", "'550 ...".
"""

from __future__ import annotations

import re

# group 1: class digit; groups 2, 3: subject and detail of an enhanced status; group 4: the last
# two digits of a reply code. Never preceded by a word character or a dot; an enhanced status must
# not continue with ".digit" (an IP), a reply code not with ".d.d" (an IP either).
_CODES = re.compile(
    r"([245])(?<![\w.][245])"
    r"(?:\.(\d{1,3})\.(\d{1,3})(?!\w|\.\d)"  # an enhanced status
    r"|([0-5]\d)(?!\w|\.\d+\.))"  # or a reply code
)


def codes_in(text: str) -> tuple[list[str], list[str]]:
    """(reply codes, enhanced statuses) in order of appearance."""
    replies: list[str] = []
    statuses: list[str] = []
    for klass, subject, detail, rest in _CODES.findall(text):
        if rest:
            replies.append(klass + rest)
        else:
            statuses.append(f"{klass}.{subject}.{detail}")
    return replies, statuses


def is_generic_status(status: str) -> bool:
    """A placeholder like 5.0.0 says only "failed", not why."""
    return status.endswith(".0.0")


_STATUS_CELL = re.compile(r"[245]\.\d{1,3}\.\d{1,3}")


def clean_status(value: str) -> str:
    """The enhanced status in a report column, or "" when the cell holds none."""
    if _STATUS_CELL.fullmatch(value):  # the usual, tidy cell
        return value
    statuses = codes_in(value)[1] if value else []
    return statuses[0] if statuses else ""


def clean_reply_code(value: str) -> str:
    """The reply code in a report column ("550", "550.0" from a spreadsheet), or ""."""
    if len(value) == 3 and value[0] in "245" and value.isdigit():
        return value
    value = value.strip()
    if value.endswith(".0"):
        value = value[:-2]
    return value if len(value) == 3 and value.isdigit() and value[0] in "245" else ""


_COLUMNS: dict[tuple[str, str], tuple[str, str]] = {}  # a report's columns repeat a few values


def _clean_columns(code_column: str, status_column: str) -> tuple[str, str]:
    cleaned = _COLUMNS.get((code_column, status_column))
    if cleaned is None:
        if len(_COLUMNS) > 10_000:
            _COLUMNS.clear()
        cleaned = _COLUMNS[(code_column, status_column)] = (
            clean_reply_code(code_column),
            clean_status(status_column),
        )
    return cleaned


def pick_codes(code_column: str, status_column: str, text: str) -> tuple[str, str]:
    """The reply code and enhanced status to classify with.

    Columns win, except that a placeholder status (5.0.0) or an empty column gives way to the first
    specific status the text carries.
    """
    code, status = _clean_columns(code_column, status_column)
    if code and status and not status.endswith(".0.0"):
        return code, status
    replies, statuses = codes_in(text) if text else ([], [])
    if not code and replies:
        code = replies[0]
    if not status or is_generic_status(status):
        specific = next((s for s in statuses if not is_generic_status(s)), "")
        status = specific or status or (statuses[0] if statuses else "")
    return code, status
