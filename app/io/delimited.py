"""Read CSV / TSV / TXT exports: encoding, delimiter, title lines above the header, ragged rows.

Besides the cells, the reader records where every record starts (its physical line), so that the
cleaned list can be written by copying the kept records' original lines: same encoding, BOM,
delimiter, quoting and line endings, every byte of the user's own data untouched.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from app.core.gc_pause import gc_paused
from app.core.table import RowProblem, Table, header_row_index, looks_like_data_row
from app.io.text_encoding import SAMPLE_BYTES, WINDOWS_FALLBACK, detect_encoding

DELIMITERS = (",", ";", "\t", "|")
_SNIFF_RECORDS = 50
ProgressCallback = Callable[[int], None]  # called with the number of rows read so far


class FileReadError(Exception):
    """A file cannot be read as a table; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class TextLayout:
    """How a delimited file is written, to write it back the same way."""

    encoding: str  # codec without BOM handling ("utf-8", "utf-16-le", "cp1252", …)
    bom: bytes
    delimiter: str
    header_line: int  # physical line index where the header record starts (-1: no header)
    record_starts: array  # type: ignore[type-arg]  # physical line of each data record
    has_header: bool
    missing_fields: dict[int, int]  # record index → fields it lacks compared with the header


_BOM_CODECS = {
    "utf-8-sig": (codecs.BOM_UTF8, "utf-8"),
    "utf-16": None,
    "utf-32": None,
}


def _codec_and_bom(sample: bytes, name: str) -> tuple[str, bytes]:
    if name == "utf-8-sig":
        return "utf-8", codecs.BOM_UTF8
    if name in ("utf-16", "utf-32"):
        for bom, codec in (
            (codecs.BOM_UTF32_LE, "utf-32-le"),
            (codecs.BOM_UTF32_BE, "utf-32-be"),
            (codecs.BOM_UTF16_LE, "utf-16-le"),
            (codecs.BOM_UTF16_BE, "utf-16-be"),
        ):
            if sample.startswith(bom):
                return codec, bom
    return name, b""


def open_text(path: Path, encoding: str, bom: bytes, errors: str = "strict") -> IO[str]:
    """The file as text lines with their original line endings (the csv module's contract)."""
    raw = open(path, "rb")  # noqa: SIM115 - handed to the wrapper, closed with it
    raw.seek(len(bom))
    return io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="")


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the sample's records most consistently into the most fields.

    Records of one field (title lines) are left out of the count; a wrong delimiter may still
    split a few records, but it rarely splits the header too and gives every record one width.
    """
    best, best_score = ",", (False, 0.0, 0, 0)
    for delimiter in DELIMITERS:
        try:
            records = csv.reader(io.StringIO(text), delimiter=delimiter)
            all_widths = [len(r) for r in itertools.islice(records, _SNIFF_RECORDS * 2) if r]
        except csv.Error:  # e.g. a quoted line break that only parses with the right delimiter
            continue
        widths = [w for w in all_widths if w > 1]
        if not widths:
            continue
        width, frequency = Counter(widths).most_common(1)[0]
        # the first record (usually the header) splitting is the strongest sign, then consistency
        score = (all_widths[0] > 1, frequency / len(widths), width, frequency)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _decodes_all(path: Path, encoding: str) -> bool:
    try:
        with open(path, encoding=encoding, newline="") as f:
            while f.read(1 << 20):
                pass
        return True
    except UnicodeDecodeError:
        return False


@dataclass(frozen=True, slots=True)
class Dialect:
    """What sniffing the start of a delimited file found."""

    encoding: str
    bom: bytes
    delimiter: str
    header_index: int  # records to skip (title lines, blanks) before the header
    has_header: bool


def sniff(path: Path) -> Dialect:
    """Encoding, delimiter and header position, from the file's first megabyte."""
    try:
        with open(path, "rb") as f:
            sample = f.read(SAMPLE_BYTES)
            complete = len(sample) < SAMPLE_BYTES
    except OSError as exc:
        raise FileReadError(f"{path.name}: cannot open the file ({exc.strerror or exc})") from None
    if not sample.strip():
        raise FileReadError(f"{path.name}: the file is empty")
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileReadError(f"{path.name}: this is not a text file (it contains binary data)")
    detected = detect_encoding(sample, complete)
    encoding, bom = _codec_and_bom(sample, detected.name)
    text_sample = sample[len(bom) :].decode(encoding, errors="replace")
    delimiter = _sniff_delimiter(text_sample[:200_000])
    try:
        head = list(itertools.islice(csv.reader(io.StringIO(text_sample), delimiter=delimiter), 30))
    except csv.Error as exc:
        raise FileReadError(f"{path.name}: not a readable CSV file ({exc})") from None
    header_index = header_row_index(head[:20])
    has_header = not looks_like_data_row(head[header_index]) if head else True
    return Dialect(encoding, bom, delimiter, header_index, has_header)


def _lines_and_records(
    path: Path, dialect: Dialect, encoding: str
) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, record) for the header (if any) and every non-blank data record."""
    try:
        with open_text(path, encoding, dialect.bom) as lines:
            # line_num counts the physical lines read so far: it maps records to lines
            reader = csv.reader(lines, delimiter=dialect.delimiter)
            try:
                for _ in range(dialect.header_index):  # title lines and blanks above the header
                    next(reader, None)
                previous = reader.line_num
                for record in reader:
                    if record and (len(record) > 1 or record[0].strip()):
                        yield previous, record
                    previous = reader.line_num  # a blank line is not a row
            except csv.Error as exc:
                raise FileReadError(f"{path.name}: line {reader.line_num}: {exc}") from None
    except OSError as exc:
        raise FileReadError(f"{path.name}: cannot read the file ({exc.strerror or exc})") from None


def _is_row(record: list[str]) -> bool:
    return bool(record) and (len(record) > 1 or bool(record[0].strip()))


def stream_records(path: Path, dialect: Dialect) -> Iterator[list[str]]:
    """The header (when the file has one), then every non-blank data record, read as a stream.

    A byte that the sniffed encoding cannot decode (a Windows line in a UTF-8 file, after the
    sniffed megabyte) is read as Windows-1252 rather than stopping the stream.
    """
    try:
        with open_text(path, dialect.encoding, dialect.bom, WINDOWS_FALLBACK) as lines:
            reader = csv.reader(lines, delimiter=dialect.delimiter)
            for _ in range(dialect.header_index):  # title lines and blanks above the header
                next(reader, None)
            yield from filter(_is_row, reader)
    except csv.Error as exc:
        raise FileReadError(f"{path.name}: {exc}") from None
    except OSError as exc:
        raise FileReadError(f"{path.name}: cannot read ({exc.strerror or exc})") from None


def _read_records(
    path: Path,
    dialect: Dialect,
    encoding: str,
    progress: ProgressCallback | None,
    cancelled: Callable[[], bool] | None,
) -> tuple[list[str], list[list[str]], array, int]:  # type: ignore[type-arg]
    """Header, records, each record's first physical line, and the header's line."""
    records: list[list[str]] = []
    starts = array("I")
    header: list[str] = []
    header_line = -1
    with gc_paused():  # a million lists would trigger the cyclic GC over and over
        stream = _lines_and_records(path, dialect, encoding)
        if dialect.has_header:
            header_line, header = next(stream, (0, []))
        for start, record in stream:
            starts.append(start)
            records.append(record)
            if progress is not None and len(records) % 50_000 == 0:
                progress(len(records))
                if cancelled is not None and cancelled():
                    raise FileReadError(f"{path.name}: import cancelled")
    return header, records, starts, header_line


def ragged_row(number: int, fields: int, width: int) -> RowProblem:
    """A row kept although it has too few or too many fields (it is padded or cut)."""
    few = "few" if fields < width else "many"
    return RowProblem(number, f"has {fields} fields where the header has {width} (too {few})")


def read_delimited(
    path: Path,
    progress: ProgressCallback | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[Table, TextLayout]:
    dialect = sniff(path)
    encoding = dialect.encoding
    try:
        header, records, starts, header_line = _read_records(
            path, dialect, encoding, progress, cancelled
        )
    except UnicodeDecodeError:
        # The first megabyte looked like UTF-8 but a later line is not: read it all as the Windows
        # code page (or Latin-1, which decodes any byte), so that the file round-trips unchanged.
        encoding = "cp1252" if _decodes_all(path, "cp1252") else "latin-1"
        header, records, starts, header_line = _read_records(
            path, dialect, encoding, progress, cancelled
        )
    width = len(header)
    if not dialect.has_header:
        width = max((len(r) for r in records[:100]), default=1)
        header = [f"Column {n + 1}" for n in range(width)]
    problems = [
        ragged_row(number, len(record), width)
        for number, record in enumerate(records, start=1)
        if len(record) != width
    ]
    missing = {n: width - len(r) for n, r in enumerate(records) if len(r) < width}
    table = Table.from_rows(header, records)  # pads short rows: measure them first
    table.problems = problems
    layout = TextLayout(
        encoding,
        dialect.bom,
        dialect.delimiter,
        header_line,
        starts,
        dialect.has_header,
        missing,
    )
    return table, layout
