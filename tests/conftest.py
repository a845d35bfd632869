"""Shared fixtures. Qt runs offscreen in every test; tests needing ../shared skip without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED = PROJECT_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def classifier():  # type: ignore[no-untyped-def]
    from app.core.classifier import Classifier

    return Classifier()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared is not available on this machine")
    return SHARED
