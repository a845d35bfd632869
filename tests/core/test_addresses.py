"""Addresses as users' lists hold them; the fast path agrees with email-validator."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.addresses import AddressChecker, clean_address, suggest_address


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ('  "Jane Doe" <Jane@Example.COM> ', "Jane@Example.COM"),
        ("mailto:anna@example.com?subject=hi", "anna@example.com"),
        ("<tom@example.org>", "tom@example.org"),
        ("eva@example.net;", "eva@example.net"),
        (".lead@example.net", ".lead@example.net"),  # stays invalid: not silently repaired
    ],
)
def test_clean_address(raw: str, clean: str) -> None:
    assert clean_address(raw) == clean


def test_domain_is_lower_cased_and_keys_match_case_insensitively() -> None:
    checker = AddressChecker()
    a, b = checker.check("Anna.B@GMAIL.com"), checker.check("anna.b@gmail.COM")
    assert a.address == "Anna.B@gmail.com" and a.key == b.key == "anna.b@gmail.com"


def test_idna_domains_match_their_ascii_form() -> None:
    checker = AddressChecker()
    assert checker.check("x@bücher.de").key == checker.check("x@xn--bcher-kva.de").key


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("jean dupont@example.com", "SPACE"),
        ("nobody", "no @"),
        ("", "empty"),
        ("a..b@example.com", "two periods"),
        ("info@shop.test", "special-use"),
    ],
)
def test_invalid_addresses_say_why(raw: str, problem: str) -> None:
    assert problem in AddressChecker().check(raw).problem


local_chars = st.sampled_from([*"abcXYZ019.-_+'=!#é ", '"', "..", "@"])
domains = st.sampled_from(
    ["example.com", "gmail.com", "bücher.de", "localhost", "shop.test", "x", "a-.com", "ex ample.com",
     "EXAMPLE.ORG", "mail.example.co.uk", "1.2.3.4", "-bad.com"]
)  # fmt: skip


@settings(max_examples=400)
@given(local=st.lists(local_chars, min_size=0, max_size=12).map("".join), domain=domains)
def test_fast_path_agrees_with_email_validator(local: str, domain: str) -> None:
    address = f"{local}@{domain}"
    ours = AddressChecker().check(address)
    try:
        validate_email(clean_address(address), check_deliverability=False)
        theirs_valid = True
    except EmailNotValidError:
        theirs_valid = False
    assert (ours.problem == "") == theirs_valid, (address, ours.problem)


@pytest.mark.parametrize(
    ("address", "suggestion"),
    [
        ("anna@gmial.com", "anna@gmail.com"),
        ("tom@hotmial.com", "tom@hotmail.com"),
        ("lea@yaho.fr", "lea@yahoo.fr"),
        ("max@gmaill.com", "max@gmail.com"),
        ("ken@outlok.com", "ken@outlook.com"),
        ("jean dupont @orange.fr", "jeandupont@orange.fr"),
        ("anna@gmail.com", ""),
        ("boss@my-company.de", ""),
    ],
)
def test_typo_suggestions(address: str, suggestion: str) -> None:
    assert suggest_address(address) == suggestion


cells = st.one_of(
    st.builds("{}@{}".format, st.lists(local_chars, max_size=8).map("".join), domains),
    st.sampled_from(
        ["", " a@b.com ", "x\ny@z.com", "'quoted@x.com", "Jane <J@Example.COM>", "a@b"]
    ),
)


@settings(max_examples=200)
@given(column=st.lists(cells, max_size=12))
def test_a_checked_column_equals_each_address_checked_alone(column: list[str]) -> None:
    """The column path (one regex pass over the joined cells) must not change any verdict."""
    alone = [AddressChecker()._check_unusual(raw) for raw in column]
    together = AddressChecker().check_column(column)
    assert len(together) == len(column)
    for n, expected in enumerate(alone):
        got = together[n]
        assert (got.key, got.problem == "") == (expected.key, expected.problem == ""), column[n]


@settings(max_examples=200)
@given(column=st.lists(cells, max_size=12))
def test_bounce_keys_equal_the_full_check_s_keys(column: list[str]) -> None:
    """The bounce-side shortcut (plain ASCII columns) gives the same match keys."""
    assert AddressChecker().key_column(column).keys == AddressChecker().check_column(column).keys


def test_bounce_keys_lower_case_plain_columns() -> None:
    keys = AddressChecker().key_column(["Anna@Example.COM", "bob@example.org"]).keys
    assert keys == ["anna@example.com", "bob@example.org"]
