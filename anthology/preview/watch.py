"""Watching a volume's files for the preview: which files a rebuild depends on, and what a change
to each needs (least to most: a stylesheet, a template, the content). Polls modification times:
no extra dependency, and the same on every system."""

from __future__ import annotations

import os
import time
from pathlib import Path

from ..assemble.templates import TEMPLATES
from ..layout import fonts
from ..load import MANIFEST
from ..load.styles import DEFAULT_STYLES, style_files
from ..model import Enriched

POLL_SECONDS = 0.1      # how often the watcher looks at the files
SETTLE_SECONDS = 0.05   # a save is taken once the files have stopped changing for this long

# What a change needs, least to most.
STYLE, TEMPLATE, CONTENT = 1, 2, 3
KIND_NAMES = {STYLE: "style", TEMPLATE: "template", CONTENT: "content"}
CONTENT_SUFFIXES = {".yaml", ".yml", ".json", ".bib", ".csl"}


class Watcher:
    """The files of one volume and their last seen signatures (modification time, size)."""

    def __init__(self, root: Path):
        self.root = root
        self.known: dict[Path, int] = {}   # the volume's own files, from the last load
        self.styles_used: list[Path] = []  # its stylesheets and fonts, from the last load
        self.signatures: dict[Path, tuple | None] = {}
        self.build_started_ns = 0

    def start(self) -> None:
        self.signatures = self.scan()

    def next_change(self, stopped) -> tuple[int, list[Path]] | None:
        """Wait for files to change and settle (an editor may save in several steps); what the
        change needs and the files changed. None once `stopped` (an Event) is set."""
        while not stopped.wait(POLL_SECONDS):
            current = self.scan()
            if not self.changed(current):
                continue
            while True:
                time.sleep(SETTLE_SECONDS)
                again = self.scan()
                if again == current:
                    break
                current = again
            changed = self.changed(current)
            kinds = self.watch_list()
            self.signatures = current
            return max(kinds.get(path, CONTENT) for path in changed), sorted(changed)
        return None

    def loaded(self, enriched: Enriched, failed: bool) -> None:
        """What the last load read: a file that failed to load is missing from it, so keep watching it."""
        known = files_of(enriched)
        self.known = known if not failed else {**self.known, **known}
        volume = enriched.volume
        self.styles_used = [*style_files(volume, "print").values(), *style_files(volume, "epub").values(),
                            *fonts.font_files(fonts.font_folders(volume.root))]

    def watch_new_files(self) -> None:
        """Files the last build started to use (a new article, a new stylesheet) are watched from now on.
        One written since the build began may have been read before the change: it is built again."""
        latest = self.scan()
        for path in list(self.signatures):
            if path not in latest:
                del self.signatures[path]
        since = self.build_started_ns - 50_000_000  # file times come from a coarser clock
        for path, signature in latest.items():
            if path not in self.signatures:
                self.signatures[path] = None if signature and signature[0] >= since else signature

    def changed(self, current: dict[Path, tuple | None]) -> list[Path]:
        return [p for p in set(current) | set(self.signatures) if current.get(p) != self.signatures.get(p)]

    def watch_list(self) -> dict[Path, int]:
        """Every file a rebuild depends on, with what its change needs."""
        files: dict[Path, int] = {}

        def add(path: Path, kind: int) -> None:
            path = path.resolve()
            files[path] = max(files.get(path, 0), kind)

        # The volume's styles/ (a file added there may start to be used), and the bundled files it
        # uses, or all of them while the volume has not loaded.
        folders = [self.root / "styles"] + ([] if self.styles_used else [DEFAULT_STYLES])
        for folder in folders:
            if folder.is_dir():
                for base, dirs, names in os.walk(folder):
                    dirs[:] = [d for d in dirs if not d.startswith(".")]
                    for name in names:
                        if not name.startswith("."):
                            add(Path(base) / name, STYLE)
        for path in self.styles_used:
            add(path, STYLE)
        for path in TEMPLATES.iterdir():
            add(path, TEMPLATE)
        add(self.root / MANIFEST, CONTENT)
        for path in self.root.iterdir():
            if path.suffix.lower() in CONTENT_SUFFIXES and path.is_file():
                add(path, CONTENT)
        for path, kind in self.known.items():
            add(path, kind)
        return files

    def scan(self) -> dict[Path, tuple | None]:
        signatures = {}
        for path in self.watch_list():
            try:
                stat = path.stat()
                signatures[path] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                signatures[path] = None
        return signatures

    def relative(self, path: Path) -> str:
        for base in (self.root, DEFAULT_STYLES.resolve().parent, TEMPLATES.parent):
            if path.is_relative_to(base):
                return str(path.relative_to(base))
        return str(path)


def files_of(prepared: Enriched) -> dict[Path, int]:
    """The files the loaded volume reads: a change to any of them is a content change, but for its CSS."""
    volume = prepared.volume
    files: dict[Path, int] = {}
    for article in volume.articles():
        files[article.path] = CONTENT
        for reference in article.references:
            files[reference] = CONTENT
    for path in [volume.people, *volume.references]:
        if path is not None:
            files[path] = CONTENT
    for enriched in prepared.articles.values():
        for path in enriched.parsed.images.values():
            files[path] = CONTENT
    for path in volume.styles:
        files[path] = STYLE
    return {path.resolve(): kind for path, kind in files.items()}

