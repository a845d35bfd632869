"""Overriding the suggested action of rows, as an undoable command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from app.core.review import Review
from app.core.taxonomy import Action

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow


class OverrideCommand(QUndoCommand):
    """The user's change of action for some rows, undoable (Ctrl+Z) and redoable."""

    def __init__(self, window: MainWindow, review: Review, rows: list[int], action: Action | None):
        rows_text = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
        text = (
            f"Mark {rows_text} as {action.value.capitalize()}"
            if action
            else f"Restore Bounce Cleaner's suggestion for {rows_text}"
        )
        super().__init__(text)
        self.window, self.review, self.rows, self.action = window, review, rows, action
        self.before: dict[int, Action | None] = {}

    def redo(self) -> None:
        self.before = self.review.set_actions(self.rows, self.action)
        self.window.overrides_changed(self.review, set(self.rows))
        self.window.status.show_message(f"{self.text()} — Ctrl+Z to undo.")

    def undo(self) -> None:
        self.review.restore(self.before)
        self.window.overrides_changed(self.review, set(self.rows))
