"""The EPUB's XHTML documents: cover, title page, part and chapter openings, one per article."""

from __future__ import annotations

import copy
from pathlib import Path

import lxml.html

from ..assemble.back_matter import is_english
from ..assemble.imprint import catalogue_record
from ..assemble.templates import environment, render, xhtml_of
from ..labels import labels
from ..model import EnrichedArticle, EpubDocument, Volume
from .cover import cover_name


def epub_documents(volume: Volume, articles: dict[str, EnrichedArticle], image_names: dict[Path, str],
                   stylesheets: list[str], volume_citations: dict[str, tuple[str, str]],
                   cite_lines: dict[str, str] | None = None) -> list[EpubDocument]:
    """Cover, title page, then one document per article and per part or chapter opening.

    `volume_citations` collects, for a volume-wide reference list, where each entry is first cited;
    `cite_lines` (article id → HTML) are the articles' cite lines with their print pages."""
    cite_lines = cite_lines or {}
    lab = labels(volume.lang)

    def epub_page(file_name, title, lang, content, matter, kind, landmark=None) -> EpubDocument:
        xhtml = render("epub_page.xhtml", title=title, lang=lang, content=content, matter=matter, kind=kind,
                       stylesheets=stylesheets)
        return EpubDocument(file_name, title, lang, xhtml, matter, landmark)

    def opening(kind: str, item, landmark: str | None) -> EpubDocument:
        content = str(macros.opening(kind, item.id, item.title))
        return epub_page(f"text/{item.id}.xhtml", item.title, volume.lang, content, "bodymatter", kind, landmark)

    def article_page(enriched: EnrichedArticle, matter: str, landmark: str | None) -> EpubDocument:
        article = enriched.article
        body_element = copy.deepcopy(enriched.parsed.body)
        cited_first = first_citations(body_element, article.id)
        for target, place in cited_first.items():
            volume_citations.setdefault(target, place)
        for link in body_element.xpath(".//a[starts-with(@href, '#ref-volume-')]"):
            link.set("href", "bibliography.xhtml" + link.get("href"))
        body, notes = epub_fragment(body_element, enriched.parsed.images, image_names)
        bibliography = None
        if enriched.bibliography is not None:
            bibliography = copy.deepcopy(enriched.bibliography)
            _link_back(bibliography, {target: f"#{anchor}" for target, (_, anchor) in cited_first.items()})
            bibliography = xhtml_of(bibliography)
        content = render(
            "_article.html", article=article, body=body, bibliography=bibliography, notes=notes,
            alabels=labels(article.lang), verso_head="", cite_line_end=cite_lines.get(article.id))
        return epub_page(epub_file_of(article.id), article.title, article.lang, content, matter, "article", landmark)

    macros = environment().get_template("epub_parts.xhtml").module
    docs = [
        epub_page("text/cover.xhtml", lab["cover"], volume.lang, str(macros.cover(volume, lab, cover_name(volume))),
                  "frontmatter", "cover", "cover"),
        epub_page("text/title.xhtml", volume.title, volume.lang, str(macros.title_page(volume, lab, is_english(volume), catalogue_record(volume, lab, None))),
                  "frontmatter", "title", "titlepage"),
    ]
    first_body = True
    for stop in volume.walk():
        if stop.kind == "front":
            docs.append(article_page(articles[stop.item.id], "frontmatter", "preface"))
        elif stop.kind == "back":
            docs.append(article_page(articles[stop.item.id], "backmatter", None))
        elif stop.kind == "article" or stop.item.title:
            landmark = "bodymatter" if first_body else None
            if stop.kind == "article":
                docs.append(article_page(articles[stop.item.id], "bodymatter", landmark))
            else:
                docs.append(opening(stop.kind, stop.item, landmark))
            first_body = False
    return docs


def epub_file_of(article_id: str) -> str:
    return f"text/{article_id}.xhtml"


HTML_ATTRIBUTES = {"id", "class", "lang", "dir", "title", "href", "src", "alt", "colspan", "rowspan", "role", "start",
                   "reversed", "type", "scope", "headers", "width", "height", "style", "cite", "datetime", "abbr"}


def _portable_attributes(body) -> None:
    """Attributes HTML does not know (such as `ref` on a person mark) become `data-` attributes."""
    for element in body.iter():
        for name in [n for n in element.attrib if n not in HTML_ATTRIBUTES and not n.startswith(("data-", "aria-", "epub:"))]:
            element.set(f"data-{name.replace(':', '-')}", element.attrib.pop(name))


def epub_fragment(body, images: dict[str, Path], image_names: dict[Path, str]) -> tuple[str, str | None]:
    """The article body (a copy, changed here) for EPUB: EPUB 3 notes with links both ways and
    images inside the package. (body, notes)"""
    _portable_attributes(body)
    for call in body.xpath(".//a[contains(@class, 'footnote-ref')]"):
        call.set("epub:type", "noteref")
        call.set("role", "doc-noteref")
    notes_xhtml = None
    for section in body.xpath(".//section[contains(@class, 'footnotes')]"):
        asides = []
        for item in section.xpath("./ol/li"):
            asides.append(_epub_note(item))
        section.drop_tree()
        notes_xhtml = '<section class="footnotes" epub:type="endnotes" role="doc-endnotes">' + "".join(asides) + "</section>"
    for img in body.iter("img"):
        path = images.get(img.get("src"))
        if path:
            img.set("src", f"../{image_names[path]}")
    return xhtml_of(body), notes_xhtml


def first_citations(body, article_id: str) -> dict[str, tuple[str, str]]:
    """Reference entry id → (article id, id of its first citation), giving those citations ids."""
    found: dict[str, tuple[str, str]] = {}
    for link in body.xpath(".//a[contains(@class, 'citation-link')]"):
        target = link.get("href", "").lstrip("#")
        if target and target not in found:
            link.set("id", f"cite-{article_id}-{target}")
            found[target] = (article_id, link.get("id"))
    return found


def _link_back(bibliography, back_hrefs: dict[str, str]) -> None:
    """Each entry ends with a link back to where it is first cited."""
    for entry in bibliography.xpath(".//div[contains(@class, 'csl-entry')]"):
        href = back_hrefs.get(entry.get("id"))
        if href:
            back = lxml.html.Element("a", {"href": href, "class": "bibliography-back", "role": "doc-backlink"})
            back.text = "↩"
            (entry[-1] if len(entry) and entry[-1].tag == "div" else entry).append(back)


def _epub_note(item) -> str:
    note_id = item.get("id")
    number = note_id.rsplit("-", 1)[-1]
    back = lxml.html.Element("a", {"href": f"#fnref-{note_id[3:]}", "class": "footnote-back", "role": "doc-backlink"})
    back.text = number
    first = item[0] if len(item) else None
    if first is not None and first.tag == "p":
        back.tail = ". " + (first.text or "")
        first.text = None
        first.insert(0, back)
    inner = "".join(xhtml_of(child) for child in item)
    return f'<aside class="footnote" id="{note_id}" epub:type="footnote" role="doc-footnote">{inner}</aside>'
