"""The book laid out in chunks written to files and joined must be the book laid out whole."""

from __future__ import annotations

import hashlib

import pytest
from pypdf import PdfReader

from anthology import Problems, enrich, layout, profiles

from conftest import ROOT


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))
    walk(reader.outline, 0)
    return found


def links(reader: PdfReader) -> list[list[tuple[str, int]]]:
    dests = reader.named_destinations
    pages = []
    for page in reader.pages:
        targets = []
        for annotation in page.get("/Annots") or []:
            dest = annotation.get_object().get("/Dest")
            if dest is not None:
                targets.append((str(dest), reader.get_destination_page_number(dests[str(dest)])))
        pages.append(sorted(targets))
    return pages


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The sample volume written once from units in memory and once from units in files."""
    folder = tmp_path_factory.mktemp("join")
    problems = Problems()
    enriched = enrich(ROOT, problems)
    screen = profiles.profile("screen", enriched.volume.bleed)
    readers = {}
    for mode, store in (("whole", None), ("joined", folder / "units")):
        book = layout.lay_out(enriched, screen, problems, store=store)
        assert mode == "whole" or all(unit.file for unit in book.units)
        book.write(folder / f"{mode}.pdf", {})
        readers[mode] = PdfReader(folder / f"{mode}.pdf")
    return readers["whole"], readers["joined"]


def test_same_pages_and_text(both):
    whole, joined = both
    assert len(whole.pages) == len(joined.pages) > 50
    for number, (a, b) in enumerate(zip(whole.pages, joined.pages), 1):
        assert a.extract_text() == b.extract_text(), f"page {number} differs"


def test_same_outline(both):
    whole, joined = both
    assert outline(joined) == outline(whole)
    assert len(outline(whole)) >= 15


def test_same_links_to_the_same_pages(both):
    whole, joined = both
    assert links(joined) == links(whole)
    assert sum(len(page) for page in links(whole)) > 200


def test_same_named_destinations(both):
    whole, joined = both
    a = {name: whole.get_destination_page_number(d) for name, d in whole.named_destinations.items()}
    b = {name: joined.get_destination_page_number(d) for name, d in joined.named_destinations.items()}
    assert a == b


def test_each_font_program_is_embedded_once_and_every_font_has_it(both):
    """Every unit and every layer of page numbers embeds the same whole fonts: the joined book keeps
    one copy of each, and each font, on a page or in a page-number layer's form, points at it."""
    _, joined = both
    programs, descriptors = {}, 0
    for page in joined.pages:
        forms = [x.get_object() for x in (page["/Resources"].get("/XObject") or {}).values()]
        for resources in [page["/Resources"]] + [form["/Resources"] for form in forms if "/Resources" in form]:
            for font in (resources.get_object().get("/Font") or {}).values():
                font = font.get_object()
                descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                descriptor = descendant["/FontDescriptor"].get_object()
                program = descriptor.get("/FontFile2") or descriptor.get("/FontFile")
                assert program is not None, font["/BaseFont"]
                programs[program.indirect_reference.idnum] = hashlib.sha256(program.get_object().get_data()).digest()
                descriptors += 1
    assert descriptors > len(joined.pages)  # the fonts of the pages and of the page-number layers
    assert len(programs) == len(set(programs.values())), "a font program is embedded more than once"


def test_the_layout_cache_notices_a_replaced_image(tmp_path):
    """A chunk is found again by its HTML; an image replaced under the same name must still show."""
    from PIL import Image

    from conftest import run_anthology

    root = tmp_path / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    picture = root / "chapters" / "pic.png"
    Image.new("RGB", (60, 40), "red").save(picture)
    article = root / "chapters" / "02-second.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n![A picture](pic.png)\n", encoding="utf-8")
    assert run_anthology("build", str(root), "--format", "pdf").returncode == 0
    first = (root / "build" / "new-volume.pdf").read_bytes()
    Image.new("RGB", (60, 40), "blue").save(picture)
    assert run_anthology("build", str(root), "--format", "pdf").returncode == 0
    assert (root / "build" / "new-volume.pdf").read_bytes() != first
