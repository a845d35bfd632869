"""Classify one bounce — reply code, enhanced status, diagnostic text, bounce-type label — into a
reason, an action and a plain-language explanation.

Speed comes from the shape of the work: all text patterns (rules, providers, block lists) sit in one
RE2 set, matched once per row in linear time, and the verdict is cached by the row's *signature* —
the set of patterns that matched plus the codes and label. The decision reads nothing else, so the
cache is exact: rows that differ only in addresses, IPs or queue ids share one verdict.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.resources import resource_path
from app.core.rules import (
    NOTHING,
    PatternSet,
    Rule,
    default_rule_files,
    load_rule_files,
    normalise_label,
)
from app.core.smtp_codes import pick_codes
from app.core.taxonomy import Action, Reason, taxonomy

# The meaningful part of a bounce is at its start; a megabyte of hostile text is cut here.
MAX_TEXT = 100_000
_CACHE_LIMIT = 500_000
FALLBACK_RULE = "fallback.unknown"


def unfold(text: str) -> str:
    """A joined multi-line SMTP reply without its repeated line prefixes.

    Gmail and others answer in several lines, each prefixed "550-5.7.1" (the last "550 5.7.1");
    reports join them, so a phrase can straddle a prefix ("multiple 550-5.7.1 addresses in
    From"). Rules match the text with the prefixes after the first one removed. Plain string
    operations: this runs on every row.
    """
    for marker in ("-5.", "-4."):
        at = text.find(marker)
        if at >= 3 and text[at - 3 : at].isdigit():
            end = text.find(" ", at)
            if end < 0:
                return text
            if text.find(text[at - 3 : at], end) < 0:
                return text  # the reply code never comes back: a one-line reply
            prefix = text[at - 3 : end]  # "550-5.7.1"
            last = f"{prefix[:3]} {prefix[4:]}"  # "550 5.7.1"
            rest = text[end:].replace(f" {prefix} ", " ").replace(f" {last} ", " ")
            return text[:end] + rest
    return text


@dataclass(frozen=True, slots=True)
class Verdict:
    reason: str
    action: Action
    rule_id: str
    smtp_code: str
    enhanced_status: str
    explanation: str
    provider: str = ""
    blocklist: str = ""


@dataclass(frozen=True, slots=True)
class _Named:
    name: str
    pattern_ids: frozenset[int]


class _Blanks(dict[str, str]):
    """Template values; an unknown placeholder in a rule's text renders as nothing."""

    def __missing__(self, key: str) -> str:
        return ""


def _load_named(path: Path, table: str, patterns: PatternSet) -> list[_Named]:
    with open(path, "rb") as f:
        entries = tomllib.load(f).get(table, [])
    return [
        _Named(
            e["name"], frozenset(patterns.add(p, f"{path.name}: {e['name']}") for p in e["text"])
        )
        for e in entries
    ]


class Classifier:
    """Holds the compiled rules and the verdict cache; `classify` never raises."""

    def __init__(
        self,
        rules: list[Rule] | None = None,
        providers_file: Path | None = None,
        reasons: dict[str, Reason] | None = None,
    ) -> None:
        self.rules = rules if rules is not None else load_rule_files(default_rule_files())
        self.reasons = reasons or taxonomy()
        self._patterns = PatternSet()
        for rule in self.rules:
            where = f"{rule.source}: rule {rule.id!r}"
            rule.text_ids = frozenset(self._patterns.add(p, where) for p in rule.text)
            rule.not_text_ids = frozenset(self._patterns.add(p, where) for p in rule.not_text)
        providers_file = providers_file or resource_path("providers.toml")
        self.providers = _load_named(providers_file, "provider", self._patterns)
        self.blocklists = _load_named(providers_file, "blocklist", self._patterns)
        self._patterns.compile()
        self._cache: dict[tuple[Any, ...], Verdict] = {}

    def classify(
        self,
        diagnostic: str = "",
        smtp_code: str = "",
        enhanced_status: str = "",
        bounce_type: str = "",
    ) -> Verdict:
        return self.classify_column(
            (diagnostic,), (smtp_code,), (enhanced_status,), (bounce_type,)
        )[0]

    def classify_column(
        self,
        diagnostics: Sequence[str],
        smtp_codes: Sequence[str],
        enhanced_statuses: Sequence[str],
        bounce_types: Sequence[str],
    ) -> list[Verdict]:
        """One verdict per row of whole columns (a report, or a chunk of one). This runs on every
        row of a million-row report: every line here is measured."""
        match, cache = self._patterns.match, self._cache
        verdicts: list[Verdict] = []
        append = verdicts.append
        for diagnostic, smtp_code, enhanced_status, bounce_type in zip(
            diagnostics, smtp_codes, enhanced_statuses, bounce_types, strict=True
        ):
            text = diagnostic[:MAX_TEXT] if len(diagnostic) > MAX_TEXT else diagnostic
            if "-5." in text or "-4." in text:
                matched = match(unfold(text))
            else:
                matched = match(text) if text else NOTHING
            code, status = pick_codes(smtp_code, enhanced_status, text)
            label = normalise_label(bounce_type) if bounce_type else ""
            blank = not matched and (not text or text.isspace())
            key = (matched, code, status, label, blank)
            verdict = cache.get(key)
            if verdict is None:
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                verdict = cache[key] = self._decide(matched, code, status, label, blank)
            append(verdict)
        return verdicts

    def first_rule(
        self, matched: frozenset[int], code: str, status: str, label: str
    ) -> Rule | None:
        """The highest-ranked rule whose conditions all hold (see app.core.rules for the order)."""
        klass = status[:1] or code[:1]
        for rule in self.rules:
            if rule.text_ids and rule.text_ids.isdisjoint(matched):
                continue
            if rule.not_text_ids and not rule.not_text_ids.isdisjoint(matched):
                continue
            if rule.status is not None and not (status and rule.status.match(status)):
                continue
            if rule.not_status is not None and status and rule.not_status.match(status):
                continue
            if rule.codes is not None and code not in rule.codes:
                continue
            if rule.klass and rule.klass != klass:
                continue
            if rule.label is not None and not (label and rule.label.fullmatch(label)):
                continue
            return rule
        return None

    def _decide(
        self, matched: frozenset[int], code: str, status: str, label: str, no_text: bool
    ) -> Verdict:
        rule = self.first_rule(matched, code, status, label)
        reason = self.reasons[rule.reason if rule else "unknown"]
        klass = status[:1] or code[:1]
        action = rule.action if rule and rule.action else reason.action
        # A temporary failure cannot prove an address dead, and an unclear one is worth a retry.
        bends = action is Action.REMOVE or reason.id == "unknown"
        if not (rule and rule.action) and klass == "4" and bends:
            action = Action.RETRY
        provider = (rule.provider if rule else "") or self._first(self.providers, matched)
        blocklist = self._first(self.blocklists, matched)
        codes = " ".join(c for c in (code, status) if c)
        values = _Blanks(
            receiver=provider or "The receiving server",
            receiver_lc=provider or "the receiving server",
            provider=provider,
            blocklist=blocklist,
            codes=f" ({codes})" if codes else "",
            listed=f" — it is listed on {blocklist}" if blocklist else "",
        )
        template = (rule.explain if rule and rule.explain else "") or reason.summary
        if rule is None and no_text and not codes and not label:
            template = "The report gives no code or text for this bounce. Read it before deciding."
        return Verdict(
            reason=reason.id,
            action=action,
            rule_id=rule.id if rule else FALLBACK_RULE,
            smtp_code=code,
            enhanced_status=status,
            explanation=template.format_map(values),
            provider=provider,
            blocklist=blocklist,
        )

    @staticmethod
    def _first(entries: list[_Named], matched: frozenset[int]) -> str:
        return next((e.name for e in entries if not e.pattern_ids.isdisjoint(matched)), "")
