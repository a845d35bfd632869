"""The bounce taxonomy: reason ids, their labels, default actions and advice texts.

The ids are a contract with the exports and the scorers, so they live in one data file
(`resources/taxonomy.toml`) and this module refuses a file that lacks any of them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from app.core.resources import resource_path


class Action(StrEnum):
    REMOVE = "remove"
    RETRY = "retry"
    INVESTIGATE = "investigate"
    KEEP = "keep"


REASON_IDS: tuple[str, ...] = (
    "user_unknown",
    "bad_domain",
    "mailbox_disabled",
    "address_moved",
    "invalid_address",
    "complaint",
    "mailbox_full",
    "greylisted",
    "rate_limited",
    "temporary_failure",
    "network_error",
    "expired",
    "blocked",
    "auth_failed",
    "content_rejected",
    "policy",
    "message_too_large",
    "relay_denied",
    "protocol_error",
    "unknown",
    "auto_reply",
    "delivered",
    "repeated_soft_bounce",
    "duplicate",
)

# Reasons decided from an address's history, never by the single-bounce classifier.
HISTORY_REASONS = frozenset({"repeated_soft_bounce", "duplicate"})


@dataclass(frozen=True, slots=True)
class Reason:
    id: str
    label: str
    action: Action
    advice: str
    summary: str


class TaxonomyError(ValueError):
    """The taxonomy file is missing a reason or carries a malformed one."""


def load_taxonomy(path: Path | None = None) -> dict[str, Reason]:
    path = path or resource_path("taxonomy.toml")
    with open(path, "rb") as f:
        data = tomllib.load(f).get("reason", {})
    missing = [rid for rid in REASON_IDS if rid not in data]
    unexpected = [rid for rid in data if rid not in REASON_IDS]
    if missing or unexpected:
        raise TaxonomyError(f"{path}: missing reasons {missing}, unexpected {unexpected}")
    reasons = {}
    for rid in REASON_IDS:
        entry = data[rid]
        try:
            reasons[rid] = Reason(
                id=rid,
                label=entry["label"],
                action=Action(entry["action"]),
                advice=" ".join(entry["advice"].split()),
                summary=entry["summary"],
            )
        except (KeyError, ValueError) as exc:
            raise TaxonomyError(f"{path}: reason {rid!r}: {exc}") from exc
    return reasons


@cache
def taxonomy() -> dict[str, Reason]:
    """The bundled taxonomy, loaded once."""
    return load_taxonomy()
