"""Classification rules as data: load, validate and compile `resources/rules/*.toml`.

Order of precedence — the one place it is decided
-------------------------------------------------
Every rule gets a rank; the classifier takes the first rule, by rank, whose conditions all hold.
The rank is, in this order:

1. the stage of the file the rule sits in:
   ``provider`` (a provider's own documented texts) → ``text`` (generic MTA / multilingual texts)
   → ``status`` (enhanced status code alone) → ``vague`` (texts that only say "refused")
   → ``label`` (the email service's specific bounce type: Blocked, SpamComplaint, …)
   → ``code`` (reply code alone) → ``hard_soft`` (a bare hard/soft, Permanent/Transient label);
2. the file name (files are read in sorted order: ``10-…`` before ``20-…``);
3. the rule's position in its file.

When no rule holds, the verdict is ``unknown``.

A rule's conditions (all optional, all must hold; a list holds when any entry matches):
``text`` RE2 patterns searched case-insensitively in the diagnostic text; ``not_text`` patterns
that veto; ``status`` enhanced-status globs (``5.1.1``, ``*.2.2``, ``5.7.6??``) and ``not_status``
globs that veto; ``code`` reply
codes (``550``, ``5xx``, ``500-554``); ``class`` the permanence (``permanent``, ``temporary``,
``success``); ``label`` patterns fully matching the normalised bounce-type label.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import re2

from app.core.resources import resource_path
from app.core.taxonomy import HISTORY_REASONS, REASON_IDS, Action

STAGES: tuple[str, ...] = ("provider", "text", "status", "vague", "label", "code", "hard_soft")
CLASSES = {"permanent": "5", "temporary": "4", "success": "2"}
_RULE_KEYS = {
    "id", "reason", "text", "not_text", "status", "not_status", "code", "class", "label",
    "provider", "action", "explain", "examples", "note",
}  # fmt: skip
_EXAMPLE_KEYS = {"text", "code", "status", "label"}


class RuleError(ValueError):
    """A rule file is malformed; the message names the file and the rule."""


@dataclass(frozen=True, slots=True)
class Example:
    text: str = ""
    code: str = ""
    status: str = ""
    label: str = ""


@dataclass(slots=True)
class Rule:
    id: str
    reason: str
    stage: str
    source: str
    text: tuple[str, ...] = ()
    not_text: tuple[str, ...] = ()
    status: re.Pattern[str] | None = None
    not_status: re.Pattern[str] | None = None
    codes: frozenset[str] | None = None
    klass: str = ""
    label: re.Pattern[str] | None = None
    provider: str = ""
    action: Action | None = None
    explain: str = ""
    examples: tuple[Example, ...] = ()
    # filled in by the Classifier: ids of this rule's patterns in its shared RE2 set
    text_ids: frozenset[int] = field(default_factory=frozenset)
    not_text_ids: frozenset[int] = field(default_factory=frozenset)


def normalise_label(label: str) -> str:
    """'Hard Bounce', 'hard_bounce', 'HardBounce' → 'hardbounce'; 'Permanent / General' keeps /."""
    return re.sub(r"[\s_\-]+", "", label.strip().lower())


def _as_list(value: Any, where: str, key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise RuleError(f"{where}: '{key}' must be a string or a list of strings")


def _status_matcher(globs: list[str], where: str) -> re.Pattern[str]:
    for g in globs:
        if not re.fullmatch(r"[245*?]\.[\d*?\[\]-]{1,9}\.[\d*?\[\]-]{1,9}", g):
            raise RuleError(f"{where}: status {g!r} is not like 5.1.1, *.2.2 or 5.7.6??")
    return re.compile("|".join(fnmatch.translate(g) for g in globs))


def _code_set(specs: list[str], where: str) -> frozenset[str]:
    codes: set[str] = set()
    for spec in specs:
        if m := re.fullmatch(r"([245])xx", spec):
            codes.update(f"{m[1]}{n:02d}" for n in range(100))
        elif m := re.fullmatch(r"([245]\d\d)-([245]\d\d)", spec):
            codes.update(str(n) for n in range(int(m[1]), int(m[2]) + 1))
        elif re.fullmatch(r"[245]\d\d", spec):
            codes.add(spec)
        else:
            raise RuleError(f"{where}: code {spec!r} is not like 550, 5xx or 500-554")
    return frozenset(codes)


def _example(value: Any, where: str) -> Example:
    if isinstance(value, str):
        return Example(text=value)
    if isinstance(value, dict) and set(value) <= _EXAMPLE_KEYS:
        return Example(**{k: str(v) for k, v in value.items()})
    raise RuleError(f"{where}: an example is a string or a table with {sorted(_EXAMPLE_KEYS)}")


def _parse_rule(entry: dict[str, Any], stage: str, source: str) -> Rule:
    rid = entry.get("id")
    where = f"{source}: rule {rid!r}"
    if not isinstance(rid, str) or not rid:
        raise RuleError(f"{source}: a rule without an id")
    unknown_keys = set(entry) - _RULE_KEYS
    if unknown_keys:
        raise RuleError(f"{where}: unknown keys {sorted(unknown_keys)}")
    reason = entry.get("reason")
    if reason not in REASON_IDS or reason in HISTORY_REASONS:
        raise RuleError(f"{where}: reason {reason!r} is not a single-bounce reason id")
    rule = Rule(id=rid, reason=reason, stage=stage, source=source)
    rule.text = tuple(_as_list(entry.get("text", []), where, "text"))
    rule.not_text = tuple(_as_list(entry.get("not_text", []), where, "not_text"))
    if "status" in entry:
        rule.status = _status_matcher(_as_list(entry["status"], where, "status"), where)
    if "not_status" in entry:
        rule.not_status = _status_matcher(_as_list(entry["not_status"], where, "not_status"), where)
    if "code" in entry:
        rule.codes = _code_set(_as_list(entry["code"], where, "code"), where)
    if "class" in entry:
        if entry["class"] not in CLASSES:
            raise RuleError(f"{where}: class must be one of {sorted(CLASSES)}")
        rule.klass = CLASSES[entry["class"]]
    if "label" in entry:
        labels = [normalise_label(x) for x in _as_list(entry["label"], where, "label")]
        rule.label = re.compile("|".join(f"(?:{x})" for x in labels))
    if "action" in entry:
        try:
            rule.action = Action(entry["action"])
        except ValueError:
            raise RuleError(f"{where}: action {entry['action']!r} is not an action") from None
    rule.provider = str(entry.get("provider", ""))
    rule.explain = " ".join(str(entry.get("explain", "")).split())
    rule.examples = tuple(_example(x, where) for x in entry.get("examples", []))
    if not (rule.text or rule.status or rule.codes or rule.label):
        raise RuleError(f"{where}: a rule needs text, status, code or label")
    if not rule.examples:
        raise RuleError(f"{where}: a rule needs at least one example it must match")
    return rule


def load_rule_files(paths: Iterable[Path]) -> list[Rule]:
    """Parse rule files and rank their rules (see the module docstring for the order)."""
    rules: list[Rule] = []
    for path in sorted(paths, key=lambda p: p.name):
        try:
            with open(path, "rb") as f:
                data = tomllib.load(f)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise RuleError(f"{path.name}: {exc}") from exc
        stage = data.get("stage")
        if stage not in STAGES:
            raise RuleError(f"{path.name}: 'stage' must be one of {list(STAGES)}")
        rules.extend(_parse_rule(entry, stage, path.name) for entry in data.get("rule", []))
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"{rule.source}: duplicate rule id {rule.id!r}")
        seen.add(rule.id)
    rules.sort(key=lambda r: STAGES.index(r.stage))  # stable: keeps file and position order
    return rules


def default_rule_files() -> list[Path]:
    return sorted(resource_path("rules").glob("*.toml"))


def re2_options() -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False
    options.max_mem = 64 << 20
    return options


NOTHING: frozenset[int] = frozenset()


class PatternSet:
    """Many RE2 patterns matched against a text in one linear pass; `add` returns pattern ids."""

    def __init__(self) -> None:
        self._set = re2.Set.SearchSet(re2_options())
        self.patterns: list[str] = []

    def add(self, pattern: str, where: str) -> int:
        try:
            re2.compile(pattern, re2_options())
            index: int = self._set.Add(pattern)
        except re2.error as exc:
            raise RuleError(f"{where}: pattern {pattern!r} is not valid RE2: {exc}") from None
        self.patterns.append(pattern)
        return index

    def compile(self) -> None:
        self._set.Compile()
        # The wrapper's Match adds a Python call per row; the compiled set's own method skips it.
        self._raw_match = self._set._set.Match

    def match(self, text: str) -> frozenset[int]:
        try:
            data = text.encode()
        except UnicodeEncodeError:  # lone surrogates from a broken decoder upstream
            data = text.encode("utf-8", "surrogatepass")
        found = self._raw_match(data)
        return frozenset(found) if found else NOTHING
