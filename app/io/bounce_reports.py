"""Read bounce-report CSVs for the `classify` command and write its one-row-per-bounce result.

This is the plain reader: headers are recognised by name (see `COLUMN_ALIASES`). Column detection
by content, XLSX and provider layouts arrive with the full importer.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from operator import itemgetter
from pathlib import Path

from app.core.classifier import Classifier, Verdict
from app.io.atomic import atomic_text_writer
from app.io.cell_safety import neutralise
from app.io.csv_text import csv_field, csv_line

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "email": ("email", "emailaddress", "address", "recipient", "emailaddr", "mail", "to"),
    "smtp_code": ("smtpcode", "code", "replycode", "smtpreplycode", "statuscode", "errorcode"),
    "enhanced_status": ("enhancedstatus", "status", "enhancedstatuscode", "dsn", "dsnstatus"),
    "diagnostic": (
        "diagnostic", "diagnosticcode", "reason", "error", "details", "message", "response",
        "smtpresponse", "bouncereason", "errormessage", "diagnosticinfo", "comment",
    ),
    "bounce_type": ("bouncetype", "type", "bouncecategory", "category"),
}  # fmt: skip
OUTPUT_COLUMNS = (
    "source", "row", "email", "smtp_code", "enhanced_status", "diagnostic",
    "action", "reason", "explanation", "rule", "provider",
)  # fmt: skip
_DELIMITERS = ",;\t|"


class ReportError(Exception):
    """A report cannot be read; the message names the file and the problem."""


# (source file name, 1-based data row, email, smtp_code, enhanced_status, diagnostic, bounce_type):
# a plain tuple, because a million of them are made per report.
BounceRow = tuple[str, int, str, str, str, str, str]


def _header_key(name: str) -> str:
    return "".join(ch for ch in name.strip().lower() if ch.isalnum())


def map_columns(header: list[str]) -> dict[str, int]:
    """Field name → column index, by the first header that carries one of its aliases."""
    keys = [_header_key(h) for h in header]
    mapping: dict[str, int] = {}
    for field, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            if alias in keys and keys.index(alias) not in mapping.values():
                mapping[field] = keys.index(alias)
                break
    return mapping


def _decode_probe(path: Path) -> tuple[str, str]:
    with open(path, "rb") as f:
        head = f.read(65536)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", head.decode("utf-16", errors="replace")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return encoding, head.decode(encoding)
        except UnicodeDecodeError as exc:
            if encoding == "utf-8-sig" and exc.start > len(head) - 4:  # cut inside a character
                return encoding, head[: exc.start].decode(encoding)
    return "latin-1", head.decode("latin-1")


def read_report(path: Path) -> Iterator[BounceRow]:
    """Stream a report's rows. Raises ReportError for a file that is not a readable report."""
    try:
        encoding, sample = _decode_probe(path)
    except OSError as exc:
        raise ReportError(f"{path}: cannot open the file ({exc.strerror or exc})") from None
    if not sample.strip():
        raise ReportError(f"{path}: the file is empty")
    try:
        delimiter = csv.Sniffer().sniff(sample.split("\n", 1)[0], _DELIMITERS).delimiter
    except csv.Error:
        delimiter = ","
    try:
        with open(path, newline="", encoding=encoding, errors="replace") as f:
            reader = csv.reader(f, delimiter=delimiter)
            header = next(reader, [])
            columns = map_columns(header)
            if "email" not in columns:
                raise ReportError(
                    f"{path}: row 1 has no address column (looked for a header like 'email'; "
                    f"found {', '.join(repr(h) for h in header[:8]) or 'nothing'})"
                )
            if not {"smtp_code", "enhanced_status", "diagnostic", "bounce_type"} & columns.keys():
                raise ReportError(
                    f"{path}: no bounce columns (looked for 'smtp_code', 'enhanced_status', "
                    "'diagnostic' or 'bounce_type')"
                )
            fields = ("email", "smtp_code", "enhanced_status", "diagnostic", "bounce_type")
            width = len(header) + 1
            # A missing column reads the extra "" appended to every row.
            pick = itemgetter(*(columns.get(field, width - 1) for field in fields))
            source = path.name
            for number, values in enumerate(reader, start=1):
                values.append("")
                if len(values) < width:
                    if not any(v.strip() for v in values):
                        continue
                    values += [""] * (width - len(values))
                email, smtp_code, status, diagnostic, bounce_type = pick(values)
                yield (source, number, email.strip(), smtp_code, status, diagnostic, bounce_type)
    except csv.Error as exc:
        raise ReportError(f"{path}: not a readable CSV file ({exc})") from None
    except OSError as exc:
        raise ReportError(f"{path}: cannot read the file ({exc.strerror or exc})") from None


def write_classified(reports: list[Path], output: Path, classifier: Classifier) -> int:
    """Classify every row of every report into one CSV; returns the number of rows written."""
    written = 0
    classify = classifier.classify
    verdict_columns: dict[Verdict, str] = {}  # rendered once per distinct verdict
    with atomic_text_writer(output) as handle:
        write = handle.write
        write(csv_line(OUTPUT_COLUMNS))
        for report in reports:
            for source, row, email, code, status, diagnostic, label in read_report(report):
                v = classify(diagnostic, code, status, label)
                tail = verdict_columns.get(v)
                if tail is None:
                    tail = verdict_columns[v] = csv_line(
                        (v.action.value, v.reason, v.explanation, v.rule_id, v.provider)
                    )
                write(
                    f"{csv_field(source)},{row},{csv_field(neutralise(email))},{v.smtp_code},"
                    f"{v.enhanced_status},{csv_field(neutralise(diagnostic))},{tail}"
                )
                written += 1
    return written
