"""app.core and app.io never import Qt (the import-linter contract, also checked as a test)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import app.core
import app.io

ROOT = Path(__file__).resolve().parents[1]


def test_core_and_io_import_without_qt() -> None:
    modules = [
        f"{package.__name__}.{info.name}"
        for package in (app.core, app.io)
        for info in pkgutil.iter_modules(package.__path__)
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(qt); sys.exit(1 if qt else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(modules) >= 8
