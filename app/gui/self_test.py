"""`bounce-cleaner --self-test`: prove that this installation (or the frozen app) works.

It drives the real window offscreen: loads the bundled samples, checks the counts they must give
(resources/samples/expected.json), exports into a temporary folder, reads the exports back, and
exits 0 — or prints what failed and exits 1. No display is needed.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TIMEOUT_S = 120


def expected_results() -> dict[str, Any]:
    """What the bundled samples must give (kept in step with the engine by a test)."""
    from app.core.resources import resource_path

    data: dict[str, Any] = json.loads(
        (resource_path("samples") / "expected.json").read_text("utf-8")
    )
    return data


def run_self_test(out: Callable[[str], None] = print) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def quiet_offscreen(kind: QtMsgType, context: object, message: str) -> None:
        if "propagateSizeHints" not in message:  # the offscreen platform's own chatter
            sys.stderr.write(message + "\n")

    previous = qInstallMessageHandler(quiet_offscreen)
    try:
        return _run(out)
    finally:
        qInstallMessageHandler(previous)


def _run(out: Callable[[str], None]) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app import __version__
    from app.core.review import ACTIONS
    from app.gui.main_window import MainWindow
    from app.gui.settings import Settings
    from app.io.importer import import_file

    started = time.perf_counter()
    failures: list[str] = []

    def check(ok: bool, what: str) -> None:
        out(f"{'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            failures.append(what)

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    expected = expected_results()
    with tempfile.TemporaryDirectory(prefix="bounce-cleaner-self-test-") as scratch:
        folder = Path(scratch)
        store = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(Settings(store))
        window.show()

        def wait() -> bool:
            deadline = time.monotonic() + TIMEOUT_S
            while window.runner.busy and time.monotonic() < deadline:
                app.processEvents()
                time.sleep(0.005)
            app.processEvents()
            return not window.runner.busy

        window.load_sample()
        check(wait(), "the sample data loads")
        review = window.review
        check(review is not None, "a contact list is shown")
        if review is not None:
            counts = {a.value: n for a, n in review.counts().items()}
            check(review.row_count == expected["rows"], f"{review.row_count} rows in the list")
            bounces = len(window.workspace.analysis.log) if window.workspace.analysis else 0
            check(bounces == expected["bounces"], f"{bounces} bounces read")
            for action in ACTIONS:
                want, got = expected["counts"][action.value], counts[action.value]
                check(got == want, f"{action.value}: {got} (expected {want})")
            exports = folder / "exports"
            exports.mkdir()
            window.export_to(exports, None, True)
            check(wait() and bool(window.last_export), "the exports are written")
            names = {p.name for p in exports.iterdir()}
            for name in (
                "contacts-cleaned.csv",
                "contacts-suppression.csv",
                "contacts-report.xlsx",
            ):
                check(name in names, f"{name} exists")
            if "contacts-cleaned.csv" in names:
                kept = import_file(exports / "contacts-cleaned.csv").table.row_count
                want = expected["rows"] - expected["counts"]["remove"]
                check(kept == want, f"the cleaned list reads back with {kept} rows")
            if "contacts-report.xlsx" in names:
                report = import_file(exports / "contacts-report.xlsx").table.row_count
                check(report == expected["rows"], f"the report reads back with {report} rows")
        window.close()
    seconds = time.perf_counter() - started
    if failures:
        out(f"Bounce Cleaner {__version__} self-test FAILED ({len(failures)} problems)")
        return 1
    out(f"Bounce Cleaner {__version__} self-test passed in {seconds:.1f} s")
    return 0
