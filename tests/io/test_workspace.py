"""The window's jobs without the window: loading files and folders, the reviews built from them, and
exports that carry the user's overrides."""

from __future__ import annotations

import csv
import hashlib
import shutil
from collections import Counter
from pathlib import Path

import pytest

from app.core.taxonomy import Action
from app.io.workspace import (
    Workspace,
    analyse_files,
    default_export_folder,
    expand_paths,
    export,
    load,
    reviews_for,
    sample_paths,
    with_overrides,
)

REPORT = (
    "email,code,status,diagnostic,date\n"
    "gone@example.com,550,5.1.1,550 5.1.1 <gone@example.com>: User unknown,2026-03-01\n"
    "Full@Example.com,452,4.2.2,452 4.2.2 <full@example.com>: Mailbox full,2026-03-02\n"
    "full@example.com,452,4.2.2,452 4.2.2 <full@example.com>: Mailbox full,2026-03-03\n"
    "nxdomain@nowhere.invalid,550,5.1.2,550 5.1.2 Host or domain name not found,2026-03-02\n"
    "retry@example.com,421,4.4.2,421 4.4.2 Connection timed out,2026-03-04\n"
)


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_report(folder: Path, name: str = "bounces.csv", text: str = REPORT) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def samples(tmp_path: Path) -> list[Path]:
    """The bundled samples, copied: exports next to them must never touch the bundled files."""
    folder = tmp_path / "samples"
    folder.mkdir()
    return [Path(shutil.copy(p, folder)) for p in sample_paths()]


# --- the samples ----------------------------------------------------------------------------------


def test_sample_paths_are_a_contact_list_and_two_reports() -> None:
    paths = sample_paths()
    assert [p.name for p in paths] == [
        "contacts.csv",
        "mailgun_bounces.csv",
        "sendgrid_bounces.csv",
    ]
    assert all(p.is_file() for p in paths)


def test_loading_the_samples_gives_one_review_counting_the_decisions() -> None:
    workspace = load([], sample_paths())

    assert workspace.errors == []
    assert [f.path.name for f in workspace.files] == [p.name for p in sample_paths()]
    assert [f.has_contacts for f in workspace.files] == [True, False, False]
    assert workspace.analysis is not None
    assert len(workspace.reviews) == 1
    review = workspace.reviews[0]
    assert review.name == "contacts.csv"
    contact_rows = read_csv(sample_paths()[0])
    assert review.row_count == len(contact_rows)
    assert [review.email(n) for n in range(review.row_count)] == [r["Email"] for r in contact_rows]

    outcomes = workspace.analysis.decision.outcomes[0]
    tally = Counter(o.action for o in outcomes)
    assert review.counts() == {action: tally[action] for action in Action}
    assert review.counts()[Action.REMOVE] > 0  # the sample shows what the app removes
    assert review.overrides == {}


# --- reading files and folders --------------------------------------------------------------------


def test_a_garbage_file_is_reported_and_the_others_still_load(tmp_path: Path) -> None:
    garbage = tmp_path / "x.xlsx"
    garbage.write_bytes(bytes(range(256)) * 8)
    contacts, *reports = sample_paths()

    workspace = load([], [contacts, garbage, *reports])

    assert len(workspace.errors) == 1
    assert "x.xlsx" in workspace.errors[0]
    assert [f.path.name for f in workspace.files] == [p.name for p in sample_paths()]
    assert len(workspace.reviews) == 1
    assert workspace.reviews[0].counts() == load([], sample_paths()).reviews[0].counts()


def test_only_garbage_gives_an_error_and_nothing_to_review(tmp_path: Path) -> None:
    garbage = tmp_path / "x.xlsx"
    garbage.write_bytes(b"\x00\xff\xfe garbage \x01" * 50)
    workspace = load([], [garbage])
    assert workspace.files == [] and workspace.reviews == []
    assert workspace.analysis is None
    assert len(workspace.errors) == 1 and "x.xlsx" in workspace.errors[0]


def test_loading_the_same_file_twice_keeps_one_copy(tmp_path: Path) -> None:
    contacts = Path(shutil.copy(sample_paths()[0], tmp_path / "list.csv"))
    (tmp_path / "sub").mkdir()
    same = tmp_path / "sub" / ".." / "list.csv"  # another spelling of the same file

    workspace = load([], [contacts, contacts, same])
    assert [f.path.name for f in workspace.files] == ["list.csv"]
    assert len(workspace.reviews) == 1

    again = load(workspace.files, [contacts, same])
    assert len(again.files) == 1
    assert len(again.reviews) == 1
    assert again.reviews[0].row_count == workspace.reviews[0].row_count


def test_loading_more_files_keeps_those_already_open(tmp_path: Path) -> None:
    contacts = tmp_path / "list.csv"
    contacts.write_text("email,name\ngone@example.com,Gone\nfine@example.com,Fine\n", "utf-8")
    first = load([], [contacts])
    assert first.reviews[0].counts()[Action.KEEP] == 2

    second = load(first.files, [write_report(tmp_path)])

    assert [f.path.name for f in second.files] == ["list.csv", "bounces.csv"]
    review = second.reviews[0]
    assert review.name == "list.csv"
    assert [review.action(0), review.action(1)] == [Action.REMOVE, Action.KEEP]


def test_a_folder_is_expanded_recursively_to_readable_files(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    (folder / "nested" / "deeper").mkdir(parents=True)
    contacts = folder / "list.csv"
    contacts.write_text("email\ngone@example.com\nfine@example.com\n", "utf-8")
    report = write_report(folder / "nested" / "deeper", "BOUNCES.CSV")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (folder / "nested" / "README").write_text("not a list", "utf-8")
    (folder / "nested" / "script.py").write_text("print('hi')\n", "utf-8")

    found = expand_paths([folder])
    assert set(found) == {contacts, report}
    assert len(found) == 2

    workspace = load([], [folder])
    assert workspace.errors == []
    assert {f.path for f in workspace.files} == {contacts, report}
    assert [r.name for r in workspace.reviews] == ["list.csv"]
    assert workspace.reviews[0].action(0) is Action.REMOVE


def test_expand_paths_keeps_files_as_given(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    inside = folder / "a.tsv"
    inside.write_text("email\na@example.com\n", "utf-8")
    picture = tmp_path / "picture.png"  # named by the user: passed on, reading it will say why not
    picture.write_bytes(b"\x89PNG")
    first = tmp_path / "z.csv"
    first.write_text("email\nz@example.com\n", "utf-8")
    assert expand_paths([first, folder, picture]) == [first, inside, picture]
    assert expand_paths([]) == []


def test_progress_never_passes_its_total_for_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    for n in range(3):
        (folder / f"list{n}.csv").write_text(f"email\nuser{n}@example.com\n", "utf-8")
    reading: list[tuple[int, int]] = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage.startswith("Reading"):
            reading.append((done, total))

    load([], [folder], progress=progress)
    assert len(reading) == 3
    assert all(done <= total for done, total in reading), reading


# --- bounce reports without a contact list --------------------------------------------------------


def test_bounces_only_gives_one_review_of_the_bounced_addresses(tmp_path: Path) -> None:
    report = write_report(tmp_path)
    workspace = load([], [report])

    assert len(workspace.reviews) == 1
    review = workspace.reviews[0]
    assert review.name == "Bounced addresses (bounces.csv)"
    addresses = [r["email"] for r in read_csv(report)]
    distinct = list(dict.fromkeys(a.lower() for a in addresses))
    assert review.row_count == len(distinct)  # one row per address, however often it bounced
    assert list(review.keys) == distinct
    # each address as the report first wrote it (the local part's case kept)
    shown = [review.email(n) for n in range(review.row_count)]
    assert [e.lower() for e in shown] == distinct
    assert shown[distinct.index("full@example.com")].startswith("Full@")
    assert review.action(distinct.index("gone@example.com")) is Action.REMOVE
    assert review.action(distinct.index("full@example.com")) is not Action.REMOVE


def test_bounces_only_review_names_every_report(tmp_path: Path) -> None:
    _, mailgun, sendgrid = sample_paths()
    workspace = load([], [mailgun, sendgrid])
    assert [r.name for r in workspace.reviews] == [
        "Bounced addresses (mailgun_bounces.csv, sendgrid_bounces.csv)"
    ]
    addresses = {r["address"].lower() for r in read_csv(mailgun)}
    addresses |= {r["email"].lower() for r in read_csv(sendgrid)}
    review = workspace.reviews[0]
    assert set(review.keys) == addresses
    assert review.row_count == len(addresses)


def test_every_contact_list_gets_its_own_review(tmp_path: Path) -> None:
    first = tmp_path / "first.csv"
    first.write_text("email\ngone@example.com\na@example.com\n", "utf-8")
    second = tmp_path / "second.csv"
    second.write_text("email\nb@example.com\nc@example.com\ngone@example.com\n", "utf-8")
    workspace = load([], [first, write_report(tmp_path), second])
    assert workspace.analysis is not None
    reviews = reviews_for(workspace.analysis)
    assert [(r.name, r.row_count) for r in reviews] == [("first.csv", 2), ("second.csv", 3)]
    assert [reviews[0].action(0), reviews[1].action(2)] == [Action.REMOVE, Action.REMOVE]


def test_analysing_no_files_gives_an_empty_workspace() -> None:
    workspace = analyse_files([], ["bad.xlsx: not readable"])
    assert workspace.files == [] and workspace.reviews == []
    assert workspace.analysis is None
    assert workspace.errors == ["bad.xlsx: not readable"]


def test_analyse_files_again_gives_the_same_reviews() -> None:
    workspace = load([], sample_paths())
    again = analyse_files(workspace.files)
    assert [r.counts() for r in again.reviews] == [r.counts() for r in workspace.reviews]


# --- exports with the user's overrides ------------------------------------------------------------


def test_a_rescued_address_is_exported_in_the_cleaned_list(
    samples: list[Path], tmp_path: Path
) -> None:
    before = {p: digest(p) for p in samples}
    workspace = load([], samples)
    review = workspace.reviews[0]
    removed = [n for n in review.rows([Action.REMOVE]) if review.outcomes[n].reason != "duplicate"]
    rescued_row = removed[0]
    rescued = review.email(rescued_row)
    contact_rows = read_csv(samples[0])

    plain = tmp_path / "plain"
    plain.mkdir()
    export(workspace, plain, "csv", report=False)
    assert rescued not in {r["Email"] for r in read_csv(plain / "contacts-cleaned.csv")}
    assert rescued in {r["Email"] for r in read_csv(plain / "contacts-suppression.csv")}

    review.set_actions([rescued_row], Action.KEEP)
    out = tmp_path / "out"
    out.mkdir()
    written = export(workspace, out, "csv", report=False)

    assert out / "contacts-cleaned.csv" in written
    cleaned = read_csv(out / "contacts-cleaned.csv")
    suppression = read_csv(out / "contacts-suppression.csv")
    duplicates_path = out / "contacts-duplicates.csv"
    duplicates = read_csv(duplicates_path) if duplicates_path.exists() else []
    assert rescued in {r["Email"] for r in cleaned}
    assert rescued not in {r["Email"] for r in suppression}
    assert len(cleaned) + len(suppression) + len(duplicates) == len(contact_rows)
    counts = review.counts()
    assert len(cleaned) == counts[Action.RETRY] + counts[Action.INVESTIGATE] + counts[Action.KEEP]
    assert len(cleaned) == len(read_csv(plain / "contacts-cleaned.csv")) + 1
    # the inputs are untouched, and so is the app's own verdict
    assert {p: digest(p) for p in samples} == before
    assert workspace.analysis is not None
    assert workspace.analysis.decision.outcomes[0][rescued_row].action is Action.REMOVE


def test_a_condemned_address_is_exported_in_the_suppression_list(
    samples: list[Path], tmp_path: Path
) -> None:
    workspace = load([], samples)
    review = workspace.reviews[0]
    condemned_row = review.rows([Action.KEEP])[0]
    condemned = review.email(condemned_row)
    review.set_actions([condemned_row], Action.REMOVE)

    export(workspace, tmp_path, "csv", report=False)

    suppressed = {r["Email"]: r for r in read_csv(tmp_path / "contacts-suppression.csv")}
    assert condemned in suppressed
    assert suppressed[condemned]["action"] == "remove"
    assert "You chose" in suppressed[condemned]["explanation"]
    assert condemned not in {r["Email"] for r in read_csv(tmp_path / "contacts-cleaned.csv")}


def test_with_overrides_leaves_the_workspace_as_it_was(samples: list[Path]) -> None:
    workspace = load([], samples)
    review = workspace.reviews[0]
    row = review.rows([Action.REMOVE])[0]
    review.set_actions([row], Action.RETRY)
    assert workspace.analysis is not None
    original = list(workspace.analysis.decision.outcomes[0])

    analysis = with_overrides(workspace)

    assert analysis.decision.outcomes[0][row].action is Action.RETRY
    assert analysis.decision.outcomes[0] == review.effective_outcomes()
    assert workspace.analysis.decision.outcomes[0] == original
    assert workspace.analysis.decision.outcomes[0][row].action is Action.REMOVE


def test_bounces_only_export_follows_the_overrides(tmp_path: Path) -> None:
    report = write_report(tmp_path)
    before = digest(report)
    workspace = load([], [report])
    review = workspace.reviews[0]
    removed = {review.email(n) for n in review.rows([Action.REMOVE])}
    rescued_row = review.rows([Action.REMOVE])[0]
    condemned_row = review.rows([Action.RETRY])[0]
    rescued, condemned = review.email(rescued_row), review.email(condemned_row)

    plain = tmp_path / "plain"
    plain.mkdir()
    export(workspace, plain, "csv", report=False)
    assert {r["email"] for r in read_csv(plain / "bounces-suppression.csv")} == removed

    review.set_actions([rescued_row], Action.KEEP)
    review.set_actions([condemned_row], Action.REMOVE)
    out = tmp_path / "out"
    out.mkdir()
    written = export(workspace, out, "csv", report=False)

    assert written == [out / "bounces-suppression.csv"]
    rows = read_csv(out / "bounces-suppression.csv")
    assert {r["email"] for r in rows} == (removed - {rescued}) | {condemned}
    assert len(rows) == len((removed - {rescued}) | {condemned})
    chosen = next(r for r in rows if r["email"] == condemned)
    assert chosen["action"] == "remove"
    assert "You chose" in chosen["explanation"]
    assert digest(report) == before
    assert workspace.analysis is not None
    keys = list(workspace.analysis.decision.by_address)
    assert workspace.analysis.decision.by_address[keys[rescued_row]].action is Action.REMOVE


def test_nothing_to_export_without_files(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        with_overrides(Workspace())
    with pytest.raises(ValueError):
        export(Workspace(), tmp_path, "csv", report=False)
    assert list(tmp_path.iterdir()) == []


# --- where exports go -----------------------------------------------------------------------------


def test_default_export_folder_is_next_to_the_contact_list(tmp_path: Path) -> None:
    lists, reports = tmp_path / "lists", tmp_path / "reports"
    lists.mkdir()
    reports.mkdir()
    contacts = lists / "list.csv"
    contacts.write_text("email\ngone@example.com\n", "utf-8")
    report = write_report(reports)

    assert default_export_folder(load([], [report, contacts])) == lists
    assert default_export_folder(load([], [report])) == reports
    assert default_export_folder(Workspace()) == Path.home()
