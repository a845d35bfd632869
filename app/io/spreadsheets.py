"""Read XLSX, XLSM, XLS and ODS through python-calamine (one fast reader for all four).

Cells come out as the user sees them: whole numbers without ".0", dates as 2026-11-02 (with
the time when there is one), formulas as their cached values. A title line and blank rows above
the header are skipped; the first sheet that looks like a table is chosen unless one is named.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.core.table import Table, header_row_index, looks_like_data_row
from app.io.delimited import FileReadError

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def sheet_names(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    try:
        return list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise FileReadError(f"{path.name}: not a readable spreadsheet ({exc})") from None


def load_sheet(path: Path, sheet: str | None = None) -> tuple[str, list[list[object]], int]:
    """(sheet name, non-blank rows with their raw values, index of the first data row).

    The header is the row just above the first data row; when the first row already holds an
    address, the sheet has no header and the data starts there.
    """
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
        if sheet is not None and sheet not in names:
            raise FileReadError(
                f"{path.name}: there is no sheet named {sheet!r} ({', '.join(names)})"
            )
        for name in [sheet] if sheet is not None else names:
            raw = workbook.get_sheet_by_name(name).to_python(skip_empty_area=True)
            rows: list[list[object]] = [
                list(r) for r in raw if any(cell_text(v).strip() for v in r)
            ]
            if sheet is not None or len(rows) >= 2:
                break
        else:
            raise FileReadError(f"{path.name}: no sheet holds a table")
    except FileReadError:
        raise
    except Exception as exc:  # damaged or truncated files raise calamine's own errors
        raise FileReadError(f"{path.name}: not a readable spreadsheet ({exc})") from None
    if not rows:
        raise FileReadError(f"{path.name}: sheet {name!r} is empty")
    texts = [[cell_text(v) for v in r] for r in rows[:30]]
    start = header_row_index(texts)
    return name, rows, start if looks_like_data_row(texts[start]) else start + 1


def read_spreadsheet(path: Path, sheet: str | None = None) -> tuple[Table, str]:
    """The table of one sheet (cells as text, as the user sees them) and that sheet's name."""
    name, rows, first = load_sheet(path, sheet)
    body = [[cell_text(v) for v in r] for r in rows[first:]]
    if first > 0:
        header = [cell_text(h).strip() for h in rows[first - 1]]
    else:  # no header row: name the columns
        header = [f"Column {n + 1}" for n in range(max(map(len, body), default=1))]
    return Table.from_rows(header, body), name
