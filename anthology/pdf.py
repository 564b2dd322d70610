"""Write stage, print: render units with WeasyPrint, join their pages, write the PDF.

Page numbers are facts only the layout knows: each rendered unit reports a page map (anchor id →
printed page number) from which the contents (and later the index) are made. A unit starts on a
right-hand page with its number set by `@page :first { counter-reset: page N }`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.document import Document

from . import hyphenation
from .fetcher import LocalFetcher


@dataclass
class Unit:
    """A rendered piece of the book: its pages and where each anchor fell."""

    document: Document
    first_page: int
    page_map: dict[str, int] = field(default_factory=dict)

    @property
    def page_count(self) -> int:
        return len(self.document.pages)

    @property
    def next_page(self) -> int:
        return self.first_page + self.page_count


class Renderer:
    """Renders HTML units with the volume's stylesheets and its local-only fetcher."""

    def __init__(self, stylesheets: list[Path], page_size: tuple[str, str], base_url: Path, fetcher: LocalFetcher,
                 extra_css: str = ""):
        hyphenation.register()  # Kazakh and Azerbaijani dictionaries for `hyphens: auto`
        self.fetcher = fetcher
        self.base_url = base_url.as_uri() + "/"
        page_css = f"@page {{ size: {page_size[0]} {page_size[1]}; }}"
        self.stylesheets = [CSS(string=page_css)] + [
            CSS(url=path.as_uri(), url_fetcher=fetcher) for path in stylesheets
        ]
        if extra_css:  # the PDF profile's rules (bleed, marks) come last
            self.stylesheets.append(CSS(string=extra_css, base_url=self.base_url, url_fetcher=fetcher))

    def render(self, html: str, first_page: int = 1) -> Unit:
        """Lay out one unit whose first page is numbered `first_page`."""
        sheets = list(self.stylesheets)
        if first_page != 1:
            sheets.append(CSS(string=f"@page :first {{ counter-reset: page {first_page} }}"))
        with _quiet_weasyprint():
            document = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(stylesheets=sheets)
        unit = Unit(document, first_page)
        for number, page in enumerate(document.pages, first_page):
            for anchor in page.anchors:
                unit.page_map.setdefault(anchor, number)
        return unit


def join(units: list[Unit]) -> Document:
    """One document from the units' pages; metadata come from the first unit."""
    pages = [page for unit in units for page in unit.document.pages]
    return units[0].document.copy(pages)


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
