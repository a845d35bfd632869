"""A broken rule file is refused with a message naming the file and the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.classifier import Classifier
from app.core.rules import RuleError, load_rule_files

GOOD = """stage = "text"
[[rule]]
id = "t.full"
reason = "mailbox_full"
text = ['mailbox (?:is )?full']
examples = ["552 mailbox is full"]
"""


def write(tmp_path: Path, body: str, name: str = "10-test.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_a_good_file_classifies(tmp_path: Path) -> None:
    rules = load_rule_files([write(tmp_path, GOOD)])
    verdict = Classifier(rules=rules).classify("452 Mailbox is FULL")
    assert (verdict.rule_id, verdict.reason) == ("t.full", "mailbox_full")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("mailbox_full", "mailbox_fool"), "not a single-bounce reason"),
        (('reason = "mailbox_full"', 'reason = "duplicate"'), "not a single-bounce reason"),
        (('examples = ["552 mailbox is full"]', "examples = []"), "at least one example"),
        (("text =", "txet ="), "unknown keys"),
        (('stage = "text"', 'stage = "later"'), "'stage' must be one of"),
        (("['mailbox (?:is )?full']", "['mailbox (?<=x)full']"), "not valid RE2"),
    ],
)
def test_broken_rules_are_refused_by_name(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(RuleError, match=message) as caught:
        Classifier(rules=load_rule_files([path]))
    assert "10-test.toml" in str(caught.value)


def test_stage_order_beats_file_order(tmp_path: Path) -> None:
    text_file = write(tmp_path, GOOD, "01-text.toml")
    provider = GOOD.replace('stage = "text"', 'stage = "provider"').replace("t.full", "p.full")
    provider_file = write(
        tmp_path, provider.replace("mailbox_full", "temporary_failure"), "99-p.toml"
    )
    rules = load_rule_files([text_file, provider_file])
    assert [r.id for r in rules] == ["p.full", "t.full"]
    assert Classifier(rules=rules).classify("mailbox is full").rule_id == "p.full"
