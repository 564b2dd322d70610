"""The one confinement check: every file a build, a preview or an import reads must lie inside the
folders it may read (a volume's project folder and the bundled styles; for an import, the imported
file's own folder). A path is judged with every symlink on the way resolved, so a link that leads
out is refused like `../` or an absolute path."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .problems import Problems


def inside(path: Path, roots: Iterable[Path]) -> Path | None:
    """`path` with its symlinks resolved, when that lies inside one of `roots`; else None."""
    resolved = Path(path).resolve()
    if any(resolved.is_relative_to(Path(root).resolve()) for root in roots):
        return resolved
    return None


def confined(path: Path, roots: Iterable[Path], problems: Problems, where: Path, line: int | None,
             what: str) -> Path | None:
    """`inside`, with the located error "`what` leaves the project folder" at `where` when it is not."""
    found = inside(path, roots)
    if found is None:
        problems.error(where, line, f"{what} leaves the project folder", code="path-outside")
    return found
