"""Codes come out of texts as servers write them, and never out of IP addresses."""

from __future__ import annotations

import pytest

from app.core.smtp_codes import clean_reply_code, clean_status, codes_in, pick_codes


@pytest.mark.parametrize(
    ("text", "replies", "statuses"),
    [
        ("550-5.1.1 The email account that you tried to reach does not exist", ["550"], ["5.1.1"]),
        ("550 sorry, no mailbox here by that name (#5.1.1 - chkusr)", ["550"], ["5.1.1"]),
        ("Remote server said: (#5.7.1) denied", [], ["5.7.1"]),
        ("This mailbox is disabled (554.30)", ["554"], []),
        ("#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##", ["550"], ["5.1.1"]),
        ("451 4.7.650 The mail server [192.0.2.25] has been rate limited", ["451"], ["4.7.650"]),
        ("host mx.example.com[192.0.2.1] said: 5.1.1.1 and 250.1.2.3", [], []),
        ("connect to [2401:2500:102:3032::1]:25 and 10.4.2.2", [], []),
        ("id (-1915321397:308:-2147467259) version 2.4.5.6", [], []),
    ],
)
def test_codes_found_in_text(text: str, replies: list[str], statuses: list[str]) -> None:
    assert codes_in(text) == (replies, statuses)


def test_specific_status_in_text_beats_placeholder_column() -> None:
    assert pick_codes("", "5.0.0", "550 5.1.1 <a@b.example> user unknown") == ("550", "5.1.1")


def test_specific_column_beats_text() -> None:
    assert pick_codes("552", "5.2.2", "5.1.0 Unknown address error '5.2.2 Mailbox Full'") == (
        "552",
        "5.2.2",
    )


def test_placeholder_kept_when_nothing_better() -> None:
    assert pick_codes("550", "5.0.0", "rejected") == ("550", "5.0.0")


@pytest.mark.parametrize(
    ("cell", "code"), [("550", "550"), (" 550 ", "550"), ("550.0", "550"), ("55", ""), ("x", "")]
)
def test_reply_code_columns(cell: str, code: str) -> None:
    assert clean_reply_code(cell) == code


@pytest.mark.parametrize(
    ("cell", "status"), [("5.1.1", "5.1.1"), (" 4.2.2 ", "4.2.2"), ("n/a", "")]
)
def test_status_columns(cell: str, status: str) -> None:
    assert clean_status(cell) == status
