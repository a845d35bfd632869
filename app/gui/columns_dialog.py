"""Fix what was detected in a file: its kind, and which column holds the address, the codes, …

The first rows are previewed so that the user chooses by what the cells hold, not by header names.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.files_panel import KIND_LABELS
from app.io.columns import ROLES
from app.io.importer import FileKind, ImportedFile

PREVIEW_ROWS = 8
ROLE_LABELS = {
    "email": "Email address",
    "smtp_code": "Error code (e.g. 550)",
    "enhanced_status": "Status code (e.g. 5.1.1)",
    "diagnostic": "Error message",
    "bounce_type": "Bounce type (e.g. hard, soft)",
    "date": "Bounce date",
}
NO_COLUMN = "(none)"


class ColumnsDialog(QDialog):
    def __init__(self, imported: ImportedFile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnsDialog")
        self.setWindowTitle(f"Columns of {imported.path.name}")
        self.setMinimumSize(720, 520)
        self.imported = imported
        table = imported.table
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Check what Bounce Cleaner found in this file. Change a choice if it is wrong; "
            "the first rows are shown below to help."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        preview = QTableWidget(min(PREVIEW_ROWS, table.row_count), len(table.header))
        preview.setObjectName("columnsPreview")
        preview.setHorizontalHeaderLabels(
            [f"{n + 1}. {name}" for n, name in enumerate(table.header)]
        )
        for row in range(preview.rowCount()):
            for column in range(len(table.header)):
                preview.setItem(row, column, QTableWidgetItem(table.columns[column][row]))
        preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        preview.setWordWrap(False)
        preview.verticalHeader().setDefaultSectionSize(22)
        preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        preview.horizontalHeader().setDefaultSectionSize(190)
        layout.addWidget(preview, 1)

        form = QFormLayout()
        self.kind_box = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind_box.addItem(label, kind)
        self.kind_box.setCurrentIndex(list(KIND_LABELS).index(imported.kind))
        self.kind_box.currentIndexChanged.connect(self._on_kind_changed)
        form.addRow("This file is a:", self.kind_box)
        self.role_boxes: dict[str, QComboBox] = {}
        for role in ROLES:
            box = QComboBox()
            box.addItem(NO_COLUMN, None)
            for n, name in enumerate(table.header):
                box.addItem(f"{n + 1}. {name}", n)
            current = imported.mapping.roles.get(role)
            box.setCurrentIndex(current + 1 if current is not None else 0)
            if role in imported.mapping.guessed:
                box.setToolTip("Found by looking at the cells (the header did not say)")
            self.role_boxes[role] = box
            form.addRow(ROLE_LABELS[role] + ":", box)
        self.form = form
        layout.addLayout(form)
        self._on_kind_changed()
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b91c1c;")
        layout.addWidget(self.problem)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def kind(self) -> FileKind:
        return FileKind(self.kind_box.currentData())  # Qt hands the enum back as a plain str

    @property
    def roles(self) -> dict[str, int | None]:
        return {role: box.currentData() for role, box in self.role_boxes.items()}

    def _on_kind_changed(self) -> None:
        """A contact list needs only its address column: the bounce fields are hidden."""
        bounces = self.kind is not FileKind.CONTACTS
        for role, box in self.role_boxes.items():
            if role != "email":
                self.form.setRowVisible(box, bounces)

    def _on_accepted(self) -> None:
        if self.roles["email"] is None:
            self.problem.setText("Choose the column that holds the email addresses.")
            return
        self.accept()
