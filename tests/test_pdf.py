"""The printed book, read back from the PDF the sample volume builds to."""

from __future__ import annotations

import re

from anthology.assemble import toc_entries
from anthology.problems import Problems
from anthology.load import load_volume

from conftest import ROOT


def flat(text: str) -> str:
    """Text with hyphenation at line ends undone and white space folded, for comparing
    (a line may end after a dash, so no space is kept after one)."""
    text = re.sub(r"\s+", " ", text.replace("\u2010\n", "")).strip()
    return re.sub(r"([-–—]) ", r"\1", text)


def sample_volume():
    volume = load_volume(ROOT, Problems())
    assert volume is not None
    return volume


def contents_text(pages: list[str]) -> str:
    """The contents pages: from the one titled «Содержание» while pages carry dot leaders."""
    start = next(i for i, text in enumerate(pages) if "Содержание" in text)
    end = start
    while end + 1 < len(pages) and ". . ." in pages[end + 1]:
        end += 1
    return flat(" ".join(pages[start : end + 1]))


def test_contents_page_numbers_are_where_each_article_starts(sample_pdf_text):
    contents = contents_text(sample_pdf_text)
    entries = toc_entries(sample_volume())
    assert len(entries) >= 12
    for entry in entries:
        title = flat(entry.title)
        match = re.search(re.escape(title) + r"[ .]*?(\d+)(?!\d)", contents)
        assert match, f"'{title}' is not in the contents: {contents[:400]}"
        page = int(match.group(1))
        page_text = flat(sample_pdf_text[page - 1])
        assert title[:40] in page_text, f"'{title}' is listed on page {page}, but that page reads: {page_text[:200]}"


def test_folios_match_physical_pages(sample_pdf_text, outline_pages):
    """A page's printed number is its place in the book (the contents rely on it)."""
    checked = 0
    for index, text in enumerate(sample_pdf_text[:-1]):
        if index < outline_pages["От составителей"]:
            continue  # title pages carry no folio (the imprint ends with a year)
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        if lines and lines[-1].isdigit():
            assert int(lines[-1]) == index + 1
            checked += 1
    assert checked > len(sample_pdf_text) // 2


def test_every_font_is_embedded(sample_pdf):
    fonts = {}
    for page in sample_pdf.pages:
        resources = page["/Resources"]
        for name, ref in (resources.get("/Font") or {}).items():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            fonts[font["/BaseFont"]] = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts, "no fonts found"
    assert all(fonts.values()), f"not embedded: {[f for f, ok in fonts.items() if not ok]}"
    assert any("Noto-Serif" in str(name) for name in fonts)


def test_metadata_and_language(sample_pdf):
    meta = sample_pdf.metadata
    volume = sample_volume()
    assert meta.title == volume.title
    assert volume.editors[0].name in (meta.author or "")
    assert str(sample_pdf.trailer["/Root"].get("/Lang")) == volume.lang


def test_outline_lists_parts_chapters_and_articles(sample_pdf):
    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title.replace("\xa0", " ").replace("\u2060", "")  # the typography stage's binds
    outline = list(titles(sample_pdf.outline))
    for entry in toc_entries(sample_volume()):
        assert entry.title in outline


def test_article_pages_carry_running_heads_and_footnotes(sample_pdf_text):
    volume = sample_volume()
    body = "\n".join(sample_pdf_text)
    assert volume.title in body
    # Footnotes are set at the foot of pages, not gathered at the end of an article.
    note_pages = [t for t in sample_pdf_text if re.search(r"^\s*1\s*\S", t, re.M)]
    assert len(note_pages) >= 3


def test_kazakh_and_azerbaijani_letters_survive(sample_pdf_text):
    text = "".join(sample_pdf_text)
    sources = "".join(a.body for a in sample_volume().articles())
    letters = [ch for ch in "әғқңөұүһіƏəğıİöüşç" if ch in sources]
    assert len(letters) >= 12
    assert [ch for ch in letters if ch not in text] == []


def test_text_is_searchable_without_ligature_characters(sample_pdf_text):
    """Copying or searching 'Shafiyev' must find it: no presentation forms such as U+FB01."""
    text = "".join(sample_pdf_text)
    assert not [ch for ch in text if "\ufb00" <= ch <= "\ufb06"]
    assert "Shafiyev" in text
