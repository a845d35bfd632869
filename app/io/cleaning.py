"""The whole job without a window: imported files in, one decision per address out.

The CLI's `clean`, the GUI's worker and the tests all call `analyse`, so they share one engine.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from app.core.addresses import AddressChecker, CheckedAddress
from app.core.bounce_log import BounceLog
from app.core.classifier import Classifier
from app.core.decide import DEFAULT_SOFT_BOUNCE_LIMIT, ContactColumn, Decision, decide
from app.core.incidents import Incident, find_incidents
from app.io.dates import day_first_column, parse_day
from app.io.delimited import FileReadError
from app.io.importer import ImportedFile, bounce_fields

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class Cancelled(FileReadError):
    """The user cancelled; nothing was written."""


@dataclass(slots=True)
class Analysis:
    contacts: list[ImportedFile]
    reports: list[ImportedFile]
    checked: list[list[CheckedAddress]]  # per contact file, per row
    log: BounceLog
    decision: Decision
    incidents: list[Incident]
    soft_bounce_limit: int


def analyse(
    files: Sequence[ImportedFile],
    *,
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

    def tick(stage: str, done: int, total: int) -> None:
        if progress is not None:
            progress(stage, done, total)
        if cancelled is not None and cancelled():
            raise Cancelled("cancelled")

    gc_was_enabled = gc.isenabled()
    gc.disable()  # bulk building of plain containers: the cyclic GC only costs time here
    try:
        for report in reports:
            report_id = log.add_report(report.path.name)
            name = report.path.name
            fields = bounce_fields(report)
            tick(f"Checking addresses in {name}", 0, 3)
            addresses = [checker.check(e) for e in fields.emails]
            tick(f"Classifying {name}", 1, 3)
            verdicts = list(
                map(classifier.classify, fields.texts, fields.codes, fields.statuses, fields.labels)
            )
            tick(f"Reading dates in {name}", 2, 3)
            day_first = day_first_column(fields.dates[:2000])
            known: dict[str, date | None] = {}
            days = []
            for when in fields.dates:
                if when not in known:
                    known[when] = parse_day(when, day_first)
                days.append(known[when])
            log.extend(report_id, addresses, verdicts, days, fields.texts)
        checked: list[list[CheckedAddress]] = []
        columns: list[ContactColumn] = []
        for contact_file in contacts:
            emails = contact_file.table.columns[contact_file.mapping.roles["email"]]
            results = []
            for number, raw in enumerate(emails, start=1):
                results.append(checker.check(raw))
                if number % 50_000 == 0:
                    tick(f"Checking {contact_file.path.name}", number, len(emails))
            checked.append(results)
            columns.append(
                ContactColumn(
                    contact_file.path.name, [c.key for c in results], [c.problem for c in results]
                )
            )
        tick("Deciding", 0, 1)
        decision = decide(columns, log, soft_bounce_limit)
        incidents = find_incidents(log)
    finally:
        if gc_was_enabled:
            gc.enable()
    return Analysis(contacts, reports, checked, log, decision, incidents, soft_bounce_limit)
