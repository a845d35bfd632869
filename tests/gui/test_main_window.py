"""The real window, driven as a user would: drop, filter, search, inspect, override, export."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from gui_helpers import drop_files, wait_idle

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QTableView, QTextBrowser, QWidget

from app.core.review import ACTIONS
from app.core.taxonomy import Action
from app.gui.dialogs import ExportDialog
from app.gui.main_window import MainWindow
from app.io.workspace import load, sample_paths

COUNTER_NAMES = {a: f"{a.value}Count" for a in ACTIONS}


def counter_value(window: MainWindow, action: Action) -> int:
    widget = window.findChild(QWidget, COUNTER_NAMES[action])
    numbers = re.findall(r"\d+", widget.text())
    assert numbers, widget.text()
    return int(numbers[0])


def action_column(table: QTableView) -> int:
    model = table.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return headers.index("Action")


def shown_actions(window: MainWindow) -> list[str]:
    table = window.findChild(QTableView, "contactTable")
    model, column = table.model(), action_column(table)
    return [model.data(model.index(r, column)).split()[0].lower() for r in range(model.rowCount())]


@pytest.fixture
def loaded(qtbot, window: MainWindow) -> MainWindow:  # type: ignore[no-untyped-def]
    drop_files(window, sample_paths())
    wait_idle(qtbot, window)
    return window


def test_empty_state_offers_drop_open_and_sample(window: MainWindow) -> None:
    zone = window.findChild(QWidget, "dropZone")
    assert zone.isVisible()
    texts = " ".join(label.text() for label in zone.findChildren(QLabel))
    assert "Drop your contact list and bounce reports here" in texts
    buttons = {b.text() for b in zone.findChildren(QPushButton)}
    assert {"Open files…", "Try it with sample data"} <= buttons
    assert window.windowTitle() == "Bounce Cleaner"


def test_dropped_files_are_triaged_with_the_core_s_numbers(loaded: MainWindow) -> None:
    expected = load([], sample_paths()).reviews[0].counts()
    for action in ACTIONS:
        assert counter_value(loaded, action) == expected[action] > 0, action
    assert not loaded.findChild(QWidget, "dropZone").isVisible()
    files = loaded.findChild(QWidget, "fileList")
    assert files.topLevelItemCount() == 3
    kinds = sorted(files.topLevelItem(n).text(1) for n in range(3))
    assert kinds == ["Bounce report", "Bounce report", "Contact list"]
    assert "contacts.csv" in loaded.windowTitle()
    incidents = loaded.findChild(QTextBrowser, "incidentPanel").toPlainText()
    assert "Microsoft" in incidents and "Don't remove these addresses" in incidents


def test_counters_filter_the_table(qtbot, loaded: MainWindow) -> None:  # type: ignore[no-untyped-def]
    total = loaded.review.row_count
    remove = loaded.findChild(QWidget, "removeCount")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    shown = shown_actions(loaded)
    assert shown and set(shown) == {"remove"}
    assert len(shown) == counter_value(loaded, Action.REMOVE)
    qtbot.mouseClick(loaded.findChild(QWidget, "investigateCount"), Qt.MouseButton.LeftButton)
    assert set(shown_actions(loaded)) == {"remove", "investigate"}
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(loaded.findChild(QWidget, "investigateCount"), Qt.MouseButton.LeftButton)
    assert len(shown_actions(loaded)) == total


def test_search_narrows_to_matching_addresses(qtbot, loaded: MainWindow) -> None:  # type: ignore[no-untyped-def]
    box = loaded.findChild(QLineEdit, "searchBox")
    qtbot.keyClicks(box, "GMIAL")
    table = loaded.findChild(QTableView, "contactTable")
    qtbot.waitUntil(lambda: table.model().rowCount() < loaded.review.row_count)
    rows = [table.model().source_row(r) for r in range(table.model().rowCount())]
    assert rows and all("gmial" in loaded.review.email(r).lower() for r in rows)
    box.clear()
    qtbot.waitUntil(lambda: table.model().rowCount() == loaded.review.row_count)


def test_details_show_every_bounce_the_rule_and_the_advice(loaded: MainWindow) -> None:
    review = loaded.review
    row = next(r for r in range(review.row_count) if review.outcomes[r].reason == "user_unknown")
    loaded.select_row(row)
    details = loaded.findChild(QTextBrowser, "detailsPanel").toPlainText()
    assert review.email(row).strip() in details
    assert "Remove this address" in details
    assert "What to do:" in details and "Rule:" in details
    assert "bounce" in details and ("5.1.1" in details or "550" in details)


def test_override_then_undo_and_redo(qtbot, loaded: MainWindow) -> None:  # type: ignore[no-untyped-def]
    review = loaded.review
    row = next(r for r in range(review.row_count) if review.action(r) is Action.REMOVE)
    before = {a: counter_value(loaded, a) for a in ACTIONS}
    loaded.select_row(row)
    keep_button = loaded.details.buttons[Action.KEEP]
    qtbot.mouseClick(keep_button, Qt.MouseButton.LeftButton)
    assert counter_value(loaded, Action.REMOVE) == before[Action.REMOVE] - 1
    assert counter_value(loaded, Action.KEEP) == before[Action.KEEP] + 1
    view_row = loaded.model.view_row(row)
    cell = loaded.model.data(loaded.model.index(view_row, action_column(loaded.table)))
    assert cell.startswith("Keep") and "✎" in cell
    assert "You changed this" in loaded.findChild(QTextBrowser, "detailsPanel").toPlainText()
    loaded.undo_stack.undo()
    assert {a: counter_value(loaded, a) for a in ACTIONS} == before
    loaded.undo_stack.redo()
    assert counter_value(loaded, Action.KEEP) == before[Action.KEEP] + 1


def test_export_writes_the_lists_with_overrides(qtbot, loaded: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    review = loaded.review
    rescued = next(r for r in range(review.row_count) if review.action(r) is Action.REMOVE)
    loaded.select_row(rescued)
    loaded.override_selected(Action.KEEP)
    loaded.export_to(tmp_path, None, True)
    wait_idle(qtbot, loaded)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "contacts-cleaned.csv" in names and "contacts-suppression.csv" in names
    assert "contacts-report.xlsx" in names
    with open(tmp_path / "contacts-cleaned.csv", newline="", encoding="utf-8-sig") as f:
        cleaned = list(csv.reader(f))[1:]
    with open(tmp_path / "contacts-suppression.csv", newline="", encoding="utf-8-sig") as f:
        removed = list(csv.reader(f))[1:]
    others = sum(1 for p in names if p == "contacts-duplicates.csv")
    duplicates = 0
    if others:
        with open(tmp_path / "contacts-duplicates.csv", newline="", encoding="utf-8-sig") as f:
            duplicates = len(list(csv.reader(f))) - 1
    assert len(cleaned) + len(removed) + duplicates == review.row_count
    assert len(cleaned) == review.row_count - counter_value(loaded, Action.REMOVE)
    rescued_email = review.email(rescued)
    assert any(r[review.email_column] == rescued_email for r in cleaned)
    message = loaded.last_message
    assert message is not None and "contacts-cleaned.csv" in message.text()
    kept = loaded.review.row_count - counter_value(loaded, Action.REMOVE)
    assert f"{kept} addresses to keep mailing" in message.text()
    buttons = [b.text() for b in loaded.last_message.buttons()]
    assert "Open folder" in buttons


def test_export_dialog_defaults_away_from_the_bundled_samples(loaded: MainWindow) -> None:
    dialog = ExportDialog(loaded._export_folder(), "contacts.csv", False, loaded)
    assert dialog.folder != sample_paths()[0].parent
    assert dialog.fmt is None and dialog.with_report


def test_unreadable_file_is_named_and_the_rest_loads(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    garbage = tmp_path / "broken.xlsx"
    garbage.write_bytes(b"\x00\x01 this is not a workbook" * 50)
    drop_files(window, [garbage, *sample_paths()])
    wait_idle(qtbot, window)
    errors = window.findChild(QLabel, "fileErrors")
    assert errors.isVisible() and "broken.xlsx" in errors.text()
    assert counter_value(window, Action.REMOVE) > 0


def _big_list(path: Path, rows: int) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["email", "name"])
        writer.writerows([f"user{n}@example.com", f"User {n}"] for n in range(rows))
    return path


def test_cancel_a_long_import_leaves_the_window_usable(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    big = _big_list(tmp_path / "big.csv", 400_000)
    window.open_paths([big])
    assert window.runner.busy
    with qtbot.waitSignal(window.runner.cancelled, timeout=5000):
        window.status.cancel_button.click()
    assert not window.runner.busy
    assert window.workspace.files == []
    assert "cancelled" in window.status.message.text()
    window.load_sample()
    wait_idle(qtbot, window)
    assert counter_value(window, Action.REMOVE) > 0


def test_closing_during_work_cancels_and_waits(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    big = _big_list(tmp_path / "big.csv", 400_000)
    window.open_paths([big])
    assert window.runner.busy
    window.close()
    assert not window.runner.busy
    assert window.runner.wait(0)  # nothing left running


def test_sorting_by_action_groups_the_rows(loaded: MainWindow) -> None:
    loaded.table.sortByColumn(action_column(loaded.table), Qt.SortOrder.AscendingOrder)
    shown = shown_actions(loaded)
    order = [a.value for a in ACTIONS]
    assert shown == sorted(shown, key=order.index)


def test_preferences_geometry_and_recent_files_reach_the_settings_file(
    qtbot, window: MainWindow, settings
) -> None:  # type: ignore[no-untyped-def]
    window.settings.soft_bounce_limit = 5
    window.open_paths(sample_paths()[:1])
    wait_idle(qtbot, window)
    window.resize(1000, 560)
    window.close()  # saves the geometry
    settings.store.sync()
    text = Path(settings.store.fileName()).read_text(encoding="utf-8")
    assert "softBounceLimit=5" in text and "contacts.csv" in text and "geometry=" in text

    from PySide6.QtCore import QSettings

    from app.gui.settings import Settings

    reopened = Settings(QSettings(settings.store.fileName(), QSettings.Format.IniFormat))
    assert reopened.soft_bounce_limit == 5
    assert [p.name for p in reopened.recent_files()] == ["contacts.csv"]
    again = MainWindow(reopened)
    qtbot.addWidget(again)
    # a new window opens at 1280x800; restoring fits the width to the offscreen screen (800 px)
    # but keeps the saved height
    assert again.height() == 560


def test_table_model_passes_qtmodeltester(qtmodeltester, loaded: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(loaded.model)


def test_files_dropped_while_loading_are_all_loaded(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    contacts, *reports = sample_paths()
    drop_files(window, [contacts])
    drop_files(window, reports)  # before the first drop has finished reading
    wait_idle(qtbot, window)
    assert sorted(f.path.name for f in window.workspace.files) == sorted(
        p.name for p in sample_paths()
    )


def test_columns_dialog_previews_rows_and_changes_the_mapping(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTableWidget

    from app.gui.columns_dialog import ColumnsDialog
    from app.io.importer import FileKind

    listing = tmp_path / "list.csv"
    listing.write_text(
        "work,private,name\nanna@firm.example,anna@gmail.com,Anna\nbob@firm.example,bob@gmail.com,Bob\n",
        encoding="utf-8",
    )
    window.open_paths([listing])
    wait_idle(qtbot, window)
    imported = window.workspace.files[0]
    dialog = ColumnsDialog(imported, window)
    qtbot.addWidget(dialog)
    preview = dialog.findChild(QTableWidget, "columnsPreview")
    assert preview.rowCount() == 2 and preview.item(1, 1).text() == "bob@gmail.com"
    assert dialog.roles["email"] == imported.mapping.roles["email"]
    dialog.role_boxes["email"].setCurrentIndex(0)  # (none)
    dialog._on_accepted()
    assert dialog.result() == 0 and "email addresses" in dialog.problem.text()
    window.apply_columns(listing, FileKind.CONTACTS, {"email": 1})
    wait_idle(qtbot, window)
    assert window.review.email(0) == "anna@gmail.com"


def test_a_stricter_soft_bounce_limit_removes_more(qtbot, loaded: MainWindow) -> None:  # type: ignore[no-untyped-def]
    before = counter_value(loaded, Action.REMOVE)
    expected = load([], sample_paths(), soft_bounce_limit=1).reviews[0].counts()
    loaded.settings.soft_bounce_limit = 1
    loaded.reanalyse()
    wait_idle(qtbot, loaded)
    assert counter_value(loaded, Action.REMOVE) == expected[Action.REMOVE] > before


def test_progress_and_cancel_appear_only_for_long_work(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    big = _big_list(tmp_path / "big.csv", 600_000)
    window.open_paths([big])
    assert not window.status.cancel_button.isVisible()  # not for the first half second
    qtbot.waitUntil(window.status.cancel_button.isVisible, timeout=5000)
    assert window.status.progress.isVisible()
    wait_idle(qtbot, window)
    assert not window.status.cancel_button.isVisible()
    assert window.review is not None and window.review.row_count == 600_000


def test_export_button_opens_the_dialog_and_writes(
    qtbot, loaded: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def fill_and_accept() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ExportDialog)
        dialog.folder_edit.setText(str(tmp_path))
        dialog.xlsx_format.setChecked(True)
        dialog.report_box.setChecked(False)
        dialog.accept()

    QTimer.singleShot(100, fill_and_accept)
    qtbot.mouseClick(loaded.findChild(QPushButton, "exportButton"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, loaded)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "contacts-cleaned.xlsx" in names and "contacts-suppression.xlsx" in names
    assert "contacts-report.xlsx" not in names
    from app.io.importer import import_file

    cleaned = import_file(tmp_path / "contacts-cleaned.xlsx").table
    assert cleaned.row_count == loaded.review.row_count - counter_value(loaded, Action.REMOVE)


def test_a_contact_list_alone_is_not_called_all_clear(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.open_paths([sample_paths()[0]])
    wait_idle(qtbot, window)
    panel = window.findChild(QTextBrowser, "incidentPanel").toPlainText()
    assert "No bounce report loaded yet" in panel and "No sender problems" not in panel
    # without bounces only the list itself can say remove: invalid or repeated addresses
    assert counter_value(window, Action.RETRY) == counter_value(window, Action.INVESTIGATE) == 0
    review = window.review
    removed = {review.outcomes[n].reason for n in range(review.row_count)} - {""}
    assert removed <= {"invalid_address", "duplicate"}


def test_only_an_unreadable_file_keeps_the_drop_zone_and_says_why(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    garbage = tmp_path / "broken.xlsx"
    garbage.write_bytes(b"\x00\x01 not a workbook" * 20)
    window.open_paths([garbage])
    wait_idle(qtbot, window)
    assert window.findChild(QWidget, "dropZone").isVisible()
    message = window.findChild(QLabel, "dropZoneErrors")
    assert message.isVisible() and "broken.xlsx could not be opened" in message.text()
    assert not window.findChild(QPushButton, "exportButton").isEnabled()


def test_columns_dialog_shows_only_the_address_for_a_contact_list(
    qtbot, loaded: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    from app.gui.columns_dialog import ColumnsDialog
    from app.io.importer import FileKind

    contacts = next(f for f in loaded.workspace.files if f.kind is FileKind.CONTACTS)
    dialog = ColumnsDialog(contacts, loaded)
    qtbot.addWidget(dialog)
    dialog.show()
    visible = {role for role, box in dialog.role_boxes.items() if box.isVisible()}
    assert visible == {"email"}
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData(FileKind.BOUNCES))
    assert all(box.isVisible() for box in dialog.role_boxes.values())


def test_removing_a_report_or_changing_its_kind_reanalyses(qtbot, loaded: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from app.io.importer import FileKind

    contacts, mailgun, sendgrid = sample_paths()
    expected = load([], [contacts, sendgrid]).reviews[0].counts()
    loaded.files_panel.remove_requested.emit(mailgun)
    wait_idle(qtbot, loaded)
    assert sorted(f.path.name for f in loaded.workspace.files) == [contacts.name, sendgrid.name]
    assert {a: counter_value(loaded, a) for a in ACTIONS} == expected
    loaded.files_panel.kind_changed.emit(sendgrid, FileKind.CONTACTS)  # no report left
    wait_idle(qtbot, loaded)
    assert counter_value(loaded, Action.RETRY) == counter_value(loaded, Action.INVESTIGATE) == 0
    assert "No bounce report loaded yet" in loaded.incident_panel.toPlainText()
