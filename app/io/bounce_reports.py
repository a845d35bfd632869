"""The `classify` command: every bounce of some reports, one row each, in input order, with its
verdict. Delimited reports are streamed, so a million-row report is never held in memory."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

from app.core.classifier import Classifier, Verdict
from app.core.table import RowProblem
from app.io.atomic import atomic_text_writer
from app.io.columns import BOUNCE_ROLES, detect_columns
from app.io.csv_text import csv_field, csv_line, safe_csv_field
from app.io.delimited import FileReadError, ragged_row, sniff, stream_records
from app.io.importer import (
    TEXT_SUFFIXES,
    BounceLayout,
    BounceRow,
    FileKind,
    bounce_fields,
    import_file,
    require_email_column,
)
from app.io.mail_sources import SOURCE_COLUMN, is_mail_input

OUTPUT_COLUMNS = (
    "source", "row", "email", "smtp_code", "enhanced_status", "diagnostic",
    "action", "reason", "explanation", "rule", "provider",
)  # fmt: skip


SAMPLE_RECORDS = 1000  # records read before the columns are recognised


def report_rows(report: Path, problems: list[RowProblem] | None = None) -> Iterator[BounceRow]:
    """Every bounce row of a report. Delimited files are streamed: a million-row report is
    classified without being held in memory; spreadsheets go through the full importer.

    Rows with too few or too many fields are kept (padded or cut) and, when `problems` is given,
    listed there by row number."""
    if report.suffix.lower() not in TEXT_SUFFIXES or report.is_dir():
        imported = import_file(report, kind=FileKind.BOUNCES)
        _require_bounce_columns(report, imported.mapping.roles)
        return bounce_fields(imported).rows()
    dialect = sniff(report)
    records = stream_records(report, dialect)
    header = next(records, []) if dialect.has_header else []
    sample = list(itertools.islice(records, SAMPLE_RECORDS))
    if not dialect.has_header:
        header = [f"Column {n + 1}" for n in range(max(map(len, sample), default=1))]
    width = len(header)
    columns = [[r[i] if i < len(r) else "" for r in sample] for i in range(width)]
    mapping = detect_columns(header, columns)
    require_email_column(report.name, header, mapping.roles)
    _require_bounce_columns(report, mapping.roles)
    layout = BounceLayout.detect(header, columns, mapping.roles)
    rows: Iterator[list[str]] = itertools.chain(sample, records)
    if problems is not None:
        rows = _noting_ragged(rows, width, problems)
    return map(layout.row, rows)


def _noting_ragged(
    records: Iterator[list[str]], width: int, problems: list[RowProblem]
) -> Iterator[list[str]]:
    for number, record in enumerate(records, start=1):
        if len(record) != width and len(problems) < 1000:
            problems.append(ragged_row(number, len(record), width))
        yield record


def _require_bounce_columns(report: Path, roles: dict[str, int]) -> None:
    if not any(role in roles for role in BOUNCE_ROLES):
        raise FileReadError(
            f"{report.name}: no bounce columns (no SMTP code, status, diagnostic text or "
            "bounce type was found)"
        )


def _rows_with_sources(report: Path) -> Iterator[tuple[str, BounceRow]]:
    """(source, row): a report's name, or for bounce e-mails the file each bounce came from."""
    if is_mail_input(report):
        imported = import_file(report)
        sources = map(csv_field, imported.table.column(SOURCE_COLUMN))
        return zip(sources, bounce_fields(imported).rows(), strict=True)
    return zip(itertools.repeat(csv_field(report.name)), report_rows(report))


CHUNK_ROWS = 20_000  # rows classified at once: columns for the classifier, bounded memory


def write_classified(reports: list[Path], output: Path, classifier: Classifier) -> int:
    """Classify every row of every report into one CSV; returns the number of rows written."""
    written = 0
    # rendered once per verdict; keyed by identity (verdicts are shared, hashing them is not free)
    verdict_columns: dict[int, tuple[Verdict, str]] = {}
    with atomic_text_writer(output) as handle:
        write = handle.write
        write(csv_line(OUTPUT_COLUMNS))
        for report in reports:
            rows = _rows_with_sources(report)
            row = 0
            while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
                fields = [r for _, r in chunk]
                verdicts = classifier.classify_column(
                    [f[3] for f in fields], [f[1] for f in fields], [f[2] for f in fields],
                    [f[4] for f in fields],
                )  # fmt: skip
                for (source, (email, _, _, diagnostic, _, _)), v in zip(
                    chunk, verdicts, strict=True
                ):
                    row += 1
                    known = verdict_columns.get(id(v))
                    if known is not None and known[0] is v:
                        tail = known[1]
                    else:
                        tail = csv_line(
                            (v.action.value, v.reason, v.explanation, v.rule_id, v.provider)
                        )
                        verdict_columns[id(v)] = (v, tail)
                    write(
                        f"{source},{row},{safe_csv_field(email.strip())},{v.smtp_code},"
                        f"{v.enhanced_status},{safe_csv_field(diagnostic)},{tail}"
                    )
                written += len(chunk)
    return written
