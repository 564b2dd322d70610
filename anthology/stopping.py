"""Ctrl-C and SIGTERM stop a run whatever library code is running when they come.

The signal raises `Interrupted` at once; but library code may swallow it (WeasyPrint's SVG drawing
catches BaseException), so it is also remembered, and the build asks `check()` after each unit it
lays out and before it keeps anything it wrote: a half-drawn unit is never kept, and the run stops.
"""

from __future__ import annotations

import signal

from .problems import Interrupted

_received: list[int] = []


def install() -> None:
    """Take over Ctrl-C and SIGTERM for this process (the command line does, once)."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _stop)


def check() -> None:
    """Stop here if a signal came, even one that library code swallowed."""
    if _received:
        raise Interrupted()


def _stop(signum, frame) -> None:
    _received.append(signum)
    raise Interrupted()
