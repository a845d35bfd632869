"""What the window shows of one list: per-row actions with the user's overrides, counts, and the
filtered, searched and sorted row order — all as index arrays, so a million rows stay responsive.

No Qt here: the GUI model is a thin view over `Review`, and the tests drive it directly too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import compress, repeat
from operator import eq
from typing import Any

from app.core.bounce_log import BounceLog
from app.core.decide import Outcome
from app.core.table import Table
from app.core.taxonomy import Action, taxonomy


@dataclass(frozen=True, slots=True)
class BounceDetail:
    """One bounce of an address, as the details panel lists it."""

    day: date | None
    report: str
    row: int
    smtp_code: str
    enhanced_status: str
    diagnostic: str
    reason: str
    action: Action
    rule_id: str


def bounces_of(
    log: BounceLog, key: str, sources: dict[str, Sequence[str]] | None = None
) -> list[BounceDetail]:
    """Every bounce of one address, oldest first (one scan: fast enough for a click).

    `sources` maps a report to the file each of its rows came from (a folder of e-mails)."""
    if not key:
        return []
    found = [n for n, k in enumerate(log.keys) if k == key]
    details = []
    for n in found:
        v = log.verdicts[n]
        report = log.reports[log.report_ids[n]].name
        within = (sources or {}).get(report)
        if within is not None and 0 < log.rows[n] <= len(within):
            report = f"{report} › {within[log.rows[n] - 1]}"
        details.append(
            BounceDetail(
                log.days[n],
                report,
                log.rows[n],
                v.smtp_code,
                v.enhanced_status,
                log.diagnostics[n],
                v.reason,
                v.action,
                v.rule_id,
            )
        )
    details.sort(key=lambda d: (d.day is None, d.day or date.min))
    return details


ACTIONS: tuple[Action, ...] = (Action.REMOVE, Action.RETRY, Action.INVESTIGATE, Action.KEEP)
_CODE = {action: code for code, action in enumerate(ACTIONS)}
OVERRIDE_RULE = "user.override"


def overridden(outcome: Outcome, action: Action) -> Outcome:
    """The outcome with the user's action; the explanation keeps what the app had said."""
    if action is outcome.action:
        return outcome
    said = outcome.explanation.rstrip()
    text = f"You chose “{action.value}” (Bounce Cleaner said “{outcome.action.value}”: {said})"
    return replace(outcome, action=action, explanation=text, rule_id=OVERRIDE_RULE)


@dataclass(frozen=True, slots=True)
class SortKey:
    column: int  # a table column, or ACTION_COLUMN / REASON_COLUMN past the table's own
    descending: bool = False


class Review:
    """One contact list under review. Rows are 0-based positions in the list."""

    def __init__(
        self,
        name: str,
        table: Table,
        outcomes: Sequence[Outcome],
        email_column: int,
        keys: Sequence[str] | None = None,
    ) -> None:
        if len(outcomes) != table.row_count:
            raise ValueError("one outcome per row is needed")
        self.name = name
        self.keys = keys if keys is not None else [e.lower() for e in table.columns[email_column]]
        self.table = table
        self.outcomes = outcomes
        self.email_column = email_column
        self.overrides: dict[int, Action] = {}
        # one byte per row: counting and filtering by action run in C
        self._codes = bytearray(_CODE[o.action] for o in outcomes)
        self._lowered: list[str] | None = None

    @property
    def row_count(self) -> int:
        return len(self.outcomes)

    @property
    def action_column(self) -> int:
        return len(self.table.header)

    @property
    def reason_column(self) -> int:
        return len(self.table.header) + 1

    @property
    def header(self) -> list[str]:
        return [*self.table.header, "Action", "Reason"]

    def action(self, row: int) -> Action:
        return ACTIONS[self._codes[row]]

    def outcome(self, row: int) -> Outcome:
        """The row's outcome as exported: the user's override applied."""
        outcome = self.outcomes[row]
        chosen = self.overrides.get(row)
        return overridden(outcome, chosen) if chosen is not None else outcome

    def reason_label(self, row: int) -> str:
        outcome = self.outcomes[row]
        return taxonomy()[outcome.reason].label if outcome.reason else "No bounce"

    def email(self, row: int) -> str:
        return self.table.columns[self.email_column][row]

    def reason_counts(self) -> list[tuple[str, int, Action]]:
        """(reason id, rows, its action) for rows with a reason, most common first."""
        per_outcome = Counter(map(id, self.outcomes))  # outcomes are shared: count each once
        counts: Counter[tuple[str, Action]] = Counter()
        for outcome in {id(o): o for o in self.outcomes}.values():
            if outcome.reason:
                counts[(outcome.reason, outcome.action)] += per_outcome[id(outcome)]
        return [(reason, n, action) for (reason, action), n in counts.most_common()]

    def export_counts(self) -> dict[str, int]:
        """Rows per export file: the cleaned list, the do-not-send list, the repeated rows."""
        remove = _CODE[Action.REMOVE]
        repeats = [n for n, o in enumerate(self.outcomes) if o.reason == "duplicate"]
        duplicates = sum(1 for n in repeats if self._codes[n] == remove)
        removed = self._codes.count(remove)
        return {
            "kept": self.row_count - removed,
            "removed": removed - duplicates,
            "duplicates": duplicates,
        }

    def counts(self) -> dict[Action, int]:
        return {action: self._codes.count(_CODE[action]) for action in ACTIONS}

    def set_actions(self, rows: Iterable[int], action: Action | None) -> dict[int, Action | None]:
        """Override rows (None = back to the app's verdict); returns what each row had before."""
        before: dict[int, Action | None] = {}
        for row in rows:
            before.setdefault(row, self.overrides.get(row))  # a row given twice: its first state
            self._set(row, action)
        return before

    def restore(self, before: dict[int, Action | None]) -> None:
        for row, action in before.items():
            self._set(row, action)

    def _set(self, row: int, action: Action | None) -> None:
        if action is None or action is self.outcomes[row].action:
            self.overrides.pop(row, None)
            self._codes[row] = _CODE[self.outcomes[row].action]
        else:
            self.overrides[row] = action
            self._codes[row] = _CODE[action]

    def effective_outcomes(self) -> list[Outcome]:
        """Every row's outcome with the overrides applied: what the exports write."""
        if not self.overrides:
            return list(self.outcomes)
        result = list(self.outcomes)
        for row, action in self.overrides.items():
            result[row] = overridden(result[row], action)
        return result

    def rows(
        self,
        actions: Iterable[Action] | None = None,
        search: str = "",
        sort: SortKey | None = None,
    ) -> list[int]:
        """The rows to show, in order: those with one of `actions`, matching `search`, sorted."""
        wanted = set(actions) if actions is not None else set(ACTIONS)
        count = self.row_count
        if wanted >= set(ACTIONS):
            rows: list[int] = list(range(count))
        elif len(wanted) == 1:
            code = _CODE[next(iter(wanted))]
            rows = list(compress(range(count), map(eq, self._codes, repeat(code))))
        else:
            codes = bytes(_CODE[a] for a in wanted)
            rows = [n for n, c in enumerate(self._codes) if c in codes]
        needle = search.strip().lower()
        if needle:
            lowered = self._lowered_emails()
            rows = [n for n in rows if needle in lowered[n]]
        if sort is not None:
            rows.sort(key=self._sort_key(sort.column), reverse=sort.descending)
        return rows

    def _lowered_emails(self) -> list[str]:
        if self._lowered is None:
            self._lowered = [e.lower() for e in self.table.columns[self.email_column]]
        return self._lowered

    def _sort_key(self, column: int) -> Callable[[int], Any]:
        if column == self.action_column:
            return self._codes.__getitem__
        if column == self.reason_column:  # by the label shown, not the internal id
            labels = {r: reason.label for r, reason in taxonomy().items()}
            labels[""] = "No bounce"
            shown = [labels.get(o.reason, o.reason) for o in self.outcomes]
            return shown.__getitem__
        # casefolded once, in C; the sort then looks keys up without a Python call per row
        folded = list(map(str.casefold, self.table.columns[column]))
        return folded.__getitem__
