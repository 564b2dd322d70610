"""Page numbers as a layer of their own.

A body chunk starts on a right-hand page, so its layout does not depend on the number its first
page gets: only the margin boxes that print the page counter do. A chunk is therefore laid out as if
it began on page 1, with those boxes lifted out of its pages (`lift`); once every chunk's length is
known, the numbers are laid out on pages of their own (`layer_html`, then `keep`) and drawn over
the chunk's pages when the book is joined (join.py). The body is laid out once, on any core, and
an edit that changes a chunk's length lays out again only the numbers of the chunks after it.
"""

from __future__ import annotations

from weasyprint.formatting_structure.boxes import MarginBox

# Slots: for each page of a chunk, its page name and the margin boxes that printed its number.
Slots = list[tuple[str, tuple[str, ...]]]

# The layer draws numbers and nothing else: no page background, no printer's marks (the chunk's
# own pages have them), so it can lie over the chunk's pages.
LAYER_CSS = ("@page { background: none !important; marks: none !important; }"
             " html, body { background: none !important; }"
             " .folio-page { break-before: page; } .folio-page:first-child { break-before: auto; }")

PAGE_COUNTERS = ("page", "pages")
# Running elements whose text holds page numbers of the book: the cite line of an article's
# opening page («С. 16–20»), which only the layer holds, with the real range (`layer_html`'s
# `texts`), on a page it names TEXT_PAGE, whose @page rule has the margin box that shows it.
PAGE_ELEMENTS = ("cite-line",)
TEXT_PAGE = "cite-opening"


def prints_page_number(box: MarginBox) -> bool:
    """Whether a margin box's content uses the page counter (a folio, «5 / 120», «— 5 —»)."""
    content = box.style["content"]
    return isinstance(content, tuple) and any(
        kind in ("counter()", "counters()") and value[0] in PAGE_COUNTERS for kind, value in content)


def prints_page_element(box: MarginBox) -> bool:
    """Whether a margin box shows a running element that carries page numbers (PAGE_ELEMENTS)."""
    content = box.style["content"]
    return isinstance(content, tuple) and any(kind == "element()" and value[0] in PAGE_ELEMENTS
                                              for kind, value in content)


def lift(document, lifted=prints_page_number) -> Slots:
    """Take the page-number boxes (those `lifted` picks) out of a laid-out document's pages (they
    are not drawn), and say for each page which ones there were."""
    slots = []
    for page in document.pages:
        box = page._page_box
        numbers = [child for child in box.children if isinstance(child, MarginBox) and lifted(child)]
        box.children = [child for child in box.children if not any(child is n for n in numbers)]
        slots.append((box.page_type.name, tuple(n.at_keyword for n in numbers)))
    return slots


def layer_html(slots: Slots, texts: dict[int, str] | None = None) -> str:
    """A document of empty pages, one for each of the chunk's, each with the chunk's page name, so
    that the designer's @page rules place and style its numbers as they would on the chunk;
    `texts` (page index in the chunk → HTML) puts the running elements that carry page numbers
    (an article's cite line, with its real pages) on the pages they belong to."""
    texts = texts or {}
    pages = "".join(f'<div class="folio-page" style="page: {_name(name, number in texts)}">{texts.get(number, "")}</div>'
                    for number, (name, _) in enumerate(slots))
    return f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>{pages}</body></html>"


def _name(name: str, with_text: bool) -> str:
    """A layer page's name: the chunk page's own, or TEXT_PAGE for an unnamed page with a text."""
    return name or (TEXT_PAGE if with_text else "auto")


def keep(document, slots: Slots) -> None:
    """Of the layer's laid-out pages, keep only the page-number boxes the chunk's own pages had,
    and the boxes that show the texts the layer was given (its cite lines)."""
    if len(document.pages) != len(slots):
        raise RuntimeError(f"the page-number layer has {len(document.pages)} pages for a chunk of {len(slots)}")
    for page, (_, kept) in zip(document.pages, slots):
        box = page._page_box
        box.children = [child for child in box.children
                        if isinstance(child, MarginBox) and (child.at_keyword in kept and prints_page_number(child)
                                                             or prints_page_element(child))]
        box.canvas_background = None


def graft(document, layer) -> None:
    """Put the boxes a layer kept (`keep`) into the pages of a document laid out in memory, which
    WeasyPrint writes itself: the cite lines of a profile written as one document."""
    for page, numbers in zip(document.pages, layer.pages):
        page._page_box.children = list(page._page_box.children) + list(numbers._page_box.children)
