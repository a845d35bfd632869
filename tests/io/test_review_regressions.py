"""Cases found in review: each once produced a wrong file a user would have imported."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from app.cli import main

BOUNCE = "email,code,status,diagnostic\n{}\n"


def clean(tmp_path: Path, contacts: Path, bounces: str, *extra: str) -> Path:
    report = tmp_path / "bounces.csv"
    report.write_text(BOUNCE.format(bounces), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    assert main(["clean", "--contacts", str(contacts), "--bounces", str(report),
                 "--out-dir", str(out), "--no-report", *extra]) == 0  # fmt: skip
    return out


def test_title_line_is_not_the_suppression_header(tmp_path: Path) -> None:
    contacts = tmp_path / "list.csv"
    contacts.write_bytes(
        b"Customer export - 30 Nov 2026\r\n\r\nemail,name,city,phone\r\n"
        b"good@example.com,Good,Paris,1\r\nbob@example.com,B\r\n"
    )
    out = clean(tmp_path, contacts, "bob@example.com,550,5.1.1,user unknown")
    rows = list(csv.reader(io.StringIO((out / "list-suppression.csv").read_text("utf-8"))))
    assert rows[0] == ["email", "name", "city", "phone", "action", "reason", "explanation",
                       "bounces", "last_bounce"]  # fmt: skip
    # a short row is padded, so "remove" sits under "action", not under "city"
    assert rows[1][:5] == ["bob@example.com", "B", "", "", "remove"]
    cleaned = (out / "list-cleaned.csv").read_bytes()
    assert cleaned.startswith(b"Customer export - 30 Nov 2026\r\n\r\nemail,name,city,phone\r\n")


def test_later_copies_are_not_suppressed(tmp_path: Path) -> None:
    contacts = tmp_path / "list.csv"
    contacts.write_text("email,name\ngood@example.com,A\nGood@Example.com,B\n", encoding="utf-8")
    out = clean(tmp_path, contacts, "x@example.org,550,5.1.1,user unknown")
    assert "good@example.com" not in (out / "list-suppression.csv").read_text("utf-8").lower()
    duplicates = (out / "list-duplicates.csv").read_text("utf-8")
    assert "Good@Example.com,B,remove,duplicate" in duplicates
    assert (out / "list-cleaned.csv").read_text("utf-8") == "email,name\ngood@example.com,A\n"


def test_legacy_code_pages_get_readable_explanations(tmp_path: Path) -> None:
    """Our explanations use an em dash; a Shift-JIS list cannot hold one: it gets '-', no crash."""
    sjis = tmp_path / "sjis.csv"
    sjis.write_bytes("email,名前\nanna@example.com,山田\n".encode("shift_jis"))
    inactive = "550 5.1.1 <anna@example.com>: inactive email address (in reply to RCPT TO)"
    out = clean(tmp_path, sjis, f"anna@example.com,550,5.1.1,{inactive}")
    written = (out / "sjis-suppression.csv").read_bytes().decode("shift_jis")
    assert "anna@example.com,山田,remove,user_unknown," in written
    assert "—" not in written and " - " in written  # the em dash, made plain
    cleaned = (out / "sjis-cleaned.csv").read_bytes().decode("shift_jis")
    assert cleaned.startswith("email,名前")
    text = "550 5.7.606 Access denied, banned sending IP [192.0.2.1]"
    blocked = clean(tmp_path, sjis, f"anna@example.com,550,5.7.606,{text}")
    kept = (blocked / "sjis-cleaned.csv").read_bytes().decode("shift_jis")
    assert "anna@example.com,山田" in kept  # a sender problem never removes the address


def test_inputs_with_the_same_name_get_separate_outputs(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "list.csv").write_text(f"email\n{folder}@example.com\n", "utf-8")
    report = tmp_path / "bounces.csv"
    report.write_text(BOUNCE.format("a@example.com,550,5.1.1,user unknown"), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    assert main(["clean", "--contacts", str(tmp_path / "a/list.csv"), str(tmp_path / "b/list.csv"),
                 "--bounces", str(report), "--out-dir", str(out), "--no-report"]) == 0  # fmt: skip
    assert (out / "list-cleaned.csv").read_text("utf-8") == "email\n"
    assert (out / "list-2-cleaned.csv").read_text("utf-8") == "email\nb@example.com\n"


def test_spreadsheet_written_as_csv_shows_numbers_as_in_excel(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["email", "visits"])
    sheet.append(["anna@example.com", 5])
    sheet.append(["bob@example.com", 12])
    contacts = tmp_path / "list.xlsx"
    book.save(contacts)
    out = clean(tmp_path, contacts, "x@example.org,550,5.1.1,user unknown", "--format", "csv")
    text = (out / "list-cleaned.csv").read_text("utf-8-sig")
    assert "anna@example.com,5\n" in text and "5.0" not in text


def test_report_rows_without_an_address_are_skipped_and_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contacts = tmp_path / "list.csv"
    contacts.write_text("email\nanna@example.com\n", encoding="utf-8")
    out = clean(
        tmp_path, contacts, ",550,5.1.1,user unknown\nanna@example.com,452,4.2.2,mailbox full"
    )
    summary = capsys.readouterr().out
    assert "bounces.csv: 1 row has no address and was skipped (row 1)" in summary
    assert (out / "list-suppression.csv").read_text("utf-8").count("\n") == 1  # header only


def test_spreadsheet_without_a_header_keeps_its_first_address(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    for address in ("bob@example.com", "alice@example.com", "carol@example.com"):
        book.active.append([address])
    contacts = tmp_path / "nohdr.xlsx"
    book.save(contacts)
    out = clean(tmp_path, contacts, "bob@example.com,550,5.1.1,user unknown")
    removed = openpyxl.load_workbook(out / "nohdr-suppression.xlsx").active
    assert [r[0] for r in removed.iter_rows(min_row=2, values_only=True)] == ["bob@example.com"]
    kept = openpyxl.load_workbook(out / "nohdr-cleaned.xlsx").active
    assert [r[0] for r in kept.iter_rows(min_row=2, values_only=True)] == [
        "alice@example.com",
        "carol@example.com",
    ]


def test_clean_reads_the_named_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active.append(["This workbook lists our customers on the next sheet"])
    customers = book.create_sheet("Customers")
    customers.append(["email", "name"])
    customers.append(["anna@example.com", "Anna"])
    customers.append(["bob@example.com", "Bob"])
    contacts = tmp_path / "crm.xlsx"
    book.save(contacts)
    out = clean(
        tmp_path, contacts, "bob@example.com,550,5.1.1,user unknown", "--sheet", "Customers"
    )
    kept = openpyxl.load_workbook(out / "crm-cleaned.xlsx").active
    assert [r[0] for r in kept.iter_rows(min_row=2, values_only=True)] == ["anna@example.com"]
    report = tmp_path / "bounces.csv"
    status = main(["clean", "--contacts", str(contacts), "--bounces", str(report),
                   "--out-dir", str(out), "--sheet", "Nope"])  # fmt: skip
    assert status == 2 and "crm.xlsx: there is no sheet named 'Nope'" in capsys.readouterr().err


def test_ragged_rows_of_a_streamed_report_are_kept_and_named(tmp_path: Path) -> None:
    """A bounce report with short and long rows: every bounce is read, the rows are named."""
    from app.io.cleaning import analyse

    report = tmp_path / "bounces.csv"
    report.write_text(
        "email,smtp_code,diagnostic\n"
        "a@example.com,550,5.1.1 user unknown\n"
        "b@example.com,550\n"
        "c@example.com,452,4.2.2 mailbox full,extra,cells\n"
        "d@example.com,550,5.1.1 user unknown\n",
        encoding="utf-8",
    )
    analysis = analyse([], streamed_reports=[report])
    assert len(analysis.log) == 4
    note = next(n for n in analysis.notes if "too few or too many" in n)
    assert note.startswith("bounces.csv: 2 rows") and "row 2, 3" in note
