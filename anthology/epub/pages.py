"""The print edition's pages in the EPUB: a marker where each printed page begins, and the
page-list that points at them."""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html

from ..model import EnrichedArticle, EpubDocument, Volume


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


def page_markers(pages: list[int]) -> str:
    return "".join(f'<span id="page-{n}" epub:type="pagebreak" role="doc-pagebreak" aria-label="{n}"></span>'
                   for n in pages)


def insert_markers(root, breaks: dict[str, list[int]]) -> list[int]:
    """Print page markers before the elements where pages begin (inside `root`, not before it);
    the pages marked."""
    marked = []
    for element in list(root.iter()):
        pages = breaks.get(element.get("id") or "")
        if pages and element is not root:
            for marker in lxml.html.fragments_fromstring(page_markers(pages)):
                element.addprevious(marker)
            marked += pages
    return marked


@dataclass
class PageTarget:
    label: str
    href: str


def page_targets(docs: list[EpubDocument]) -> list[PageTarget]:
    """The page-list: every print page marker in the documents, in page order."""
    targets = [PageTarget(str(number), f"{nav_href(doc.file_name)}#page-{number}") for doc in docs for number in doc.pages]
    return sorted(targets, key=lambda target: int(target.label))


def nav_href(file_name: str) -> str:
    """A path relative to the nav document, which sits in text/ beside the content documents."""
    return file_name.removeprefix("text/")
