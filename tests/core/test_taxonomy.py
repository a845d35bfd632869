from __future__ import annotations

from pathlib import Path

import pytest

from app.core.taxonomy import REASON_IDS, Action, TaxonomyError, load_taxonomy, taxonomy


def test_every_reason_has_label_action_and_advice() -> None:
    reasons = taxonomy()
    assert list(reasons) == list(REASON_IDS)
    for reason in reasons.values():
        assert reason.label and len(reason.advice) > 80 and reason.summary


def test_default_actions_match_the_contract() -> None:
    reasons = taxonomy()
    removes = {r.id for r in reasons.values() if r.action is Action.REMOVE}
    assert removes == {
        "user_unknown", "bad_domain", "mailbox_disabled", "address_moved", "invalid_address",
        "complaint", "repeated_soft_bounce", "duplicate",
    }  # fmt: skip
    assert reasons["blocked"].action is Action.INVESTIGATE
    assert reasons["auth_failed"].action is Action.INVESTIGATE
    assert reasons["auto_reply"].action is Action.KEEP


def test_a_taxonomy_missing_a_reason_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "taxonomy.toml"
    broken.write_text('[reason.user_unknown]\nlabel = "x"\naction = "remove"\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match="missing reasons"):
        load_taxonomy(broken)
