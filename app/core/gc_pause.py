"""Pause Python's cyclic garbage collector during bulk work.

Building millions of lists, tuples and dicts triggers the collector over and over, and each full
pass walks the whole heap — seconds at a million rows — to find cycles the bulk code never makes.
Reference counting still frees everything as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block; restore its previous state after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
