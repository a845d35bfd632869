"""Every imported bounce, stored column by column (a million rows is a normal report)."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from app.core.addresses import CheckedColumn
from app.core.classifier import Verdict


@dataclass(frozen=True, slots=True)
class ReportInfo:
    """One imported report. One report is one send: an undated bounce counts its report as a day."""

    name: str


@dataclass(slots=True)
class BounceLog:
    reports: list[ReportInfo] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # address match keys
    addresses: list[str] = field(default_factory=list)  # as written in the report
    verdicts: list[Verdict] = field(default_factory=list)
    days: list[date | None] = field(default_factory=list)
    report_ids: array[int] = field(default_factory=lambda: array("I"))
    rows: array[int] = field(default_factory=lambda: array("I"))  # 1-based data row in its report
    diagnostics: list[str] = field(default_factory=list)

    def add_report(self, name: str) -> int:
        self.reports.append(ReportInfo(name))
        return len(self.reports) - 1

    def add(
        self,
        report: int,
        row: int,
        key: str,
        address: str,
        verdict: Verdict,
        day: date | None,
        diagnostic: str,
    ) -> None:
        self.keys.append(key)
        self.addresses.append(address)
        self.verdicts.append(verdict)
        self.days.append(day)
        self.report_ids.append(report)
        self.rows.append(row)
        self.diagnostics.append(diagnostic)

    def extend(
        self,
        report: int,
        addresses: CheckedColumn,
        verdicts: Sequence[Verdict],
        days: Sequence[date | None],
        diagnostics: Sequence[str],
        first_row: int = 1,
        skipped: Sequence[int] = (),
    ) -> None:
        """Add a report's bounces (or the next chunk of them) at once, in report order.

        `skipped` are positions (from 0) of rows left out, so that row numbers stay the report's.
        """
        count = len(addresses)
        self.keys.extend(addresses.keys)
        self.addresses.extend(addresses.addresses)
        self.verdicts.extend(verdicts)
        self.days.extend(days)
        self.report_ids.extend([report] * count)
        if skipped:
            gone = set(skipped)
            numbers = [n for n in range(count + len(gone)) if n not in gone]
            self.rows.extend(first_row + n for n in numbers)
        else:
            self.rows.extend(range(first_row, first_row + count))
        self.diagnostics.extend(diagnostics)

    def __len__(self) -> int:
        return len(self.keys)
