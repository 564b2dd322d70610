"""The index of names as printed and as in the EPUB, read back from the built files."""

from __future__ import annotations

import re
from collections import defaultdict

import lxml.etree
import pytest

from anthology import Problems, enrich

from conftest import ROOT, run_anthology
from test_epub import NS, xml
from test_pdf import flat


@pytest.fixture(scope="session")
def prepared():
    result = enrich(ROOT, Problems())
    assert result is not None
    return result


@pytest.fixture(scope="session")
def index_text(sample_pdf_text, outline_pages) -> str:
    return flat(" ".join(sample_pdf_text[outline_pages["Указатель имён"]:]))


def letters(text: str) -> str:
    """Only the letters of a text: extraction order of numbers and floats does not matter then."""
    return re.sub(r"[\W\d_]", "", text.replace("\u2010\n", ""))


def expand(labels: str) -> set[int]:
    """`7, 16–17, 19` → {7, 16, 17, 19}."""
    pages = set()
    for label in re.findall(r"\d+(?:–\d+)?", labels):
        first, _, last = label.partition("–")
        pages.update(range(int(first), int(last or first) + 1))
    return pages


def printed_pages(index_text: str, person) -> set[int]:
    head = flat(person.heading + (f" ({person.note})" if person.note else ""))
    match = re.search(re.escape(head) + r" ((?:\d+(?:–\d+)?(?:, )?)+)", index_text)
    assert match, f"{head} is not in the printed index"
    return expand(match.group(1))


def mention_pages(sample_pdf, prepared) -> dict[str, set[int]]:
    """Where each person's mentions really are: the PDF's named destinations, read back."""
    dests = sample_pdf.named_destinations
    pages = defaultdict(set)
    for mention in prepared.mentions:
        person = prepared.registry.resolve(mention.person_id)
        if person:
            pages[person].add(sample_pdf.get_destination_page_number(dests[mention.anchor]) + 1)
    return pages


def test_every_printed_page_names_the_person_and_every_naming_page_is_listed(sample_pdf, sample_pdf_text,
                                                                              prepared, index_text):
    actual = mention_pages(sample_pdf, prepared)
    texts = defaultdict(set)
    for mention in prepared.mentions:
        texts[prepared.registry.resolve(mention.person_id)].add(flat(mention.text))
    assert len(actual) >= 15
    for person_id, pages in actual.items():
        person = prepared.registry.people[person_id]
        printed = printed_pages(index_text, person)
        assert printed == pages, person.heading
        for page in printed:
            page_text = flat(sample_pdf_text[page - 1])
            assert any(form in page_text for form in texts[person_id]), (person.heading, page)


def test_ranges_cross_references_and_letters(index_text):
    assert re.search(r"\d+–\d+", index_text), "no page range in the index"
    assert "Президент Казахстана. См. Токаев, Касым-Жомарт" in index_text
    assert re.search(r"См\. также Гаджибеков, Узеир", index_text)
    letters = re.findall(r"(?:^| )([А-ЯЁ]) (?=[А-ЯЁ][а-яё]+,)", index_text)
    assert letters == sorted(set(letters), key="АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯ".index)
    assert index_text.index("Ёлкин") < index_text.index("К ")  # Ё files under Е


def test_every_index_locator_is_a_link_to_its_page(sample_pdf, outline_pages):
    start = outline_pages["Указатель имён"]
    dests = sample_pdf.named_destinations
    links = 0
    for page in sample_pdf.pages[start:]:
        for annotation in page.get("/Annots") or []:
            dest = annotation.get_object().get("/Dest")
            assert str(dest) in dests
            links += 1
    assert links >= 60


def test_contents_list_the_index(sample_pdf_text, outline_pages):
    contents = flat(" ".join(t for t in sample_pdf_text[:8] if "Содержание" in t or ". . ." in t))
    match = re.search(r"Указатель имён[ .]*(\d+)", contents)
    assert match
    assert int(match.group(1)) - 1 == outline_pages["Указатель имён"]


def test_epub_index_links_resolve_to_the_mentions(sample_epub, prepared):
    doc = xml(sample_epub, "EPUB/text/index.xhtml")
    assert doc.find(".//x:section[@epub:type='index']", NS) is not None
    locators = doc.findall(".//x:a[@epub:type='index-locator']", NS)
    assert len(locators) >= 60
    anchors = {m.anchor for m in prepared.mentions}
    for locator in locators:
        file_name, _, anchor = locator.get("href").partition("#")
        assert anchor in anchors
        target = xml(sample_epub, f"EPUB/text/{file_name}")
        assert target.find(f".//*[@id='{anchor}']", NS) is not None
    nav = xml(sample_epub, "EPUB/text/nav.xhtml")
    landmarks = {a.get("{%s}type" % NS["epub"]): a.get("href") for a in nav.findall(".//x:nav[@epub:type='landmarks']//x:a", NS)}
    assert landmarks["index"] == "index.xhtml"


def test_epub_page_list_points_where_print_pages_begin(sample_epub, sample_pdf_text):
    nav = xml(sample_epub, "EPUB/text/nav.xhtml")
    entries = nav.findall(".//x:nav[@epub:type='page-list']//x:a", NS)
    assert len(entries) >= 40
    checked = 0
    for entry in entries:
        page = int(entry.text)
        file_name, _, anchor = entry.get("href").partition("#")
        doc = xml(sample_epub, f"EPUB/text/{file_name}")
        marker = doc.find(f".//*[@id='{anchor}']", NS)
        assert marker.get("{%s}type" % NS["epub"]) == "pagebreak"
        following = " ".join(lxml.etree.XPath("following::text()")(marker)).split()
        # the next words (pdftotext may read a page's blocks in another order than the document's)
        words = [letters(word) for word in following[1:4] if letters(word)]
        if words and sample_pdf_text[page - 1].strip():  # a blank page's marker shares the next page's place
            assert all(word in letters(sample_pdf_text[page - 1]) for word in words), (page, words)
            checked += 1
    assert checked >= 40
    opf = xml(sample_epub, "EPUB/content.opf")
    features = {e.text for e in opf.iter("{%s}meta" % NS["opf"]) if e.get("property") == "schema:accessibilityFeature"}
    assert {"pageNavigation", "pageBreakMarkers", "index"} <= features  # printPageNumbers is deprecated


def test_mentions_report_their_own_line(tmp_path):
    root = tmp_path / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    result = run_anthology("names", str(root))
    assert result.returncode == 0, result.stderr
    # The skeleton names Абай Кунанбаев twice on one line of its body (file line 12).
    assert re.search(r"2\s+Кунанбаев, Абай\s+\[abai\]\s+chapters/01-first\.md:12, chapters/01-first\.md:12", result.stdout)


def test_names_lists_unregistered_people_with_stubs(tmp_path):
    root = tmp_path / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    article = root / "chapters" / "01-first.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nС докладом выступил Пётр Сидоров.\n", encoding="utf-8")
    result = run_anthology("names", str(root), "--unregistered")
    assert re.search(r"chapters/01-first\.md:17: Пётр Сидоров", result.stdout), result.stdout
    stubs = run_anthology("names", str(root), "--unregistered", "--yaml").stdout
    assert "heading: Сидоров, Пётр" in stubs
    check = run_anthology("check", str(root))
    assert "never mentioned" not in check.stderr
