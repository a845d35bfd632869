"""Run Python's cyclic garbage collector on the GUI thread only.

A collection triggered on a worker thread can free the last reference to a Qt object (a closed
window's wrapper caught in a reference cycle) and destroy it off the GUI thread: a crash. So the
automatic collector is switched off and the same generational checks run from a GUI-thread timer
(the approach of pyqtgraph's GarbageCollector).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 250
_installed: MainThreadCollector | None = None


class MainThreadCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start(INTERVAL_MS)
        gc.disable()

    def _on_timer_timeout(self) -> None:
        if gc.isenabled():  # a bulk job re-enabled it while we were not looking
            gc.disable()
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if counts[0] > thresholds[0]:
            generation = 2 if counts[2] > thresholds[2] else 1 if counts[1] > thresholds[1] else 0
            gc.collect(generation)


def install() -> None:
    """Idempotent: one collector for the application."""
    global _installed
    app = QCoreApplication.instance()
    if _installed is None and app is not None:
        _installed = MainThreadCollector(app)
