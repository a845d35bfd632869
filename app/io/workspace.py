"""The files a user has open and what was found in them: the jobs behind the window's buttons.

Each function is a plain synchronous job taking a progress reporter and a cancel flag, so the GUI
runs it on a worker thread and the tests call it directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app.core.decide import KEEP_CLEAN
from app.core.defaults import DEFAULT_SOFT_BOUNCE_LIMIT
from app.core.resources import resource_path
from app.core.review import Review, overridden
from app.core.table import Table
from app.io.clean_outputs import export_results
from app.io.cleaning import Analysis, analyse
from app.io.delimited import FileReadError
from app.io.importer import TEXT_SUFFIXES, FileKind, ImportedFile, import_file
from app.io.mail_sources import SOURCE_COLUMN, is_mail_input, is_maildir
from app.io.ses_events import JSON_SUFFIXES
from app.io.spreadsheets import SPREADSHEET_SUFFIXES

Progress = Callable[[str, int, int], None]
Cancelled = Callable[[], bool]
READABLE_SUFFIXES = (TEXT_SUFFIXES - {""}) | set(SPREADSHEET_SUFFIXES) | set(JSON_SUFFIXES)


@dataclass(slots=True)
class Workspace:
    """Everything the window shows: the files, their analysis, and one review per contact list."""

    files: list[ImportedFile] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # files that could not be read, and why
    analysis: Analysis | None = None
    reviews: list[Review] = field(default_factory=list)


def sample_paths() -> list[Path]:
    """The bundled sample data: a contact list and two providers' bounce reports."""
    samples = resource_path("samples")
    return [samples / "contacts.csv", *sorted(samples.glob("*_bounces.csv"))]


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files as given; a folder becomes the lists and reports inside it (recursively), and its
    bounce e-mails (.eml, .msg, .mbox, Maildir) one report: the folder itself."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        if is_mail_input(path):
            found.append(path)
        if not is_maildir(path):
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES
            )
    return found


def load(
    existing: Sequence[ImportedFile],
    new_paths: Sequence[Path],
    soft_bounce_limit: int = DEFAULT_SOFT_BOUNCE_LIMIT,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Workspace:
    """Import the new files (a bad one is reported, the others go on), then analyse them all."""
    files = list(existing)
    errors: list[str] = []
    known = {f.path.resolve() for f in files}
    paths = expand_paths(new_paths)
    for number, path in enumerate(paths, start=1):
        if path.resolve() in known:
            continue
        if progress is not None:
            progress(f"Reading {path.name}", number, len(paths))
        imported = _import_or_note(path, errors, cancelled)
        if imported is not None:
            files.append(imported)
            known.add(path.resolve())
    return analyse_files(files, errors, soft_bounce_limit, progress, cancelled)


def _import_or_note(
    path: Path, errors: list[str], cancelled: Cancelled | None, **options: Any
) -> ImportedFile | None:
    """One file imported, or its problem added to `errors` (the other files still load)."""
    try:
        return import_file(path, cancelled=cancelled, **options)
    except FileReadError as exc:
        if cancelled is not None and cancelled():
            raise
        errors.append(str(exc))
        return None


def reimport(
    files: Sequence[ImportedFile],
    path: Path,
    kind: FileKind,
    roles: dict[str, int | None],
    soft_bounce_limit: int = DEFAULT_SOFT_BOUNCE_LIMIT,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Workspace:
    """Read one file again with the kind and columns the user chose, in its place in the list."""
    files = list(files)
    errors: list[str] = []
    for n, old in enumerate(files):
        if old.path == path:
            again = _import_or_note(
                path, errors, cancelled, kind=kind, sheet=old.sheet, roles=roles
            )
            files[n] = again or old
    return analyse_files(files, errors, soft_bounce_limit, progress, cancelled)


def analyse_files(
    files: Sequence[ImportedFile],
    errors: Sequence[str] = (),
    soft_bounce_limit: int = DEFAULT_SOFT_BOUNCE_LIMIT,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Workspace:
    files = list(files)
    if not files:
        return Workspace(files, list(errors))
    analysis = analyse(
        files, soft_bounce_limit=soft_bounce_limit, progress=progress, cancelled=cancelled
    )
    return Workspace(files, list(errors), analysis, reviews_for(analysis))


def reviews_for(analysis: Analysis) -> list[Review]:
    """One review per contact list; without a list, one over the bounced addresses themselves."""
    reviews = [
        Review(f.path.name, f.table, outcomes, f.mapping.roles["email"], checked.keys)
        for f, outcomes, checked in zip(
            analysis.contacts, analysis.decision.outcomes, analysis.checked, strict=True
        )
    ]
    if not reviews and analysis.decision.by_address:
        shown: dict[str, str] = {}
        for key, address in zip(analysis.log.keys, analysis.log.addresses, strict=True):
            shown.setdefault(key, address)
        keys = list(analysis.decision.by_address)
        table = Table(["email"], [[shown[k] for k in keys]])
        outcomes = [analysis.decision.by_address[k] for k in keys]
        name = ", ".join(r.name for r in analysis.log.reports)
        reviews.append(Review(f"Bounced addresses ({name})", table, outcomes, 0, keys))
    return reviews


def with_overrides(workspace: Workspace) -> Analysis:
    """The analysis as the user left it: their overridden actions replace the app's."""
    analysis = workspace.analysis
    if analysis is None:
        raise ValueError("nothing to export")
    decision = analysis.decision
    if analysis.contacts:
        outcomes = [review.effective_outcomes() for review in workspace.reviews]
        return replace(analysis, decision=replace(decision, outcomes=outcomes))
    by_address = dict(decision.by_address)
    keys = list(by_address)  # the review's rows are the bounced addresses, in this order
    for review in workspace.reviews:
        for row, action in review.overrides.items():
            by_address[keys[row]] = overridden(by_address.get(keys[row], KEEP_CLEAN), action)
    return replace(analysis, decision=replace(decision, by_address=by_address))


def row_sources(workspace: Workspace) -> dict[str, Sequence[str]]:
    """For reports read from e-mails: the file each row came from, by report name."""
    return {
        f.path.name: f.table.column(SOURCE_COLUMN)
        for f in workspace.files
        if f.has_bounces and SOURCE_COLUMN in f.table.header
    }


def default_export_folder(workspace: Workspace) -> Path:
    """Next to the (first) contact list, else next to the first report."""
    first = next((f for f in workspace.files if f.has_contacts), None) or (
        workspace.files[0] if workspace.files else None
    )
    return first.path.parent if first is not None else Path.home()


def export(
    workspace: Workspace,
    out_dir: Path,
    fmt: str | None,
    report: bool,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> list[Path]:
    if progress is not None:
        progress("Writing the exports", 0, 0)
    return export_results(with_overrides(workspace), out_dir, fmt, report)
