"""Turn every bounce of every report into one decision per address.

The policy, in order (first that applies):
1. **remove** — a bounce says the address is dead (complaint, user unknown, bad domain, disabled,
   moved, invalid), or the address itself is not valid, or it soft-bounced on at least
   `soft_bounce_limit` distinct days (a bounce without a date counts its report's day; one report
   is one send; greylisting and rate limits don't count) → `repeated_soft_bounce`.
2. **investigate** — a bounce points at the sender (block list, authentication, content, policy,
   unknown…). Removing these addresses would be wrong.
3. **retry** — it soft-bounced (mailbox full, greylisting, rate limit…).
4. **keep** — no bounce, or only auto-replies and delivery notices.
A later row repeating an earlier row's address in the same list is `duplicate`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence, Set
from dataclasses import dataclass
from datetime import date
from itertools import compress, repeat

from app.core.bounce_log import BounceLog
from app.core.classifier import Verdict
from app.core.defaults import DEFAULT_SOFT_BOUNCE_LIMIT
from app.core.taxonomy import Action, taxonomy

# When an address has several fatal bounces, the strongest signal names the reason.
_DEAD_ORDER = (
    "complaint", "user_unknown", "bad_domain", "mailbox_disabled", "address_moved",
    "invalid_address",
)  # fmt: skip
# Retries that say nothing about the mailbox (greylisting is routine; a rate limit is about the
# sender's volume): they never add up to "keeps bouncing".
_NOT_THE_MAILBOX = frozenset({"greylisted", "rate_limited"})
NO_BOUNCE = ""
DUPLICATE_RULE = "policy.duplicate"


@dataclass(frozen=True, slots=True)
class Outcome:
    """The decision for one address (shared by every row holding it)."""

    action: Action
    reason: str  # a taxonomy id, or "" when the address never bounced
    explanation: str
    bounces: int
    last_bounce: date | None
    rule_id: str = ""  # the classifier rule, or the policy step, that decided


KEEP_CLEAN = Outcome(Action.KEEP, NO_BOUNCE, "No bounce for this address.", 0, None)


@dataclass(slots=True)
class _History:
    bounces: int = 0
    last: date | None = None
    dead: Verdict | None = None
    sender_side: Counter[Verdict] | None = None
    soft: Verdict | None = None
    soft_day: date | None = None  # the date of `soft`: the latest soft bounce names the reason
    soft_days: set[object] | None = None
    keep_only: Verdict | None = None


def _dead_rank(verdict: Verdict) -> int:
    """Strongest signal first; a rule that removes for another reason ranks after them all."""
    return _DEAD_ORDER.index(verdict.reason) if verdict.reason in _DEAD_ORDER else len(_DEAD_ORDER)


def _add(history: _History, verdict: Verdict, day: date | None, report: int) -> None:
    action = verdict.action
    if action is Action.KEEP:  # auto-replies and delivery notices are not bounces
        history.keep_only = history.keep_only or verdict
        return
    history.bounces += 1
    if day is not None and (history.last is None or day > history.last):
        history.last = day
    if action is Action.REMOVE:
        if history.dead is None or _dead_rank(verdict) < _dead_rank(history.dead):
            history.dead = verdict
    elif action is Action.INVESTIGATE:
        if history.sender_side is None:
            history.sender_side = Counter()
        history.sender_side[verdict] += 1
    else:
        if history.soft is None or (
            day is not None and (history.soft_day is None or day >= history.soft_day)
        ):
            history.soft, history.soft_day = verdict, day
        if verdict.reason in _NOT_THE_MAILBOX:
            return
        if history.soft_days is None:
            history.soft_days = set()
        history.soft_days.add(day if day is not None else ("report", report))


def _first_and_repeats(keys: Sequence[str]) -> tuple[dict[str, int], list[int]]:
    """Each key's first position (in first-seen order) and, ascending, the positions repeating
    a key seen earlier. One pass of dict lookups: at a million rows they are the cost."""
    first: dict[str, int] = {}
    seen = first.setdefault
    return first, [n for n, key in enumerate(keys) if seen(key, n) != n]


def _by_address(
    log: BounceLog, soft_limit: int
) -> tuple[dict[str, Outcome], dict[str, _History], dict[str, int]]:
    """One outcome per bounced address (first-seen order), the histories of repeats, first rows.

    Most addresses bounce once, and a single bounce's outcome depends only on its verdict and day:
    those come from a small cache. Only addresses seen again replay their bounces in log order.
    """
    keys, verdicts, days, reports = log.keys, log.verdicts, log.days, log.report_ids
    first, repeats = _first_and_repeats(keys)  # first-seen order: as the report lists orphans
    repeated = {keys[n] for n in repeats}
    histories: dict[str, _History] = {key: _History() for key in repeated}
    for n in sorted([first[key] for key in repeated] + repeats):
        _add(histories[keys[n]], verdicts[n], days[n], reports[n])
    # Verdicts are shared objects (one per signature), so (id, day) names a single bounce's
    # outcome exactly; the few distinct pairs are decided once and looked up in C-level loops.
    ids = list(map(id, verdicts))
    verdict_of = dict(zip(ids, verdicts, strict=True))
    single: dict[tuple[int, date | None], Outcome] = {}
    for pair in set(zip(ids, days, strict=True)):
        history = _History()
        _add(history, verdict_of[pair[0]], pair[1], 0)
        single[pair] = _outcome(history, "", soft_limit)
    row_outcomes = list(map(single.__getitem__, zip(ids, days, strict=True)))
    by_address = dict(zip(first, map(row_outcomes.__getitem__, first.values()), strict=True))
    for key, history in histories.items():
        by_address[key] = _outcome(history, "", soft_limit)
    return by_address, histories, first


def _outcome(history: _History, problem: str, soft_limit: int) -> Outcome:
    count, last = history.bounces, history.last
    if history.dead is not None:
        v = history.dead
        return Outcome(Action.REMOVE, v.reason, v.explanation, count, last, v.rule_id)
    if problem:
        text = f"The address is not valid: {problem} Fix it or remove it."
        return Outcome(Action.REMOVE, "invalid_address", text, count, last, "policy.invalid_syntax")
    days = len(history.soft_days or ())
    if days >= soft_limit:
        summary = taxonomy()["repeated_soft_bounce"].summary.format(days=days)
        return Outcome(
            Action.REMOVE, "repeated_soft_bounce", summary, count, last, "policy.soft_bounce_limit"
        )
    if history.sender_side:
        v = history.sender_side.most_common(1)[0][0]
        return Outcome(Action.INVESTIGATE, v.reason, v.explanation, count, last, v.rule_id)
    if history.soft is not None:
        v = history.soft
        return Outcome(Action.RETRY, v.reason, v.explanation, count, last, v.rule_id)
    if history.keep_only is not None:
        v = history.keep_only
        return Outcome(Action.KEEP, v.reason, v.explanation, 0, None, v.rule_id)
    return KEEP_CLEAN


@dataclass(slots=True)
class ContactColumn:
    """The addresses of one contact list, in row order, as the decision needs them."""

    name: str
    keys: Sequence[str]
    problems: Sequence[str]  # "" for a valid address


@dataclass(slots=True)
class Decision:
    outcomes: list[list[Outcome]]  # per list, per row
    by_address: dict[str, Outcome]  # every bounced address, listed or not
    orphans: list[str]  # bounced addresses in no contact list, first-seen order


def decide(
    lists: Sequence[ContactColumn],
    log: BounceLog,
    soft_bounce_limit: int = DEFAULT_SOFT_BOUNCE_LIMIT,
) -> Decision:
    by_address, histories, first_bounce = _by_address(log, soft_bounce_limit)
    outcomes: list[list[Outcome]] = []
    listed: Set[str] = frozenset()
    duplicate_text = taxonomy()["duplicate"].summary
    for contacts in lists:
        keys = contacts.keys
        first_row, repeats = _first_and_repeats(keys)
        rows = list(map(by_address.get, keys, repeat(KEEP_CLEAN, len(keys))))
        for n in compress(range(len(keys)), contacts.problems):
            history = histories.get(keys[n]) or _single_history(log, first_bounce.get(keys[n]))
            rows[n] = _outcome(history, contacts.problems[n], soft_bounce_limit)
        for n in repeats:
            if not keys[n]:  # empty cells are not duplicates of each other
                continue
            earlier = first_row[keys[n]]
            base = rows[earlier]
            text = duplicate_text.format(first_row=earlier + 1)
            rows[n] = Outcome(
                Action.REMOVE, "duplicate", text, base.bounces, base.last_bounce, DUPLICATE_RULE
            )
        listed = listed | first_row.keys() if listed else first_row.keys()
        outcomes.append(rows)
    orphans = [key for key in by_address if key not in listed]
    return Decision(outcomes, by_address, orphans)


def _single_history(log: BounceLog, n: int | None) -> _History:
    """The history of an address that bounced at most once (its log row `n`, if any)."""
    history = _History()
    if n is not None:
        _add(history, log.verdicts[n], log.days[n], log.report_ids[n])
    return history
