"""The export dialog and the preferences dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)


class ExportDialog(QDialog):
    """What to write and where. The cleaned and suppression lists always go together, so that
    every row of the list ends up in exactly one of them."""

    def __init__(
        self,
        folder: Path,
        list_name: str,
        spreadsheet_input: bool,
        parent: QWidget | None = None,
        counts: dict[str, int] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"New files are written for <b>{list_name}</b> into the folder below. "
            "Your original files are never changed."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        what = QGroupBox("Files")
        what_layout = QVBoxLayout(what)
        counts = counts or {}
        kept = counts.get("kept")
        removed = counts.get("removed")
        self.lists_box = QLabel(
            "• <b>Cleaned list</b>"
            + (f" — {kept} addresses to keep sending to" if kept is not None else "")
            + "<br>• <b>Do-not-send list</b> (import it into your email service's suppression "
            "list)" + (f" — {removed} addresses" if removed is not None else "")
        )
        self.lists_box.setToolTip("Always written together: every row of your list lands in one.")
        self.report_box = QCheckBox("Annotated report (Excel, coloured by action, with a summary)")
        self.report_box.setChecked(True)
        what_layout.addWidget(self.lists_box)
        what_layout.addWidget(self.report_box)
        layout.addWidget(what)

        fmt = QGroupBox("Format of the lists")
        fmt_layout = QVBoxLayout(fmt)
        self.same_format = QRadioButton(
            "Same as my file" + (" (Excel)" if spreadsheet_input else " (CSV, same layout)")
        )
        self.csv_format = QRadioButton("CSV (for any email service)")
        self.xlsx_format = QRadioButton("Excel (.xlsx)")
        self.same_format.setChecked(True)
        self._formats = QButtonGroup(self)
        for button in (self.same_format, self.csv_format, self.xlsx_format):
            self._formats.addButton(button)
            fmt_layout.addWidget(button)
        layout.addWidget(fmt)

        where = QFormLayout()
        row = QHBoxLayout()
        self.folder_edit = QLineEdit(str(folder))
        self.folder_edit.setObjectName("exportFolder")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._on_browse_clicked)
        row.addWidget(self.folder_edit, 1)
        row.addWidget(browse)
        where.addRow("Folder:", row)
        layout.addLayout(where)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def folder(self) -> Path:
        return Path(self.folder_edit.text().strip()).expanduser()

    @property
    def fmt(self) -> str | None:
        if self.csv_format.isChecked():
            return "csv"
        if self.xlsx_format.isChecked():
            return "xlsx"
        return None

    @property
    def with_report(self) -> bool:
        return self.report_box.isChecked()

    def _on_browse_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Export to", str(self.folder))
        if chosen:
            self.folder_edit.setText(chosen)


class PreferencesDialog(QDialog):
    def __init__(self, soft_bounce_limit: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.limit = QSpinBox()
        self.limit.setRange(1, 30)
        self.limit.setValue(soft_bounce_limit)
        self.limit.setSuffix(" different days")
        form.addRow("Remove an address that bounced temporarily on:", self.limit)
        layout.addLayout(form)
        hint = QLabel(
            "A temporary problem (a full mailbox, a busy server) is worth a retry or two. An "
            "address that keeps bouncing temporarily on this many different days is removed. "
            "Delays the receiving server asks for, and slow-downs because of your sending "
            "volume, never count: they say nothing about the mailbox."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #475569;")
        layout.addWidget(hint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
