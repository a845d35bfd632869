"""Neutralise spreadsheet formula injection in exported cells.

A bounce text or a contact field that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
is run as a formula when the export is opened in Excel or LibreOffice (OWASP "CSV injection").
Such a cell gets a leading apostrophe; plain numbers ("-5", "+33") are left alone.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = "=+-@\t\r"
_NUMBER = re.compile(r"[+-]?\d[\d .,]*")


def neutralise(value: str) -> str:
    if value and value[0] in FORMULA_TRIGGERS and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
