"""Sender incidents: the investigate bounces grouped by receiving provider and cause.

"Microsoft (outlook.com, hotmail.com, live.com): 312 bounces from 298 addresses — …" tells a user
that one fix on their side (a delisting request, a DNS record) explains hundreds of bounces, and
that none of those addresses should be removed.
"""

from __future__ import annotations

import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache

from app.core.bounce_log import BounceLog
from app.core.classifier import Verdict
from app.core.resources import resource_path
from app.core.taxonomy import Action, taxonomy


@dataclass(frozen=True, slots=True)
class Incident:
    provider: str
    domains: tuple[str, ...]  # recipient domains involved, most bounces first
    reason: str
    bounces: int
    addresses: int
    summary: str  # one line for the panel and the report
    advice: str  # what to do, in plain words


@cache
def _domain_providers() -> dict[str, str]:
    with open(resource_path("providers.toml"), "rb") as f:
        entries = tomllib.load(f).get("provider", [])
    return {domain: e["name"] for e in entries for domain in e.get("domains", [])}


def provider_for_domain(domain: str) -> str:
    """The mailbox provider hosting a recipient domain ('hotmail.fr' → 'Microsoft'), or ""."""
    return _domain_providers().get(domain.lower(), "")


def find_incidents(log: BounceLog) -> list[Incident]:
    """Investigate bounces grouped by (provider, reason), largest group first."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, verdict in enumerate(log.verdicts):
        if verdict.action is not Action.INVESTIGATE:
            continue
        domain = log.keys[index].rpartition("@")[2]
        provider = verdict.provider or provider_for_domain(domain) or domain or "Unknown"
        groups[(provider, verdict.reason)].append(index)
    incidents = []
    for (provider, reason), members in groups.items():
        domains = Counter(log.keys[i].rpartition("@")[2] for i in members)
        verdicts: Counter[Verdict] = Counter(log.verdicts[i] for i in members)
        addresses = len({log.keys[i] for i in members})
        top_domains = tuple(d for d, _ in domains.most_common() if d)
        shown = ", ".join(top_domains[:3]) + (", …" if len(top_domains) > 3 else "")
        head = f"{provider} ({shown})" if shown and shown != provider else provider
        explanation = verdicts.most_common(1)[0][0].explanation
        if addresses > 1:
            explanation = explanation.replace("this address", "these addresses")
        plural = "es" if addresses != 1 else ""
        summary = (
            f"{head}: {len(members)} bounce{'s' if len(members) != 1 else ''} "
            f"from {addresses} address{plural} — {explanation}"
        )
        incidents.append(
            Incident(
                provider,
                top_domains,
                reason,
                len(members),
                addresses,
                summary,
                taxonomy()[reason].advice,
            )
        )
    incidents.sort(key=lambda i: (-i.bounces, i.provider))
    return incidents
