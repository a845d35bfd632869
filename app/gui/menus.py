"""The menu bar: every command with its keyboard shortcut."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from app import __version__

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow


def build_menus(window: MainWindow) -> None:
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    open_files = file_menu.addAction("&Open files…", QKeySequence.StandardKey.Open)
    open_files.triggered.connect(window.choose_files)
    file_menu.addAction("Open &sample data", window.load_sample)
    recent = file_menu.addMenu("Open &recent")
    recent.aboutToShow.connect(lambda: _fill_recent(window, recent))
    export = file_menu.addAction("&Export…", QKeySequence("Ctrl+E"))
    export.triggered.connect(window.choose_export)
    file_menu.addAction("&Close all files", window.close_all)
    file_menu.addSeparator()
    file_menu.addAction("&Quit", QKeySequence.StandardKey.Quit, window.close)

    edit_menu = bar.addMenu("&Edit")
    undo = window.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = window.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcut(QKeySequence.StandardKey.Redo)
    edit_menu.addActions([undo, redo])
    edit_menu.addSeparator()
    find = edit_menu.addAction("&Find", QKeySequence.StandardKey.Find)
    find.triggered.connect(window.focus_search)
    edit_menu.addAction("&Preferences…", QKeySequence("Ctrl+,"), window.choose_preferences)

    help_menu = bar.addMenu("&Help")
    help_menu.addAction("&About Bounce Cleaner", lambda: _about(window))


def _fill_recent(window: MainWindow, menu: QMenu) -> None:
    menu.clear()
    for path in window.settings.recent_files():
        action = menu.addAction(path.name)
        action.setToolTip(str(path))
        action.triggered.connect(lambda _=False, p=path: window.open_paths([p]))
    if menu.isEmpty():
        menu.addAction("(none)").setEnabled(False)


def _about(window: MainWindow) -> None:
    QMessageBox.about(
        window,
        "About Bounce Cleaner",
        f"<b>Bounce Cleaner {__version__}</b><p>Reads your email bounce reports and tells you, "
        "address by address, what to remove, what to retry and what points at a problem with "
        "your own sending.</p>",
    )
