"""The whole job without a window: imported files in, one decision per address out.

The CLI's `clean`, the GUI's worker and the tests all call `analyse`, so they share one engine.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app.core.addresses import AddressChecker, CheckedColumn
from app.core.bounce_log import BounceLog
from app.core.classifier import Classifier
from app.core.decide import ContactColumn, Decision, decide
from app.core.defaults import DEFAULT_SOFT_BOUNCE_LIMIT
from app.core.gc_pause import gc_paused
from app.core.incidents import Incident, find_incidents
from app.core.table import RowProblem
from app.io.bounce_reports import report_rows
from app.io.dates import day_first_column, parse_day
from app.io.delimited import FileReadError
from app.io.importer import BounceColumns, ImportedFile, bounce_fields

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class Cancelled(FileReadError):
    """The user cancelled; nothing was written."""


@dataclass(slots=True)
class Analysis:
    contacts: list[ImportedFile]
    reports: list[ImportedFile]
    checked: list[CheckedColumn]  # per contact file, in row order
    log: BounceLog
    decision: Decision
    incidents: list[Incident]
    soft_bounce_limit: int
    inputs: list[Path]  # every file read, imported or streamed: never to be overwritten
    notes: list[str]  # things the user should know about their files


CHUNK_ROWS = 50_000  # streamed reports are processed in chunks of this many rows


def _log_bounces(
    log: BounceLog,
    report_id: int,
    fields: BounceColumns,
    checker: AddressChecker,
    classifier: Classifier,
    first_row: int = 1,
) -> list[int]:
    """Check, classify and date one report's (or one chunk's) bounces, column by column.

    Returns the row numbers skipped because they hold no address.
    """
    blank = [] if all(map(str.strip, fields.emails)) else _blank_rows(fields.emails)
    if blank:
        fields = _without(fields, set(blank))
    addresses = checker.key_column(fields.emails)
    verdicts = classifier.classify_column(
        fields.texts, fields.codes, fields.statuses, fields.labels
    )
    day_first = day_first_column(fields.dates[:2000])
    known: dict[str, date | None] = {}
    days = []
    for when in fields.dates:
        if when not in known:
            known[when] = parse_day(when, day_first)
        days.append(known[when])
    log.extend(report_id, addresses, verdicts, days, fields.texts, first_row, blank)
    return [first_row + n for n in blank]


def _blank_rows(emails: Sequence[str]) -> list[int]:
    return [n for n, e in enumerate(emails) if not e.strip()]


def _without(fields: BounceColumns, rows: set[int]) -> BounceColumns:
    def keep(column: Sequence[str]) -> list[str]:
        return [v for n, v in enumerate(column) if n not in rows]

    columns = (fields.emails, fields.codes, fields.statuses, fields.texts, fields.labels)
    return BounceColumns(*(keep(c) for c in (*columns, fields.dates)))


def analyse(
    files: Sequence[ImportedFile],
    *,
    streamed_reports: Sequence[Path] = (),
    soft_bounce_limit: int = DEFAULT_SOFT_BOUNCE_LIMIT,
    classifier: Classifier | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Analysis:
    classifier = classifier or Classifier()
    checker = AddressChecker()
    contacts = [f for f in files if f.has_contacts]
    reports = [f for f in files if f.has_bounces]
    log = BounceLog()
    notes: list[str] = []

    def tick(stage: str, done: int, total: int) -> None:
        if progress is not None:
            progress(stage, done, total)
        if cancelled is not None and cancelled():
            raise Cancelled("cancelled")

    with gc_paused():  # bulk building of plain containers: the cyclic GC only costs time here
        for report in reports:
            report_id = log.add_report(report.path.name)
            skipped = _log_bounces(log, report_id, bounce_fields(report), checker, classifier)
            _note_skipped(notes, report.path.name, skipped)
            tick(f"Read {report.path.name}", 1, 1)
        for path in streamed_reports:
            report_id = log.add_report(path.name)
            ragged: list[RowProblem] = []
            rows = report_rows(path, ragged)
            first, skipped = 1, []
            while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
                fields = BounceColumns(*map(list, zip(*chunk, strict=True)))
                skipped += _log_bounces(log, report_id, fields, checker, classifier, first)
                first += len(chunk)
                tick(f"Reading {path.name}", first - 1, 0)
            _note_skipped(notes, path.name, skipped)
            _note_ragged(notes, path.name, ragged)
        checked: list[CheckedColumn] = []
        columns: list[ContactColumn] = []
        for contact_file in contacts:
            emails = contact_file.table.columns[contact_file.mapping.roles["email"]]
            parts = []
            for start in range(0, len(emails), CHUNK_ROWS):
                parts.append(checker.check_column(emails[start : start + CHUNK_ROWS]))
                tick(f"Checking {contact_file.path.name}", start + len(parts[-1]), len(emails))
            results = CheckedColumn.concatenate(parts)
            checked.append(results)
            columns.append(ContactColumn(contact_file.path.name, results.keys, results.problems))
        tick("Deciding", 0, 1)
        decision = decide(columns, log, soft_bounce_limit)
        incidents = find_incidents(log)
    inputs = [f.path for f in files] + list(streamed_reports)
    return Analysis(
        contacts, reports, checked, log, decision, incidents, soft_bounce_limit, inputs, notes
    )


def _note_ragged(notes: list[str], name: str, problems: list[RowProblem]) -> None:
    """Ragged rows are kept (padded or cut), and the user is told which."""
    if problems:
        shown = ", ".join(str(p.row) for p in problems[:10]) + (", …" if len(problems) > 10 else "")
        count = f"{len(problems)}{'+' if len(problems) >= 1000 else ''}"
        notes.append(
            f"{name}: {count} row{'s' if len(problems) != 1 else ''} had too few or too many "
            f"fields and were read as far as possible (row {shown})"
        )


def _note_skipped(notes: list[str], name: str, rows: list[int]) -> None:
    if rows:
        shown = ", ".join(map(str, rows[:10])) + (", …" if len(rows) > 10 else "")
        what = (
            "1 row has no address and was"
            if len(rows) == 1
            else f"{len(rows)} rows have no address and were"
        )
        notes.append(f"{name}: {what} skipped (row {shown})")
