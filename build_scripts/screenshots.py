"""Save the README's screenshots of the real window (offscreen): empty state, a loaded list, the
details of a row, the export dialog and the column dialog.

    python build_scripts/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.core.taxonomy import Action
    from app.gui.columns_dialog import ColumnsDialog
    from app.gui.dialogs import ExportDialog
    from app.gui.main_window import MainWindow
    from app.gui.settings import Settings

    app = QApplication([])
    app.setApplicationName("Bounce Cleaner")
    with tempfile.TemporaryDirectory() as scratch:
        store = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(Settings(store))
        window.resize(1440, 860)
        window.show()

        def settle() -> None:
            while window.runner.busy:
                app.processEvents()
                time.sleep(0.01)
            for _ in range(5):
                app.processEvents()

        settle()
        saved = [args.out / "empty.png"]
        window.grab().save(str(saved[-1]))
        window.load_sample()
        settle()
        saved.append(args.out / "loaded.png")
        window.grab().save(str(saved[-1]))
        review = window.review
        assert review is not None
        # a row whose story is worth showing: a sender-side block, with the provider named
        row = next(
            (
                r
                for r in range(review.row_count)
                if review.action(r) is Action.INVESTIGATE
                and "Microsoft" in review.outcomes[r].explanation
            ),
            0,
        )
        window.select_row(row)
        settle()
        saved.append(args.out / "details.png")
        window.grab().save(str(saved[-1]))

        dialog = ExportDialog(
            window._export_folder(), review.name, False, window, review.export_counts()
        )
        dialog.show()
        settle()
        saved.append(args.out / "export-dialog.png")
        dialog.grab().save(str(saved[-1]))
        dialog.close()

        columns = ColumnsDialog(window.workspace.files[1], window)
        columns.resize(860, 600)
        columns.show()
        settle()
        saved.append(args.out / "columns-dialog.png")
        columns.grab().save(str(saved[-1]))
        columns.close()
        window.close()
    for path in saved:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
