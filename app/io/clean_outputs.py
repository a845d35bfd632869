"""Write every output of a cleaning run into one folder: per contact list the cleaned list, the
suppression list and the annotated report; with bounce reports only, the suppression list and
report of the bounced addresses."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

from app.core.addresses import CheckedColumn, suggest_address
from app.core.decide import Outcome
from app.core.taxonomy import Action
from app.io.atomic import atomic_text_writer
from app.io.cell_safety import neutralise
from app.io.cleaning import Analysis
from app.io.exports import (
    ADDED_COLUMNS,
    ExportError,
    added_cells,
    added_values,
    refuse_inputs,
    write_delimited_outputs,
)
from app.io.importer import ImportedFile
from app.io.spreadsheets import load_sheet
from app.io.xlsx_export import write_list_xlsx, write_report_xlsx

FORMATS = ("csv", "xlsx")


def _typed_rows(source: ImportedFile) -> list[list[object]]:
    """A spreadsheet's data rows with their original types (numbers, dates), as written back."""
    if source.is_spreadsheet:
        _, rows, first = load_sheet(source.path, source.sheet)
        width = len(source.table.header)
        typed = [list(r) + [""] * (width - len(r)) for r in rows[first:]]
        if len(typed) == source.table.row_count:
            return typed
        # the file changed since it was imported: fall back to the cells as imported
    return _text_rows(source)


def _text_rows(source: ImportedFile) -> list[list[object]]:
    """The data rows as the user saw them (text), e.g. a spreadsheet written out as CSV."""
    table = source.table
    return [list[object](table.row(i)) for i in range(table.row_count)]


def _write_csv(target: Path, header: Sequence[str], rows: Iterator[Sequence[object]]) -> None:
    with atomic_text_writer(target, encoding="utf-8-sig") as handle:  # BOM: Excel reads UTF-8
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def output_paths(
    source: ImportedFile, out_dir: Path, fmt: str | None, stem: str | None = None
) -> tuple[Path, Path, Path, Path]:
    """Cleaned list, suppression list, duplicates and report paths for one contact list."""
    suffix = (
        f".{fmt}" if fmt else (".xlsx" if source.is_spreadsheet else source.path.suffix or ".csv")
    )
    stem = stem or source.path.stem
    return (
        out_dir / f"{stem}-cleaned{suffix}",
        out_dir / f"{stem}-suppression{suffix}",
        out_dir / f"{stem}-duplicates{suffix}",
        out_dir / f"{stem}-report.xlsx",
    )


def _unique_stem(stem: str, used: set[str]) -> str:
    """'list', then 'list-2', … so that two inputs named alike never overwrite each other."""
    candidate, n = stem, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{stem}-{n}"
    used.add(candidate.lower())
    return candidate


def export_results(
    analysis: Analysis, out_dir: Path, fmt: str | None = None, report: bool = True
) -> list[Path]:
    """Write all outputs; returns their paths. Raises ExportError naming the problem.

    `report=False` skips the annotated XLSX report: at a million rows it takes far longer than
    everything else (xlsxwriter writes ~200,000 cells a second).
    """
    if fmt is not None and fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (use csv or xlsx)")
    if not out_dir.is_dir():
        raise ExportError(f"{out_dir}: the output folder does not exist")
    inputs = analysis.inputs
    decision = analysis.decision
    orphans = [(key, decision.by_address[key]) for key in decision.orphans] if report else []
    written: list[Path] = []
    used_stems: set[str] = set()
    for source, outcomes, checked in zip(
        analysis.contacts, decision.outcomes, analysis.checked, strict=True
    ):
        stem = _unique_stem(source.path.stem, used_stems)
        cleaned, suppression, copies, report_path = output_paths(source, out_dir, fmt, stem)
        has_copies = any(o.reason == "duplicate" for o in outcomes)
        targets = [cleaned, suppression, *([copies] if has_copies else [])]
        refuse_inputs([*targets, report_path], inputs)
        header = source.table.header
        if source.layout is not None and fmt in (None, "csv"):
            write_delimited_outputs(
                source, outcomes, cleaned, suppression, copies if has_copies else None
            )
            rows: list[list[object]] = []
        else:
            typed = fmt != "csv"  # a spreadsheet written as CSV shows cells as the user saw them
            rows = _typed_rows(source) if typed else _text_rows(source)
            added = added_cells if typed else added_values
            groups: dict[str, list[list[object]]] = {"kept": [], "removed": [], "copies": []}
            for r, o in zip(rows, outcomes, strict=True):
                if o.action is not Action.REMOVE:
                    groups["kept"].append(r)
                else:
                    group = "copies" if o.reason == "duplicate" else "removed"
                    groups[group].append([*r, *added(o)])
            annotated_header = [*header, *ADDED_COLUMNS]
            plan = [
                (cleaned, header, groups["kept"]),
                (suppression, annotated_header, groups["removed"]),
            ]
            if has_copies:
                plan.append((copies, annotated_header, groups["copies"]))
            for target, columns, content in plan:
                if fmt == "csv":
                    _write_csv(target, columns, iter(content))
                else:
                    write_list_xlsx(target, columns, content, source.sheet or "Contacts")
        written += targets
        if report:
            report_rows = rows or _typed_rows(source)
            write_report_xlsx(
                report_path,
                header,
                zip(report_rows, outcomes, _suggestions(checked), strict=True),
                analysis.incidents,
                orphans,
                f"Bounce Cleaner report for {source.path.name}",
            )
            written.append(report_path)
    if not analysis.contacts and analysis.log.reports:
        written += _bounces_only(analysis, out_dir, fmt or "csv", inputs, report)
    return written


def _suggestions(checked: CheckedColumn) -> Iterator[str]:
    """A typo fix for each address ("anna@gmial.com" → "anna@gmail.com"), or ""."""
    for address in checked.addresses:
        yield suggest_address(address) if address else ""


def _bounces_only(
    analysis: Analysis, out_dir: Path, fmt: str, inputs: list[Path], with_report: bool
) -> list[Path]:
    stem = Path(analysis.log.reports[0].name).stem
    suppression = out_dir / f"{stem}-suppression.{fmt}"
    report = out_dir / f"{stem}-report.xlsx"
    refuse_inputs([suppression, report], inputs)
    decision = analysis.decision
    addresses: dict[str, str] = {}
    for key, shown in zip(analysis.log.keys, analysis.log.addresses, strict=True):
        addresses.setdefault(key, shown)
    outcomes: list[tuple[str, Outcome]] = [
        (addresses[k], o) for k, o in decision.by_address.items()
    ]
    # the addresses come from a provider's report, not the user's list: neutralise them too
    removed = ([neutralise(a), *added_values(o)] for a, o in outcomes if o.action is Action.REMOVE)
    header = ["email", *ADDED_COLUMNS]
    if fmt == "csv":
        _write_csv(suppression, header, removed)
    else:
        write_list_xlsx(suppression, header, removed, "Suppression")
    if not with_report:
        return [suppression]
    names = ", ".join(r.name for r in analysis.log.reports)
    rows = (([a], o, suggest_address(a)) for a, o in outcomes)
    title = f"Bounce Cleaner report for {names}"
    write_report_xlsx(report, ["email"], rows, analysis.incidents, [], title)
    return [suppression, report]
