"""Assemble stage: enriched articles → the book as HTML.

One tree of render units for print (front matter, body, back matter) and one XHTML document per
article and per front/back piece for the EPUB, both from the same enriched articles.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable
from urllib.parse import quote

import lxml.etree
import lxml.html
from jinja2 import Environment, PackageLoader

from . import __version__
from .collation import sort_key
from .labels import labels
from .model import Article, ParsedArticle, Volume


@dataclass
class EnrichedArticle:
    """A parsed article after the enrich stage, plus its own reference list (if any)."""

    parsed: ParsedArticle
    bibliography: lxml.html.HtmlElement | None = None

    @property
    def article(self) -> Article:
        return self.parsed.article


@dataclass
class TocEntry:
    kind: str  # part | chapter | article | front | back
    id: str
    title: str
    lang: str
    authors: str = ""
    level: int = 1


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("anthology", "templates"),
        autoescape=True,
        trim_blocks=False,
        keep_trailing_newline=True,
    )


def toc_entries(volume: Volume, extra: list[TocEntry] = ()) -> list[TocEntry]:
    """The volume's hierarchy in reading order, then `extra` back matter (such as the index):
    what the contents and the EPUB nav list."""
    chapter_level = 2 if volume.has_parts else 1
    entries = []
    for stop in volume.walk():
        if stop.kind in ("front", "back"):
            entries.append(_article_entry(stop.item, stop.kind, 1))
        elif stop.kind == "article":
            entries.append(_article_entry(stop.item, "article", chapter_level + (1 if stop.chapter.title else 0)))
        elif stop.item.title:
            level = 1 if stop.kind == "part" else chapter_level
            entries.append(TocEntry(stop.kind, stop.item.id, stop.item.title, volume.lang, level=level))
    return entries + list(extra)


def _article_entry(article: Article, kind: str, level: int) -> TocEntry:
    authors = ", ".join(a.name for a in article.authors)
    return TocEntry(kind, article.id, article.title, article.lang, authors, level)


def _render(template: str, **context) -> str:
    volume = context.get("volume")
    build_date = build_time(volume).strftime("%Y-%m-%dT%H:%M:%SZ") if volume is not None else None
    return environment().get_template(template).render(version=__version__, build_date=build_date, **context)


def build_time(volume: Volume) -> dt.datetime:
    """The build's timestamp: SOURCE_DATE_EPOCH, else the manifest's date, else now (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    if volume.date:
        try:
            return dt.datetime.fromisoformat(volume.date[:10]).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            pass
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


# --- print -------------------------------------------------------------------------------------


def is_english(volume: Volume) -> bool:
    """An English volume gets an English copyright page rather than Russian-style imprint data."""
    return volume.lang.split("-")[0] == "en"


def print_front(volume: Volume, page_of: Callable[[str], str], toc_extra: list[TocEntry] = ()) -> str:
    """Half-title, title page, imprint and contents; `page_of` gives each entry's printed page."""
    return _render("print_front.html", volume=volume, title=volume.title, labels=labels(volume.lang),
                   toc=toc_entries(volume, toc_extra), page_of=page_of, english=is_english(volume))


@dataclass
class BackMatter:
    """What the back unit prints: contributors, the index of names, the colophon."""

    people: list[dict]
    index: list
    colophon: bool
    paper: object | None = None
    sheets: str | None = None
    typefaces: list[str] = field(default_factory=list)  # what the book is set in, most used first

    def toc(self, volume: Volume) -> list[TocEntry]:
        lab = labels(volume.lang)
        entries = [TocEntry("back", "contributors", lab["contributors"], volume.lang)] if self.people else []
        return entries + ([TocEntry("back", "index", lab["index"], volume.lang)] if self.index else [])


def contributors(volume: Volume, page_of: Callable[[str], int | None]) -> list[dict]:
    """Every author, once, with affiliation and articles (and their pages), in collation order."""
    people: dict[str, dict] = {}
    for article in volume.articles():
        for author in article.authors:
            person = people.setdefault(author.name, {"name": author.name, "affiliation": author.affiliation,
                                                     "email": author.email, "orcid": author.orcid, "articles": []})
            person["affiliation"] = person["affiliation"] or author.affiliation
            person["articles"].append({"id": article.id, "title": article.title, "page": page_of(article.id)})
    return sorted(people.values(), key=lambda p: sort_key(_surname_first(p["name"]), volume.lang))


def _surname_first(name: str) -> str:
    words = name.split()
    return " ".join(words[-1:] + words[:-1])


def print_back(volume: Volume, back: BackMatter) -> str:
    """Back matter made from the layout: contributors, the index (locators linking to the mentions), colophon."""
    return _render("print_back.html", volume=volume, title=volume.title, labels=labels(volume.lang),
                   people=back.people, groups=back.index, colophon=back.colophon, paper=back.paper,
                   sheets=back.sheets, typefaces=back.typefaces, href=lambda anchor: f"#{anchor}", epub=False)


def print_blank(volume: Volume) -> str:
    """One empty page, to make the next unit start on a right-hand page."""
    return _render("print_blank.html", volume=volume)


def bibliography_entry(volume: Volume) -> TocEntry:
    """The contents' line for a volume-wide reference list."""
    return TocEntry("back", "bibliography", labels(volume.lang)["references"], volume.lang, level=1)


def print_body(volume: Volume, articles: dict[str, EnrichedArticle], bibliography=None) -> str:
    """Preface, parts, chapters and articles, back-matter articles and a volume-wide reference list."""
    items = [item for _, item in _body_items(volume, articles, bibliography)]
    return _render("print_body.html", volume=volume, title=volume.title, items=items, has_parts=volume.has_parts)


def print_body_chunks(volume: Volume, articles: dict[str, EnrichedArticle], bibliography=None) -> list[str]:
    """The body as several documents, cut only where the book starts a right-hand page anyway (a part,
    a titled chapter, a front-matter article), so laying them out one by one gives the same pages."""
    chunks: list[list[dict]] = []
    for recto, item in _body_items(volume, articles, bibliography):
        if recto or not chunks:
            chunks.append([])
        chunks[-1].append(item)
    return [_render("print_body.html", volume=volume, title=volume.title, items=items, has_parts=volume.has_parts)
            for items in chunks]


def _body_items(volume: Volume, articles: dict[str, EnrichedArticle], bibliography) -> list[tuple[bool, dict]]:
    """The body's items in order, each with whether it opens on a right-hand page."""
    items = []
    for stop in volume.walk():
        if stop.kind in ("part", "chapter"):
            if stop.item.title:
                items.append((True, {"kind": stop.kind, "id": stop.item.id, "title": stop.item.title}))
            continue
        verso = (stop.chapter.title or stop.part.title or volume.title) if stop.kind == "article" else volume.title
        items.append((stop.kind == "front", _print_item(articles[stop.item.id], verso, volume.root)))
    if bibliography is not None:
        items.append((False, {"kind": "bibliography", "id": "bibliography", "title": labels(volume.lang)["references"],
                              "html": _serialize_html(bibliography)}))
    return items


def _print_item(enriched: EnrichedArticle, verso_head: str, root: Path) -> dict:
    article = enriched.article
    return {
        "kind": "article",
        "article": article,
        "body": print_fragment(enriched.parsed, root),
        "bibliography": _serialize_html(enriched.bibliography) if enriched.bibliography is not None else None,
        "labels": labels(article.lang),
        "verso_head": verso_head,
    }


def print_fragment(parsed: ParsedArticle, root: Path) -> str:
    """The article body for print: footnotes moved to where they are called, image sources relative
    to the volume folder `root`."""
    body = copy.deepcopy(parsed.body)
    notes = {li.get("id"): li for li in body.xpath(".//section[contains(@class, 'footnotes')]/ol/li")}
    placed = set()
    for call in body.xpath(".//a[contains(@class, 'footnote-ref')]"):
        note_id = call.get("href", "").lstrip("#")
        if note_id not in notes or note_id in placed:
            continue  # a repeated call stays a link to the note already placed
        placed.add(note_id)
        footnote = lxml.html.Element("span", {"class": "footnote", "id": note_id})
        _fill_footnote(footnote, notes[note_id])
        footnote.tail = call.tail
        call.getparent().replace(call, footnote)
    for section in body.xpath(".//section[contains(@class, 'footnotes')]"):
        section.drop_tree()
    for img in body.iter("img"):
        path = parsed.images.get(img.get("src"))
        if path:  # relative to the volume, which is the base URL of every print unit
            img.set("src", quote(path.relative_to(root).as_posix()))
    return _serialize_html(body)


def _fill_footnote(footnote, note) -> None:
    """Copy a note's paragraphs into an inline footnote: blocks cannot sit inside a paragraph,
    so the paragraphs after the first are joined with line breaks."""
    if len(note) == 0:
        footnote.text = note.text
        return
    for number, block in enumerate(note):
        if number:
            footnote.append(lxml.html.Element("br"))
        last = footnote[-1] if len(footnote) else None
        if last is None:
            footnote.text = (footnote.text or "") + (block.text or "")
        else:
            last.tail = (last.tail or "") + (block.text or "")
        for child in block:
            footnote.append(copy.deepcopy(child))
    _fold_newlines(footnote)


def _fold_newlines(element) -> None:
    """Source line breaks become spaces: WeasyPrint keeps them as breaks inside a footnote."""
    for node in element.iter():
        if node.text:
            node.text = node.text.replace("\n", " ")
        if node is not element and node.tail:
            node.tail = node.tail.replace("\n", " ")


def _serialize_html(element) -> str:
    return lxml.html.tostring(element, encoding="unicode")


# --- EPUB --------------------------------------------------------------------------------------


@dataclass
class EpubDocument:
    """One XHTML file of the EPUB."""

    file_name: str  # relative to the package folder, e.g. text/visit.xhtml
    title: str
    lang: str
    xhtml: str
    matter: str  # frontmatter | bodymatter | backmatter
    landmark: str | None = None


def page_breaks(volume: Volume, articles: dict[str, EnrichedArticle], page_map: dict[str, int],
                body_pages: range) -> dict[str, list[int]]:
    """Where each print page begins, for the EPUB: element id → the pages whose marker goes before it.

    A page is marked before the first element that starts on it; a page that begins inside a long
    block (a table, a paragraph) is marked before the next element that starts."""
    ids = []
    for stop in volume.walk():
        item = stop.item.id
        ids.append(item)
        if item in articles:
            for part in (articles[item].parsed.body, articles[item].bibliography):
                if part is not None:
                    ids.extend(e.get("id") for e in part.iter() if e.get("id") and e.tag != "span")
    breaks: dict[str, list[int]] = {}
    last = body_pages.start - 1
    for element_id in ids:
        page = page_map.get(element_id)
        if page is not None and page > last:
            breaks[element_id] = list(range(last + 1, page + 1))
            last = page
    return breaks


def _page_markers(pages: list[int]) -> str:
    return "".join(f'<span id="page-{n}" epub:type="pagebreak" role="doc-pagebreak" aria-label="{n}"></span>'
                   for n in pages)


def _insert_markers(root, breaks: dict[str, list[int]]) -> None:
    """Print page markers before the elements where pages begin (inside `root`, not before it)."""
    for element in list(root.iter()):
        pages = breaks.get(element.get("id") or "")
        if pages and element is not root:
            for marker in lxml.html.fragments_fromstring(_page_markers(pages)):
                element.addprevious(marker)


def epub_documents(volume: Volume, articles: dict[str, EnrichedArticle], image_names: dict[Path, str],
                   stylesheets: list[str], breaks: dict[str, list[int]],
                   volume_citations: dict[str, tuple[str, str]]) -> list[EpubDocument]:
    """Cover, title page, then one document per article and per part or chapter opening.

    `volume_citations` collects, for a volume-wide reference list, where each entry is first cited."""
    lab = labels(volume.lang)

    def epub_page(file_name, title, lang, content, matter, kind, landmark=None) -> EpubDocument:
        xhtml = _render("epub_page.xhtml", title=title, lang=lang, content=content, matter=matter, kind=kind,
                        stylesheets=stylesheets)
        return EpubDocument(file_name, title, lang, xhtml, matter, landmark)

    def opening(kind: str, item, landmark: str | None) -> EpubDocument:
        content = _page_markers(breaks.get(item.id, [])) + str(macros.opening(kind, item.id, item.title))
        return epub_page(f"text/{item.id}.xhtml", item.title, volume.lang, content, "bodymatter", kind, landmark)

    def article_page(enriched: EnrichedArticle, matter: str, landmark: str | None) -> EpubDocument:
        article = enriched.article
        body_element = copy.deepcopy(enriched.parsed.body)
        cited_first = first_citations(body_element, article.id)
        for target, place in cited_first.items():
            volume_citations.setdefault(target, place)
        for link in body_element.xpath(".//a[starts-with(@href, '#ref-volume-')]"):
            link.set("href", "bibliography.xhtml" + link.get("href"))
        body, notes = epub_fragment(body_element, enriched.parsed.images, image_names, breaks)
        bibliography = None
        if enriched.bibliography is not None:
            bibliography = copy.deepcopy(enriched.bibliography)
            _link_back(bibliography, {target: f"#{anchor}" for target, (_, anchor) in cited_first.items()})
            _insert_markers(bibliography, breaks)
            bibliography = _serialize_xml(bibliography)
        content = _page_markers(breaks.get(article.id, [])) + _render(
            "_article.html", article=article, body=body, bibliography=bibliography, notes=notes,
            alabels=labels(article.lang), verso_head="")
        return epub_page(epub_file_of(article.id), article.title, article.lang, content, matter, "article", landmark)

    macros = environment().get_template("epub_parts.xhtml").module
    docs = [
        epub_page("text/cover.xhtml", lab["cover"], volume.lang, str(macros.cover(volume, lab)), "frontmatter", "cover", "cover"),
        epub_page("text/title.xhtml", volume.title, volume.lang, str(macros.title_page(volume, lab, is_english(volume))),
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


def epub_fragment(body, images: dict[str, Path], image_names: dict[Path, str],
                  breaks: dict[str, list[int]]) -> tuple[str, str | None]:
    """The article body (a copy, changed here) for EPUB: EPUB 3 notes with links both ways, images
    inside the package, and print page markers."""
    _portable_attributes(body)
    _insert_markers(body, breaks)
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
    return _serialize_xml(body), notes_xhtml


def epub_bibliography(volume: Volume, bibliography, first_cited: dict[str, tuple[str, str]],
                      stylesheets: list[str]) -> EpubDocument:
    """The volume-wide reference list as its own EPUB document; its entries link back to the first citation."""
    lab = labels(volume.lang)
    element = copy.deepcopy(bibliography)
    _link_back(element, {target: f"{article}.xhtml#{anchor}" for target, (article, anchor) in first_cited.items()})
    content = (f'<section class="volume-bibliography" id="bibliography" epub:type="bibliography" role="doc-bibliography">'
               f'<h1 class="references-title">{lab["references"]}</h1>{_serialize_xml(element)}</section>')
    xhtml = _render("epub_page.xhtml", title=lab["references"], lang=volume.lang, content=content, matter="backmatter",
                    kind="bibliography", stylesheets=stylesheets)
    return EpubDocument("text/bibliography.xhtml", lab["references"], volume.lang, xhtml, "backmatter", "bibliography")


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


def epub_contributors(volume: Volume, people: list[dict], stylesheets: list[str]) -> EpubDocument:
    """The list of contributors as an EPUB document, each article a link to it."""
    lab = labels(volume.lang)
    content = _render("_contributors.html", people=people, labels=lab, epub=True, href=lambda article_id: f"{article_id}.xhtml")
    xhtml = _render("epub_page.xhtml", title=lab["contributors"], lang=volume.lang, content=content, matter="backmatter",
                    kind="contributors", stylesheets=stylesheets)
    return EpubDocument("text/contributors.xhtml", lab["contributors"], volume.lang, xhtml, "backmatter")


def epub_index(volume: Volume, groups: list, article_of: dict[str, str], stylesheets: list[str]) -> EpubDocument:
    """The index of names as an EPUB document (EPUB Indexes vocabulary), each locator a link to its mention."""
    lab = labels(volume.lang)
    content = _render("_index.html", groups=groups, labels=lab, epub=True,
                      href=lambda anchor: f"{article_of.get(anchor, '')}.xhtml#{anchor}")
    xhtml = _render("epub_page.xhtml", title=lab["index"], lang=volume.lang, content=content, matter="backmatter",
                    kind="index", stylesheets=stylesheets)
    return EpubDocument("text/index.xhtml", lab["index"], volume.lang, xhtml, "backmatter", "index")


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
    inner = "".join(_serialize_xml(child) for child in item)
    return f'<aside class="footnote" id="{note_id}" epub:type="footnote" role="doc-footnote">{inner}</aside>'


def _serialize_xml(element) -> str:
    """XHTML for an lxml.html element (attributes like epub:type keep their prefix)."""
    return lxml.etree.tostring(element, method="xml", encoding="unicode")
