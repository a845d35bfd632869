"""The contact table: a QAbstractTableModel over the core's `Review` and an index array of rows.

Filtering, searching and sorting produce a new index array in the core (one model reset); `data()`
answers only the roles the view uses, from pre-built brushes and icons.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QIcon

from app.core.addresses import suggest_address
from app.core.review import ACTIONS, Review, SortKey
from app.core.taxonomy import Action
from app.gui.look import ACTION_TINTS, action_icon

_Index = QModelIndex | QPersistentModelIndex


class ContactTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.review: Review | None = None
        self._rows: list[int] = []
        self._actions: set[Action] = set(ACTIONS)
        self._search = ""
        self._sort: SortKey | None = None
        self._brushes = {a: QBrush(QColor(c)) for a, c in ACTION_TINTS.items()}
        self._override_brush = QBrush(QColor("#6b21a8"))
        self._icons: dict[Action, QIcon] = {}
        self._columns: list[int] = []

    # --- what the window calls ---
    def set_review(self, review: Review | None) -> None:
        self.beginResetModel()
        self.review = review
        self._columns = self._column_order(review)
        self._sort = None
        self._rows = review.rows(self._actions, self._search) if review else []
        self.endResetModel()

    def set_filter(self, actions: set[Action], search: str) -> None:
        self._actions, self._search = set(actions), search
        self._refresh()

    def review_column(self, view_column: int) -> int:
        """Action, the address and Reason come first on screen (the list's columns can be many)."""
        if view_column < 0 or view_column >= len(self._columns):
            return view_column
        return self._columns[view_column]

    def _column_order(self, review: Review | None) -> list[int]:
        if review is None:
            return []
        rest = [c for c in range(len(review.table.header)) if c != review.email_column]
        return [review.action_column, review.email_column, review.reason_column, *rest]

    def source_row(self, view_row: int) -> int:
        return self._rows[view_row]

    def view_row(self, source_row: int) -> int | None:
        try:
            return self._rows.index(source_row)
        except ValueError:
            return None

    def rows_changed(self, source_rows: set[int]) -> None:
        """Overrides changed these rows: one ranged dataChanged over the visible span."""
        if not self._rows or not source_rows:
            return  # rows stay where they are until the filter changes: nothing jumps away
        self.dataChanged.emit(
            self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1)
        )

    def _refresh(self) -> None:
        self.beginResetModel()
        review = self.review
        self._rows = review.rows(self._actions, self._search, self._sort) if review else []
        self.endResetModel()

    # --- QAbstractTableModel ---
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        review = self.review
        if review is None or not index.isValid():
            return None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.DecorationRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            return None
        row = self._rows[index.row()]
        column = self.review_column(index.column())
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._brushes[review.action(row)]
        if column == review.action_column:
            action = review.action(row)
            if role == Qt.ItemDataRole.DisplayRole:
                return action.value.capitalize() + (" ✎" if row in review.overrides else "")
            if role == Qt.ItemDataRole.DecorationRole:
                return self._icon(action)
            if role == Qt.ItemDataRole.ForegroundRole and row in review.overrides:
                return self._override_brush
            if role == Qt.ItemDataRole.ToolTipRole and row in review.overrides:
                return "You changed this action"
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if column == review.reason_column:
            if role == Qt.ItemDataRole.ToolTipRole:
                return review.outcome(row).explanation
            label = review.reason_label(row)
            if not review.outcomes[row].reason:  # never bounced: is the address mistyped?
                fix = suggest_address(review.email(row).strip())
                if fix:
                    return f"{label} · typo? {fix.rpartition('@')[2]}"
            return label
        if role == Qt.ItemDataRole.ToolTipRole:
            return None
        return review.table.columns[column][row]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or self.review is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            header = self.review.header
            column = self.review_column(section)
            if not 0 <= column < len(header):
                return None
            if column == self.review.email_column and header[column].islower():
                return header[column].capitalize()  # "email" from a bounce report → "Email"
            return header[column]
        return self._rows[section] + 1 if 0 <= section < len(self._rows) else None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.review is None:
            return
        busy = self.review.row_count > 200_000  # ~0.3 s for a million text keys: say so
        if busy:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._sort_rows(column, order)
        finally:
            if busy:
                QGuiApplication.restoreOverrideCursor()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        assert self.review is not None
        self.layoutAboutToBeChanged.emit()
        descending = order == Qt.SortOrder.DescendingOrder
        self._sort = SortKey(self.review_column(column), descending) if column >= 0 else None
        old = self.persistentIndexList()
        before = self._rows
        sources = {before[i.row()] for i in old if i.isValid()}
        self._rows = self.review.rows(self._actions, self._search, self._sort)
        if old:  # keep the selection on the same rows
            where = {r: n for n, r in enumerate(self._rows) if r in sources} if sources else {}
            moved = []
            for i in old:
                n = where.get(before[i.row()]) if i.isValid() else None
                moved.append(self.index(n, i.column()) if n is not None else QModelIndex())
            self.changePersistentIndexList(old, moved)
        self.layoutChanged.emit()

    def _icon(self, action: Action) -> QIcon:
        icon = self._icons.get(action)
        if icon is None:
            icon = self._icons[action] = action_icon(action)
        return icon
