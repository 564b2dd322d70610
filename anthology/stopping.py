"""Ctrl-C and SIGTERM stop a run whatever library code is running when they come.

The signal raises `Interrupted` at once; but library code may swallow it (WeasyPrint's SVG drawing
catches BaseException), so it is also remembered, and the build asks `check()` after each unit it
lays out and before it keeps anything it wrote: a half-drawn unit is never kept, and the run stops.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from .problems import Interrupted

MESSAGE = "interrupted: earlier outputs are left as they were"
_received: list[int] = []


def started_as_the_command_line() -> bool:
    """Whether this process is the `anthology` command (its console script, or `python -m
    anthology`, while Python still says "-m"), not a program that imports the package."""
    return sys.argv[:1] == ["-m"] or Path(sys.argv[0] if sys.argv else "").name == "anthology"


def hold_start_up() -> None:
    """Ctrl-C and SIGTERM while the command's modules load (about a second, before `install`) are
    held until it takes over, then end it with the message: raised in the middle of an import, the
    exception would surface in a C extension's initialisation (pikepdf's aborts) or as a traceback."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _received_in_start_up)


def _received_in_start_up(signum, frame) -> None:
    _received.append(signum)


def install() -> None:
    """Take over Ctrl-C and SIGTERM for this process (the command line does, once); a signal held
    during start-up stops it here, before any work."""
    if _received:
        print(f"\n{MESSAGE}", file=sys.stderr)
        sys.exit(Interrupted.exit_code)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _stop)


def check() -> None:
    """Stop here if a signal came, even one that library code swallowed."""
    if _received:
        raise Interrupted()


def _stop(signum, frame) -> None:
    _received.append(signum)
    raise Interrupted()
