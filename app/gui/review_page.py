"""The loaded view: files on the left, counters, search and the table in the middle, sender
problems, reasons and details on the right. Widgets only: MainWindow connects them to its logic."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.review import ACTIONS
from app.gui.files_panel import FilesPanel
from app.gui.look import ReasonChart, icon
from app.gui.panels import CounterButton, DetailsPanel, IncidentPanel
from app.gui.table_model import ContactTableModel


class ReviewPage(QSplitter):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.files_panel = FilesPanel()
        self.files_panel.setMinimumWidth(150)

        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(6, 6, 6, 6)
        top = QHBoxLayout()
        self.counters = {a: CounterButton(a) for a in ACTIONS}
        for button in self.counters.values():
            top.addWidget(button, 1)
        self.export_button = QPushButton(icon("app"), "Export…")
        self.export_button.setObjectName("exportButton")
        self.export_button.setMinimumHeight(30)
        self.export_button.setToolTip("Write the cleaned list, the suppression list and a report")
        self.export_button.setStyleSheet("font-size: 11pt; font-weight: 600; padding: 0 14px;")
        centre_layout.addLayout(top)

        search_row = QHBoxLayout()
        self.list_choice = QComboBox()
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText("Search addresses  (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAcceptDrops(False)  # a dropped file opens it, never types its path
        self.search_timer = QTimer(self, singleShot=True, interval=200)
        self.search_box.textChanged.connect(self.search_timer.start)
        self.shown_label = QLabel()
        self.shown_label.setStyleSheet("color: #64748b;")
        search_row.addWidget(self.list_choice)
        search_row.addWidget(self.search_box, 1)
        search_row.addWidget(self.shown_label)
        search_row.addSpacing(8)
        search_row.addWidget(self.export_button)
        centre_layout.addLayout(search_row)

        self.model = ContactTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("contactTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keep the domain visible
        self.table.setAlternatingRowColors(False)
        self.table.horizontalHeader().setDefaultSectionSize(140)
        self.table.horizontalHeader().setStretchLastSection(True)
        vertical = self.table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(24)
        centre_layout.addWidget(self.table, 1)

        right = QSplitter(Qt.Orientation.Vertical)
        problems = QWidget()
        problems_layout = QVBoxLayout(problems)
        problems_layout.setContentsMargins(6, 6, 6, 0)
        heading = QLabel("<b>Sender problems</b>")
        problems_layout.addWidget(heading)
        self.incident_panel = IncidentPanel()
        problems_layout.addWidget(self.incident_panel, 1)
        self.reasons_heading = QLabel("<b>Reasons</b>")
        problems_layout.addWidget(self.reasons_heading)
        self.reason_chart = ReasonChart()
        problems_layout.addWidget(self.reason_chart)
        self.details = DetailsPanel()
        right.addWidget(problems)
        right.addWidget(self.details)
        right.setSizes([330, 420])

        splitter = self
        splitter.addWidget(self.files_panel)
        splitter.addWidget(centre)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 720, 400])
        splitter.setCollapsible(1, False)
