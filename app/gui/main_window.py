"""The main window: drop files, see every address triaged and why, override, export.

All the work happens in app.io/app.core jobs run by `TaskRunner`; this module only shows and
triggers. Stable objectNames (dropZone, fileList, contactTable, removeCount, retryCount,
investigateCount, keepCount, searchBox, incidentPanel, detailsPanel, exportButton) are part of the
automation contract.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, QUrl
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.addresses import suggest_address
from app.core.review import ACTIONS, Review, bounces_of
from app.core.taxonomy import Action
from app.gui import main_thread_gc
from app.gui.columns_dialog import ColumnsDialog
from app.gui.dialogs import ExportDialog, PreferencesDialog
from app.gui.look import icon, reason_bars
from app.gui.menus import build_menus
from app.gui.overrides import OverrideCommand
from app.gui.panels import DropZone, details_html
from app.gui.review_page import ReviewPage
from app.gui.settings import Settings
from app.gui.status import StatusArea
from app.gui.tasks import TaskRunner
from app.io.importer import FileKind, ImportedFile
from app.io.workspace import (
    Workspace,
    analyse_files,
    default_export_folder,
    export,
    load,
    reimport,
    row_sources,
    sample_paths,
)


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        main_thread_gc.install()
        self.settings = settings or Settings()
        self.workspace = Workspace()
        self.runner = TaskRunner(self)
        self.undo_stack = QUndoStack(self)
        self.last_message: QMessageBox | None = None
        self.last_export: list[Path] = []
        self._pending_paths: list[Path] = []
        self.setWindowIcon(icon("app"))
        self.setAcceptDrops(True)
        self.resize(1280, 800)
        self._build()
        build_menus(self)
        self.runner.finished.connect(self._on_task_finished)
        self.runner.failed.connect(self._on_task_failed)
        self.runner.cancelled.connect(self._on_task_cancelled)
        self._update_title()
        self.settings.restore_geometry(self)

    # ----- building -----
    def _build(self) -> None:
        self.stack = QStackedWidget()
        self.drop_zone = DropZone()
        self.drop_zone.open_requested.connect(self.choose_files)
        self.drop_zone.sample_requested.connect(self.load_sample)
        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        empty_layout.setContentsMargins(48, 36, 48, 36)
        empty_layout.addWidget(self.drop_zone)
        self.stack.addWidget(empty)
        self.stack.addWidget(self._build_loaded())
        self.setCentralWidget(self.stack)
        self.status = StatusArea(self.statusBar(), self.runner)

    def _build_loaded(self) -> QWidget:
        page = ReviewPage()
        self.files_panel, self.counters, self.table = page.files_panel, page.counters, page.table
        self.model, self.search_box, self.details = page.model, page.search_box, page.details
        self.list_choice, self.shown_label = page.list_choice, page.shown_label
        self.incident_panel, self.reason_chart = page.incident_panel, page.reason_chart
        self.reasons_heading = page.reasons_heading
        self.export_button = page.export_button
        page.files_panel.add_requested.connect(self.choose_files)
        page.files_panel.kind_changed.connect(self._on_file_kind_changed)
        page.files_panel.remove_requested.connect(self._on_file_removed)
        page.files_panel.columns_requested.connect(self.choose_columns)
        for button in page.counters.values():
            button.toggled.connect(self._on_filter_changed)
        page.export_button.clicked.connect(self.choose_export)
        page.list_choice.currentIndexChanged.connect(self._on_list_chosen)
        page.search_timer.timeout.connect(self._on_filter_changed)
        page.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        page.details.override_requested.connect(self.override_selected)
        return page

    # ----- loading -----
    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self,
            "Open contact lists and bounce reports",
            self.settings.last_folder(),
            "Lists and reports (*.csv *.tsv *.txt *.xlsx *.xlsm *.xls *.ods *.json *.jsonl "
            "*.eml *.msg *.mbox);;"
            "All files (*)",
        )
        if names:
            self.open_paths([Path(n) for n in names])

    def load_sample(self) -> None:
        self.open_paths(sample_paths(), remember=False)

    def open_paths(self, paths: list[Path], remember: bool = True) -> None:
        if remember:
            self.settings.add_recent(paths)
        if self.runner.busy and self.runner.title == "Loading":  # dropped while still reading
            paths = self._pending_paths + [p for p in paths if p not in self._pending_paths]
        self._pending_paths = list(paths)
        files, limit = list(self.workspace.files), self.settings.soft_bounce_limit
        self.status.show_message(f"Reading {len(paths)} file{'s' if len(paths) != 1 else ''}…")
        self.runner.start("Loading", lambda p, c: load(files, paths, limit, p, c))

    def reanalyse(self, files: list[ImportedFile] | None = None) -> None:
        """Analyse again (these files, or the open ones); the window changes only on success."""
        chosen = list(self.workspace.files) if files is None else files
        limit = self.settings.soft_bounce_limit
        self.runner.start("Analysing", lambda p, c: analyse_files(chosen, (), limit, p, c))

    def close_all(self) -> None:
        self.runner.cancel()
        self._show_workspace(Workspace())

    def _on_task_finished(self, title: str, result: object) -> None:
        if isinstance(result, Workspace):
            self._show_workspace(result)
        elif title == "Exporting" and isinstance(result, list):
            self._show_export_done(result)

    def _on_task_failed(self, title: str, message: str) -> None:
        self.status.show_message("")
        self.files_panel.show_errors([message])
        self._message(QMessageBox.Icon.Warning, f"{title} failed", message)

    def _on_task_cancelled(self, title: str) -> None:
        self.status.show_message(f"{title} cancelled.")

    def _show_workspace(self, workspace: Workspace) -> None:
        previous = {(r.name, r.row_count): r.overrides for r in self.workspace.reviews}
        self.workspace = workspace
        self.undo_stack.clear()
        for review in workspace.reviews:  # re-analysing keeps the user's own decisions
            for row, action in previous.get((review.name, review.row_count), {}).items():
                review.set_actions([row], action)
        self.files_panel.show_files(workspace.files, workspace.errors)
        self.list_choice.blockSignals(True)
        self.list_choice.clear()
        self.list_choice.addItems([r.name for r in workspace.reviews])
        self.list_choice.setVisible(len(workspace.reviews) > 1)
        self.list_choice.blockSignals(False)
        self.stack.setCurrentIndex(1 if workspace.files else 0)
        self.drop_zone.show_errors(workspace.errors if not workspace.files else [])
        analysis = workspace.analysis
        bounces_loaded = any(f.has_bounces for f in workspace.files)
        self.incident_panel.show_incidents(analysis.incidents if analysis else [], bounces_loaded)
        self.export_button.setEnabled(analysis is not None)
        self._show_review(workspace.reviews[0] if workspace.reviews else None)
        notes = (analysis.notes if analysis else []) + [n for f in workspace.files for n in f.notes]
        loaded = f"{len(workspace.files)} file{'s' if len(workspace.files) != 1 else ''} loaded"
        if workspace.errors:
            loaded += f" — {len(workspace.errors)} could not be read"
        if workspace.reviews and not any(f.has_contacts for f in workspace.files):
            loaded += " — no contact list: showing the addresses found in your bounce reports"
        self.status.show_message("; ".join([loaded, *notes[:2]]) if workspace.files else "")
        self._update_title()

    def _show_review(self, review: Review | None) -> None:
        self.model.set_review(review)
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        if review is not None:  # fixed widths: measuring a million rows would freeze the window
            header.resizeSection(0, 110)
            header.resizeSection(1, 230)
            header.resizeSection(2, 190)
        bars = reason_bars(review) if review else []
        self.reason_chart.set_bars(bars)
        self.reasons_heading.setVisible(bool(bars))
        self._update_counts()
        self._on_filter_changed()
        self.details.show_nothing()

    @property
    def review(self) -> Review | None:
        return self.model.review

    # ----- filtering, selection, overrides -----
    def _on_filter_changed(self) -> None:
        wanted = {a for a, b in self.counters.items() if b.isChecked()} or set(ACTIONS)
        self.model.set_filter(wanted, self.search_box.text())
        total = self.review.row_count if self.review else 0
        shown = self.model.rowCount()
        needle = self.search_box.text().strip()
        if needle and not shown:
            self.shown_label.setText(f"No address contains “{needle}”")
        else:
            self.shown_label.setText(f"{shown} of {total} rows")

    def _update_counts(self) -> None:
        counts = self.review.counts() if self.review else dict.fromkeys(ACTIONS, 0)
        for action, button in self.counters.items():
            button.set_count(counts[action])

    def _on_list_chosen(self, index: int) -> None:
        if 0 <= index < len(self.workspace.reviews):
            self._show_review(self.workspace.reviews[index])

    def selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        return sorted(self.model.source_row(r) for r in rows)

    def _on_selection_changed(self) -> None:
        review, analysis = self.review, self.workspace.analysis
        rows = self.selected_rows()
        if review is None or analysis is None or not rows:
            self.details.show_nothing()
            return
        row = rows[0]
        email = review.email(row).strip()
        html = details_html(
            email,
            review.outcome(row),
            review.outcomes[row],
            bounces_of(analysis.log, review.keys[row], row_sources(self.workspace)),
            suggest_address(email) if email else "",
        )
        if len(rows) > 1:
            html = f"<p style='color:#64748b'>{len(rows)} rows selected; the first:</p>" + html
        self.details.show_html(html)

    def override_selected(self, action: Action | None) -> None:
        rows = self.selected_rows()
        if self.review is not None and rows:
            self.undo_stack.push(OverrideCommand(self, self.review, rows, action))

    def overrides_changed(self, review: Review, rows: set[int]) -> None:
        if review is self.review:
            self.model.rows_changed(rows)
            self._update_counts()
            self._on_selection_changed()

    def select_row(self, source_row: int) -> None:
        view_row = self.model.view_row(source_row)
        if view_row is not None:
            index = self.model.index(view_row, 0)
            flags = (
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
            )
            self.table.selectionModel().select(index, flags)
            self.table.scrollTo(index)

    # ----- files panel -----
    def _on_file_kind_changed(self, path: Path, kind: FileKind) -> None:
        self.reanalyse(
            [replace(f, kind=kind) if f.path == path else f for f in self.workspace.files]
        )

    def choose_columns(self, path: Path) -> None:
        imported = next((f for f in self.workspace.files if f.path == path), None)
        if imported is None or self.runner.busy:
            return
        dialog = ColumnsDialog(imported, self)
        if dialog.exec():
            self.apply_columns(path, dialog.kind, dialog.roles)

    def apply_columns(self, path: Path, kind: FileKind, roles: dict[str, int | None]) -> None:
        files, limit = list(self.workspace.files), self.settings.soft_bounce_limit
        self.runner.start("Loading", lambda p, c: reimport(files, path, kind, roles, limit, p, c))

    def _on_file_removed(self, path: Path) -> None:
        self.reanalyse([f for f in self.workspace.files if f.path != path])

    # ----- export -----
    def choose_export(self) -> None:
        if self.workspace.analysis is None or self.runner.busy:
            return
        first = next((f for f in self.workspace.files if f.has_contacts), None)
        dialog = ExportDialog(
            self._export_folder(),
            first.path.name if first else self.workspace.files[0].path.name,
            bool(first and first.is_spreadsheet),
            self,
            self.review.export_counts() if self.review else None,
        )
        if dialog.exec():
            self.export_to(dialog.folder, dialog.fmt, dialog.with_report)

    def _export_folder(self) -> Path:
        folder = default_export_folder(self.workspace)
        samples = sample_paths()[0].parent
        return Path.home() if folder == samples else folder

    def export_to(self, folder: Path, fmt: str | None, report: bool) -> None:
        if not folder.is_dir():
            self._message(
                QMessageBox.Icon.Warning, "Export", f"The folder {folder} does not exist."
            )
            return
        workspace = self.workspace
        self.runner.start("Exporting", lambda p, c: export(workspace, folder, fmt, report, p, c))

    def _show_export_done(self, paths: list[Path]) -> None:
        self.last_export = paths
        self.status.show_message(f"Exported {len(paths)} files to {paths[0].parent}.")
        counts = self.review.export_counts() if self.review else {}
        what = {
            "-cleaned.": f"the cleaned list: {counts.get('kept', '?')} addresses to keep mailing",
            "-suppression.": f"{counts.get('removed', '?')} addresses to stop mailing — import "
            "them into your email service's suppression list",
            "-duplicates.": f"{counts.get('duplicates', '?')} repeated rows of your list",
            "-report.": "the report: every row coloured by action, with a summary",
        }
        lines = [
            f"• {p.name} — {next((t for k, t in what.items() if k in p.name), '')}" for p in paths
        ]
        box = self._message(
            QMessageBox.Icon.Information,
            "Export finished",
            f"Your files are in {paths[0].parent}:\n\n" + "\n".join(lines),
        )
        open_button = box.addButton("Open folder", QMessageBox.ButtonRole.ActionRole)
        box.setDefaultButton(open_button)
        open_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths[0].parent)))
        )

    # ----- misc -----
    def _message(self, kind: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        box = QMessageBox(kind, title, text, QMessageBox.StandardButton.Ok, self)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()  # not exec(): the window (and the tests) carry on
        self.last_message = box
        return box

    def choose_preferences(self) -> None:
        dialog = PreferencesDialog(self.settings.soft_bounce_limit, self)
        if dialog.exec() and dialog.limit.value() != self.settings.soft_bounce_limit:
            self.settings.soft_bounce_limit = dialog.limit.value()
            if self.workspace.files:
                self.reanalyse()

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def _update_title(self) -> None:
        review = self.review
        self.setWindowTitle(f"{review.name} — Bounce Cleaner" if review else "Bounce Cleaner")

    # ----- drag and drop, closing -----
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.runner.cancel()
        self.runner.wait()
        self.settings.save_geometry(self)
        super().closeEvent(event)
