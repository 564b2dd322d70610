"""The book as HTML for print: render units for the front matter, the body (in chunks) and the back
matter, from the enriched articles."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Callable
from urllib.parse import quote

import lxml.html

from ..labels import labels
from ..model import Article, BackMatter, EnrichedArticle, ParsedArticle, TocEntry, Volume
from .back_matter import is_english
from .bound import group_bound_inlines
from .cite import kept_together
from .contents import toc_entries
from .imprint import catalogue_record, production_items
from .templates import html_of, render


def print_front(volume: Volume, page_of: Callable[[str], str], toc_extra: list[TocEntry] = (), pages: int | None = None) -> str:
    """Half-title, title page, imprint and contents; `page_of` gives each entry's printed page and
    `pages` is the book's page count, which the imprint's record states."""
    lab = labels(volume.lang)
    return render("print_front.html", volume=volume, title=volume.title, labels=lab, toc=toc_entries(volume, toc_extra),
                  page_of=page_of, english=is_english(volume), record=catalogue_record(volume, lab, pages))


def print_back(volume: Volume, back: BackMatter) -> list[str]:
    """Back matter made from the layout, one document for each of its parts, since each opens on a
    right-hand page: the contributors, then the index (locators linking to the mentions)."""
    parts = [{"people": back.people}] if back.people else []
    parts += [{"groups": back.index}] if back.index else []
    return [render("print_back.html", volume=volume, title=volume.title, labels=labels(volume.lang),
                   **{"people": [], "groups": [], **part}, colophon=False, href=lambda anchor: f"#{anchor}", epub=False)
            for part in parts]


def print_colophon(volume: Volume, back: BackMatter) -> str:
    """The colophon on a page of its own: the book's last, whose number its printed sheets count."""
    lab = labels(volume.lang)
    production = production_items(volume, lab, back.paper, back.sheets, back.typefaces)
    return render("print_back.html", volume=volume, title=volume.title, labels=lab, people=[], groups=[],
                  colophon=True, production=production, epub=False)


def print_offprint(volume: Volume, article: Article, citation: str, doi: str | None = None) -> str:
    """An offprint's leading page: the article, the volume it is from, how to cite it, the rights
    and the ISBN."""
    imprint = ", ".join(part for part in (": ".join(p for p in (volume.place, volume.publisher) if p), volume.year) if part)
    isbns = [volume.identifiers["isbn_print"]] if volume.identifiers.get("isbn_print") else []  # the printed book's pages
    return render("print_offprint.html", volume=volume, title=article.title, article=article, labels=labels(article.lang),
                  citation=kept_together(citation), doi=doi, imprint=imprint, isbns=isbns)


def print_blank(volume: Volume) -> str:
    """One empty page, to make the next unit start on a right-hand page."""
    return render("print_blank.html", volume=volume)


def print_body(volume: Volume, articles: dict[str, EnrichedArticle], bibliography=None) -> str:
    """Preface, parts, chapters and articles, back-matter articles and a volume-wide reference list."""
    items = [item for _, item in _body_items(volume, articles, bibliography)]
    return render("print_body.html", volume=volume, title=volume.title, items=items, has_parts=volume.has_parts)


def print_body_chunks(volume: Volume, articles: dict[str, EnrichedArticle], bibliography=None) -> list[str]:
    """The body as several documents, cut only where the book starts a right-hand page anyway (a part,
    a titled chapter, a front-matter article), so laying them out one by one gives the same pages."""
    chunks: list[list[dict]] = []
    for recto, item in _body_items(volume, articles, bibliography):
        if recto or not chunks:
            chunks.append([])
        chunks[-1].append(item)
    return [render("print_body.html", volume=volume, title=volume.title, items=items, has_parts=volume.has_parts)
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
                              "html": html_of(bibliography)}))
    return items


def _print_item(enriched: EnrichedArticle, verso_head: str, root: Path) -> dict:
    article = enriched.article
    return {
        "kind": "article",
        "article": article,
        "body": print_fragment(enriched.parsed, root),
        "bibliography": html_of(enriched.bibliography) if enriched.bibliography is not None else None,
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
    group_bound_inlines(body)
    return html_of(body)


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
