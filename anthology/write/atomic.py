"""Outputs are written to a temporary file beside the target, then renamed over it.

A failed or interrupted build never leaves a half-written file where a good one was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ..problems import WRITE_ERRNOS, writing_into


@contextlib.contextmanager
def atomic_output(target: Path):
    """Yield a temporary path in the target's folder; on success it replaces `target`. A folder
    that cannot be written (read-only, full) stops the run with an error naming it."""
    with writing_into(target.parent):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(fd)
    temporary = Path(name)
    try:
        with writing_into(target.parent, WRITE_ERRNOS):
            yield temporary
        with writing_into(target.parent):
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
