"""Open the window: `bounce-cleaner`, `bounce-cleaner FILE…`, `bounce-cleaner --sample`."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def run(paths: list[Path], sample: bool = False) -> int:
    from PySide6.QtWidgets import QApplication

    from app.gui.main_window import MainWindow

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Bounce Cleaner")
    app.setOrganizationName("Bounce Cleaner")
    app.setApplicationDisplayName("Bounce Cleaner")
    window = MainWindow()
    app.setWindowIcon(window.windowIcon())
    window.show()
    if os.environ.get("BOUNCE_CLEANER_QUIT_WHEN_SHOWN"):  # startup measurements (benchmarks)
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, app.quit)
    if sample:
        window.load_sample()
    elif paths:
        window.open_paths(paths)
    return app.exec()
