"""A build's outputs change together or not at all.

Every output is written into a staging folder beside them (on the same file system), and only when
all of them are written are they renamed into place, in one short step with Ctrl-C and SIGTERM held
back, the checksums and the report last. A build that fails or is stopped before that step leaves
the earlier outputs exactly as they were, and its staging folder is removed (or, if the process was
killed outright, by the next build).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import tempfile
from pathlib import Path

from ..problems import WRITE_ERRNOS, writing_into
from ..scratch import remove_abandoned

PREFIX = ".staging-"
HELD = {signal.SIGINT, signal.SIGTERM}


class Staging:
    def __init__(self, folder: Path, out_dir: Path):
        self.folder, self.out_dir = folder, out_dir

    def path(self, name: str) -> Path:
        """Where the output called `name` is written before it is put in place."""
        return self.folder / name

    def commit(self, names: list[str], remove: list[str] = ()) -> None:
        """Put the staged outputs in place, in the order given, with the stopping signals held back
        until every one of them is there. A folder of outputs (offprints, metadata) replaces the
        earlier one whole: that is moved into the staging folder first, and goes with it; so do
        the earlier outputs named in `remove`."""
        held = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
        try:
            for name in remove:
                if (self.out_dir / name).exists() and name not in names:
                    os.replace(self.out_dir / name, self.folder / f".old-{name}")
            for name in names:
                if (self.folder / name).is_dir() and (self.out_dir / name).is_dir():
                    os.replace(self.out_dir / name, self.folder / f".old-{name}")
                os.replace(self.folder / name, self.out_dir / name)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)


@contextlib.contextmanager
def staged(out_dir: Path):
    """A staging folder in `out_dir` for one build, removed afterwards whatever happens; a folder
    that cannot be written, or fills up, is an error naming it (problems.writing_into)."""
    _remove_abandoned(out_dir)
    with writing_into(out_dir):
        out_dir.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=out_dir))
    try:
        with writing_into(out_dir, WRITE_ERRNOS | {errno.EACCES}):
            yield Staging(folder, out_dir)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _remove_abandoned(out_dir: Path) -> None:
    """Staging folders of builds that were killed before they could remove their own."""
    if out_dir.is_dir():
        remove_abandoned(out_dir, PREFIX)
