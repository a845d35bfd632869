"""Import one file — CSV/TSV/TXT or a spreadsheet — as a contact list, a bounce report or both.

The caller may override what was detected: the file's kind, the sheet, and any column's role.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from app.core.table import Table
from app.io.columns import BOUNCE_ROLES, ColumnMapping, detect_columns, normalise_header
from app.io.delimited import FileReadError, ProgressCallback, TextLayout, read_delimited
from app.io.spreadsheets import SPREADSHEET_SUFFIXES, read_spreadsheet

# Constant Contact reports a bounce as one letter.
CONSTANT_CONTACT_CODES = {
    "B": "nonexistent", "C": "undeliverable", "D": "mailboxfull", "F": "autoresponder",
    "S": "suspended", "X": "other", "Z": "blocked",
}  # fmt: skip
TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab", ".psv", ""}


class FileKind(StrEnum):
    CONTACTS = "contacts"
    BOUNCES = "bounces"
    BOTH = "both"  # e.g. Mailchimp's "cleaned" export: contacts the provider already dropped


@dataclass(slots=True)
class ImportedFile:
    path: Path
    kind: FileKind
    table: Table
    mapping: ColumnMapping
    sheet: str | None = None
    layout: TextLayout | None = None  # delimited files: how to write them back byte for byte
    notes: list[str] = field(default_factory=list)

    @property
    def is_spreadsheet(self) -> bool:
        return self.layout is None

    @property
    def has_contacts(self) -> bool:
        return self.kind in (FileKind.CONTACTS, FileKind.BOTH)

    @property
    def has_bounces(self) -> bool:
        return self.kind in (FileKind.BOUNCES, FileKind.BOTH)


def guess_kind(header: list[str], mapping: ColumnMapping) -> FileKind:
    names = {normalise_header(h) for h in header}
    if "cleantime" in names or "cleancampaigntitle" in names:
        return FileKind.BOTH  # Mailchimp "cleaned": every row is an address Mailchimp dropped
    if any(role in mapping.roles for role in BOUNCE_ROLES):
        return FileKind.BOUNCES
    return FileKind.CONTACTS


def import_file(
    path: Path,
    *,
    kind: FileKind | None = None,
    sheet: str | None = None,
    roles: dict[str, int] | None = None,
    progress: ProgressCallback | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportedFile:
    """Read and recognise a file. Raises FileReadError with a message naming the file."""
    path = Path(path)
    if not path.is_file():
        raise FileReadError(f"{path.name}: no such file")
    suffix = path.suffix.lower()
    layout = None
    sheet_name = None
    if suffix in SPREADSHEET_SUFFIXES:
        table, sheet_name = read_spreadsheet(path, sheet)
    elif suffix in TEXT_SUFFIXES:
        table, layout = read_delimited(path, progress, cancelled)
    else:
        raise FileReadError(
            f"{path.name}: unsupported file type {suffix!r} (use CSV, TSV, TXT, XLSX, XLS or ODS)"
        )
    mapping = detect_columns(table.header, table.columns)
    if roles:
        for role, index in roles.items():
            if not 0 <= index < len(table.header):
                raise FileReadError(f"{path.name}: there is no column {index + 1}")
            mapping.roles[role] = index
            mapping.guessed.discard(role)
    if "email" not in mapping.roles:
        shown = ", ".join(repr(h) for h in table.header[:8])
        raise FileReadError(f"{path.name}: no column holds email addresses (columns: {shown})")
    imported = ImportedFile(
        path, kind or guess_kind(table.header, mapping), table, mapping, sheet_name, layout
    )
    imported.notes.extend(f"row {p.row} {p.message}" for p in table.problems[:1000])
    return imported


@dataclass(slots=True)
class BounceColumns:
    """The bounce fields of every row, column by column."""

    emails: Sequence[str]
    codes: Sequence[str]
    statuses: Sequence[str]
    texts: Sequence[str]
    labels: Sequence[str]
    dates: Sequence[str]

    def rows(self) -> Iterator[tuple[str, str, str, str, str, str]]:
        columns = (self.emails, self.codes, self.statuses, self.texts, self.labels, self.dates)
        return zip(*columns, strict=True)


def bounce_fields(imported: ImportedFile) -> BounceColumns:
    """The bounce fields of a report, with layout quirks resolved.

    JSON meta cells (listmonk) are unpacked, Mailjet's hard_bounce / blocked booleans become
    labels, and Mailchimp's cleaned export (hard bounces without details) is labelled "cleaned".
    Reports needing none of that are returned without copying their columns.
    """
    table, roles = imported.table, imported.mapping.roles
    empty = [""] * table.row_count

    def column(role: str) -> list[str]:
        index = roles.get(role)
        return table.columns[index] if index is not None else empty

    fields = BounceColumns(
        column("email"), column("smtp_code"), column("enhanced_status"), column("diagnostic"),
        column("bounce_type"), column("date"),
    )  # fmt: skip
    names = [normalise_header(h) for h in table.header]
    if any(text.startswith("{") for text in fields.texts[:1000]):
        triples = zip(fields.texts, fields.codes, fields.statuses, strict=True)
        unpacked = [_from_json(t, c, s) for t, c, s in triples]
        fields.texts = [u[0] for u in unpacked]
        fields.codes = [u[1] for u in unpacked]
        fields.statuses = [u[2] for u in unpacked]
    if "bounce_type" in roles and names[roles["bounce_type"]] == "hardbounce":
        blocked = table.columns[names.index("blocked")] if "blocked" in names else empty
        fields.labels = [
            "blocked" if b.lower() == "true" else ("hard" if h.lower() == "true" else "soft")
            for h, b in zip(fields.labels, blocked, strict=True)
        ]  # Mailjet: booleans, with a separate "blocked" flag
    elif "cleantime" in names and "bounce_type" not in roles:
        fields.labels = ["cleaned"] * table.row_count
    elif fields.labels and set(fields.labels[:1000]) <= CONSTANT_CONTACT_CODES.keys() | {""}:
        fields.labels = [CONSTANT_CONTACT_CODES.get(code, code) for code in fields.labels]
    return fields


def _from_json(cell: str, code: str, status: str) -> tuple[str, str, str]:
    try:
        meta = json.loads(cell)
    except ValueError:
        return cell, code, status
    if not isinstance(meta, dict):
        return cell, code, status
    text = next(
        (str(meta[k]) for k in ("message", "diagnostic", "error", "reason") if k in meta), cell
    )
    status = status or str(meta.get("smtp_status") or meta.get("status") or "")
    code = code or str(meta.get("smtp_code") or meta.get("code") or "")
    return text, code, status
