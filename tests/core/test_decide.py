"""The per-address policy: what a user sees in the Action column."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.bounce_log import BounceLog
from app.core.classifier import Classifier
from app.core.decide import ContactColumn, decide
from app.core.incidents import find_incidents
from app.core.taxonomy import Action

USER_UNKNOWN = "550 5.1.1 <x@example.com>: Recipient address rejected: User unknown"
MAILBOX_FULL = "452 4.2.2 <x@example.com>: Mailbox full"
S3150 = (
    "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet "
    "service provider since part of their network is on our block list (S3150)."
)
AUTO_REPLY = "Out of office: I am on vacation until Monday."


class Bounces(BounceLog):
    """A bounce log that classifies the texts it is given, as the importer would."""

    __slots__ = ("classifier",)

    def bounce(self, address: str, text: str, day: date | None = None, report: int = 0) -> None:
        while report >= len(self.reports):
            self.add_report(f"r{len(self.reports)}.csv")
        verdict = self.classifier.classify(text)
        self.add(report, len(self) + 1, address.lower(), address, verdict, day, text)


@pytest.fixture()
def log(classifier: Classifier) -> Bounces:
    log = Bounces()
    log.classifier = classifier
    return log


def contacts(*addresses: str, problems: dict[int, str] | None = None) -> ContactColumn:
    problems = problems or {}
    return ContactColumn(
        "list.csv",
        [a.lower() for a in addresses],
        [problems.get(i, "") for i in range(len(addresses))],
    )


def actions(
    log: BounceLog, *addresses: str, limit: int = 3, problems=None
) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    decision = decide([contacts(*addresses, problems=problems)], log, limit)
    return [(o.action.value, o.reason) for o in decision.outcomes[0]]


def test_dead_address_is_removed_even_after_soft_bounces(log) -> None:  # type: ignore[no-untyped-def]
    log.bounce("a@example.com", MAILBOX_FULL, date(2026, 11, 1))
    log.bounce("a@example.com", USER_UNKNOWN, date(2026, 11, 8))
    assert actions(log, "a@example.com") == [("remove", "user_unknown")]


def test_soft_bounces_on_three_distinct_days_remove(log) -> None:  # type: ignore[no-untyped-def]
    for day in (1, 8, 15):
        log.bounce("a@example.com", MAILBOX_FULL, date(2026, 11, day))
    for day in (1, 1, 8):  # two of them on the same day: two days only
        log.bounce("b@example.com", MAILBOX_FULL, date(2026, 11, day))
    assert actions(log, "a@example.com", "b@example.com") == [
        ("remove", "repeated_soft_bounce"),
        ("retry", "mailbox_full"),
    ]


def test_limit_is_configurable(log) -> None:  # type: ignore[no-untyped-def]
    log.bounce("a@example.com", MAILBOX_FULL, date(2026, 11, 1))
    log.bounce("a@example.com", MAILBOX_FULL, date(2026, 11, 2))
    assert actions(log, "a@example.com", limit=2) == [("remove", "repeated_soft_bounce")]


def test_undated_bounces_count_one_day_per_report(log) -> None:  # type: ignore[no-untyped-def]
    for report in (0, 1, 2):
        log.bounce("a@example.com", MAILBOX_FULL, None, report)
    log.bounce("b@example.com", MAILBOX_FULL, None, 0)
    log.bounce("b@example.com", MAILBOX_FULL, None, 0)
    assert actions(log, "a@example.com", "b@example.com") == [
        ("remove", "repeated_soft_bounce"),
        ("retry", "mailbox_full"),
    ]


def test_sender_problems_are_investigated_not_removed(log) -> None:  # type: ignore[no-untyped-def]
    for day in (1, 8, 15, 22):
        log.bounce("a@outlook.com", S3150, date(2026, 11, day))
    log.bounce("b@outlook.com", S3150, date(2026, 11, 1))
    log.bounce("b@outlook.com", MAILBOX_FULL, date(2026, 11, 2))
    assert actions(log, "a@outlook.com", "b@outlook.com") == [
        ("investigate", "blocked"),
        ("investigate", "blocked"),
    ]


def test_auto_replies_are_not_bounces(log) -> None:  # type: ignore[no-untyped-def]
    log.bounce("a@example.com", AUTO_REPLY, date(2026, 11, 1))
    decision = decide([contacts("a@example.com", "b@example.com")], log)
    first, second = decision.outcomes[0]
    assert (first.action, first.reason, first.bounces) == (Action.KEEP, "auto_reply", 0)
    assert (second.action, second.reason, second.bounces) == (Action.KEEP, "", 0)


def test_invalid_address_is_removed_with_the_validator_reason(log) -> None:  # type: ignore[no-untyped-def]
    problems = {0: "The email address contains invalid characters before the @-sign: SPACE."}
    decision = decide([contacts("jean dupont@example.com", problems=problems)], log)
    outcome = decision.outcomes[0][0]
    assert (outcome.action, outcome.reason) == (Action.REMOVE, "invalid_address")
    assert "SPACE" in outcome.explanation


def test_later_duplicates_are_removed_and_point_at_the_first(log) -> None:  # type: ignore[no-untyped-def]
    decision = decide([contacts("a@example.com", "b@example.com", "A@Example.com")], log)
    third = decision.outcomes[0][2]
    assert [o.action for o in decision.outcomes[0]] == [Action.KEEP, Action.KEEP, Action.REMOVE]
    assert third.reason == "duplicate" and "row 1" in third.explanation


def test_verdict_carries_count_and_last_date(log) -> None:  # type: ignore[no-untyped-def]
    log.bounce("a@example.com", MAILBOX_FULL, date(2026, 11, 1))
    log.bounce("a@example.com", MAILBOX_FULL, date(2026, 11, 9))
    outcome = decide([contacts("a@example.com")], log).outcomes[0][0]
    assert (outcome.bounces, outcome.last_bounce) == (2, date(2026, 11, 9))
    assert outcome.explanation


def test_orphan_bounces_are_reported(log) -> None:  # type: ignore[no-untyped-def]
    log.bounce("a@example.com", USER_UNKNOWN)
    log.bounce("stranger@example.org", USER_UNKNOWN)
    decision = decide([contacts("a@example.com")], log)
    assert decision.orphans == ["stranger@example.org"]
    assert decision.by_address["stranger@example.org"].action is Action.REMOVE


def test_incidents_group_sender_problems_by_provider(log) -> None:  # type: ignore[no-untyped-def]
    for n, domain in enumerate(["outlook.com", "hotmail.com", "outlook.com", "live.com"]):
        log.bounce(f"p{n}@{domain}", S3150, date(2026, 11, 1))
    log.bounce("q@gmail.com", USER_UNKNOWN, date(2026, 11, 1))
    incidents = find_incidents(log)
    assert len(incidents) == 1
    incident = incidents[0]
    assert (incident.provider, incident.reason, incident.bounces, incident.addresses) == (
        "Microsoft", "blocked", 4, 4,
    )  # fmt: skip
    assert incident.domains[0] == "outlook.com"
    assert incident.summary.startswith("Microsoft (outlook.com, hotmail.com, live.com): 4 bounces")
    assert "these addresses" in incident.summary


def test_greylisting_and_rate_limits_never_add_up_to_removal(log) -> None:  # type: ignore[no-untyped-def]
    grey = "451 4.7.1 <x@example.com>: Recipient address rejected: Greylisted, try again in 300 seconds"
    rate = "421 4.7.0 Too many concurrent SMTP connections from this IP; please try again later"
    for day in (1, 8, 15, 22):
        log.bounce("a@example.com", grey, date(2026, 11, day))
        log.bounce("b@example.com", rate, date(2026, 11, day))
    assert actions(log, "a@example.com", "b@example.com") == [
        ("retry", "greylisted"),
        ("retry", "rate_limited"),
    ]


def test_the_latest_soft_bounce_names_the_reason_whatever_the_file_order(log) -> None:  # type: ignore[no-untyped-def]
    greylisted = "451 4.7.1 Greylisted, please try again later"
    log.bounce("a@example.com", MAILBOX_FULL, date(2026, 3, 10))  # listed first, but newer
    log.bounce("a@example.com", greylisted, date(2026, 3, 2))
    assert actions(log, "a@example.com") == [("retry", "mailbox_full")]
    log.bounce("b@example.com", greylisted, date(2026, 3, 2))
    log.bounce("b@example.com", MAILBOX_FULL, date(2026, 3, 1))
    assert actions(log, "b@example.com") == [("retry", "greylisted")]
