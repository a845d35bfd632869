"""Email addresses as users' lists hold them: clean, validate offline, match, suggest typo fixes.

Validation is email-validator's (syntax only, no DNS). A million contacts share a few thousand
domains, so the domain half is validated once per domain and cached; addresses email-validator would
treat specially (quotes, non-ASCII local parts) take its full path. A test checks that both paths
give email-validator's own verdicts.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from email_validator import EmailNotValidError, validate_email
from email_validator.syntax import validate_email_domain_name, validate_email_local_part

from app.core.resources import resource_path

_SIMPLE_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")
# RFC 5322 dot-atom: what email-validator accepts for an ASCII local part without asking it.
_DOT_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
# One line of a newline-joined column: (local, domain) for a plain address, ("", "") otherwise.
_PLAIN_LINES = re.compile(
    r"^(?:([A-Za-z0-9!#$%&*+/=?^_`{|}~-][A-Za-z0-9!#$%&'*+/=?^_`{|}~-]*"
    r"(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)@([A-Za-z0-9.-]+)|.*)$",
    re.MULTILINE,
)
# A newline-joined column of plain ASCII cells (no spaces, quotes, brackets, commas, non-ASCII):
# each cell's match key is then simply its lower-case form.
_PLAIN_ASCII_COLUMN = re.compile(r"[A-Za-z0-9.!#$%&*+/=?^_`{|}~@\n-]*")
_NEEDS_CLEANING = re.compile(r"^\s|\s$|[<>]|^[\"']|[\"',;]$|^mailto:", re.IGNORECASE)
_ANGLED = re.compile(r"<([^<>]*)>")


@dataclass(frozen=True, slots=True)
class CheckedAddress:
    """`key` matches bounces to contacts; `problem` is "" for a valid address."""

    address: str
    key: str
    problem: str


def clean_address(raw: str) -> str:
    """'  "Jane Doe" <Jane@Example.COM> ' → 'Jane@Example.COM'; 'mailto:x@y.z' → 'x@y.z'."""
    value = raw.strip()
    if "<" in value:
        found = _ANGLED.findall(value)
        if found:
            value = found[-1].strip()
    if value[:7].lower() == "mailto:":
        value = value[7:].split("?", 1)[0].strip()
    return value.strip().strip("\"'").rstrip(",;").strip()


@dataclass(slots=True)
class CheckedColumn:
    """A column of checked addresses, stored as three lists (a million objects cost memory)."""

    addresses: list[str]
    keys: list[str]
    problems: list[str]

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, n: int) -> CheckedAddress:
        return CheckedAddress(self.addresses[n], self.keys[n], self.problems[n])

    @classmethod
    def concatenate(cls, parts: Sequence[CheckedColumn]) -> CheckedColumn:
        whole = cls([], [], [])
        for part in parts:
            whole.addresses += part.addresses
            whole.keys += part.keys
            whole.problems += part.problems
        return whole


class AddressChecker:
    """Validates addresses with a per-domain cache (the expensive half of email-validator)."""

    def __init__(self) -> None:
        self._domains: dict[str, tuple[str, str, str]] = {}

    def _domain(self, domain: str) -> tuple[str, str, str]:
        """(display domain, ASCII domain, problem) for one domain, cached."""
        known = self._domains.get(domain)
        if known is None:
            try:
                info = validate_email_domain_name(domain)
                known = (info["domain"], info["ascii_domain"], "")
            except EmailNotValidError as exc:
                known = (domain.lower(), domain.lower(), str(exc))
            self._domains[domain] = known
        return known

    def check(self, raw: str) -> CheckedAddress:
        return self.check_column([raw])[0]

    def check_column(self, raws: Sequence[str]) -> CheckedColumn:
        """Check a column: one regex pass finds the plain addresses; the rest go one by one."""
        parts = _PLAIN_LINES.findall("\n".join(raws))
        if len(parts) != len(raws):  # a value holds a line break: no shortcut
            parts = [("", "")] * len(raws)
        addresses: list[str] = []
        keys: list[str] = []
        problems: list[str] = []
        domain_info = self._domain
        for raw, (local, domain) in zip(raws, parts, strict=True):
            if domain and len(raw) <= 254:
                display, ascii_domain, problem = domain_info(domain)
                if not problem and len(local) > 64:
                    problem = "The part before the @-sign is too long."
                # reuse the cell's own string when nothing changes: a million copies add up
                if display == domain:
                    addresses.append(raw)
                    keys.append(raw if raw.islower() else f"{local}@{ascii_domain}".lower())
                else:
                    addresses.append(f"{local}@{display}")
                    keys.append(f"{local}@{ascii_domain}".lower())
                problems.append(problem)
            else:
                checked = self._check_unusual(raw)
                addresses.append(checked.address)
                keys.append(checked.key)
                problems.append(checked.problem)
        return CheckedColumn(addresses, keys, problems)

    def key_column(self, raws: Sequence[str]) -> CheckedColumn:
        """Match keys (and addresses as shown) for a bounce report's column, without verdicts on
        validity: a bounce's address only has to be matched to the list. Plain ASCII columns —
        nearly all reports — take one regex pass and a C-level lower-casing."""
        joined = "\n".join(raws)
        if _PLAIN_ASCII_COLUMN.fullmatch(joined):
            # already lower case (the usual report): the cells are their own keys, no copies
            keys = list(raws) if joined.islower() else list(map(str.lower, raws))
            return CheckedColumn(list(raws), keys, [""] * len(raws))
        return self.check_column(raws)

    def _check_unusual(self, raw: str) -> CheckedAddress:
        value = clean_address(raw) if _NEEDS_CLEANING.search(raw) else raw
        if not value:
            return CheckedAddress("", "", "The address is empty.")
        local, at, domain = value.rpartition("@")
        if not at:
            return CheckedAddress(value, value.lower(), "The address has no @ sign.")
        if _SIMPLE_LOCAL.fullmatch(local) and domain.isascii() and len(value) <= 254:
            display, ascii_domain, problem = self._domain(domain)
            if not problem and not _DOT_ATOM.fullmatch(local):
                try:
                    validate_email_local_part(local, allow_smtputf8=True)
                except EmailNotValidError as exc:
                    problem = str(exc)
                if len(local) > 64:
                    problem = problem or "The part before the @-sign is too long."
            address = f"{local}@{display}"
            return CheckedAddress(address, f"{local}@{ascii_domain}".lower(), problem)
        return self._check_fully(value)

    @staticmethod
    def _check_fully(value: str) -> CheckedAddress:
        try:
            result = validate_email(value, check_deliverability=False)
        except EmailNotValidError as exc:
            local, _, domain = value.rpartition("@")
            return CheckedAddress(value, f"{local}@{domain}".lower(), str(exc))
        key = (result.ascii_email or result.normalized).lower()
        return CheckedAddress(result.normalized, unicodedata.normalize("NFC", key), "")


@cache
def _domain_data() -> tuple[frozenset[str], dict[str, str]]:
    with open(resource_path("domains.toml"), "rb") as f:
        data = tomllib.load(f)
    return frozenset(data["popular"]), dict(data["typos"])


def _one_edit_apart(a: str, b: str) -> bool:
    """True when one insertion, deletion, substitution or swap of neighbours turns a into b."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        i = diffs[0]
        return len(diffs) == 2 and diffs[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1 :]


@cache
def suggest_domain(domain: str) -> str:
    """A likely intended domain for a typo ('gmial.com' → 'gmail.com'), or ""."""
    domain = domain.lower()
    popular, typos = _domain_data()
    if domain in popular:
        return ""
    if domain in typos:
        return typos[domain]
    close = [p for p in popular if _one_edit_apart(domain, p)]
    return close[0] if len(close) == 1 else ""


def suggest_address(address: str) -> str:
    """The address with its domain's typo fixed or stray spaces removed, or ""."""
    if any(ch.isspace() for ch in address):
        squeezed = "".join(address.split())
        return suggest_address(squeezed) or squeezed
    local, at, domain = address.rpartition("@")
    fixed = suggest_domain(domain) if at else ""
    return f"{local}@{fixed}" if fixed else ""
