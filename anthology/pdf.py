"""Write stage, print: render units with WeasyPrint, and join their pages into one PDF.

Page numbers are facts only the layout knows: each rendered unit reports a page map (anchor id →
printed page number) from which the contents and the index are made. A unit starts on a
right-hand page with its number set by `@page :first { counter-reset: page N }`.

A unit can be kept in memory (joined with WeasyPrint, which keeps a tagged PDF whole) or written to
its own PDF at once (so a long book never holds all its pages in memory) and joined with pikepdf,
which rebuilds the named destinations and the outline across units.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from html import unescape
from urllib.parse import urljoin

import pikepdf

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


IMAGE_SOURCE = re.compile(r'<img [^>]*?src="([^"]+)"')


class UnitStore:
    """Writes units to PDF files as soon as they are laid out, and finds them again by content:
    a unit whose HTML, first page, styles and PDF options are unchanged is not laid out again."""

    def __init__(self, folder: Path, renderer: Renderer, options: dict):
        # Whole fonts: subsetting each unit's fonts costs more than laying it out; `join_files` keeps
        # one copy of each font program for the whole book.
        self.folder, self.renderer, self.options = folder, renderer, {**options, "full_fonts": True}
        folder.mkdir(parents=True, exist_ok=True)

    def render(self, html: str, first_page: int = 1) -> Unit:
        fetcher = self.renderer.fetcher
        images = [path for path in (fetcher.local_path(urljoin(self.renderer.base_url, unescape(src)))
                                    for src in IMAGE_SOURCE.findall(html)) if path is not None]
        stamps = "".join(f"{p}{p.stat().st_mtime_ns}{p.stat().st_size}" for p in images if p.is_file())
        key = hashlib.sha256(f"{self.renderer.key}\0{first_page}\0{sorted(self.options.items())}\0{stamps}\0{html}"
                             .encode()).hexdigest()
        meta, target = self.folder / f"{key}.json", self.folder / f"{key}.pdf"
        if meta.is_file() and target.is_file():
            data = json.loads(meta.read_text(encoding="utf-8"))
            return Unit(first_page, data["page_count"], data["page_map"], [tuple(b) for b in data["bookmarks"]],
                        file=target, phantoms=data["phantoms"], typefaces=data["typefaces"])
        unit = self.renderer.render(html, first_page)
        spill(unit, target, self.options)
        data = {"page_count": unit.page_count, "page_map": unit.page_map, "bookmarks": unit.bookmarks,
                "phantoms": unit.phantoms, "typefaces": unit.typefaces}
        meta.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return unit


def spill(unit: Unit, target: Path, options: dict) -> None:
    """Write a unit to its own PDF and let go of its layout.

    WeasyPrint drops links whose target is not in the same document, so the targets that lie in
    other units are added as anchors on its first page; `join_files` drops them again."""
    pages = unit.document.pages
    anchors = {name for page in pages for name in page.anchors}
    targets = {target for page in pages for kind, target, _, _ in page.links if kind == "internal"}
    unit.phantoms = sorted(targets - anchors)
    for name in unit.phantoms:
        pages[0].anchors[name] = (0, 0, 0, 0)
    temporary = target.with_suffix(".part")
    write_pdf(unit.document, temporary, **options)
    temporary.replace(target)
    unit.document, unit.file = None, target


def join(units: list[Unit]) -> Document:
    """One document from in-memory units' pages; metadata come from the first unit."""
    pages = [page for unit in units for page in unit.document.pages]
    return units[0].document.copy(pages)


def join_files(units: list[Unit], target: Path) -> None:
    """One PDF from units written to files: the first unit's metadata, every unit's pages, named
    destinations pointing at the right pages across units, and one outline for the book."""
    with pikepdf.open(units[0].file) as book:
        dests: dict[str, pikepdf.Array] = {}
        shared: dict[bytes, pikepdf.Object] = {}
        _collect_dests(book, units[0], 0, book, dests)
        _share_fonts(book, book.pages, shared)
        offset = units[0].page_count
        for unit in units[1:]:
            with pikepdf.open(unit.file) as part, warnings.catch_warnings():
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)  # named destinations are rebuilt below
                book.pages.extend(part.pages)
                _collect_dests(part, unit, offset, book, dests)
            _share_fonts(book, book.pages[offset:], shared)
            offset += unit.page_count
        names = book.Root.get("/Names") or book.make_indirect(pikepdf.Dictionary())
        tree = pikepdf.NameTree.new(book)
        for name in sorted(dests):
            tree[name] = dests[name]
        names.Dests = tree.obj
        book.Root.Names = names
        _outline(book, units)
        book.save(target, deterministic_id=True)


# Latin ligatures' presentation forms → the letters they join, as UTF-16 hex for a text map.
LIGATURES = {b"fb00": b"00660066", b"fb01": b"00660069", b"fb02": b"0066006c", b"fb03": b"006600660069",
             b"fb04": b"00660066006c", b"fb05": b"00730074", b"fb06": b"00730074"}
LIGATURE = re.compile(rb"<(fb0[0-6])>", re.IGNORECASE)


def _share_fonts(book: pikepdf.Pdf, pages, shared: dict[bytes, pikepdf.Object]) -> None:
    """Every unit embeds the same whole fonts: point all of them at one copy of each font program
    and of each text map. A whole font's text map sends a ligature glyph to its presentation form
    (U+FB01 "ﬁ"); it is rewritten to the letters, so the text can be searched and copied."""
    for page in pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            to_unicode = font.get("/ToUnicode")
            if to_unicode is not None:
                digest = hashlib.sha256(to_unicode.read_raw_bytes()).digest()
                if digest not in shared:
                    text = LIGATURE.sub(lambda m: b"<" + LIGATURES[m.group(1).lower()] + b">", to_unicode.read_bytes())
                    shared[digest] = book.make_stream(text)
                font.ToUnicode = shared[digest]
            for descendant in font.get("/DescendantFonts") or [font]:
                descriptor = descendant.get("/FontDescriptor")
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    program = descriptor.get(key) if descriptor is not None else None
                    if program is not None:
                        descriptor[key] = shared.setdefault(hashlib.sha256(program.read_raw_bytes()).digest(), program)


def _collect_dests(part: pikepdf.Pdf, unit: Unit, offset: int, book: pikepdf.Pdf, dests: dict) -> None:
    """The unit's own named destinations, moved to the book's copies of its pages."""
    root_names = part.Root.get("/Names")
    if root_names is None or "/Dests" not in root_names:
        return
    phantoms = set(unit.phantoms)
    index_of = {page.objgen: number for number, page in enumerate(part.pages)}
    for name, dest in pikepdf.NameTree(root_names.Dests).items():
        if name in phantoms or name in dests:
            continue
        number = index_of.get(dest[0].objgen)
        if number is not None:
            dests[name] = pikepdf.Array([book.pages[offset + number].obj, *list(dest)[1:]])


def _outline(book: pikepdf.Pdf, units: list[Unit]) -> None:
    """The book's outline from every unit's bookmarks, nested by level."""
    with book.open_outline() as outline:
        outline.root.clear()
        stack: list[tuple[int, list]] = [(0, outline.root)]
        offset = 0
        for unit in units:
            for level, label, page in unit.bookmarks:
                while stack[-1][0] >= level:
                    stack.pop()
                item = pikepdf.OutlineItem(label, offset + page)
                stack[-1][1].append(item)
                stack.append((level, item.children))
            offset += unit.page_count


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
