"""Write the results: the cleaned list in the user's own format, the suppression list, and the
annotated, colour-highlighted report.

Delimited lists are written by copying the original lines of the kept records, so encoding, BOM,
delimiter, quoting, line endings and every cell stay byte-identical; the suppression list appends
our columns to the removed records' original lines. Only values *we add* are neutralised against
formula injection. Every file is written atomically, and an export never overwrites an input.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import IO

from app.core.decide import Outcome
from app.core.taxonomy import Action
from app.io.atomic import atomic_text_writer
from app.io.cell_safety import neutralise
from app.io.csv_text import csv_field
from app.io.delimited import TextLayout, open_text
from app.io.importer import ImportedFile

CRLF = "\r\n"  # for a last line that had no line ending of its own
ADDED_COLUMNS = ("action", "reason", "explanation", "bounces", "last_bounce")


class ExportError(Exception):
    """An export cannot be written; the message names the file and the problem."""


def refuse_inputs(targets: Sequence[Path], inputs: Sequence[Path]) -> None:
    protected = {p.resolve() for p in inputs}
    for target in targets:
        if target.resolve() in protected:
            raise ExportError(f"{target.name}: refusing to overwrite an input file")


def added_cells(outcome: Outcome) -> list[object]:
    """The columns we add, typed for a spreadsheet: bounces a number, last_bounce a date."""
    return [
        outcome.action.value,
        outcome.reason,
        neutralise(outcome.explanation),
        outcome.bounces,
        outcome.last_bounce or "",
    ]


def added_values(outcome: Outcome) -> list[str]:
    """The columns we add, as text for a CSV file."""
    return [str(v.isoformat() if isinstance(v, date) else v) for v in added_cells(outcome)]


def _records(lines: IO[str], layout: TextLayout) -> Iterator[tuple[int, str, int]]:
    """(record index, or -1 for a line above the data; the original text; its first line)."""
    starts = layout.record_starts
    record = 0
    buffer: list[str] = []
    first_line = 0
    next_start = starts[0] if len(starts) else None
    for line_no, line in enumerate(lines):
        if next_start is not None and line_no == next_start:
            if buffer:
                yield (record - 1, "".join(buffer), first_line)
            buffer, first_line = [], line_no
            record += 1
            next_start = starts[record] if record < len(starts) else None
        if record == 0:
            yield (-1, line, line_no)  # title, header and blank lines before the first record
        else:
            buffer.append(line)
    if buffer:
        yield (record - 1, "".join(buffer), first_line)


# Our explanations use typographic dashes and quotes; a list kept in a legacy code page gets
# their plain equivalents rather than "?".
_PLAIN_PUNCTUATION = str.maketrans({"—": "-", "–": "-", "’": "'", "‘": "'", "“": '"', "”": '"',
                                    "…": "...", "→": "->", "•": "*"})  # fmt: skip


def _encodable(text: str, encoding: str) -> str:
    if encoding.startswith("utf"):
        return text
    text = text.translate(_PLAIN_PUNCTUATION)
    return text.encode(encoding, errors="replace").decode(encoding)


# A record's line ending plus any blank lines after it (blank lines belong to the record's line
# span but not to its cells). Only CR and LF end lines, as for the csv module — str.splitlines()
# would also split on \x1c-\x1e, \x85 and \u2028, which are ordinary characters in a cell.
_ENDING = re.compile(r"(\r\n|\n|\r)(?:[ \t]*(?:\r\n|\n|\r))*[ \t]*\Z")


def _split_terminator(text: str) -> tuple[str, str]:
    """A record's text without its line ending (and without blank lines that followed it)."""
    found = _ENDING.search(text)
    if found is None:
        return text, ""
    return text[: found.start()], found.group(1)


def write_delimited_outputs(
    source: ImportedFile,
    outcomes: Sequence[Outcome],
    cleaned: Path | None,
    suppression: Path | None,
    duplicates: Path | None = None,
) -> tuple[int, int]:
    """Cleaned, suppression (and duplicates) files from a delimited list.

    Kept records go to `cleaned` and removed ones to `suppression`, except later copies of an
    address (reason `duplicate`), which go to `duplicates` when given: a suppression list is
    imported into email tools as "never mail", and the first copy of the address may be fine.
    Returns (kept, removed) row counts.
    """
    layout = source.layout
    assert layout is not None
    kept = removed = 0
    delimiter, encoding = layout.delimiter, layout.encoding
    with contextlib.ExitStack() as stack:
        outputs: list[IO[str] | None] = []
        for target in (cleaned, suppression, duplicates):
            writer = (
                atomic_text_writer(target, encoding=encoding, bom=layout.bom) if target else None
            )
            outputs.append(stack.enter_context(writer) if writer else None)
        keep_out, drop_out, copies_out = outputs
        annotated = [out for out in (drop_out, copies_out) if out is not None]
        lines = stack.enter_context(open_text(source.path, encoding, layout.bom))
        header: list[str] = []
        header_written = not layout.has_header
        for index, text, line_no in _records(lines, layout):
            if index < 0:
                if keep_out is not None:
                    keep_out.write(text)
                if layout.has_header and line_no >= layout.header_line:
                    header.append(text)
                continue
            if not header_written:  # the header record, with our column names added
                body, ending = _split_terminator("".join(header))
                added = delimiter.join(ADDED_COLUMNS)
                for out in annotated:
                    out.write(f"{body}{delimiter}{added}{ending or CRLF}")
                header_written = True
            outcome = outcomes[index]
            if outcome.action is not Action.REMOVE:
                kept += 1
                if keep_out is not None:
                    keep_out.write(text)
                continue
            removed += 1
            sink = drop_out
            if outcome.reason == "duplicate" and copies_out is not None:
                sink = copies_out
            if sink is not None:
                body, ending = _split_terminator(text)
                padding = delimiter * layout.missing_fields.get(index, 0)  # short rows: align
                extra = delimiter.join(
                    csv_field(_encodable(v, encoding), delimiter) for v in added_values(outcome)
                )
                sink.write(f"{body}{padding}{delimiter}{extra}{ending or CRLF}")
    return kept, removed
