"""Laying out one unit of the book with WeasyPrint: the volume's stylesheets, its fonts alone, its
local-only fetcher. A unit starts on a right-hand page with its number set by
`@page :first { counter-reset: page N }`, and reports where each anchor fell (its page map).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from . import fonts  # noqa: I001  (first: it decides which fonts WeasyPrint can see)
from . import boxes, hyphenation
from .fetcher import LocalFetcher

from weasyprint import CSS, HTML  # noqa: E402  (after fonts, see above)
from weasyprint.document import Document  # noqa: E402


@dataclass
class Unit:
    """A rendered piece of the book: where each anchor fell, its outline entries, and its pages,
    either in memory (`document`) or written to `file`."""

    first_page: int
    page_count: int
    page_map: dict[str, int] = field(default_factory=dict)
    bookmarks: list[tuple[int, str, int]] = field(default_factory=list)  # (level, label, page index in unit)
    document: Document | None = None
    file: Path | None = None
    phantoms: list[str] = field(default_factory=list)  # anchors added only to keep links to other units
    typefaces: dict[str, int] = field(default_factory=dict)  # typeface → glyphs set in it

    @property
    def next_page(self) -> int:
        return self.first_page + self.page_count


class Renderer:
    """Renders HTML units with the volume's stylesheets, its fonts alone and its local-only fetcher."""

    def __init__(self, stylesheets: list[Path], page_size: tuple[str, str], base_url: Path, fetcher: LocalFetcher,
                 extra_css: str = ""):
        hyphenation.register()  # Kazakh and Azerbaijani dictionaries for `hyphens: auto`
        self.fetcher = fetcher
        self.base_url = fetcher.url_of(base_url) + "/"
        folders = fonts.font_folders(base_url)
        self.font_config = fonts.font_configuration(folders)
        page_css = f"@page {{ size: {page_size[0]} {page_size[1]}; }}"
        self.stylesheets = [self._css(string=page_css)] + [self._css(url=fetcher.url_of(path)) for path in stylesheets]
        if extra_css:  # the PDF profile's rules (bleed, marks) come last
            self.stylesheets.append(self._css(string=extra_css, base_url=self.base_url))
        digest = hashlib.sha256(page_css.encode() + extra_css.encode())
        for path in stylesheets:
            digest.update(path.read_bytes())
        for font in fonts.font_files(folders):
            digest.update(f"{font}{font.stat().st_size}{font.stat().st_mtime_ns}".encode())
        self.key = digest.hexdigest()  # what the look of a unit depends on besides its HTML

    def _css(self, **source) -> CSS:
        """A stylesheet whose @font-face rules load into the one font configuration."""
        return CSS(**source, url_fetcher=self.fetcher, font_config=self.font_config)

    def render(self, html: str, first_page: int = 1) -> Unit:
        """Lay out one unit whose first page is numbered `first_page`."""
        sheets = list(self.stylesheets)
        if first_page != 1:
            sheets.append(self._css(string=f"@page :first {{ counter-reset: page {first_page} }}"))
        with _quiet_weasyprint():
            document = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
                stylesheets=sheets, font_config=self.font_config)
        unit = Unit(first_page, len(document.pages), document=document, typefaces=boxes.typefaces(document.pages))
        for number, page in enumerate(document.pages, first_page):
            for anchor in page.anchors:
                unit.page_map.setdefault(anchor, number)
            unit.bookmarks.extend((level, label, number - first_page) for level, label, _, _ in page.bookmarks)
        return unit


def write_pdf(document: Document, target: Path, **options) -> None:
    """Write the PDF (the caller makes this atomic)."""
    with _quiet_weasyprint():
        document.write_pdf(target, **options)


class _quiet_weasyprint:
    """WeasyPrint logs every CSS property it does not know; the build reports problems itself."""

    def __enter__(self):
        self.logger = logging.getLogger("weasyprint")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)
