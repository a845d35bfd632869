"""Read CSV / TSV / TXT exports: encoding, delimiter, title lines above the header, ragged rows.

Besides the cells, the reader records where every record starts (its physical line), so that the
cleaned list can be written by copying the kept records' original lines: same encoding, BOM,
delimiter, quoting and line endings, every byte of the user's own data untouched.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from app.core.table import RowProblem, Table
from app.io.text_encoding import SAMPLE_BYTES, detect_encoding

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
    data_line: int  # physical line index of the first data record
    record_starts: array  # type: ignore[type-arg]  # physical line of each data record
    has_header: bool


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


def open_text(path: Path, encoding: str, bom: bytes) -> IO[str]:
    """The file as text lines with their original line endings (the csv module's contract)."""
    raw = open(path, "rb")  # noqa: SIM115 - handed to the wrapper, closed with it
    raw.seek(len(bom))
    return io.TextIOWrapper(raw, encoding=encoding, newline="")


class _LineCounter:
    """Feeds lines to csv.reader and counts them, so records map to physical lines."""

    def __init__(self, lines: IO[str]) -> None:
        self._lines = lines
        self.count = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count += 1
        return line


def _sniff_delimiter(text: str) -> str:
    best, best_score = ",", (-1, 0)
    for delimiter in DELIMITERS:
        counts = [len(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter) if r]
        counts = counts[:_SNIFF_RECORDS]
        if not counts:
            continue
        width, frequency = Counter(counts).most_common(1)[0]
        score = (frequency if width > 1 else 0, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _find_header(records: list[list[str]]) -> int:
    """Index of the header record: the first row that is about as wide as the data below it."""
    widths = [sum(1 for c in r if c.strip()) for r in records]
    if not widths:
        return 0
    typical = Counter(w for w in widths if w).most_common(1)[0][0] if any(widths) else 0
    for index, width in enumerate(widths):
        if width and width >= max(1, (typical + 1) // 2):
            return index
    return 0


def _looks_like_data(record: list[str]) -> bool:
    return any("@" in cell and " " not in cell.strip() for cell in record)


def read_delimited(
    path: Path,
    progress: ProgressCallback | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[Table, TextLayout]:
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
    head = list(csv.reader(io.StringIO(text_sample[:200_000]), delimiter=delimiter))[:30]
    header_index = _find_header(head[:20])
    has_header = not _looks_like_data(head[header_index]) if head else True

    records: list[list[str]] = []
    starts = array("I")
    problems: list[RowProblem] = []
    gc_was_enabled = gc.isenabled()
    gc.disable()  # a million lists trigger the cyclic GC over and over; nothing here is cyclic
    try:
        with open_text(path, encoding, bom) as lines:
            counter = _LineCounter(lines)
            reader = csv.reader(counter, delimiter=delimiter)
            header: list[str] = []
            header_line = data_line = 0
            for _ in range(header_index):  # title lines and blanks above the header
                next(reader, None)
            if has_header:
                header_line = counter.count
                header = next(reader, [])
            data_line = counter.count
            previous = counter.count
            width = len(header)
            for record in reader:
                if not record or (len(record) == 1 and not record[0].strip()):
                    previous = counter.count  # a blank line is not a row
                    continue
                starts.append(previous)
                previous = counter.count
                records.append(record)
                if progress is not None and len(records) % 50_000 == 0:
                    progress(len(records))
                    if cancelled is not None and cancelled():
                        raise FileReadError(f"{path.name}: import cancelled")
    except UnicodeDecodeError as exc:
        raise FileReadError(
            f"{path.name}: line {counter.count + 1} is not valid {encoding} text ({exc.reason})"
        ) from None
    except csv.Error as exc:
        raise FileReadError(f"{path.name}: line {counter.count}: {exc}") from None
    except OSError as exc:
        raise FileReadError(f"{path.name}: cannot read the file ({exc.strerror or exc})") from None
    finally:
        if gc_was_enabled:
            gc.enable()
    if not has_header:
        width = max((len(r) for r in records[:100]), default=1)
        header = [f"Column {n + 1}" for n in range(width)]
        header_line = -1
    for number, record in enumerate(records, start=1):
        if len(record) != width and width:
            fields = "few" if len(record) < width else "many"
            problems.append(
                RowProblem(
                    number, f"has {len(record)} fields where the header has {width} (too {fields})"
                )
            )
    table = Table.from_rows(header, records)
    table.problems = problems
    layout = TextLayout(encoding, bom, delimiter, header_line, data_line, starts, has_header)
    return table, layout
