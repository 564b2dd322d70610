"""Problems found in a user's volume, collected, never raised one at a time; and the errors that
stop a run. A user's error is an `AnthologyError` with an exit code (the commands map it once);
anything else that escapes is a bug in anthology and keeps its traceback."""

from __future__ import annotations

import contextlib
import errno
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the user's files, located as `path:line`."""

    path: str
    line: int | None
    message: str
    severity: str = ERROR
    code: str = "invalid"

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"


@dataclass
class Problems:
    """A collector of problems, shared by the stages of one run."""

    root: Path | None = None
    items: list[Problem] = field(default_factory=list)

    def where(self, path: Path | str) -> str:
        """`path` as problems name it: relative to `root` when it lies inside."""
        path = Path(path)
        if self.root is not None:
            # as named first: a symlink that leads out of the project is reported where it stands
            for candidate in (Path(os.path.abspath(path)), path.resolve()):
                try:
                    return str(candidate.relative_to(self.root.resolve()))
                except ValueError:
                    pass
        return str(path)

    def error(self, path: Path | str, line: int | None, message: str, code: str = "invalid") -> None:
        self.items.append(Problem(self.where(path), line, message, ERROR, code))

    def warning(self, path: Path | str, line: int | None, message: str, code: str = "warning") -> None:
        self.items.append(Problem(self.where(path), line, message, WARNING, code))

    def extend(self, problems: list[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == WARNING]

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self):
        return iter(self.items)


def problems_json(problems) -> str:
    """Problems as a JSON list: file, line, severity, code, message."""
    return json.dumps([{"file": p.path, "line": p.line, "severity": p.severity, "code": p.code, "message": p.message}
                       for p in problems], ensure_ascii=False, indent=2)


class AnthologyError(Exception):
    """A run stopped by something in the user's files or on their machine, not by a bug."""

    exit_code = 1


class VolumeError(AnthologyError):
    """The volume has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class Interrupted(AnthologyError):
    """Ctrl-C or SIGTERM: the run stops, and what it had begun to write is removed."""

    exit_code = 130


# What only writing fails with: the file system is read-only or full.
WRITE_ERRNOS = {errno.EROFS, errno.ENOSPC, errno.EDQUOT}


def shown_folder(folder: Path) -> Path:
    """The folder to name in an error: a build's staging folder (write/staging.py) is removed when
    the build fails, so its output folder is named."""
    return folder.parent if folder.name.startswith(".staging-") else folder


@contextlib.contextmanager
def writing_into(folder: Path, errnos: set[int] | None = None):
    """Turn an OSError raised while writing into `folder` (any, or those in `errnos`) into the
    error that stops the run, naming the folder: a read-only or full output folder is the user's
    machine, not a bug."""
    try:
        yield
    except OSError as exc:
        if errnos is not None and exc.errno not in errnos:
            raise
        existing = shown_folder(next((path for path in (folder, *folder.parents) if path.exists()), folder))
        message = f"cannot write into this folder: {exc.strerror or exc}"
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            message = "no space left on this device: free some space, or build into another folder (--out)"
        raise VolumeError([Problem(str(existing), None, message, code="unwritable")]) from exc
