"""`bounce-cleaner --self-test` passes on a good installation and says what failed otherwise."""

from __future__ import annotations

import json

import pytest

from app.core.resources import resource_path
from app.gui import self_test
from app.io.workspace import load, sample_paths


def test_expected_sample_counts_match_the_engine() -> None:
    expected = json.loads((resource_path("samples") / "expected.json").read_text("utf-8"))
    workspace = load([], sample_paths())
    review = workspace.reviews[0]
    assert review.row_count == expected["rows"]
    assert {a.value: n for a, n in review.counts().items()} == expected["counts"]


def test_self_test_passes(qapp) -> None:  # type: ignore[no-untyped-def]
    lines: list[str] = []
    assert self_test.run_self_test(lines.append) == 0
    assert lines[-1].startswith("Bounce Cleaner") and "passed" in lines[-1]
    assert not [line for line in lines if line.startswith("FAIL")]


def test_self_test_names_what_failed(qapp, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    wrong = self_test.expected_results()
    wrong["counts"]["remove"] += 1
    monkeypatch.setattr(self_test, "expected_results", lambda: wrong)
    lines: list[str] = []
    assert self_test.run_self_test(lines.append) == 1
    assert any(line.startswith("FAIL remove:") for line in lines)
    assert "FAILED" in lines[-1]
