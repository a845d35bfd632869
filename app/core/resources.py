"""Locate the bundled `resources/` folder from source, an editable install or a frozen build."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The folder holding rule tables, samples and icons.

    `BOUNCE_CLEANER_RESOURCES` wins (tests, packagers); a PyInstaller build unpacks next to
    `sys._MEIPASS`; otherwise it sits beside the `app` package in the project root.
    """
    override = os.environ.get("BOUNCE_CLEANER_RESOURCES")
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
