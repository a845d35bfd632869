"""The `classify` command's output: one row per bounce, in input order, with its verdict."""

from __future__ import annotations

from pathlib import Path

from app.core.classifier import Classifier, Verdict
from app.io.atomic import atomic_text_writer
from app.io.cell_safety import neutralise
from app.io.columns import BOUNCE_ROLES
from app.io.csv_text import csv_field, csv_line
from app.io.delimited import FileReadError
from app.io.importer import FileKind, bounce_fields, import_file

OUTPUT_COLUMNS = (
    "source", "row", "email", "smtp_code", "enhanced_status", "diagnostic",
    "action", "reason", "explanation", "rule", "provider",
)  # fmt: skip


def write_classified(reports: list[Path], output: Path, classifier: Classifier) -> int:
    """Classify every row of every report into one CSV; returns the number of rows written."""
    written = 0
    classify = classifier.classify
    verdict_columns: dict[Verdict, str] = {}  # rendered once per distinct verdict
    with atomic_text_writer(output) as handle:
        write = handle.write
        write(csv_line(OUTPUT_COLUMNS))
        for report in reports:
            imported = import_file(report, kind=FileKind.BOUNCES)
            if not any(role in imported.mapping.roles for role in BOUNCE_ROLES):
                raise FileReadError(
                    f"{report.name}: no bounce columns (no SMTP code, status, diagnostic text or "
                    "bounce type was found)"
                )
            source = csv_field(report.name)
            rows = bounce_fields(imported).rows()
            for row, (email, code, status, diagnostic, label, _date) in enumerate(rows, start=1):
                v = classify(diagnostic, code, status, label)
                tail = verdict_columns.get(v)
                if tail is None:
                    tail = verdict_columns[v] = csv_line(
                        (v.action.value, v.reason, v.explanation, v.rule_id, v.provider)
                    )
                write(
                    f"{source},{row},{csv_field(neutralise(email))},{v.smtp_code},"
                    f"{v.enhanced_status},{csv_field(neutralise(diagnostic))},{tail}"
                )
                written += 1
    return written
