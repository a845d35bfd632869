"""Preferences, window geometry and recent files, persisted with QSettings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QWidget

from app.core.defaults import DEFAULT_SOFT_BOUNCE_LIMIT

MAX_RECENT = 10


class Settings:
    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store or QSettings("Bounce Cleaner", "Bounce Cleaner")

    @property
    def soft_bounce_limit(self) -> int:
        try:
            value = int(str(self.store.value("softBounceLimit", DEFAULT_SOFT_BOUNCE_LIMIT)))
        except (TypeError, ValueError):
            return DEFAULT_SOFT_BOUNCE_LIMIT
        return value if 1 <= value <= 30 else DEFAULT_SOFT_BOUNCE_LIMIT

    @soft_bounce_limit.setter
    def soft_bounce_limit(self, value: int) -> None:
        self.store.setValue("softBounceLimit", int(value))

    def recent_files(self) -> list[Path]:
        value = self.store.value("recentFiles", [])
        names = (
            [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
        )
        return [Path(n) for n in names if Path(n).exists()]

    def add_recent(self, paths: list[Path]) -> None:
        names = [str(p.resolve()) for p in paths]
        kept = [str(p) for p in self.recent_files() if str(p) not in names]
        self.store.setValue("recentFiles", (names + kept)[:MAX_RECENT])
        if paths:
            self.store.setValue("lastFolder", str(paths[0].resolve().parent))

    def last_folder(self) -> str:
        return str(self.store.value("lastFolder", str(Path.home())))

    def save_geometry(self, window: QWidget) -> None:
        self.store.setValue("geometry", window.saveGeometry())

    def restore_geometry(self, window: QWidget) -> None:
        geometry = self.store.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            window.restoreGeometry(geometry)
