"""The window with a big list: load 1,000,000 contacts + 200,000 bounces, scroll, toggle filters.

Runs offscreen. Prints the load time (drop to counters shown), the time per page scrolled (scroll
plus a synchronous repaint of the table), the time per filter toggle, and peak memory.

    python benchmarks/bench_gui.py [--contacts 1000000] [--bounces 200000] [--pages 1000]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_clean import write_inputs  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--bounces", type=int, default=200_000)
    parser.add_argument("--pages", type=int, default=1000)
    args = parser.parse_args()
    workdir = ROOT / "benchmarks" / "data" / "gui"
    workdir.mkdir(parents=True, exist_ok=True)
    contacts, bounces = write_inputs(workdir, args.contacts, args.bounces)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.core.review import ACTIONS
    from app.gui.main_window import MainWindow
    from app.gui.settings import Settings

    app = QApplication([])
    settings = Settings(QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings)
    window.resize(1400, 900)
    window.show()
    app.processEvents()

    start = time.perf_counter()
    window.open_paths([contacts, bounces], remember=False)
    while window.runner.busy:
        app.processEvents()
        time.sleep(0.005)
    app.processEvents()
    load = time.perf_counter() - start
    review = window.review
    assert review is not None and review.row_count == args.contacts, "the list did not load"
    counts = {a.value: n for a, n in review.counts().items()}
    print(f"load {args.contacts:,} contacts + {args.bounces:,} bounces: {load:.2f} s  {counts}")

    table = window.table
    bar = table.verticalScrollBar()
    page = bar.pageStep()
    times = []
    for n in range(args.pages):
        t = time.perf_counter()
        bar.setValue((n + 1) * page)
        table.viewport().repaint()
        times.append(time.perf_counter() - t)
    print(f"scroll {args.pages} pages: median {statistics.median(times) * 1000:.1f} ms, "
          f"p95 {sorted(times)[int(len(times) * 0.95)] * 1000:.1f} ms, "
          f"max {max(times) * 1000:.1f} ms per page")  # fmt: skip

    toggles = []
    for action in ACTIONS:
        button = window.counters[action]
        for _ in range(2):  # on, then off again
            t = time.perf_counter()
            button.click()
            table.viewport().repaint()
            toggles.append((action.value, button.isChecked(), time.perf_counter() - t))
    for name, on, seconds in toggles:
        print(f"filter {name:<11} {'on ' if on else 'off'}: {seconds * 1000:.0f} ms")
    t = time.perf_counter()
    window.search_box.setText("sofia")
    window._on_filter_changed()
    table.viewport().repaint()
    print(f"search 'sofia': {(time.perf_counter() - t) * 1000:.0f} ms "
          f"({window.model.rowCount():,} rows)")  # fmt: skip
    window.search_box.setText("")
    window._on_filter_changed()
    t = time.perf_counter()
    table.sortByColumn(0, table.horizontalHeader().sortIndicatorOrder())
    table.viewport().repaint()
    print(f"sort by action: {(time.perf_counter() - t) * 1000:.0f} ms")
    t = time.perf_counter()
    table.sortByColumn(2 + review.email_column, table.horizontalHeader().sortIndicatorOrder())
    table.viewport().repaint()
    print(f"sort by email: {(time.perf_counter() - t) * 1000:.0f} ms")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:,.0f} MB")
    window.close()


if __name__ == "__main__":
    main()
