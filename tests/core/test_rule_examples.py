"""Every rule's examples must be classified *by that rule* — precedence included."""

from __future__ import annotations

import pytest

from app.core.classifier import Classifier
from app.core.rules import default_rule_files, load_rule_files

RULES = load_rule_files(default_rule_files())
CASES = [(rule, n, ex) for rule in RULES for n, ex in enumerate(rule.examples)]


@pytest.mark.parametrize(
    ("rule", "number", "example"), CASES, ids=[f"{r.id}#{n}" for r, n, _ in CASES]
)
def test_example_is_decided_by_its_rule(classifier: Classifier, rule, number: int, example) -> None:  # type: ignore[no-untyped-def]
    verdict = classifier.classify(example.text, example.code, example.status, example.label)
    assert (verdict.rule_id, verdict.reason) == (rule.id, rule.reason), (
        f"{rule.source}: example {number} of {rule.id} went to {verdict.rule_id}: {example}"
    )


def test_every_reason_a_bounce_can_have_is_reachable() -> None:
    from app.core.taxonomy import HISTORY_REASONS, REASON_IDS

    reachable = {rule.reason for rule in RULES}
    missing = set(REASON_IDS) - HISTORY_REASONS - {"unknown"} - reachable
    assert not missing, f"no rule yields {sorted(missing)}"
