"""Import one file — CSV/TSV/TXT or a spreadsheet — as a contact list, a bounce report or both.

The caller may override what was detected: the file's kind, the sheet, and any column's role.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from operator import itemgetter
from pathlib import Path

from app.core.table import Table
from app.io.columns import BOUNCE_ROLES, ROLES, ColumnMapping, detect_columns, normalise_header
from app.io.delimited import FileReadError, ProgressCallback, TextLayout, read_delimited
from app.io.ses_events import JSON_SUFFIXES, read_ses_events
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


def require_email_column(name: str, header: Sequence[str], roles: dict[str, int]) -> None:
    if "email" not in roles:
        shown = ", ".join(repr(h) for h in header[:8])
        raise FileReadError(f"{name}: no column holds email addresses (columns: {shown})")


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
    roles: dict[str, int | None] | None = None,
    progress: ProgressCallback | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportedFile:
    """Read and recognise a file. Raises FileReadError with a message naming the file."""
    path = Path(path)
    from app.io.mail_sources import is_mail_input

    if path.exists() and is_mail_input(path):
        return _import_mail(path, cancelled)
    if not path.is_file():
        raise FileReadError(f"{path.name}: no such file")
    suffix = path.suffix.lower()
    layout = None
    sheet_name = None
    if suffix in SPREADSHEET_SUFFIXES:
        table, sheet_name = read_spreadsheet(path, sheet)
    elif suffix in JSON_SUFFIXES:
        table = read_ses_events(path)
    elif suffix in TEXT_SUFFIXES:
        table, layout = read_delimited(path, progress, cancelled)
    else:
        raise FileReadError(
            f"{path.name}: unsupported file type {suffix!r} "
            "(use CSV, TSV, TXT, XLSX, XLS, ODS, Amazon SES JSON, or bounce e-mails: "
            ".eml, .msg, .mbox, a Maildir or a folder of them)"
        )
    mapping = detect_columns(table.header, table.columns)
    if roles:
        for role, index in roles.items():
            if index is None:  # the caller says: no column plays this role
                mapping.roles.pop(role, None)
                mapping.guessed.discard(role)
                continue
            if not 0 <= index < len(table.header):
                raise FileReadError(f"{path.name}: there is no column {index + 1}")
            mapping.roles[role] = index
            mapping.guessed.discard(role)
    require_email_column(path.name, table.header, mapping.roles)
    imported = ImportedFile(
        path, kind or guess_kind(table.header, mapping), table, mapping, sheet_name, layout
    )
    imported.notes.extend(f"row {p.row} {p.message}" for p in table.problems[:1000])
    return imported


def _import_mail(path: Path, cancelled: Callable[[], bool] | None) -> ImportedFile:
    """Bounce e-mails (a file, an mbox, a Maildir, a folder) as one bounce report."""
    from app.io.mail_sources import MAIL_ROLES, read_mail

    report = read_mail(path, cancelled=cancelled)
    mapping = ColumnMapping(dict(MAIL_ROLES))
    imported = ImportedFile(path, FileKind.BOUNCES, report.table(), mapping)
    imported.notes.append(
        f"{report.messages} message{'s' if report.messages != 1 else ''} read, "
        f"{len(report.rows)} bounce{'s' if len(report.rows) != 1 else ''} found"
    )
    imported.notes.extend(report.problems[:1000])
    return imported


BounceRow = tuple[str, str, str, str, str, str]


@dataclass(slots=True)
class BounceColumns:
    """The bounce fields of every row, column by column."""

    emails: Sequence[str]
    codes: Sequence[str]
    statuses: Sequence[str]
    texts: Sequence[str]
    labels: Sequence[str]
    dates: Sequence[str]

    def rows(self) -> Iterator[BounceRow]:
        columns = (self.emails, self.codes, self.statuses, self.texts, self.labels, self.dates)
        return zip(*columns, strict=True)


@dataclass(frozen=True, slots=True)
class BounceLayout:
    """Where a report keeps each bounce field, and which provider quirk needs resolving:
    JSON meta cells (listmonk), Mailjet's hard_bounce / blocked booleans, Constant Contact's
    one-letter codes, Mailchimp's cleaned export (hard bounces without details)."""

    indexes: tuple[int | None, ...]  # per ROLES
    json_meta: bool = False
    label_quirk: str = ""  # "", "mailjet", "constant_contact" or "cleaned"
    blocked_index: int | None = None
    _positions: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _pick: Callable[[list[str]], BounceRow] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        positions = tuple(-1 if i is None else i for i in self.indexes)
        object.__setattr__(self, "_positions", positions)
        object.__setattr__(self, "_pick", itemgetter(*positions))

    @classmethod
    def detect(
        cls, header: Sequence[str], columns: Sequence[Sequence[str]], roles: dict[str, int]
    ) -> BounceLayout:
        names = [normalise_header(h) for h in header]
        indexes = tuple(roles.get(field) for field in ROLES)
        sample = {
            f: columns[i][:1000] if i is not None else []
            for f, i in zip(ROLES, indexes, strict=True)
        }
        json_meta = any(text.startswith("{") for text in sample["diagnostic"])
        quirk, blocked = "", None
        if "bounce_type" in roles and names[roles["bounce_type"]] == "hardbounce":
            quirk = "mailjet"
            blocked = names.index("blocked") if "blocked" in names else None
        elif "cleantime" in names and "bounce_type" not in roles:
            quirk = "cleaned"
        elif sample["bounce_type"] and set(
            sample["bounce_type"]
        ) <= CONSTANT_CONTACT_CODES.keys() | {""}:
            quirk = "constant_contact"
        return cls(indexes, json_meta, quirk, blocked)

    def row(self, record: list[str]) -> BounceRow:
        """One record's bounce fields, quirks resolved (for streaming; appends "" to `record`)."""
        record.append("")  # what a missing field (index -1) reads
        try:
            fields: BounceRow = self._pick(record)
        except IndexError:  # a short row: missing cells read as empty
            fields = tuple(record[i] if i < len(record) else "" for i in self._positions)  # type: ignore[assignment]
        if not (self.json_meta or self.label_quirk):
            return fields
        email, code, status, text, label, when = fields
        if self.json_meta and text.startswith("{"):
            text, code, status = _from_json(text, code, status)
        if self.label_quirk:
            index = self.blocked_index
            blocked = record[index] if index is not None and index < len(record) else ""
            label = self._label(label, blocked)
        return email, code, status, text, label, when

    def columns(self, table: Table) -> BounceColumns:
        """All rows' bounce fields; columns are shared, not copied, when no quirk applies."""
        empty = [""] * table.row_count
        emails, codes, statuses, texts, labels, dates = (
            table.columns[i] if i is not None else empty for i in self.indexes
        )
        fields = BounceColumns(emails, codes, statuses, texts, labels, dates)
        if self.json_meta:
            unpacked = [_from_json(t, c, s) for t, c, s in zip(texts, codes, statuses, strict=True)]
            fields.texts = [u[0] for u in unpacked]
            fields.codes = [u[1] for u in unpacked]
            fields.statuses = [u[2] for u in unpacked]
        if self.label_quirk:
            blocked = table.columns[self.blocked_index] if self.blocked_index is not None else empty
            fields.labels = [self._label(x, b) for x, b in zip(labels, blocked, strict=True)]
        return fields

    def _label(self, label: str, blocked: str) -> str:
        if self.label_quirk == "mailjet":  # booleans, with a separate "blocked" flag
            if blocked.lower() == "true":
                return "blocked"
            return "hard" if label.lower() == "true" else "soft"
        if self.label_quirk == "cleaned":
            return "cleaned"
        return CONSTANT_CONTACT_CODES.get(label, label)


def bounce_fields(imported: ImportedFile) -> BounceColumns:
    """The bounce fields of an imported report, column by column, quirks resolved."""
    table = imported.table
    layout = BounceLayout.detect(table.header, table.columns, imported.mapping.roles)
    return layout.columns(table)


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
