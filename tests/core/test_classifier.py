"""What the product promises about single verdicts."""

from __future__ import annotations

import time

import pytest

from app.core.classifier import Classifier
from app.core.taxonomy import Action


@pytest.mark.parametrize(
    "text",
    [
        "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your "
        "Internet service provider since part of their network is on our block list (S3150).",
        "550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail "
        "requires all senders to authenticate with either SPF or DKIM. - gsmtp",
        "554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org",
        "550 5.7.606 Access denied, banned sending IP [192.0.2.1].",
        "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume "
        "or user complaints",
    ],
)
def test_sender_problems_never_remove_anyone(classifier: Classifier, text: str) -> None:
    verdict = classifier.classify(text)
    assert verdict.action is Action.INVESTIGATE
    assert "remove" not in verdict.explanation.lower().replace("don't remove", "")


def test_blocklist_and_provider_are_named(classifier: Classifier) -> None:
    verdict = classifier.classify(
        "550 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org "
        "(in reply to RCPT TO command) host gmail-smtp-in.l.google.com"
    )
    assert verdict.reason == "blocked"
    assert "zen.spamhaus.org" in verdict.explanation
    assert verdict.provider == "Gmail"


def test_unknown_with_temporary_code_is_a_retry(classifier: Classifier) -> None:
    verdict = classifier.classify("something odd happened", "450", "")
    assert (verdict.reason, verdict.action) == ("temporary_failure", Action.RETRY)
    unclear = classifier.classify("qwerty", "", "4.9.9")
    assert (unclear.reason, unclear.action) == ("unknown", Action.RETRY)


def test_unknown_with_permanent_code_is_investigated(classifier: Classifier) -> None:
    verdict = classifier.classify("qwerty zxcv", "550", "")
    assert (verdict.reason, verdict.action) == ("unknown", Action.INVESTIGATE)


def test_temporary_blocked_stays_investigate(classifier: Classifier) -> None:
    verdict = classifier.classify(
        "451 4.7.650 The mail server has been rate limited due to IP reputation"
    )
    assert verdict.action is Action.INVESTIGATE


def test_temporary_user_unknown_is_not_removed(classifier: Classifier) -> None:
    verdict = classifier.classify(
        "450 4.1.1 <a@b.example>: Recipient address rejected: User unknown"
    )
    assert (verdict.reason, verdict.action) == ("user_unknown", Action.RETRY)


def test_empty_bounce_is_unknown_and_says_so(classifier: Classifier) -> None:
    verdict = classifier.classify("", "", "", "")
    assert (verdict.reason, verdict.action) == ("unknown", Action.INVESTIGATE)
    assert "no code or text" in verdict.explanation


def test_provider_label_used_when_nothing_else(classifier: Classifier) -> None:
    assert classifier.classify("", "", "", "Hard Bounce").action is Action.REMOVE
    assert classifier.classify("", "", "", "Transient").action is Action.RETRY
    assert classifier.classify("", "", "", "SpamComplaint").reason == "complaint"
    # the text wins over the label
    assert classifier.classify("452 4.2.2 mailbox full", "", "", "hard").reason == "mailbox_full"


def test_verdicts_do_not_depend_on_addresses_or_ips(classifier: Classifier) -> None:
    a = classifier.classify(
        "550 5.1.1 <anna@example.com>: user unknown host mx.example.com[192.0.2.1]"
    )
    b = classifier.classify(
        "550 5.1.1 <tom@example.org>: user unknown host mx.example.org[198.51.100.7]"
    )
    assert a is b


@pytest.mark.parametrize(
    "address",
    ["userunknown@example.com", "mailboxfull@example.jp", "blocked@example.org", "spam@example.net",
     "user-unknown@example.com", "filtered@example.jp", "hostunknown@example.com"],
)  # fmt: skip
def test_addresses_that_spell_a_reason_do_not_sway_the_verdict(
    classifier: Classifier, address: str
) -> None:
    verdict = classifier.classify(f"250 2.0.0 <{address}>: Ok, queued as 4Bx1")
    assert verdict.reason == "delivered"


@pytest.mark.parametrize(
    "text",
    [
        "a" * 1_000_000,
        "5." * 500_000,
        "(" * 200_000 + "x" * 200_000,
        "550 " + "user@" * 200_000,
        "\x00\ud800\uffff" * 1000,
    ],
    ids=["1MB letters", "dots", "parens", "ats", "odd code points"],
)
def test_hostile_texts_classify_quickly(classifier: Classifier, text: str) -> None:
    start = time.perf_counter()
    verdict = classifier.classify(text, "550", "5.0.0")
    assert verdict.reason  # total: always a verdict
    assert time.perf_counter() - start < 2.0  # linear-time matching: no catastrophic backtracking


@pytest.mark.parametrize(
    "text",
    [
        "550 5.7.1 Requested action not taken: mailbox unavailable",  # 5.7.x: a policy refusal
        "554 5.7.1 Mailbox unavailable: your message was refused",
        "501 5.1.7 Invalid address",  # 5.1.7: the *sender's* address is bad
        "521 5.3.2 Service not available - too much spam from your IP",
    ],
)
def test_sender_side_statuses_beat_vague_address_words(classifier: Classifier, text: str) -> None:
    assert classifier.classify(text).action is Action.INVESTIGATE


def test_a_specific_label_beats_a_bare_reply_code(classifier: Classifier) -> None:
    assert classifier.classify("", "553", "", "Blocked").reason == "blocked"
    # but a bare hard/soft says less than any code
    assert classifier.classify("", "552", "", "hard").reason == "mailbox_full"


def test_folded_multi_line_replies_are_read_whole(classifier: Classifier) -> None:
    folded = (
        "550-5.7.1 [2001:db8::1 13] Messages with multiple 550-5.7.1 addresses in From: header "
        "are not accepted. 550 5.7.1 v14si1155795plk.134 - gsmtp"
    )
    verdict = classifier.classify(folded)
    assert (verdict.reason, verdict.smtp_code, verdict.enhanced_status) == (
        "protocol_error", "550", "5.7.1",
    )  # fmt: skip
