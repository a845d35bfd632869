"""Recognise what each column of a report or list holds: first by its header (in several
languages and the providers' own layouts), then by its content.

Traps this handles: SendGrid's `reason` is the SMTP text but Mailgun's `reason` is a category,
Mailjet's `error` is a category and its `comment` the SMTP reply, Constant Contact's bounce code is
a letter, and placeholder statuses like 5.0.0 fill whole columns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.core.smtp_codes import clean_reply_code, codes_in

ROLES = (  # also the order of the fields in importer.BounceRow
    "email",
    "smtp_code",
    "enhanced_status",
    "diagnostic",
    "bounce_type",
    "date",
)
BOUNCE_ROLES = ("smtp_code", "enhanced_status", "diagnostic", "bounce_type")

# Normalised header names (lower case, accents and non-alphanumerics removed) per role.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "email": (
        "email", "emailaddress", "eaddress", "mail", "emailaddr", "address", "recipient",
        "recipientaddress", "recipientemail", "to", "finalrecipient", "subscriber", "contactemail",
        "adresseemail", "adressemail", "courriel", "adressecourriel", "adressemel", "mel",
        "emailadresse", "emailadres", "correo", "correoelectronico", "direccionemail",
        "direcciondecorreo", "direcciondecorreoelectronico", "indirizzoemail", "postaelettronica",
        "enderecodeemail", "enderecoemail", "epost", "epostadress", "sahkoposti", "destinataire",
        "empfanger", "empfaenger",
    ),
    "smtp_code": (
        "smtpcode", "code", "replycode", "smtpreplycode", "statuscode", "errorcode", "smtpstatus",
        "bouncecode", "responsecode", "smtperrorcode",
    ),
    "enhanced_status": (
        "enhancedstatus", "status", "enhancedstatuscode", "dsn", "dsnstatus", "smtpstatus",
        "deliverystatus",
    ),
    "diagnostic": (
        "diagnostic", "diagnosticcode", "reason", "error", "details", "message", "response",
        "smtpresponse", "bouncereason", "errormessage", "diagnosticinfo", "comment", "description",
        "smtpreply", "bouncemessage", "raison", "motif", "grund", "fehlermeldung", "motivo",
        "meta", "bouncedetails", "errordetails",
    ),
    "bounce_type": (
        "bouncetype", "type", "bouncecategory", "category", "bouncesubtype", "classification",
        "hardbounce", "bounceclass", "typedebounce", "reason", "bouncecode",
    ),
    "date": (
        "date", "created", "createdat", "timestamp", "time", "bouncedat", "bouncedate",
        "lastupdatetime", "eventtime", "datetime", "cleantime", "bouncetime", "occurredat",
        "receivedat", "when", "datum", "fecha", "data",
    ),
}  # fmt: skip
# Headers that can only mean the SMTP diagnostic text (unlike "reason", "error" or "comment",
# which some providers use for a category): trusted even when the texts are short.
UNAMBIGUOUS_HEADERS = frozenset({
    "diagnostic", "diagnosticcode", "smtpresponse", "bouncemessage", "bouncereason",
    "errormessage", "smtpreply", "diagnosticinfo", "bouncedetails", "errordetails",
})  # fmt: skip
_ADDRESS = re.compile(r"[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+")
_STATUS = re.compile(r"\s*[245]\.\d{1,3}\.\d{1,3}\s*")


def normalise_header(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    return "".join(ch for ch in decomposed if ch.isalnum() and ch.isascii())


@dataclass(slots=True)
class ColumnMapping:
    """Role → column index; `guessed` names the roles found by content rather than header."""

    roles: dict[str, int] = field(default_factory=dict)
    guessed: set[str] = field(default_factory=set)

    def get(self, role: str) -> int | None:
        return self.roles.get(role)


def _share(values: Sequence[str], test: Callable[[str], bool]) -> float:
    filled = [v for v in values if v.strip()]
    if not filled:
        return 0.0
    return sum(1 for v in filled if test(v)) / len(filled)


def _is_address(value: str) -> bool:
    return _ADDRESS.search(value) is not None


def _is_reply_code(value: str) -> bool:
    return bool(clean_reply_code(value))


def _is_status(value: str) -> bool:
    return _STATUS.fullmatch(value) is not None


def _is_smtp_text(value: str) -> bool:
    """A diagnostic text: long enough and mentions codes or mail-system words."""
    if len(value) < 12 or not any(ch.isalpha() for ch in value):
        return False
    replies, statuses = codes_in(value)
    lowered = value.lower()
    return bool(replies or statuses) or any(
        w in lowered for w in ("smtp", "mailbox", "recipient", "rejected", "user", "domain", "spam")
    )


def _has_words(values: Sequence[str]) -> bool:
    return any(any(ch.isalpha() for ch in v) for v in values)


def _mean_length(values: Sequence[str]) -> float:
    filled = [v for v in values if v.strip()]
    return sum(len(v) for v in filled) / len(filled) if filled else 0.0


def _looks_like(role: str, values: Sequence[str]) -> bool:
    """A bounce type is a short label from a small vocabulary; a date column is not empty."""
    filled = [v.strip() for v in values if v.strip()]
    if not filled:
        return False
    if role == "bounce_type":
        return _mean_length(filled) <= 30 and len(set(filled)) <= max(12, len(filled) // 5)
    return True


def detect_columns(header: Sequence[str], columns: Sequence[Sequence[str]]) -> ColumnMapping:
    """Roles for a table's columns, judged on its header and first 500 values per column."""
    names = [normalise_header(h) for h in header]
    samples = [list(col[:500]) for col in columns]
    mapping = ColumnMapping()
    used: set[int] = set()

    def claim(role: str, index: int, guessed: bool = False) -> None:
        mapping.roles[role] = index
        used.add(index)
        if guessed:
            mapping.guessed.add(role)

    # email: a header alias whose values are mostly addresses, else the most address-like column
    address_share = [_share(s, _is_address) for s in samples]
    by_header = [i for i, n in enumerate(names) if n in HEADER_ALIASES["email"]]
    good = [i for i in by_header if address_share[i] >= 0.5 or not any(samples[i])]
    if good:
        claim("email", good[0])
    elif address_share and max(address_share) >= 0.5:
        claim("email", max(range(len(samples)), key=address_share.__getitem__), guessed=True)

    content_tests: dict[str, Callable[[Sequence[str]], bool]] = {
        "smtp_code": lambda s: _share(s, _is_reply_code) >= 0.6,
        "enhanced_status": lambda s: _share(s, _is_status) >= 0.6,
        "diagnostic": lambda s: _share(s, _is_smtp_text) >= 0.5 and _mean_length(s) >= 15,
    }
    for role in ("enhanced_status", "smtp_code", "diagnostic"):
        test = content_tests[role]
        candidates = [i for i, n in enumerate(names) if n in HEADER_ALIASES[role] and i not in used]
        passing = [
            i
            for i in candidates
            if test(samples[i]) or (names[i] in UNAMBIGUOUS_HEADERS and _has_words(samples[i]))
        ]
        # several headers may qualify (Postmark: Description and Details): the most SMTP-like wins
        chosen = max(
            passing,
            key=lambda i: (_share(samples[i], _is_smtp_text), _mean_length(samples[i])),
            default=None,
        )
        if chosen is None:
            others = [i for i in range(len(samples)) if i not in used and test(samples[i])]
            if role == "diagnostic" and others:
                others.sort(key=lambda i: -_mean_length(samples[i]))
            if others:
                claim(role, others[0], guessed=True)
        else:
            claim(role, chosen)
    for role in ("bounce_type", "date"):
        index = next(
            (
                i
                for i, n in enumerate(names)
                if n in HEADER_ALIASES[role] and i not in used and _looks_like(role, samples[i])
            ),
            None,
        )
        if index is not None:
            claim(role, index)
    return mapping
