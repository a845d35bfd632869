"""Write files atomically: a temporary file beside the target, then one rename.

A crash or a full disk half-way leaves the previous file (or nothing), never a truncated export.
The finished file gets ordinary permissions (the user's umask), not the temporary file's 0600.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_binary_writer(target: Path) -> Iterator[IO[bytes]]:
    target = Path(target)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o666 & ~_umask())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


@contextlib.contextmanager
def atomic_text_writer(
    target: Path, *, encoding: str = "utf-8", newline: str = "", bom: bytes = b""
) -> Iterator[IO[str]]:
    with atomic_binary_writer(target) as raw:
        raw.write(bom)
        text = io.TextIOWrapper(raw, encoding=encoding, newline=newline)
        try:
            yield text
        finally:
            text.flush()
            text.detach()
