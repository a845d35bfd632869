"""The command line as a user and the scorers call it."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from app.cli import main

ROOT = Path(__file__).resolve().parents[1]
HEADER = [
    "source", "row", "email", "smtp_code", "enhanced_status", "diagnostic",
    "action", "reason", "explanation", "rule", "provider",
]  # fmt: skip


def write_report(path: Path, rows: list[list[str]], header: list[str] | None = None) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header or ["email", "smtp_code", "enhanced_status", "diagnostic"])
        writer.writerows(rows)
    return path


def read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_classify_writes_one_row_per_bounce_in_input_order(tmp_path: Path) -> None:
    report = write_report(
        tmp_path / "bounces.csv",
        [
            ["anna@example.com", "550", "5.1.1", "550 5.1.1 <anna@example.com>: User unknown"],
            ["tom@example.org", "452", "4.2.2", "452 4.2.2 Mailbox full"],
            ["eva@example.net", "", "", '=HYPERLINK("x") 550 5.7.1 blocked using zen.spamhaus.org'],
            ["ken@example.net", "", "", ""],
        ],
    )
    out = tmp_path / "out.csv"
    assert main(["classify", str(report), "--output", str(out)]) == 0
    rows = read(out)
    assert list(rows[0]) == HEADER
    assert [(r["row"], r["email"], r["action"], r["reason"]) for r in rows] == [
        ("1", "anna@example.com", "remove", "user_unknown"),
        ("2", "tom@example.org", "retry", "mailbox_full"),
        ("3", "eva@example.net", "investigate", "blocked"),
        ("4", "ken@example.net", "investigate", "unknown"),
    ]
    assert rows[2]["diagnostic"].startswith("'=HYPERLINK")  # no formula when opened in Excel
    assert "Spamhaus" in rows[2]["explanation"]


def test_classify_several_reports_and_provider_headers(tmp_path: Path) -> None:
    first = write_report(tmp_path / "a.csv", [["x@example.com", "550", "5.1.1", "user unknown"]])
    mailgun = write_report(
        tmp_path / "mailgun.csv",
        [["y@example.com", "552", "Mailbox full", "Mon, 02 Nov 2026 10:30:00 UTC"]],
        header=["address", "code", "error", "created_at"],
    )
    out = tmp_path / "out.csv"
    assert main(["classify", str(first), str(mailgun), "-o", str(out)]) == 0
    rows = read(out)
    assert [(r["source"], r["email"], r["reason"]) for r in rows] == [
        ("a.csv", "x@example.com", "user_unknown"),
        ("mailgun.csv", "y@example.com", "mailbox_full"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"name,city\nAnna,Paris\n", "no column holds email addresses"),
        (b"email,city\nanna@example.com,Paris\n", "no bounce columns"),
    ],
)
def test_unreadable_reports_give_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    report = tmp_path / "report.csv"
    report.write_bytes(content)
    assert main(["classify", str(report), "-o", str(tmp_path / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert message in err and "report.csv" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out.csv").exists()


def test_missing_report_and_overwriting_input_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["classify", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
    report = write_report(tmp_path / "r.csv", [["x@example.com", "550", "5.1.1", "x"]])
    before = report.read_bytes()
    assert main(["classify", str(report), "-o", str(report)]) == 2
    assert "overwrite an input" in capsys.readouterr().err
    assert report.read_bytes() == before


def test_binary_file_is_refused_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "photo.csv"
    report.write_bytes(bytes(range(256)) * 40)
    status = main(["classify", str(report), "-o", str(tmp_path / "o.csv")])
    assert status == 2
    assert "photo.csv" in capsys.readouterr().err


def test_explain_prints_verdict_rule_and_advice(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "550 5.1.1 <a@b.c>: user unknown"]) == 0
    out = capsys.readouterr().out
    assert "Action:   remove" in out
    assert "user_unknown" in out and "Rule:" in out
    assert "hurt your\nsender reputation" in out  # the advice paragraph, wrapped


def test_module_entry_point_version_and_help() -> None:
    version = subprocess.run(
        [sys.executable, "-m", "app", "--version"], capture_output=True, text=True, cwd=ROOT
    )
    assert version.returncode == 0 and __version__ in version.stdout
    helped = subprocess.run(
        [sys.executable, "-m", "app", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert helped.returncode == 0 and "classify" in helped.stdout


def test_a_missing_file_for_the_window_is_named_not_opened(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["no-such-list.csv"]) == 2
    assert "no-such-list.csv: no such file" in capsys.readouterr().err


def test_cli_does_not_load_qt_for_classification(tmp_path: Path) -> None:
    code = (
        "import sys; from app.cli import main; "
        "main(['explain', '550 5.1.1 user unknown']); "
        "sys.exit(1 if [m for m in sys.modules if m.startswith('PySide6')] else 0)"
    )
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT).returncode == 0
    )


def test_sample_data_exercises_every_action(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sample"]) == 0
    out = capsys.readouterr().out
    for action in ("remove", "retry", "investigate", "keep"):
        counts = [line for line in out.splitlines() if line.strip().startswith(action)]
        assert counts and int(counts[0].split()[-1]) > 0, action
    assert "Sender problems" in out and "Microsoft (" in out


def test_classify_streams_past_a_late_windows_line(tmp_path: Path) -> None:
    """UTF-8 for the sniffed megabyte, then one cp1252 line: every row is classified and read."""
    lines = [b"email,smtp_code,enhanced_status,diagnostic\n"]
    while sum(map(len, lines)) < (1 << 20) + 1000:
        lines.append(f"u{len(lines)}@example.com,452,4.2.2,Boîte pleine — réessayez\n".encode())
    lines.append("renee@example.com,550,5.1.1,Utilisateur inconnu: Renée\n".encode("cp1252"))
    report = tmp_path / "big.csv"
    report.write_bytes(b"".join(lines))
    out = tmp_path / "out.csv"
    assert main(["classify", str(report), "-o", str(out)]) == 0
    rows = read(out)
    assert len(rows) == len(lines) - 1
    assert rows[-1]["diagnostic"] == "Utilisateur inconnu: Renée"
    assert rows[-1]["action"] == "remove"


def test_version_loads_no_heavy_library() -> None:
    """`--version` answers at once: no Qt, no spreadsheet or e-mail libraries."""
    code = (
        "import sys; from app.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('PySide6', 'openpyxl', 'python_calamine', 'xlsxwriter', 'extract_msg', 're2')\n"
        "sys.exit(1 if [m for m in sys.modules if m.split('.')[0] in heavy] else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout
