"""Folders a process uses while it runs, in the system's temporary directory (and, for staging, in
the output folder).

Each is removed when the process exits; a process that is killed (SIGKILL, a lost machine) runs no
clean-up, so each folder is named by its host and process, and the next process to make one
removes those of processes on this host that are no longer running."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
from pathlib import Path


def folder(prefix: str) -> Path:
    """A new folder named `prefix-HOST-PID-…`, removed at exit; first, the abandoned ones go."""
    owner = f"{prefix}-{_host()}-"
    remove_abandoned(Path(tempfile.gettempdir()), owner)
    path = Path(tempfile.mkdtemp(prefix=f"{owner}{os.getpid()}-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def remove_abandoned(parent: Path, owner: str) -> None:
    """Remove this user's folders in `parent` named `owner` + PID whose process is not running."""
    for path in parent.glob(f"{owner}*"):
        pid = path.name[len(owner):].split("-", 1)[0]
        try:
            mine = path.is_dir() and not path.is_symlink() and path.stat().st_uid == os.getuid()
        except OSError:
            continue
        if mine and pid.isdigit() and not alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _host() -> str:
    """The host's name as a file name can hold it: containers sharing /tmp see each other's folders."""
    return "".join(c if c.isalnum() else "_" for c in socket.gethostname())[:40] or "host"


def alive(pid: int) -> bool:
    """The process `pid` is running (its temporary files are in use)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
