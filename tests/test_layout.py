"""The lay-out stage alone: the enriched volume → units on numbered pages, a page map, the index."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from anthology import Problems, VolumeError, enrich, layout, profiles

from conftest import small_volume

SCREEN = profiles.profile("screen", "3mm")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = small_volume(tmp_path_factory.mktemp("layout") / "v", "imprint:\n  format: 60x84/16\n")
    enriched = enrich(root, Problems())
    return enriched, layout.lay_out(enriched, SCREEN, Problems())


def test_units_start_on_right_hand_pages_and_the_page_map_places_every_article(book):
    enriched, laid_out = book
    first = 1
    for unit in laid_out.units:
        assert unit.first_page == first
        first = unit.next_page
    assert laid_out.page_count == first - 1
    for unit in laid_out.units[1:]:
        if "colophon" not in unit.page_map:  # the colophon takes the page after the index
            assert unit.first_page % 2 == 1 or not unit.page_map  # a unit with content opens a recto
    pages = [laid_out.page_map[article.id] for article in enriched.volume.articles()]
    assert pages == sorted(pages) and all(page in laid_out.body_pages for page in pages)


def test_the_index_and_the_contributors_carry_real_pages(book):
    enriched, laid_out = book
    (letter, entries), = laid_out.index
    assert entries[0].heading == "Кунанбаев, Абай"
    assert [locator.label for locator in entries[0].locators] == [str(laid_out.page_map["a01-first"])]
    assert {a["page"] for person in laid_out.contributors for a in person["articles"]} == {
        laid_out.page_map["a01-first"], laid_out.page_map["a02-second"]}


def test_the_colophon_names_what_the_body_is_set_in(book):
    _, laid_out = book
    body = [unit for unit in laid_out.units if unit.first_page in laid_out.body_pages]
    assert {typeface for unit in body for typeface in unit.typefaces} == {"Noto Serif", "Noto Sans"}


def test_a_selection_is_laid_out_alone_by_the_same_renderer(book):
    enriched, laid_out = book
    chapter = enriched.volume.parts[0].chapters[0]
    selection = replace(enriched.volume, front=[], back=[], parts=[replace(enriched.volume.parts[0], chapters=[
        replace(chapter, title=None, articles=chapter.articles[:1])])])
    alone = layout.lay_out_selection(enriched, selection, Problems())
    assert len(alone.units) == 1 and "a01-first" in alone.page_map and "a02-second" not in alone.page_map


def test_what_the_render_is_refused_is_an_error_with_its_code(tmp_path):
    root = small_volume(tmp_path / "v", "styles: [styles/remote.css]\n")
    (root / "styles").mkdir()
    (root / "styles" / "remote.css").write_text("body { background: url(https://example.com/x.png); }\n")
    problems = Problems()
    with pytest.raises(VolumeError) as raised:
        layout.lay_out(enrich(root, problems), SCREEN, problems)
    assert [p.code for p in raised.value.problems if p.severity == "error"][-1] == "refused-resource"


def test_the_contents_numbers_share_one_right_edge(book):
    """Each entry's last line ends at the same place, its number right-aligned in the padding."""
    _, laid_out = book
    ends = [line for line in laid_out.units[0].lines if line.anchor.startswith("toc-") and line.last_in_block]
    assert len(ends) >= 4 and all(re.search(r"\d+$", line.text) for line in ends)
    assert max(abs(line.width - line.available) for line in ends) < 0.5


def test_the_imprint_states_the_page_count_the_book_has(book):
    _, laid_out = book
    record = next(line.text for line in laid_out.units[0].lines if "imprint-entry" in line.classes.split()
                  and "\u00a0с." in line.text)
    assert record.endswith(f"— {laid_out.page_count}\u00a0с.")


def test_the_colophon_is_laid_out_on_its_own_after_the_index(book):
    """So the index is laid out once, whatever printed sheets the colophon gives."""
    _, laid_out = book
    index, colophon = laid_out.units[-2:]
    assert "index" in index.page_map and "colophon" not in index.page_map
    assert list(colophon.page_map) == ["colophon"] and colophon.first_page == index.next_page
    assert colophon.first_page == laid_out.page_count


def test_a_unit_that_begins_on_an_even_page_is_set_on_a_left_hand_page(tmp_path):
    """Its margins and margin boxes are those of a verso (the colophon after an index of an odd
    number of pages)."""
    from pypdf import PdfReader

    from anthology.layout.fetcher import LocalFetcher
    from anthology.layout.render import Renderer, write_pdf

    sides = "@page :left { @top-center { content: 'verso' } } @page :right { @top-center { content: 'recto' } }"
    renderer = Renderer([], ("148mm", "210mm"), tmp_path, LocalFetcher([tmp_path]), sides)
    html = "<html><body><p>один</p><p style='break-before: page'>два</p></body></html>"
    for first_page, expected in ((3, ["recto", "verso"]), (4, ["verso", "recto"])):
        unit = renderer.render(html, first_page)
        write_pdf(unit.document, tmp_path / "unit.pdf")
        pages = PdfReader(tmp_path / "unit.pdf").pages
        assert [next(side for side in ("recto", "verso") if side in page.extract_text()) for page in pages] == expected
