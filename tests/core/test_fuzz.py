"""Classification is total: whatever a stranger's server sends, a verdict comes back."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.classifier import Classifier
from app.core.taxonomy import REASON_IDS, Action

CLASSIFIER = Classifier()
code_like = st.one_of(st.text(max_size=12), st.from_regex(r"[245]\d\d", fullmatch=True))
status_like = st.one_of(
    st.text(max_size=12), st.from_regex(r"[245]\.\d{1,3}\.\d{1,3}", fullmatch=True)
)
bounce_text = st.one_of(
    st.text(max_size=400),
    st.lists(
        st.sampled_from(
            ["550", "5.1.1", "user", "unknown", "blocked", "spamhaus", "4.7.1", "(", "#", ".", " ",
             "mailbox", "full", "\n", "dmarc", "@", "192.0.2.1", "[", "]", "\\", "*", "+"]
        ),
        max_size=60,
    ).map("".join),
)  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(text=bounce_text, code=code_like, status=status_like, label=st.text(max_size=20))
def test_classify_never_raises(text: str, code: str, status: str, label: str) -> None:
    verdict = CLASSIFIER.classify(text, code, status, label)
    assert verdict.reason in REASON_IDS
    assert isinstance(verdict.action, Action)
    assert verdict.explanation and "{" not in verdict.explanation
