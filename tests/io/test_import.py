"""Importing the real-layout sample exports: kind, rows, columns, encodings, delimiters, damage."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import charset_normalizer
import openpyxl
import pytest

from app.io.delimited import FileReadError
from app.io.importer import FileKind, bounce_fields, import_file
from app.io.spreadsheets import read_spreadsheet
from app.io.text_encoding import detect_encoding

DATA = Path(__file__).resolve().parents[1] / "data"

# How each delimited fixture is written (known from the fixtures' README, not from our detection).
TEXT_FORMAT = {
    "mailchimp_audience_export.csv": ("utf-8", ","),
    "boutique_clients_excel_fr.csv": ("cp1252", ";"),
    "newsletter_unicode_text.txt": ("utf-16", "\t"),
    "sendgrid_bounces.csv": ("utf-8", ","),
    "mailgun_bounces.csv": ("utf-8", ","),
    "postmark_bounces.csv": ("utf-8", ","),
    "mailjet_bounces.csv": ("utf-8", ","),
    "ses_suppression_list.csv": ("utf-8", ","),
    "mailchimp_cleaned_export.csv": ("utf-8", ","),
    "listmonk_bounces.csv": ("utf-8", ","),
    "campaign_monitor_bounces.csv": ("utf-8", ","),
}


def csv_data_rows(name: str) -> list[list[str]]:
    """The data rows of a delimited fixture, read with the csv module and the known format."""
    encoding, delimiter = TEXT_FORMAT[name]
    with open(DATA / name, encoding=encoding, newline="") as f:
        rows = [r for r in csv.reader(f, delimiter=delimiter) if any(c.strip() for c in r)]
    return rows[1:]


def xlsx_data_rows(name: str, header_cell: str) -> list[tuple[object, ...]]:
    """The rows below the row holding `header_cell` in the first sheet, read with openpyxl."""
    sheet = openpyxl.load_workbook(DATA / name, read_only=True).worksheets[0]
    rows = [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
    start = next(i for i, r in enumerate(rows) if header_cell in r)
    return rows[start + 1 :]


def data_row_count(name: str, header_cell: str) -> int:
    if name.endswith(".xlsx"):
        return len(xlsx_data_rows(name, header_cell))
    return len(csv_data_rows(name))


def roles_by_header(imported) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {role: imported.table.header[i] for role, i in imported.mapping.roles.items()}


# file, kind, every role found and the header of its column
FIXTURES = [
    ("mailchimp_audience_export.csv", FileKind.CONTACTS, {"email": "Email Address"}),
    ("boutique_clients_excel_fr.csv", FileKind.CONTACTS, {"email": "Adresse e-mail"}),
    ("crm_contacts.xlsx", FileKind.CONTACTS, {"email": "E-mail"}),
    ("newsletter_unicode_text.txt", FileKind.CONTACTS, {"email": "Email"}),
    (
        "sendgrid_bounces.csv",
        FileKind.BOUNCES,
        {"email": "email", "date": "created", "enhanced_status": "status", "diagnostic": "reason"},
    ),
    (
        "mailgun_bounces.csv",
        FileKind.BOUNCES,
        {"email": "address", "smtp_code": "code", "diagnostic": "error", "date": "created_at"},
    ),
    (
        "postmark_bounces.csv",
        FileKind.BOUNCES,
        {"email": "Email", "diagnostic": "Details", "bounce_type": "Type", "date": "BouncedAt"},
    ),
    (
        "mailjet_bounces.csv",
        FileKind.BOUNCES,
        {"email": "email", "diagnostic": "comment", "bounce_type": "hard_bounce", "date": "time"},
    ),
    (
        "ses_suppression_list.csv",
        FileKind.BOUNCES,
        {"email": "EmailAddress", "bounce_type": "Reason", "date": "LastUpdateTime"},
    ),
    (
        "listmonk_bounces.csv",
        FileKind.BOUNCES,
        {"email": "email", "diagnostic": "meta", "bounce_type": "type", "date": "created_at"},
    ),
    (
        "campaign_monitor_bounces.csv",
        FileKind.BOUNCES,
        {
            "email": "EmailAddress",
            "diagnostic": "Reason",
            "bounce_type": "BounceType",
            "date": "Date",
        },
    ),
    (
        "mailchimp_cleaned_export.csv",
        FileKind.BOTH,
        {"email": "Email Address", "date": "CLEAN_TIME"},
    ),
    (
        "weekly_bounces.xlsx",
        FileKind.BOUNCES,
        {
            "email": "Recipient",
            "smtp_code": "Reply code",
            "enhanced_status": "Status",
            "diagnostic": "Response",
            "date": "Date",
        },
    ),
]


@pytest.mark.parametrize(("name", "kind", "roles"), FIXTURES, ids=[f[0] for f in FIXTURES])
def test_fixture_imports_with_kind_rows_and_columns(
    name: str, kind: FileKind, roles: dict[str, str]
) -> None:
    imported = import_file(DATA / name)
    assert imported.kind is kind
    assert imported.table.row_count == data_row_count(name, roles["email"])
    assert roles_by_header(imported) == roles
    assert not imported.mapping.guessed  # every role was recognised by its header
    assert imported.notes == []  # the fixtures have no ragged rows


@pytest.mark.parametrize(("name", "kind", "roles"), FIXTURES, ids=[f[0] for f in FIXTURES])
def test_email_column_holds_the_files_addresses(
    name: str, kind: FileKind, roles: dict[str, str]
) -> None:
    imported = import_file(DATA / name)
    emails = imported.table.columns[imported.mapping.roles["email"]]
    if name.endswith(".xlsx"):
        rows = xlsx_data_rows(name, roles["email"])
        header = openpyxl.load_workbook(DATA / name, read_only=True).worksheets[0]
        index = next(r for r in header.iter_rows(values_only=True) if roles["email"] in r).index(
            roles["email"]
        )
        expected = ["" if r[index] is None else str(r[index]) for r in rows]
    else:
        encoding, delimiter = TEXT_FORMAT[name]
        with open(DATA / name, encoding=encoding, newline="") as f:
            expected = [r[roles["email"]] for r in csv.DictReader(f, delimiter=delimiter)]
    assert emails == expected


def test_bounce_fields_resolve_provider_quirks() -> None:
    listmonk = list(bounce_fields(import_file(DATA / "listmonk_bounces.csv")).rows())
    email, _code, status, text, label, _day = listmonk[0]
    assert email == "louis.taylor@wanadoo.fr"
    assert status == "5.1.1"  # from the JSON meta cell
    assert text.startswith("The email account that you tried to reach does not exist")
    assert label == "hard"

    with open(DATA / "mailjet_bounces.csv", encoding="utf-8", newline="") as f:
        mailjet_rows = list(csv.DictReader(f))
    mailjet = list(bounce_fields(import_file(DATA / "mailjet_bounces.csv")).rows())
    for row, fields in zip(mailjet_rows, mailjet, strict=True):
        assert fields[3] == row["comment"]  # the SMTP reply, not the `error` category
        expected = (
            "blocked"
            if row["blocked"] == "true"
            else ("hard" if row["hard_bounce"] == "true" else "soft")
        )
        assert fields[4] == expected

    ses = list(bounce_fields(import_file(DATA / "ses_suppression_list.csv")).rows())
    assert {fields[4] for fields in ses} <= {"BOUNCE", "COMPLAINT"}
    assert all(fields[3] == "" for fields in ses)  # SES gives no diagnostic text

    cleaned = list(bounce_fields(import_file(DATA / "mailchimp_cleaned_export.csv")).rows())
    assert {fields[4] for fields in cleaned} == {"cleaned"}


# --- encodings -----------------------------------------------------------------------------------


def test_cp1252_french_export_decodes_accents() -> None:
    imported = import_file(DATA / "boutique_clients_excel_fr.csv")
    table = imported.table
    assert imported.layout is not None
    assert (imported.layout.encoding, imported.layout.bom, imported.layout.delimiter) == (
        "cp1252",
        b"",
        ";",
    )
    assert "Prénom" in table.header
    assert "Téléphone" in table.header
    assert "Liège" in table.column("Ville")
    assert table.column("Prénom")[0] == "Björn"
    every_cell = [cell for column in table.columns for cell in column]
    assert not any("\ufffd" in cell for cell in every_cell)
    # the whole table equals what the csv module reads with the known encoding
    assert [table.row(i) for i in range(table.row_count)] == csv_data_rows(
        "boutique_clients_excel_fr.csv"
    )


WESTERN_SAMPLE = (
    "Nom;Prénom;Ville;Adresse e-mail\r\n"
    "Muñoz;José;Logroño;jose.munoz@example.es\r\n"
    "Núñez;Hélène;Liège;helene.nunez@example.be\r\n"
    "Garçon;Françoise;Besançon;fgarcon@example.fr\r\n"
    "Peña;Thérèse;Mâcon;tpena@example.fr\r\n"
    "Ibáñez;Renée;Cádiz;renee@example.es\r\n"
)


def test_cp1252_western_text_is_not_read_as_central_european(tmp_path: Path) -> None:
    data = WESTERN_SAMPLE.encode("cp1252")
    # the premise: charset-normalizer on its own calls this Central European
    assert charset_normalizer.from_bytes(data).best().encoding == "cp1250"

    assert detect_encoding(data, complete=True).name == "cp1252"
    path = tmp_path / "clients.csv"
    path.write_bytes(data)
    table = import_file(path).table
    cells = [cell for column in table.columns for cell in column]
    assert table.column("Nom")[0] == "Muñoz"
    assert "Thérèse" in table.column("Prénom")
    assert "Cádiz" in table.column("Ville")
    assert not any(ch in cell for cell in cells for ch in "ńčřěš")


@pytest.mark.parametrize(
    "text",
    [
        "email,first,last\r\nuser0@example.com,Thérèse,Björn\r\n",
        "email,name\r\nanna@example.com,Thérèse Björn\r\n",
        "email,first,last\r\nuser0@example.com,Muñoz,Noël\r\nuser1@example.com,Loïc,Noël\r\n",
    ],
    ids=["therese-bjorn", "one-name-column", "munoz-noel"],
)
def test_small_cp1252_list_keeps_its_accents(tmp_path: Path, text: str) -> None:
    """charset-normalizer alone calls these Big5; the accents must survive."""
    path = tmp_path / "small.csv"
    path.write_bytes(text.encode("cp1252"))
    table = import_file(path).table
    expected = list(csv.reader(text.splitlines()))[1:]
    assert [table.row(i) for i in range(table.row_count)] == expected


def test_utf16_unicode_text_export() -> None:
    imported = import_file(DATA / "newsletter_unicode_text.txt")
    assert imported.layout is not None
    assert imported.layout.encoding == "utf-16-le"
    assert imported.layout.bom == b"\xff\xfe"
    assert imported.layout.delimiter == "\t"
    assert imported.table.header == ["Email", "Name", "Language"]
    assert "Jules Côté" in imported.table.column("Name")
    assert [imported.table.row(i) for i in range(imported.table.row_count)] == csv_data_rows(
        "newsletter_unicode_text.txt"
    )


def test_utf8_bom_is_not_part_of_the_first_header(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffemail,name\r\nanna@example.com,Anna Müller\r\n".encode())
    imported = import_file(path)
    assert imported.table.header == ["email", "name"]
    assert imported.mapping.roles["email"] == 0
    assert imported.table.row(0) == ["anna@example.com", "Anna Müller"]
    assert imported.layout is not None and imported.layout.bom == b"\xef\xbb\xbf"


@pytest.mark.parametrize(
    "delimiter", [",", ";", "\t", "|"], ids=["comma", "semicolon", "tab", "pipe"]
)
def test_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    rows = [
        ["email", "name", "city", "note"],
        ["anna@example.com", "Dupont, Anna", "Paris; 75", "likes | pipes"],
        ["bob@example.org", "Bob", "Lyon", "a\ttab"],
        ["carl@example.net", 'Carl "the boss"', "Nice", ""],
    ]
    path = tmp_path / "list.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    imported = import_file(path)
    assert imported.layout is not None and imported.layout.delimiter == delimiter
    assert imported.table.header == rows[0]
    assert [imported.table.row(i) for i in range(3)] == rows[1:]


# --- rows ----------------------------------------------------------------------------------------


def test_quoted_newline_keeps_one_row() -> None:
    imported = import_file(DATA / "mailchimp_audience_export.csv")
    with open(DATA / "mailchimp_audience_export.csv", "rb") as f:
        physical_lines = f.read().count(b"\n")
    assert imported.table.row_count == 301
    assert physical_lines > imported.table.row_count + 1  # some record spans two lines
    assert "VIP, pays\nnewsletter" in imported.table.column("NOTES")
    assert '=HYPERLINK("http://example.com")' in imported.table.column("NOTES")


def test_ragged_rows_are_kept_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(
        "email,name,city\r\n"
        "anna@example.com,Anna,Paris\r\n"
        "bob@example.com,Bob\r\n"
        'carl@example.com,"Carl\r\nSecond line",Nice,extra\r\n'
        "dora@example.com,Dora,Lyon\r\n",
        encoding="utf-8",
    )
    imported = import_file(path)
    table = imported.table
    assert table.row_count == 4
    assert table.column("email") == [
        "anna@example.com",
        "bob@example.com",
        "carl@example.com",
        "dora@example.com",
    ]
    assert table.row(1)[:3] == ["bob@example.com", "Bob", ""]
    assert "extra" in table.row(2)  # the extra field is kept, not dropped
    problems = {p.row: p.message for p in table.problems}
    assert set(problems) == {2, 3}
    assert "few" in problems[2] and "many" in problems[3]
    assert any(note.startswith("row 2 ") and "few" in note for note in imported.notes)
    assert any(note.startswith("row 3 ") and "many" in note for note in imported.notes)


def test_title_line_above_a_two_column_csv_header(tmp_path: Path) -> None:
    path = tmp_path / "titled.csv"
    path.write_text(
        "Customer export 2026\r\n\r\nemail,name\r\nanna@example.com,Anna\r\n"
        "bob@example.com,Bob\r\ncarl@example.com,Carl\r\n",
        encoding="utf-8",
    )
    imported = import_file(path)
    assert imported.table.header == ["email", "name"]
    assert imported.table.row_count == 3


def test_title_line_above_a_wide_csv_header_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "titled.csv"
    path.write_text(
        "Customer export 2026\r\n\r\nemail,first,last,city\r\n"
        "anna@example.com,Anna,Roy,Paris\r\nbob@example.com,Bob,Lee,Lyon\r\n",
        encoding="utf-8",
    )
    imported = import_file(path)
    assert imported.table.header == ["email", "first", "last", "city"]
    assert imported.table.column("email") == ["anna@example.com", "bob@example.com"]


# --- spreadsheets --------------------------------------------------------------------------------


def test_xlsx_title_and_blank_row_are_skipped() -> None:
    imported = import_file(DATA / "crm_contacts.xlsx")
    assert imported.sheet == "Contacts"
    assert imported.table.header == ["Company", "Contact", "E-mail", "Phone", "Country", "Opt-in"]
    first = imported.table.row(0)
    assert first[:4] == ["Outlook", "Noah Richard", "noah.richard@outlook.com", "+49 30 9907300"]
    assert "Customer export – 30 Nov 2026" not in imported.table.column("Company")


def test_xlsx_date_cells_read_as_text_like_the_user_sees_them() -> None:
    imported = import_file(DATA / "crm_contacts.xlsx")
    opt_in = imported.table.column("Opt-in")
    assert opt_in[0] == "2026-09-05 09:30:00"
    expected = [
        value.strftime("%Y-%m-%d") if value.time() == dt.time() else f"{value:%Y-%m-%d %H:%M:%S}"
        for value in (row[5] for row in xlsx_data_rows("crm_contacts.xlsx", "E-mail"))
    ]
    assert opt_in == expected


def test_xlsx_other_sheet_by_name(tmp_path: Path) -> None:
    table, name = read_spreadsheet(DATA / "crm_contacts.xlsx", "Notes")
    assert name == "Notes"
    assert table.header == ["Exported from our CRM; do not edit"]
    assert table.row_count == 0

    book = openpyxl.Workbook()
    first = book.active
    first.title = "Old"
    first.append(["email", "name"])
    first.append(["old@example.com", "Old"])
    second = book.create_sheet("Current")
    second.append(["Adresse e-mail", "Nom"])
    second.append(["new1@example.com", "Nouveau"])
    second.append(["new2@example.com", "Autre"])
    path = tmp_path / "two_sheets.xlsx"
    book.save(path)

    assert import_file(path).table.column("email") == ["old@example.com"]
    chosen = import_file(path, sheet="Current")
    assert chosen.sheet == "Current"
    assert chosen.table.column("Adresse e-mail") == ["new1@example.com", "new2@example.com"]


def test_missing_sheet_name_is_an_error_naming_the_file() -> None:
    with pytest.raises(FileReadError) as error:
        import_file(DATA / "crm_contacts.xlsx", sheet="Customers")
    assert "crm_contacts.xlsx" in str(error.value)
    assert "Customers" in str(error.value)


def test_sheet_without_addresses_is_an_error() -> None:
    with pytest.raises(FileReadError, match=r"crm_contacts\.xlsx"):
        import_file(DATA / "crm_contacts.xlsx", sheet="Notes")


# --- bad input -----------------------------------------------------------------------------------


def _garbage() -> bytes:
    rng = random.Random(20261130)
    return bytes(rng.randrange(256) for _ in range(4096))


BAD_FILES = {
    "empty.csv": b"",
    "blank.csv": b"  \r\n\r\n\t\r\n",
    "garbage.csv": _garbage(),
    "workbook_renamed.csv": (DATA / "crm_contacts.xlsx").read_bytes(),
    "truncated.xlsx": (lambda b: b[: len(b) // 2])((DATA / "crm_contacts.xlsx").read_bytes()),
    "no_email.csv": b"name,city,phone\r\nAnna,Paris,0612345678\r\nBob,Lyon,0698765432\r\n",
    "list.pdf": b"%PDF-1.4\nemail\nanna@example.com\n",
    "list.docx": (DATA / "crm_contacts.xlsx").read_bytes(),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_input_is_a_file_read_error_naming_the_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    with pytest.raises(FileReadError) as error:
        import_file(path)
    assert name in str(error.value)


def test_missing_file_is_a_file_read_error(tmp_path: Path) -> None:
    with pytest.raises(FileReadError, match=r"nowhere\.csv"):
        import_file(tmp_path / "nowhere.csv")


def test_no_email_column_message_lists_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "no_email.csv"
    path.write_bytes(BAD_FILES["no_email.csv"])
    with pytest.raises(FileReadError) as error:
        import_file(path)
    assert "'name'" in str(error.value) and "'phone'" in str(error.value)


def test_lone_carriage_return_inside_a_quoted_cell(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_bytes(
        b'email,name,note\r\nanna@example.com,Anna,"old Mac\rline break"\r\n'
        b"bob@example.com,Bob,\r\n"
    )
    imported = import_file(path)
    assert imported.table.column("note") == ["old Mac\rline break", ""]


def test_amazon_ses_notifications_import_as_a_bounce_report() -> None:
    imported = import_file(DATA / "ses_notifications.jsonl")
    assert imported.kind is FileKind.BOUNCES
    assert imported.table.row_count == 20
    first = imported.table.row(0)
    assert first[:2] == ["lena.schneider@btinternet.com", "5.2.1"]
    assert first[2].startswith("550 5.2.1 The email account that you tried to reach is disabled")
    assert first[3] == "Permanent/General"


def test_a_json_file_that_is_not_ses_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text('{"hello": "world"}\n', encoding="utf-8")
    with pytest.raises(FileReadError, match=r"events\.jsonl: no SES bounce"):
        import_file(path)
