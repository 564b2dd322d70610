"""The assemble stage alone: enriched articles → the book's HTML, cut where right-hand pages begin."""

from __future__ import annotations

import lxml.html
import pytest

from anthology import Problems, assemble, enrich

from conftest import ROOT, small_volume


@pytest.fixture(scope="module")
def sample():
    return enrich(ROOT, Problems())


def test_the_contents_follow_the_reading_order(sample):
    entries = assemble.toc_entries(sample.volume)
    assert [(e.kind, e.id) for e in entries] == [
        (s.kind, s.item.id) for s in sample.volume.walk() if s.kind not in ("part", "chapter") or s.item.title]
    levels = {e.kind: e.level for e in entries}
    assert levels == {"front": 1, "part": 1, "chapter": 2, "article": 3, "back": 1}


def test_the_body_is_cut_only_where_a_right_hand_page_begins(sample):
    chunks = assemble.print_body_chunks(sample.volume, sample.articles)
    volume = sample.volume
    openers = sum(1 for s in volume.walk() if s.kind == "front" or (s.kind in ("part", "chapter") and s.item.title))
    assert len(chunks) == openers
    whole = lxml.html.fromstring(assemble.print_body(volume, sample.articles))
    pieces = [lxml.html.fromstring(chunk) for chunk in chunks]
    ids = [e.get("id") for e in whole.iter() if e.get("id")]
    assert ids == [e.get("id") for piece in pieces for e in piece.iter() if e.get("id")]
    for piece in pieces[1:]:
        assert piece.find(".//body")[0].get("class").split()[0] in ("part-opening", "chapter-opening", "article")


def test_footnotes_go_where_they_are_called_and_images_are_relative(sample):
    article = sample.articles["middle-corridor"]
    html = assemble.print_fragment(article.parsed, sample.volume.root)
    fragment = lxml.html.fragment_fromstring(html)
    assert fragment.find(".//section[@class='footnotes']") is None
    assert fragment.findall(".//span[@class='footnote']")
    sources = [img.get("src") for img in fragment.iter("img")]
    assert sources == ["chapters/images/middle-corridor.png"]


def test_a_colophon_only_where_the_volume_has_imprint_data(tmp_path):
    plain = enrich(small_volume(tmp_path / "plain"), Problems())
    assert not assemble.back_matter(plain, None, {}).colophon
    printed = enrich(small_volume(tmp_path / "printed", "imprint:\n  print_run: 100\n"), Problems())
    back = assemble.back_matter(printed, None, {}, ["Noto Serif"])
    assert back.colophon and back.typefaces == ["Noto Serif"]
    assert [p["name"] for p in back.people] == ["Анна Иванова", "John Smith"]
