"""The review behind the window: counts, filters, search, sorting, the user's overrides and undo,
and the bounce history shown in the details panel."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date
from itertools import combinations
from pathlib import Path

import pytest

from app.core.decide import KEEP_CLEAN, Outcome
from app.core.review import (
    ACTIONS,
    OVERRIDE_RULE,
    Review,
    SortKey,
    bounces_of,
    overridden,
)
from app.core.table import Table
from app.core.taxonomy import Action, taxonomy
from app.io.cleaning import analyse
from app.io.importer import import_file

# Shared outcome objects, as decide() hands them out: one object for every row of an address kind.
UNKNOWN = Outcome(
    Action.REMOVE,
    "user_unknown",
    "The receiving server says this mailbox does not exist (550 5.1.1). Remove the address.",
    1,
    date(2026, 3, 1),
    "text.user_unknown",
)
FULL = Outcome(
    Action.RETRY, "mailbox_full", "The mailbox is full (452 4.2.2).", 2, date(2026, 3, 2), "t.full"
)
BLOCKED = Outcome(
    Action.INVESTIGATE, "blocked", "Your sending IP is on a block list.", 1, None, "text.blocked"
)
AUTO = Outcome(Action.KEEP, "auto_reply", "An auto-reply, not a bounce.", 0, None, "text.auto")
# same reason and action as UNKNOWN, but another object (another rule said it)
UNKNOWN_TOO = Outcome(Action.REMOVE, "user_unknown", "No such user here.", 3, None, "code.5.1.1")
SHARED = (UNKNOWN, FULL, BLOCKED, AUTO, KEEP_CLEAN, UNKNOWN_TOO)


def make_review(
    emails: list[str], outcomes: list[Outcome], names: list[str] | None = None
) -> Review:
    names = names if names is not None else [f"Name {n}" for n in range(len(emails))]
    table = Table(["email", "name"], [list(emails), list(names)])
    return Review("list.csv", table, outcomes, 0)


@pytest.fixture()
def small() -> tuple[Review, list[Outcome]]:
    outcomes = [
        UNKNOWN,  # 0
        KEEP_CLEAN,  # 1
        FULL,  # 2
        BLOCKED,  # 3
        UNKNOWN,  # 4
        KEEP_CLEAN,  # 5
        AUTO,  # 6
        FULL,  # 7
        UNKNOWN_TOO,  # 8
        KEEP_CLEAN,  # 9
    ]
    emails = [
        "anna@example.com",
        "Bob@Example.com",
        "JOANNA@shop.example",
        "carl@other.org",
        "dora@example.com",
        "erik@Other.org",
        "frida@example.net",
        "gus@example.net",
        "Hanna.Berg@example.com",
        "ivan@other.org",
    ]
    return make_review(emails, outcomes), outcomes


def expected_counts(actions: list[Action]) -> dict[Action, int]:
    tally = Counter(actions)
    return {action: tally[action] for action in Action}


# --- counts and filters --------------------------------------------------------------------------


def test_counts_per_action_match_the_outcomes(small: tuple[Review, list[Outcome]]) -> None:
    review, outcomes = small
    assert review.counts() == expected_counts([o.action for o in outcomes])
    assert sum(review.counts().values()) == review.row_count == len(outcomes)


def test_counts_show_zero_for_an_action_no_row_has() -> None:
    review = make_review(["a@x.org", "b@x.org"], [KEEP_CLEAN, KEEP_CLEAN])
    assert review.counts() == {
        Action.REMOVE: 0,
        Action.RETRY: 0,
        Action.INVESTIGATE: 0,
        Action.KEEP: 2,
    }


@pytest.mark.parametrize("action", list(Action))
def test_filter_by_one_action(small: tuple[Review, list[Outcome]], action: Action) -> None:
    review, outcomes = small
    assert review.rows([action]) == [n for n, o in enumerate(outcomes) if o.action is action]


@pytest.mark.parametrize("pair", list(combinations(list(Action), 2)))
def test_filter_by_two_actions(
    small: tuple[Review, list[Outcome]], pair: tuple[Action, Action]
) -> None:
    review, outcomes = small
    assert review.rows(set(pair)) == [n for n, o in enumerate(outcomes) if o.action in pair]


def test_no_filter_shows_every_row_in_list_order(small: tuple[Review, list[Outcome]]) -> None:
    review, outcomes = small
    everything = list(range(len(outcomes)))
    assert review.rows() == everything
    assert review.rows(None) == everything
    assert review.rows(list(Action)) == everything
    assert review.rows(iter(ACTIONS)) == everything  # any iterable will do


# --- search ---------------------------------------------------------------------------------------


def test_search_is_a_case_insensitive_substring_of_the_address(
    small: tuple[Review, list[Outcome]],
) -> None:
    review, _ = small
    emails = review.table.columns[0]
    # "ANNA" is in anna@, JOANNA@ and Hanna.Berg@, whatever their case
    assert review.rows(search="ANNA") == [0, 2, 8]
    assert review.rows(search="anna") == review.rows(search="AnNa")
    assert review.rows(search="  other.ORG ") == [
        n for n, e in enumerate(emails) if "other.org" in e.lower()
    ]
    assert review.rows(search="nobody-has-this") == []
    assert review.rows(search="   ") == list(range(review.row_count))


def test_search_looks_at_the_email_column_only() -> None:
    review = make_review(
        ["anna@example.com", "bob@example.com"], [KEEP_CLEAN, KEEP_CLEAN], ["Bob", "Anna"]
    )
    assert review.rows(search="bob") == [1]


def test_search_combines_with_the_action_filter(small: tuple[Review, list[Outcome]]) -> None:
    review, outcomes = small
    emails = review.table.columns[0]
    wanted = {Action.REMOVE, Action.KEEP}
    assert review.rows(wanted, "EXAMPLE.COM") == [
        n
        for n, (e, o) in enumerate(zip(emails, outcomes, strict=True))
        if o.action in wanted and "example.com" in e.lower()
    ]


# --- sorting --------------------------------------------------------------------------------------


def test_sorting_by_a_table_column_ignores_case() -> None:
    names = ["delta", "Bravo", "alpha", "Charlie"]
    review = make_review([f"{n}@x.org" for n in range(4)], [KEEP_CLEAN] * 4, names)
    # a case-sensitive sort would put "Bravo" and "Charlie" before "alpha"
    assert review.rows(sort=SortKey(1)) == [2, 1, 3, 0]
    assert review.rows(sort=SortKey(1, descending=True)) == [0, 3, 1, 2]


def test_sorting_by_the_action_column_goes_remove_retry_investigate_keep() -> None:
    outcomes = [KEEP_CLEAN, UNKNOWN, BLOCKED, FULL, UNKNOWN_TOO, AUTO]
    review = make_review([f"{n}@x.org" for n in range(6)], outcomes)
    assert review.header[review.action_column] == "Action"
    ascending = review.rows(sort=SortKey(review.action_column))
    assert [review.action(r) for r in ascending] == [
        Action.REMOVE,
        Action.REMOVE,
        Action.RETRY,
        Action.INVESTIGATE,
        Action.KEEP,
        Action.KEEP,
    ]
    assert ascending[:2] == [1, 4]  # equal actions keep the list's order
    descending = review.rows(sort=SortKey(review.action_column, descending=True))
    assert [review.action(r) for r in descending] == [
        Action.KEEP,
        Action.KEEP,
        Action.INVESTIGATE,
        Action.RETRY,
        Action.REMOVE,
        Action.REMOVE,
    ]
    assert sorted(descending) == list(range(6))


def test_sorting_by_action_follows_the_users_overrides() -> None:
    outcomes = [KEEP_CLEAN, UNKNOWN, KEEP_CLEAN]
    review = make_review(["a@x.org", "b@x.org", "c@x.org"], outcomes)
    review.set_actions([2], Action.REMOVE)
    assert review.rows(sort=SortKey(review.action_column)) == [1, 2, 0]


def test_sorting_applies_after_filter_and_search(small: tuple[Review, list[Outcome]]) -> None:
    review, _ = small
    rows = review.rows({Action.REMOVE}, "example", SortKey(0, descending=True))
    # removed rows 0, 4 and 8 hold example.com addresses: anna, dora, Hanna.Berg
    assert rows == [8, 4, 0]


def test_sorting_by_reason_groups_rows_of_a_reason(small: tuple[Review, list[Outcome]]) -> None:
    review, outcomes = small
    assert review.header[review.reason_column] == "Reason"
    rows = review.rows(sort=SortKey(review.reason_column))
    assert sorted(rows) == list(range(len(outcomes)))
    reasons = [outcomes[r].reason for r in rows]
    # each reason's rows come together, in one run
    runs = [r for n, r in enumerate(reasons) if n == 0 or reasons[n - 1] != r]
    assert len(runs) == len(set(reasons))


def test_sorting_by_reason_follows_the_labels_the_user_sees() -> None:
    spam = Outcome(Action.REMOVE, "complaint", "Marked as spam.", 1, None, "text.complaint")
    outcomes = [BLOCKED, spam, KEEP_CLEAN, FULL]
    review = make_review([f"{n}@x.org" for n in range(4)], outcomes)
    rows = review.rows(sort=SortKey(review.reason_column))
    labels = [review.reason_label(r) for r in rows]
    assert labels == sorted(labels, key=str.casefold)


# --- overrides ------------------------------------------------------------------------------------


def test_set_actions_changes_counts_action_and_what_is_shown(
    small: tuple[Review, list[Outcome]],
) -> None:
    review, outcomes = small
    before_counts = review.counts()
    rescued, retried = 0, 2  # a removed row and a retried one, both kept by the user
    assert (outcomes[rescued].action, outcomes[retried].action) == (Action.REMOVE, Action.RETRY)

    before = review.set_actions([rescued, retried], Action.KEEP)

    assert before == {rescued: None, retried: None}
    counts = review.counts()
    assert counts[Action.REMOVE] == before_counts[Action.REMOVE] - 1
    assert counts[Action.RETRY] == before_counts[Action.RETRY] - 1
    assert counts[Action.KEEP] == before_counts[Action.KEEP] + 2
    assert counts[Action.INVESTIGATE] == before_counts[Action.INVESTIGATE]
    assert review.action(rescued) is Action.KEEP
    assert rescued in review.rows([Action.KEEP])
    assert rescued not in review.rows([Action.REMOVE])

    label = taxonomy()[outcomes[rescued].reason].label
    assert review.reason_label(rescued) == label  # the reason stays; the Action cell shows ✎
    assert rescued in review.overrides
    assert review.reason_label(4) == label  # same outcome, not overridden

    shown = review.outcome(rescued)
    assert shown.action is Action.KEEP
    assert shown.rule_id == OVERRIDE_RULE == "user.override"
    assert shown.reason == outcomes[rescued].reason
    assert outcomes[rescued].explanation.rstrip() in shown.explanation  # what the app had said
    assert "remove" in shown.explanation and "keep" in shown.explanation
    assert (shown.bounces, shown.last_bounce) == (
        outcomes[rescued].bounces,
        outcomes[rescued].last_bounce,
    )
    assert review.outcome(4) is outcomes[4]  # the shared outcome itself is untouched
    assert UNKNOWN.action is Action.REMOVE and UNKNOWN.rule_id == "text.user_unknown"


def test_no_bounce_rows_are_labelled_and_can_be_overridden(
    small: tuple[Review, list[Outcome]],
) -> None:
    review, outcomes = small
    assert outcomes[1] is KEEP_CLEAN
    assert review.reason_label(1) == "No bounce"
    review.set_actions([1], Action.REMOVE)
    assert review.reason_label(1) == "No bounce" and 1 in review.overrides
    assert review.outcome(1).action is Action.REMOVE
    assert KEEP_CLEAN.explanation.rstrip() in review.outcome(1).explanation


def test_restore_undoes_exactly_step_by_step(small: tuple[Review, list[Outcome]]) -> None:
    review, outcomes = small
    original = [review.action(n) for n in range(review.row_count)]
    original_counts = review.counts()

    first = review.set_actions([0, 3], Action.KEEP)
    after_first = (dict(review.overrides), review.counts(), review.rows([Action.KEEP]))
    second = review.set_actions([0, 6], Action.RETRY)
    assert second == {0: Action.KEEP, 6: None}
    assert review.action(0) is Action.RETRY and review.action(6) is Action.RETRY

    review.restore(second)  # undo the second step: row 0 is kept by the user again
    assert (dict(review.overrides), review.counts(), review.rows([Action.KEEP])) == after_first
    assert 0 in review.overrides and 6 not in review.overrides

    review.restore(first)  # undo the first step: back to the app's verdicts
    assert review.overrides == {}
    assert [review.action(n) for n in range(review.row_count)] == original
    assert review.counts() == original_counts
    assert all(review.outcome(n) is outcomes[n] for n in range(review.row_count))


def test_restore_undoes_a_row_given_twice(small: tuple[Review, list[Outcome]]) -> None:
    review, _ = small
    before = review.set_actions([0, 0], Action.KEEP)
    review.restore(before)
    assert review.overrides == {}
    assert review.action(0) is Action.REMOVE


def test_overriding_with_the_rows_own_action_or_none_removes_the_override(
    small: tuple[Review, list[Outcome]],
) -> None:
    review, outcomes = small
    original_counts = review.counts()

    review.set_actions([0], outcomes[0].action)  # the app's own verdict: no override at all
    assert review.overrides == {}
    assert review.outcome(0) is outcomes[0]

    review.set_actions([0, 3], Action.KEEP)
    review.set_actions([0], outcomes[0].action)
    assert review.overrides == {3: Action.KEEP}
    assert review.reason_label(0) == taxonomy()[outcomes[0].reason].label
    assert review.outcome(0) is outcomes[0]

    before = review.set_actions([3], None)
    assert before == {3: Action.KEEP}
    assert review.overrides == {}
    assert review.counts() == original_counts
    assert review.effective_outcomes() == outcomes


def test_effective_outcomes_apply_overrides_without_touching_the_outcomes(
    small: tuple[Review, list[Outcome]],
) -> None:
    review, outcomes = small
    kept_copy = list(outcomes)
    review.set_actions([0, 9], Action.INVESTIGATE)

    effective = review.effective_outcomes()

    assert len(effective) == len(outcomes)
    assert [o.action for o in effective] == [review.action(n) for n in range(len(outcomes))]
    assert effective[0].action is Action.INVESTIGATE and effective[0].rule_id == OVERRIDE_RULE
    assert effective[9].action is Action.INVESTIGATE and effective[9].rule_id == OVERRIDE_RULE
    assert all(effective[n] is outcomes[n] for n in range(len(outcomes)) if n not in (0, 9))
    assert all(effective[n] == review.outcome(n) for n in range(len(outcomes)))
    # the app's verdicts stay as they were
    assert review.outcomes is outcomes
    assert list(outcomes) == kept_copy
    assert all(a is b for a, b in zip(outcomes, kept_copy, strict=True))
    assert outcomes[0].action is Action.REMOVE and outcomes[9].action is Action.KEEP
    # and the list handed out is the caller's to change
    effective[1] = UNKNOWN
    assert review.outcome(1) is KEEP_CLEAN


def test_effective_outcomes_without_overrides_is_a_copy(
    small: tuple[Review, list[Outcome]],
) -> None:
    review, outcomes = small
    effective = review.effective_outcomes()
    assert effective == outcomes
    effective[0] = KEEP_CLEAN
    assert review.outcomes[0] is UNKNOWN


def test_overridden_keeps_what_the_app_said() -> None:
    assert overridden(UNKNOWN, Action.REMOVE) is UNKNOWN
    chosen = overridden(UNKNOWN, Action.RETRY)
    assert chosen.action is Action.RETRY
    assert chosen.rule_id == OVERRIDE_RULE
    assert chosen.reason == UNKNOWN.reason
    assert UNKNOWN.explanation in chosen.explanation
    assert "retry" in chosen.explanation and "remove" in chosen.explanation


# --- reason counts --------------------------------------------------------------------------------


def test_reason_counts_count_rows_of_shared_outcomes(small: tuple[Review, list[Outcome]]) -> None:
    review, outcomes = small
    expected = Counter((o.reason, o.action) for o in outcomes if o.reason)
    found = review.reason_counts()
    assert {(reason, action): n for reason, n, action in found} == dict(expected)
    assert len(found) == len(expected)  # one entry per reason, however many objects say it
    assert [n for _, n, _ in found] == sorted((n for _, n, _ in found), reverse=True)
    assert found[0] == ("user_unknown", 3, Action.REMOVE)  # rows 0, 4 (UNKNOWN) and 8 (UNKNOWN_TOO)
    assert "" not in {reason for reason, _, _ in found}  # rows without a bounce have no reason


def test_reason_counts_of_a_list_without_bounces_is_empty() -> None:
    assert make_review(["a@x.org"], [KEEP_CLEAN]).reason_counts() == []


# --- construction ---------------------------------------------------------------------------------


def test_one_outcome_per_row_is_required() -> None:
    table = Table(["email"], [["a@x.org", "b@x.org", "c@x.org"]])
    with pytest.raises(ValueError):
        Review("list.csv", table, [KEEP_CLEAN, KEEP_CLEAN], 0)
    with pytest.raises(ValueError):
        Review("list.csv", table, [KEEP_CLEAN] * 4, 0)


def test_review_columns_and_keys() -> None:
    review = make_review(["Anna@Example.COM", "bob@x.org"], [UNKNOWN, KEEP_CLEAN])
    assert review.header == ["email", "name", "Action", "Reason"]
    assert (review.action_column, review.reason_column) == (2, 3)
    assert review.email(0) == "Anna@Example.COM"
    assert review.keys == ["anna@example.com", "bob@x.org"]
    given = make_review(["a@x.org"], [KEEP_CLEAN])
    assert Review("l", given.table, [KEEP_CLEAN], 0, ["custom-key"]).keys == ["custom-key"]


# --- a large list ---------------------------------------------------------------------------------


def test_a_large_list_filters_searches_and_sorts_like_a_plain_reference() -> None:
    count = 200_000
    rng = random.Random(20260301)
    outcomes = [rng.choice(SHARED) for _ in range(count)]
    emails = [f"User{n}@Domain{n % 13}.Example" for n in range(count)]
    review = make_review(emails, outcomes, [""] * count)

    def check(actions: list[Action]) -> None:
        assert review.counts() == expected_counts(actions)
        for action in Action:
            assert review.rows([action]) == [n for n, a in enumerate(actions) if a is action]
        for pair in combinations(list(Action), 2):
            assert review.rows(pair) == [n for n, a in enumerate(actions) if a in pair]
        three = (Action.REMOVE, Action.RETRY, Action.KEEP)
        assert review.rows(three) == [n for n, a in enumerate(actions) if a in three]
        assert review.rows() == list(range(count))
        searched = review.rows({Action.RETRY, Action.INVESTIGATE}, "domain7.EXAMPLE")
        assert searched == [
            n
            for n, a in enumerate(actions)
            if a in (Action.RETRY, Action.INVESTIGATE) and "@domain7.example" in emails[n].lower()
        ]
        ordered = review.rows(sort=SortKey(review.action_column))
        assert ordered == sorted(range(count), key=lambda n: ACTIONS.index(actions[n]))

    check([o.action for o in outcomes])

    # the user marks every seventh row "retry", then undoes it
    before = review.set_actions(range(0, count, 7), Action.RETRY)
    check([Action.RETRY if n % 7 == 0 else o.action for n, o in enumerate(outcomes)])
    review.restore(before)
    check([o.action for o in outcomes])
    assert review.overrides == {}


# --- bounces of one address -----------------------------------------------------------------------


def test_bounces_of_lists_an_address_bounces_oldest_first(tmp_path: Path) -> None:
    contacts = tmp_path / "list.csv"
    contacts.write_text("email,name\nanna@example.com,Anna\nbob@example.com,Bob\n", "utf-8")
    report = tmp_path / "bounces.csv"
    # anna bounced twice; the report lists the newer bounce first, and her address in two cases
    newer = "452 4.2.2 <anna@example.com>: Mailbox full"
    older = "421 4.7.0 Try again later, closing connection (greylisted)"
    report.write_text(
        "email,code,status,diagnostic,date\n"
        f"anna@example.com,452,4.2.2,{newer},2026-03-10\n"
        "bob@example.com,550,5.1.1,550 5.1.1 User unknown,2026-03-01\n"
        f'Anna@Example.com,421,4.7.0,"{older}",2026-03-02\n',
        "utf-8",
    )
    analysis = analyse([import_file(contacts), import_file(report)])

    found = bounces_of(analysis.log, "anna@example.com")

    assert [(d.day, d.report, d.row) for d in found] == [
        (date(2026, 3, 2), "bounces.csv", 3),
        (date(2026, 3, 10), "bounces.csv", 1),
    ]
    assert [(d.smtp_code, d.enhanced_status) for d in found] == [("421", "4.7.0"), ("452", "4.2.2")]
    assert [d.diagnostic for d in found] == [older, newer]
    assert all(d.action is not Action.REMOVE for d in found)

    bob = bounces_of(analysis.log, "bob@example.com")
    assert [(d.row, d.smtp_code, d.reason, d.action) for d in bob] == [
        (2, "550", "user_unknown", Action.REMOVE)
    ]
    assert bounces_of(analysis.log, "") == []
    assert bounces_of(analysis.log, "nobody@example.com") == []


def test_bounces_of_puts_undated_bounces_last(tmp_path: Path) -> None:
    report = tmp_path / "bounces.csv"
    report.write_text(
        "email,code,status,diagnostic,date\n"
        "anna@example.com,550,5.1.1,550 5.1.1 User unknown,\n"
        "anna@example.com,452,4.2.2,452 4.2.2 Mailbox full,2026-03-05\n",
        "utf-8",
    )
    analysis = analyse([import_file(report)])
    found = bounces_of(analysis.log, "anna@example.com")
    assert [(d.row, d.day) for d in found] == [(2, date(2026, 3, 5)), (1, None)]
