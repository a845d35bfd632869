"""XLSX outputs, written with xlsxwriter in constant-memory mode (chosen by measurement, see
benchmarks/bench_xlsx_writers.py). Every string is written as a text cell, never as a formula."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from app.core.decide import Outcome
from app.core.incidents import Incident
from app.core.taxonomy import Action, taxonomy
from app.io.atomic import atomic_binary_writer
from app.io.exports import ADDED_COLUMNS, added_cells

ACTION_COLOURS = {  # light fills; the action is also written out, so colour is never the only cue
    Action.REMOVE: "#F8D7DA",
    Action.RETRY: "#FFF3CD",
    Action.INVESTIGATE: "#D6E4F5",
    Action.KEEP: "#E2F0D9",
}


class _Book:
    """A workbook written to a temporary file and renamed into place when complete."""

    def __init__(self, target: Path) -> None:
        import xlsxwriter

        self._atomic = atomic_binary_writer(target)
        self._handle = self._atomic.__enter__()
        self.book = xlsxwriter.Workbook(
            self._handle,
            {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
             "strings_to_numbers": False, "in_memory": False},
        )  # fmt: skip
        self.bold = self.book.add_format({"bold": True, "bg_color": "#EDEDED", "border": 1})
        self.date = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = self.book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.fills = {
            a: self.book.add_format({"bg_color": c, "border": 1, "border_color": "#D0D0D0"})
            for a, c in ACTION_COLOURS.items()
        }
        self.fill_datetimes = {
            a: self.book.add_format(
                {
                    "bg_color": c,
                    "border": 1,
                    "border_color": "#D0D0D0",
                    "num_format": "yyyy-mm-dd hh:mm:ss",
                }
            )
            for a, c in ACTION_COLOURS.items()
        }
        self.fill_dates = {
            a: self.book.add_format(
                {"bg_color": c, "border": 1, "border_color": "#D0D0D0", "num_format": "yyyy-mm-dd"}
            )
            for a, c in ACTION_COLOURS.items()
        }

    def close(self, ok: bool) -> None:
        if ok:
            self.book.close()
            self._atomic.__exit__(None, None, None)
        else:
            self._atomic.__exit__(RuntimeError, RuntimeError("aborted"), None)


def write_cell(
    sheet: Any, row: int, col: int, value: object, fmt: Any = None, date_fmt: Any = None
) -> None:
    if value is None or value == "":
        if fmt is not None:
            sheet.write_blank(row, col, None, fmt)
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, fmt)
    elif isinstance(value, dt.datetime | dt.date):
        sheet.write_datetime(row, col, value, date_fmt or fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)


def _table_sheet(
    book: _Book,
    name: str,
    header: Sequence[str],
    rows: Iterable[tuple[Sequence[object], Action | None]],
    widths: Sequence[int] | None = None,
) -> int:
    """A sheet with a bold frozen header, an autofilter, and each row tinted by its action.

    The tint is the row's format (so empty cells need no write) and each written cell carries it
    too; strings — nearly every cell — go straight to write_string, the cheapest path.
    """
    sheet = book.book.add_worksheet(name)
    sheet.freeze_panes(1, 0)
    for col, title in enumerate(header):
        sheet.write_string(0, col, title, book.bold)
        sheet.set_column(col, col, (widths[col] if widths else 16))
    write_string, set_row = sheet.write_string, sheet.set_row
    count = 0
    for count, (values, action) in enumerate(rows, start=1):
        fmt = book.fills.get(action) if action else None
        if fmt is not None:
            set_row(count, None, fmt)
        for col, value in enumerate(values):
            if value.__class__ is str:
                if value:
                    write_string(count, col, value, fmt)
            elif value is not None:
                if isinstance(value, dt.datetime):
                    date_fmt = book.fill_datetimes.get(action) if action else book.datetime
                else:
                    date_fmt = book.fill_dates.get(action) if action else book.date
                write_cell(sheet, count, col, value, fmt, date_fmt)
    sheet.autofilter(0, 0, max(count, 1), max(len(header) - 1, 0))
    return count


def write_list_xlsx(
    target: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    sheet_name: str = "Contacts",
) -> int:
    """A plain list (the cleaned list of a spreadsheet input), values keeping their types."""
    book = _Book(target)
    ok = False
    try:
        count = _table_sheet(book, sheet_name[:31], header, ((r, None) for r in rows))
        ok = True
    finally:
        book.close(ok)
    return count


def write_report_xlsx(
    target: Path,
    header: Sequence[str],
    rows: Iterable[tuple[Sequence[object], Outcome, str]],
    incidents: Sequence[Incident],
    orphans: Sequence[tuple[str, Outcome]],
    title: str,
) -> Counter[Action]:
    """The annotated report: rows tinted by action, a Summary sheet, an Orphan bounces sheet.

    Each row is (the row's own values, its outcome, a suggested fix for its address or "").
    """
    counts: Counter[Action] = Counter()
    reasons: Counter[str] = Counter()

    def annotated() -> Iterable[tuple[list[object], Action]]:
        added: dict[int, list[object]] = {}  # outcomes are shared between rows: render each once
        for values, outcome, suggestion in rows:
            counts[outcome.action] += 1
            reasons[outcome.reason or "(no bounce)"] += 1
            extra = added.get(id(outcome))
            if extra is None:
                # an address that never bounced shows just "keep": the rest would say nothing,
                # and at a hundred thousand rows every written cell costs time
                clean = not outcome.reason and not outcome.bounces
                extra = [outcome.action.value, "", "", "", ""] if clean else added_cells(outcome)
                added[id(outcome)] = extra
            yield [*values, *extra, suggestion], outcome.action

    book = _Book(target)
    ok = False
    try:
        widths = [18] * len(header) + [12, 18, 70, 9, 12, 28]
        columns = [*header, *ADDED_COLUMNS, "suggested_fix"]
        _table_sheet(book, "Report", columns, annotated(), widths)
        summary = book.book.add_worksheet("Summary")
        summary.set_column(0, 0, 28)
        summary.set_column(1, 1, 12)
        summary.set_column(2, 2, 110)
        summary.write_string(0, 0, title, book.bold)
        line = 2
        summary.write_string(line, 0, "Action", book.bold)
        summary.write_string(line, 1, "Rows", book.bold)
        for action in (Action.REMOVE, Action.RETRY, Action.INVESTIGATE, Action.KEEP):
            line += 1
            summary.write_string(line, 0, action.value, book.fills[action])
            summary.write_number(line, 1, counts[action], book.fills[action])
        line += 2
        summary.write_string(line, 0, "Reason", book.bold)
        summary.write_string(line, 1, "Rows", book.bold)
        summary.write_string(line, 2, "What it means", book.bold)
        labels = taxonomy()
        for reason, n in reasons.most_common():
            line += 1
            summary.write_string(line, 0, reason)
            summary.write_number(line, 1, n)
            if reason in labels:
                summary.write_string(line, 2, labels[reason].label)
        line += 2
        summary.write_string(line, 0, "Sender problems", book.bold)
        summary.write_string(line, 1, "Bounces", book.bold)
        summary.write_string(line, 2, "What happened and what to do", book.bold)
        if not incidents:
            summary.write_string(line + 1, 2, "None: no bounce points at your sending.")
        for incident in incidents:
            line += 1
            summary.write_string(line, 0, incident.provider)
            summary.write_number(line, 1, incident.bounces)
            summary.write_string(line, 2, incident.summary)
        orphan_rows = (
            ([address, *added_cells(outcome)], outcome.action) for address, outcome in orphans
        )
        _table_sheet(
            book, "Orphan bounces", ["email", *ADDED_COLUMNS], orphan_rows, [34, 12, 18, 70, 9, 12]
        )
        ok = True
    finally:
        book.close(ok)
    return counts
