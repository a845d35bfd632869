"""The side list of open files: kind, rows and detected columns; change the kind or remove one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.panels import plain_error
from app.io.importer import FileKind, ImportedFile

KIND_LABELS = {
    FileKind.CONTACTS: "Contact list",
    FileKind.BOUNCES: "Bounce report",
    FileKind.BOTH: "List + bounces",
}
_ROLE_NAMES = {
    "email": "address", "smtp_code": "code", "enhanced_status": "status",
    "diagnostic": "diagnostic", "bounce_type": "type", "date": "date",
}  # fmt: skip


class FilesPanel(QWidget):
    add_requested = Signal()
    kind_changed = Signal(object, object)  # Path, FileKind
    remove_requested = Signal(object)  # Path
    columns_requested = Signal(object)  # Path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        self.setMinimumWidth(150)
        layout.addWidget(QLabel("<b>Files</b>"))
        self.tree = QTreeWidget()
        self.tree.setObjectName("fileList")
        self.tree.setHeaderLabels(["File", "Kind", "Rows"])
        self.tree.setRootIsDecorated(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._on_context_menu)
        self.tree.itemDoubleClicked.connect(self._on_item_double_clicked)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.tree, 1)
        self.errors = QLabel()
        self.errors.setObjectName("fileErrors")
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet(
            "background: #fef2f2; color: #991b1b; border: 1px solid #fecaca; border-radius: 4px;"
            " padding: 6px;"
        )
        self.errors.hide()
        layout.addWidget(self.errors)
        hint = QLabel(
            "Drop more files anywhere. Double-click a file to check its columns; right-click "
            "for more."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #64748b;")
        layout.addWidget(hint)
        add = QPushButton("Add files…")
        add.clicked.connect(self.add_requested)
        layout.addWidget(add)

    def show_files(self, files: list[ImportedFile], errors: list[str]) -> None:
        self.tree.clear()
        for f in files:
            item = QTreeWidgetItem([f.path.name, KIND_LABELS[f.kind], str(f.table.row_count)])
            item.setData(0, Qt.ItemDataRole.UserRole, str(f.path))
            roles = f.mapping.roles
            found = ", ".join(
                f"{_ROLE_NAMES.get(role, role)}: “{f.table.header[index]}”"
                for role, index in roles.items()
            )
            sheet = f" (sheet “{f.sheet}”)" if f.sheet else ""
            tip = f"{f.path}{sheet}\nColumns found — {found}"
            if f.notes:
                tip += "\n" + "\n".join(f.notes[:5])
            for column in range(3):
                item.setToolTip(column, tip)
            self.tree.addTopLevelItem(item)
        self.show_errors(errors)

    def show_errors(self, errors: list[str]) -> None:
        if errors:
            self.errors.setText("\n".join(f"• {plain_error(e)}" for e in errors))
            self.errors.setToolTip("\n".join(errors))  # the technical detail, for whoever asks
        self.errors.setVisible(bool(errors))

    def _on_item_double_clicked(self, item: QTreeWidgetItem) -> None:
        self.columns_requested.emit(Path(item.data(0, Qt.ItemDataRole.UserRole)))

    def _on_context_menu(self, point: QPoint) -> None:
        item = self.tree.itemAt(point)
        if item is None:
            return
        path = Path(item.data(0, Qt.ItemDataRole.UserRole))
        menu = QMenu(self)
        menu.addAction("Choose columns…").triggered.connect(
            lambda _=False: self.columns_requested.emit(path)
        )
        menu.addSeparator()
        for kind, label in KIND_LABELS.items():
            action = menu.addAction(f"Treat as: {label}")
            action.triggered.connect(lambda _=False, k=kind: self.kind_changed.emit(path, k))
        menu.addSeparator()
        menu.addAction("Remove from the list").triggered.connect(
            lambda _=False: self.remove_requested.emit(path)
        )
        menu.popup(self.tree.viewport().mapToGlobal(point))
