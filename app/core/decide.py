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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

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
    soft_days: set[object] | None = None
    keep_only: Verdict | None = None


def _dead_rank(verdict: Verdict) -> int:
    """Strongest signal first; a rule that removes for another reason ranks after them all."""
    return _DEAD_ORDER.index(verdict.reason) if verdict.reason in _DEAD_ORDER else len(_DEAD_ORDER)


def _histories(log: BounceLog) -> dict[str, _History]:
    histories: dict[str, _History] = {}
    for key, verdict, day, report in zip(
        log.keys, log.verdicts, log.days, log.report_ids, strict=True
    ):
        history = histories.get(key)
        if history is None:
            history = histories[key] = _History()
        action = verdict.action
        if action is Action.KEEP:  # auto-replies and delivery notices are not bounces
            history.keep_only = history.keep_only or verdict
            continue
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
            history.soft = verdict
            if verdict.reason in _NOT_THE_MAILBOX:
                continue
            if history.soft_days is None:
                history.soft_days = set()
            history.soft_days.add(day if day is not None else ("report", report))
    return histories


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
    histories = _histories(log)
    empty = _History()
    by_address = {key: _outcome(h, "", soft_bounce_limit) for key, h in histories.items()}
    outcomes: list[list[Outcome]] = []
    listed: set[str] = set()
    duplicate_text = taxonomy()["duplicate"].summary
    for contacts in lists:
        first_row: dict[str, int] = {}
        rows: list[Outcome] = []
        for number, (key, problem) in enumerate(zip(contacts.keys, contacts.problems, strict=True)):
            earlier = first_row.get(key) if key else None
            if earlier is not None:
                base = rows[earlier - 1]
                text = duplicate_text.format(first_row=earlier)
                duplicate = Outcome(
                    Action.REMOVE,
                    "duplicate",
                    text,
                    base.bounces,
                    base.last_bounce,
                    DUPLICATE_RULE,
                )
                rows.append(duplicate)
                continue
            if key:
                first_row[key] = number + 1
            history = histories.get(key, empty)
            if problem:
                rows.append(_outcome(history, problem, soft_bounce_limit))
            else:
                rows.append(by_address.get(key, KEEP_CLEAN))
        listed.update(first_row)
        outcomes.append(rows)
    orphans = [key for key in histories if key not in listed]
    return Decision(outcomes, by_address, orphans)
