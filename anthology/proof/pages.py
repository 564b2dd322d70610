"""Faults that only the page shows: ladders and page turns, paragraphs and headings parted by a
page break, images, and the book's page count and contents."""

from __future__ import annotations

import re
from itertools import groupby

from ..model import Line, Picture, ProofSettings

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
PARAGRAPHS = {"p", "li", "dd", "blockquote"}
OPENINGS = {"part-title", "chapter-title"}  # a page of their own, by design
OPENING_CLASSES = OPENINGS | {"article-title", "contributors-title", "index-title", "contents-title",
                              "colophon-title", "half-title-text", "title"}


def by_page(lines: list[Line]) -> dict[int, list[Line]]:
    return {page: list(group) for page, group in groupby(lines, key=lambda line: line.page)}


def ladders(lines: list[Line], settings: ProofSettings):
    """Runs of `settings.ladder` or more hyphenated lines in a row: (first line, run length)."""
    for _, page_lines in by_page(lines).items():
        run: list[Line] = []
        for line in page_lines + [None]:
            if line is not None and line.hyphenated and (not run or run[-1].area == line.area):
                run.append(line)
                continue
            if len(run) >= settings.ladder:
                yield run[0], len(run)
            run = [line] if line is not None and line.hyphenated else []


def page_turns(lines: list[Line]):
    """The last line of a right-hand page hyphenated: the word goes on overleaf."""
    for page, page_lines in by_page(lines).items():
        body = [line for line in page_lines if line.area == "body"]
        if page % 2 and body and body[-1].hyphenated:
            yield body[-1]


def parted_blocks(lines: list[Line], settings: ProofSettings):
    """(kind, line, message) for paragraphs, headings and captions that a page break parts badly."""
    body = [line for line in lines if line.area == "body"]
    blocks: dict[str, list[Line]] = {}  # each block's lines, gathered once: a book parts thousands
    for line in body:
        blocks.setdefault(line.block, []).append(line)
    for before, after in zip(body, body[1:]):
        if after.page == before.page:
            continue
        if before.block == after.block and before.tag in PARAGRAPHS:
            yield from _widow_or_orphan(blocks[before.block], before, after, settings)
        elif before.tag in HEADINGS and before.last_in_block and not OPENINGS & set(before.classes.split()):
            yield "stranded-heading", before, f"a heading alone at the foot of page {before.page}, its text on page {after.page}"
        elif before.tag == "caption" and before.last_in_block:
            yield "parted-caption", before, f"a table's caption at the foot of page {before.page}, its rows on page {after.page}"


def parted_figures(lines: list[Line], pictures: list[Picture]):
    """(line, picture) for a figure's caption on another page than its image."""
    images = {picture.block: picture for picture in pictures}
    for line in lines:
        picture = images.get(line.anchor) if line.tag == "figcaption" else None
        if picture is not None and picture.page != line.page:
            yield line, picture


def _widow_or_orphan(block: list[Line], before: Line, after: Line, settings: ProofSettings):
    on_first = sum(1 for line in block if line.page == before.page)
    on_next = sum(1 for line in block if line.page == after.page)
    if on_first < settings.widow_lines:
        yield "orphan", before, f"{on_first} line of a paragraph alone at the foot of page {before.page}"
    if on_next < settings.widow_lines:
        yield "widow", after, f"{on_next} line of a paragraph alone at the head of page {after.page}"


def underfull_pages(lines: list[Line], pictures: list[Picture], settings: ProofSettings):
    """(kind, last line, message) for pages whose text stops well short of the foot: an article's
    or section's last page (before a forced page break, an opening or a blank page) filled less than
    `end_page`, or any other page less than `full_page` (what followed did not fit: a table, a
    heading with its text)."""
    pages = by_page(lines)
    feet = {page: max(line.depth for line in page_lines) for page, page_lines in pages.items()}
    for picture in pictures:
        feet[picture.page] = max(feet.get(picture.page, 0.0), picture.depth)
    for page, page_lines in pages.items():
        body = [line for line in page_lines if line.area == "body"]
        following = [line for line in pages.get(page + 1, []) if line.area == "body"]
        if not body or any(_opens(line) for line in body) and not following:
            continue
        if not following or following[0].after_break or _opens(following[0]):
            if page - 1 in pages and not any(_opens(line) for line in body) and feet[page] < settings.end_page:
                yield "short-end-page", body[-1], (f"the last page of the article or section is filled only "
                                                   f"{feet[page]:.0%} (at least {settings.end_page:.0%})")
        elif feet[page] < settings.full_page:
            yield "short-page", body[-1], (f"the page's text stops at {feet[page]:.0%} of the text block (at least "
                                           f"{settings.full_page:.0%}): what comes next did not fit")


def _opens(line: Line) -> bool:
    """The first line of an article, a part or chapter, or a page of the front or back matter."""
    return bool(OPENING_CLASSES & set(line.classes.split()))


def pictures(images: list[Picture], settings: ProofSettings, profile: str):
    """(kind, picture, message) for images below the resolution print needs, outside the page, or
    in RGB where the printer wants CMYK."""
    for picture in images:
        if profile in ("press", "archive") and picture.ppi and picture.ppi < settings.min_ppi:
            yield "low-resolution", picture, f"{picture.source} prints at {picture.ppi:.0f} ppi (at least {settings.min_ppi:g})"
        if picture.outside:
            yield "image-outside", picture, f"{picture.source} reaches outside the {picture.outside}"
        if profile == "press" and picture.colour in ("RGB", "RGBA", "P"):
            yield "rgb-image", picture, (f"{picture.source} is in RGB: the build converts it to the press profile's CMYK, "
                                         "so check its colours on a proof, or give it in CMYK")


def page_count(pages: int, profile: str, settings: ProofSettings) -> str | None:
    """A press PDF whose page count a printer cannot impose as it is."""
    if profile != "press":
        return None
    if pages % settings.signature:
        blank = settings.signature - pages % settings.signature
        return (f"{pages} pages is not a multiple of the {settings.signature}-page signature: the printer adds "
                f"{blank} blank page(s) at the end, or the book needs {blank} more")
    return None


TOC_PREFIX = "toc-"  # the id of a contents entry: toc-<the id it points at> (print_front.html)
TRAILING_NUMBER = re.compile(r"(\d+)\s*$")


def contents_pages(lines: list[Line], page_map: dict[str, int]):
    """(line, printed number, page) for each contents entry whose number, as printed, is not the
    page its heading is on."""
    for line in lines:
        number = TRAILING_NUMBER.search(line.text) if line.anchor.startswith(TOC_PREFIX) and line.last_in_block else None
        target = line.anchor[len(TOC_PREFIX):]
        if number and target in page_map and int(number.group(1)) != page_map[target]:
            yield line, int(number.group(1)), page_map[target]
