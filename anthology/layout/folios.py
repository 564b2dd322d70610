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


def prints_page_number(box: MarginBox) -> bool:
    """Whether a margin box's content uses the page counter (a folio, «5 / 120», «— 5 —»)."""
    content = box.style["content"]
    return isinstance(content, tuple) and any(
        kind in ("counter()", "counters()") and value[0] in PAGE_COUNTERS for kind, value in content)


def lift(document) -> Slots:
    """Take the page-number boxes out of a laid-out document's pages (they are not drawn), and
    say for each page which ones there were."""
    slots = []
    for page in document.pages:
        box = page._page_box
        numbers = [child for child in box.children if isinstance(child, MarginBox) and prints_page_number(child)]
        box.children = [child for child in box.children if not any(child is n for n in numbers)]
        slots.append((box.page_type.name, tuple(n.at_keyword for n in numbers)))
    return slots


def layer_html(slots: Slots) -> str:
    """A document of empty pages, one for each of the chunk's, each with the chunk's page name, so
    that the designer's @page rules place and style its numbers as they would on the chunk."""
    pages = "".join(f'<div class="folio-page" style="page: {name or "auto"}"></div>' for name, _ in slots)
    return f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>{pages}</body></html>"


def keep(document, slots: Slots) -> None:
    """Of the layer's laid-out pages, keep only the page-number boxes the chunk's own pages had."""
    if len(document.pages) != len(slots):
        raise RuntimeError(f"the page-number layer has {len(document.pages)} pages for a chunk of {len(slots)}")
    for page, (_, kept) in zip(document.pages, slots):
        box = page._page_box
        box.children = [child for child in box.children
                        if isinstance(child, MarginBox) and child.at_keyword in kept and prints_page_number(child)]
        box.canvas_background = None
