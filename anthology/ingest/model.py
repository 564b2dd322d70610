"""What a reader hands on: a draft article, with where each fact came from and what was left out."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..confine import inside
from ..limits import IMAGE_FORMATS, MAX_IMAGE_BYTES

IMAGE_TYPES = {suffix.lstrip(".") for suffix in IMAGE_FORMATS}  # what the build takes


class Refused(Exception):
    """A file the import will not read (outside the imported file's folder, or too large): the
    import of that file stops, with this located error, before anything is written."""

    def __init__(self, line: int | None, message: str, code: str = "path-outside"):
        super().__init__(message)
        self.line, self.message, self.code = line, message, code


def read_beside(source: Path, name: str, line: int | None) -> tuple[bytes, str] | None:
    """(bytes, suffix) of the image that `name` (relative to the imported file) names; None when
    there is no such file. Only the imported file's own folder is read: a path, or a symlink,
    that leads out of it is refused, and so is a file larger than an image may be."""
    found = inside(source.parent / name, [source.parent])
    if found is None:
        raise Refused(line, f"the image '{name}' lies outside the folder of {source.name}; it was not read: "
                            f"copy it beside the file (or remove it) and import again")
    if not found.is_file():
        return None
    check_image_size(found.stat().st_size, name, line)
    return found.read_bytes(), found.suffix.lstrip(".").lower()


def check_image_size(size: int, name: str, line: int | None) -> None:
    """Refused when an image is larger than the build takes: checked before it is read or written."""
    if size > MAX_IMAGE_BYTES:
        raise Refused(line, f"the image '{name}' is {size / 1e6:.0f} MB; an image may be at most "
                            f"{MAX_IMAGE_BYTES / 1e6:.0f} MB: reduce it and import again", code="too-large")


@dataclass
class Found:
    """A detected value and where it was found (``<meta property="og:title">``, ``line 3``)."""

    value: Any
    origin: str


@dataclass
class Block:
    """A piece of the source that is not in the article body: its position, text, and why."""

    position: str
    text: str
    why: str = "boilerplate"

    @property
    def preview(self) -> str:
        text = re.sub(r"\s+", " ", self.text).strip()
        return text if len(text) <= 80 else text[:79] + "…"


@dataclass
class Draft:
    """An article as a reader found it: metadata, a Markdown body, images, and the leftovers."""

    source_path: Path
    kind: str
    image_prefix: str
    title: Found | None = None
    subtitle: Found | None = None
    authors: Found | None = None          # value: list of {"name": …, "affiliation": …}
    date: Found | None = None             # value: datetime.date
    source: Found | None = None
    abstract: Found | None = None
    keywords: Found | None = None         # value: list of words
    lang_hint: Found | None = None        # what the file itself declares (html lang, docx settings)
    changes: str | None = None            # .docx: "accept" or "reject" its tracked changes; None: refuse them
    body: str = ""
    images: dict[str, bytes] = field(default_factory=dict)
    removed: list[Block] = field(default_factory=list)
    used: list[Block] = field(default_factory=list)
    marks: list[Block] = field(default_factory=list)      # .docx: tracked changes and comments, with their place
    checks: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    extra: dict[str, Any] = field(default_factory=dict)   # .md only: what complete_front_matter needs

    def add_image(self, data: bytes, ext: str) -> str:
        """Keep an image; returns its path relative to the article file."""
        check_image_size(len(data), f"image{len(self.images) + 1}.{ext}", None)
        ext = (ext or "bin").lower().lstrip(".")
        ext = "jpg" if ext == "jpeg" else ext
        name = f"image{len(self.images) + 1}.{ext}"
        self.images[name] = data
        self.counts["images"] += 1
        return f"{self.image_prefix}/{name}"

    def remove(self, position: str, text: str, why: str = "boilerplate") -> None:
        if text and text.strip():
            self.removed.append(Block(position, text, why))

    def use(self, position: str, text: str, why: str) -> None:
        if text and text.strip():
            self.used.append(Block(position, text, why))

    def mark(self, position: str, text: str, why: str) -> None:
        self.marks.append(Block(position, text, why))

    def check(self, message: str) -> None:
        if message not in self.checks:
            self.checks.append(message)


def decode(raw: bytes, declared: str | None = None) -> tuple[str, str | None]:
    """Bytes of a text file → (text, a note when it was not UTF-8)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "the file is UTF-16; it was read as such"
    candidates = [c for c in (declared, "utf-8") if c]
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
            note = None if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else f"the file declares {encoding}; it was read as such"
            return _clean(text), note
        except (UnicodeDecodeError, LookupError):
            continue
    text = raw.decode("cp1251", errors="replace")
    return _clean(text), "the file is not UTF-8; it was read as Windows-1251 (Cyrillic): check the letters"


def _clean(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
