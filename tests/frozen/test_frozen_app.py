"""Build the PyInstaller app and prove the frozen binary starts and does its job.

Selected with `-m frozen` (CI runs it; the plain `pytest` run skips it): the build takes ~30 s.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.frozen
ROOT = Path(__file__).resolve().parents[2]
BINARY = (
    ROOT / "dist" / "BounceCleaner" / ("BounceCleaner.exe" if os.name == "nt" else "BounceCleaner")
)


@pytest.fixture(scope="module")
def frozen_app() -> Path:
    pytest.importorskip("PyInstaller")
    result = subprocess.run(
        [sys.executable, str(ROOT / "build_scripts" / "build.py")],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Bundle size:" in result.stdout
    assert BINARY.is_file()
    return BINARY


def run(binary: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [str(binary), *args], capture_output=True, text=True, timeout=300, env=env, cwd=cwd
    )


def test_frozen_self_test_passes(frozen_app: Path) -> None:
    result = run(frozen_app, "--self-test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout


def test_frozen_version(frozen_app: Path) -> None:
    from app import __version__

    result = run(frozen_app, "--version")
    assert result.returncode == 0 and __version__ in result.stdout


def test_frozen_clean_on_a_fixture(frozen_app: Path, tmp_path: Path) -> None:
    samples = ROOT / "resources" / "samples"
    out = tmp_path / "out"
    out.mkdir()
    result = run(
        frozen_app, "clean", "--contacts", str(samples / "contacts.csv"),
        "--bounces", str(samples / "sendgrid_bounces.csv"), str(samples / "mailgun_bounces.csv"),
        "--out-dir", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    with open(out / "contacts-cleaned.csv", newline="", encoding="utf-8-sig") as f:
        cleaned = list(csv.reader(f))
    with open(samples / "contacts.csv", newline="", encoding="utf-8-sig") as f:
        original = list(csv.reader(f))
    assert 1 < len(cleaned) < len(original)
    assert (out / "contacts-report.xlsx").stat().st_size > 0


def test_frozen_window_starts_offscreen(frozen_app: Path) -> None:
    env_run = subprocess.run(
        [str(frozen_app)], capture_output=True, text=True, timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "BOUNCE_CLEANER_QUIT_WHEN_SHOWN": "1"},
    )  # fmt: skip
    assert env_run.returncode == 0, env_run.stderr
