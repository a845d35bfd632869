"""Hand-rendered CSV is byte-identical to csv.writer; exported cells cannot run formulas."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.io.atomic import atomic_text_writer
from app.io.cell_safety import neutralise
from app.io.csv_text import csv_line


@given(st.lists(st.text(), min_size=2, max_size=6))
def test_csv_line_matches_csv_writer(values: list[str]) -> None:
    expected = io.StringIO()
    csv.writer(expected).writerow(values)
    assert csv_line(values) == expected.getvalue()


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("-2+3", "'-2+3"),
        ("\t=1", "'\t=1"),
        ("-5", "-5"),
        ("+33 6 12 34 56 78", "+33 6 12 34 56 78"),
        ("anna@example.com", "anna@example.com"),
        ("", ""),
    ],
)
def test_formula_cells_are_neutralised(cell: str, safe: str) -> None:
    assert neutralise(cell) == safe


def test_atomic_writer_leaves_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("previous", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_text_writer(target) as handle:
        handle.write("half of a new file")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "previous"
    assert os.listdir(tmp_path) == ["out.csv"]


def test_atomic_writer_replaces_on_success(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with atomic_text_writer(target) as handle:
        handle.write("new")
    assert target.read_text(encoding="utf-8") == "new"
    assert os.listdir(tmp_path) == ["out.csv"]
