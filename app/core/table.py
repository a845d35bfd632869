"""The in-memory table: a file's cells as the user sees them, stored column by column.

Columns (one list of strings each) keep a million-row list compact and let the GUI model, sorting
and filtering work through index arrays instead of copying rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter


def header_row_index(rows: list[list[str]]) -> int:
    """Index of the header among a file's first rows: the first row about as wide as the table.

    Title lines ("Customer export – 30 Nov 2026") and blank rows above the header are narrower
    than the data, so they are skipped; a header may still leave a few cells empty.
    """
    widths = [sum(1 for c in r if c.strip()) for r in rows[:30]]
    filled = [w for w in widths if w]
    if not filled:
        return 0
    typical = max(set(filled), key=lambda w: (filled.count(w), w))
    needed = 1 if typical == 1 else max(2, -(-typical * 3 // 5))  # 60 %, rounded up
    return next((i for i, w in enumerate(widths) if w >= needed), 0)


def looks_like_data_row(row: list[str]) -> bool:
    """A first row holding an address is data, not a header (lists exported without one)."""
    return any("@" in cell and " " not in cell.strip() for cell in row)


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row kept despite a problem; shown to the user with its number (1-based, data rows)."""

    row: int
    message: str


@dataclass(slots=True)
class Table:
    header: list[str]
    columns: list[list[str]]
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def row(self, index: int) -> list[str]:
        return [column[index] for column in self.columns]

    def column(self, name: str) -> list[str]:
        return self.columns[self.header.index(name)]

    @classmethod
    def from_rows(cls, header: list[str], rows: list[list[str]]) -> Table:
        """Transpose rows into columns, padding short rows and naming extra fields."""
        lengths = set(map(len, rows))
        width = max(len(header), *lengths) if rows else len(header)
        header = header + [f"Column {n + 1}" for n in range(len(header), width)]
        if lengths != {width}:  # ragged rows: pad (the common, rectangular case skips this)
            for r in rows:
                if len(r) < width:
                    r.extend([""] * (width - len(r)))
        # one C-level pass per column: zip(*rows) would create a million iterators for the GC
        columns = [list(map(itemgetter(n), rows)) for n in range(width)]
        return cls(header, columns)
