"""Import one file — CSV/TSV/TXT or a spreadsheet — as a contact list, a bounce report or both.

The caller may override what was detected: the file's kind, the sheet, and any column's role.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from app.core.table import Table
from app.io.columns import BOUNCE_ROLES, ColumnMapping, detect_columns, normalise_header
from app.io.delimited import FileReadError, ProgressCallback, TextLayout, read_delimited
from app.io.spreadsheets import SPREADSHEET_SUFFIXES, read_spreadsheet

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


def bounce_fields(imported: ImportedFile) -> list[tuple[str, str, str, str, str, str]]:
    """(email, smtp_code, enhanced_status, diagnostic, bounce_type, date) for every row.

    Layout quirks are resolved here: JSON meta cells (listmonk), Mailjet's hard_bounce / blocked
    booleans, Mailchimp's cleaned export (every row a hard bounce without details).
    """
    table, roles = imported.table, imported.mapping.roles
    empty = [""] * table.row_count

    def column(role: str) -> list[str]:
        index = roles.get(role)
        return table.columns[index] if index is not None else empty

    emails, codes, statuses = column("email"), column("smtp_code"), column("enhanced_status")
    texts, labels, dates = column("diagnostic"), column("bounce_type"), column("date")
    names = [normalise_header(h) for h in table.header]
    label_header = names[roles["bounce_type"]] if "bounce_type" in roles else ""
    blocked = table.columns[names.index("blocked")] if "blocked" in names else empty
    cleaned = "cleantime" in names and "bounce_type" not in roles
    rows = []
    for email, code, status, text, label, day, is_blocked in zip(
        emails, codes, statuses, texts, labels, dates, blocked, strict=True
    ):
        if text.startswith("{"):
            text, code, status = _from_json(text, code, status)
        if label_header == "hardbounce":  # Mailjet: booleans, with a separate "blocked" flag
            label = "blocked" if is_blocked.lower() == "true" else (
                "hard" if label.lower() == "true" else "soft"
            )  # fmt: skip
        elif cleaned:
            label = "cleaned"
        rows.append((email, code, status, text, label, day))
    return rows


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
