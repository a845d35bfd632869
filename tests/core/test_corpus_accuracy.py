"""Accuracy on the labelled real-world corpus in ../shared (skipped where it is absent).

The acceptance figure for the engine: action accuracy ≥ 0.95, reason accuracy ≥ 0.90 on the
development split, measured by the shared scorer through our own command line.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_report_rows_reach_the_acceptance_figures(shared_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(shared_dir / "tools" / "score_bounces.py"), "--show", "0"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    last = result.stdout.strip().splitlines()[-1]
    figures = dict(re.findall(r"(\w+_accuracy)=([\d.]+)", last))
    assert figures, result.stdout + result.stderr
    assert float(figures["action_accuracy"]) >= 0.95, last
    assert float(figures["reason_accuracy"]) >= 0.90, last
