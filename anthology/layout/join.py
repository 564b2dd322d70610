"""Joining units into one PDF: in memory with WeasyPrint (which keeps a tagged PDF whole), or from
their files with pikepdf, which rebuilds the named destinations and the outline across units and
keeps one copy of each font."""

from __future__ import annotations

import contextlib
import hashlib
import re
import warnings
from pathlib import Path

import pikepdf

from ..space import save_pdf
from .render import Unit

from weasyprint.document import Document  # noqa: E402  (after render, which loads fonts first)


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
        _draw_folios(book, units[0], 0, shared)
        _share_fonts(book, book.pages, shared)
        offset = units[0].page_count
        for unit in units[1:]:
            with pikepdf.open(unit.file) as part, _held_fonts_left_out(book, part, shared), warnings.catch_warnings():
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)  # named destinations are rebuilt below
                book.pages.extend(part.pages)
                _collect_dests(part, unit, offset, book, dests)
            _draw_folios(book, unit, offset, shared)
            _share_fonts(book, book.pages[offset:], shared)
            offset += unit.page_count
        names = book.Root.get("/Names") or book.make_indirect(pikepdf.Dictionary())
        tree = pikepdf.NameTree.new(book)
        for name in sorted(dests):
            tree[name] = dests[name]
        names.Dests = tree.obj
        book.Root.Names = names
        _outline(book, units)
        save_pdf(book, target, deterministic_id=True)


# Latin ligatures' presentation forms → the letters they join, as UTF-16 hex for a text map.
LIGATURES = {b"fb00": b"00660066", b"fb01": b"00660069", b"fb02": b"0066006c", b"fb03": b"006600660069",
             b"fb04": b"00660066006c", b"fb05": b"00730074", b"fb06": b"00730074"}


LIGATURE = re.compile(rb"<(fb0[0-6])>", re.IGNORECASE)


def _draw_folios(book: pikepdf.Pdf, unit: Unit, offset: int, shared: dict[bytes, pikepdf.Object]) -> None:
    """A unit laid out without its page numbers gets them from its layer (folios.py), page over page."""
    if unit.folio_file is None:
        return
    with pikepdf.open(unit.folio_file) as layer, _held_fonts_left_out(book, layer, shared):
        for number, ((_, boxes), numbers) in enumerate(zip(unit.folios, layer.pages)):
            if boxes:
                _overlay(book.pages[offset + number], numbers, f"/Folio{offset + number + 1}")


def _overlay(page: pikepdf.Page, other: pikepdf.Page, name: str) -> None:
    """Draw `other` (a page of the same size) over `page`, as a form named `name`: pikepdf's
    `add_overlay` names it at random, and the book's bytes would change from build to build. The
    name is the book's page: the pages of a unit share one resource dictionary."""
    form = other.as_form_xobject()
    name = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(name))
    placement = page.calc_form_xobject_placement(form, name, pikepdf.Rectangle(*other.mediabox),
                                                 allow_shrink=False, allow_expand=False)
    page.contents_add(b"q\n", prepend=True)  # the page's own drawing state ends before the layer's
    page.contents_add(b"Q\n" + placement)
    page.contents_coalesce()


def share_fonts(pdf: pikepdf.Pdf) -> None:
    """One copy of each font program and text map for all of a PDF's pages (an offprint: the
    book's pages and a leading page laid out on its own, with the same whole fonts)."""
    _share_fonts(pdf, pdf.pages, {})


def _resources(pages) -> list[pikepdf.Object]:
    """The resources of `pages` and of the forms they draw (a page-number layer is one), each once:
    the pages of a unit share one dictionary, which holds a layer form for every page."""
    found: dict = {}  # by object number; a direct dictionary by its place
    for page in pages:
        resources = page.get("/Resources")
        if resources is None or (resources.is_indirect and resources.objgen in found):
            continue
        found[resources.objgen if resources.is_indirect else len(found)] = resources
        for form in (resources.get("/XObject") or {}).values():
            if form.get("/Subtype") == "/Form" and "/Resources" in form:
                inner = form.Resources
                found.setdefault(inner.objgen if inner.is_indirect else len(found), inner)
    return list(found.values())


FONT_PROGRAMS = ("/FontFile", "/FontFile2", "/FontFile3")


@contextlib.contextmanager
def _held_fonts_left_out(book: pikepdf.Pdf, part: pikepdf.Pdf, shared: dict[bytes, pikepdf.Object]):
    """While pages are copied from `part`, the font programs the book holds already are left out
    of it; its descriptors' copies are then pointed at the book's. A closed part leaves the book an
    in-memory copy of all it gave, and each unit embeds the same whole fonts: copied, they doubled
    the join's memory, only for `_share_fonts` to drop them."""
    left_out = []
    for descriptor in _descriptors(part.pages):
        for key in FONT_PROGRAMS:
            program = descriptor.get(key)
            held = shared.get(_digest(program)) if program is not None else None
            if held is not None:
                left_out.append((descriptor, key, held))
                del descriptor[key]
    yield
    for descriptor, key, program in left_out:
        book.copy_foreign(descriptor)[key] = program  # the copy its pages were given, or an unused one


def _descriptors(pages) -> list[pikepdf.Object]:
    """The font descriptors of `pages` and of the forms they draw, each once."""
    found = {}
    for font in _fonts(pages):
        for descendant in font.get("/DescendantFonts") or [font]:
            descriptor = descendant.get("/FontDescriptor")
            if descriptor is not None:
                found[descriptor.objgen] = descriptor
    return list(found.values())


def _digest(program: pikepdf.Object) -> bytes:
    return hashlib.sha256(program.read_raw_bytes()).digest()


def _share_fonts(book: pikepdf.Pdf, pages, shared: dict[bytes, pikepdf.Object]) -> None:
    """Every unit embeds the same whole fonts: point all of them at one copy of each font program
    and of each text map, its ligatures spelled out (`_spelled`)."""
    held = {program.objgen for program in shared.values() if program.is_indirect}
    for font in _fonts(pages):
        to_unicode = font.get("/ToUnicode")
        if to_unicode is not None:
            digest = hashlib.sha256(to_unicode.read_raw_bytes()).digest()
            if digest not in shared:
                shared[digest] = book.make_stream(_spelled(to_unicode.read_bytes()))
            font.ToUnicode = shared[digest]
        for descendant in font.get("/DescendantFonts") or [font]:
            widths = descendant.get("/W")
            if widths is not None:  # the glyph widths: the same table in every unit that sets the same glyphs
                key = hashlib.sha256(widths.unparse()).digest()
                descendant.W = shared.setdefault(key, widths if widths.is_indirect else book.make_indirect(widths))
            descriptor = descendant.get("/FontDescriptor")
            for key in FONT_PROGRAMS:
                program = descriptor.get(key) if descriptor is not None else None
                if program is not None and program.objgen not in held:
                    descriptor[key] = shared.setdefault(_digest(program), program)


def spell_ligatures(path: Path) -> None:
    """The text maps of a PDF WeasyPrint wrote whole rewritten as `_share_fonts` rewrites a joined
    book's, so the two ways of writing a book give the same text."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for font in _fonts(pdf.pages):
            to_unicode = font.get("/ToUnicode")
            if to_unicode is not None:
                to_unicode.write(_spelled(to_unicode.read_bytes()))
        save_pdf(pdf, path, deterministic_id=True)


def _fonts(pages) -> list[pikepdf.Object]:
    """The fonts of `pages` and of the forms they draw, each once (the pages of a unit share theirs)."""
    return list({font.objgen: font for resources in _resources(pages)
                 for font in (resources.get("/Font") or {}).values()}.values())


def _spelled(text_map: bytes) -> bytes:
    """A whole font's text map sends a ligature glyph to its presentation form (U+FB01 "ﬁ"): the
    letters instead, so the text can be searched and copied."""
    return LIGATURE.sub(lambda m: b"<" + LIGATURES[m.group(1).lower()] + b">", text_map)


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
