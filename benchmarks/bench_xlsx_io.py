"""XLSX in and out at 100,000 rows: import a contact list through calamine, then `clean --format
xlsx` (cleaned list, suppression list and the highlighted report), each timed.

    python benchmarks/bench_xlsx_io.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_clean import write_inputs  # noqa: E402

from app.io.importer import import_file  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    workdir = ROOT / "benchmarks" / "data" / "xlsx"
    (workdir / "out").mkdir(parents=True, exist_ok=True)
    contacts_csv, bounces = write_inputs(workdir, args.rows, args.rows)
    import xlsxwriter  # the input workbook, written once

    contacts = workdir / "contacts.xlsx"
    book = xlsxwriter.Workbook(str(contacts), {"constant_memory": True})
    sheet = book.add_worksheet("Contacts")
    with open(contacts_csv, encoding="utf-8") as f:
        for r, line in enumerate(f):
            for c, value in enumerate(line.rstrip("\n").split(",")):
                sheet.write_string(r, c, value)
    book.close()
    start = time.perf_counter()
    imported = import_file(contacts)
    print(f"import {args.rows:,}-row XLSX (calamine): {time.perf_counter() - start:.2f} s "
          f"({imported.table.row_count:,} rows)")  # fmt: skip
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "app", "clean", "--contacts", str(contacts), "--bounces",
         str(bounces), "--out-dir", str(workdir / "out"), "--format", "xlsx"],
        check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    print(
        f"clean --format xlsx (cleaned + suppression + report): {time.perf_counter() - start:.2f} s"
    )
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "app", "clean", "--contacts", str(contacts), "--bounces",
         str(bounces), "--out-dir", str(workdir / "out"), "--format", "xlsx", "--no-report"],
        check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    without = time.perf_counter() - start
    print(f"  the same without the report: {without:.2f} s")


if __name__ == "__main__":
    main()
