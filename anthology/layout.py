"""Lay out the printed book as units and settle its page numbers.

Units: front matter (title pages and contents), the body, back matter (the index). The body is laid
out once; its page map gives the index and the contents their numbers, and those small units are
laid out afterwards, each starting on a right-hand page, then the pages are joined.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from weasyprint.document import Document

from . import assemble, imprint, names, pdf
from .fetcher import LocalFetcher
from .problems import Problems, VolumeError
from .stylesheets import DEFAULT_STYLES
from .volume import Volume

PLACEHOLDER_PAGE = "000"  # as wide as a real number, so the contents keep their length


@dataclass
class Layout:
    """The laid-out book: its pages, where every anchor fell, and the index as printed."""

    document: Document
    page_map: dict[str, int]
    index: list
    body_pages: range
    seconds: dict[str, float]
    contributors: list[dict]

    @property
    def page_count(self) -> int:
        return len(self.document.pages)


def lay_out(volume: Volume, articles: dict[str, assemble.EnrichedArticle], registry: names.Registry | None,
            mentions: list[names.Mention], stylesheets: list[Path], problems: Problems,
            progress: Callable[[str, int, int], None], bibliography=None, extra_css: str = "") -> Layout:
    """Render the body once, then the back matter and the contents from its page map, and join them."""
    fetcher = LocalFetcher([volume.root, DEFAULT_STYLES.resolve()])
    renderer = pdf.Renderer(stylesheets, volume.page_size, volume.root, fetcher, extra_css)
    paper = imprint.paper_format(volume, problems)
    seconds = {"body": 0.0, "back": 0.0, "front": 0.0}
    timed = _timer(seconds)
    progress("layout", 0, 3)
    back = _back_matter(volume, registry, mentions, paper, {})
    toc_extra = ([assemble.bibliography_entry(volume)] if bibliography is not None else []) + back.toc(volume)
    front = timed("front", renderer.render, assemble.print_front(volume, lambda anchor: PLACEHOLDER_PAGE, toc_extra))
    body_html = assemble.print_body(volume, articles, bibliography)
    for _ in range(3):  # real numbers may change the contents' length once: settle it
        body = timed("body", renderer.render, body_html, _recto(front.next_page))
        progress("layout", 1, 3)
        page_map = dict(body.page_map)
        back = _back_matter(volume, registry, mentions, paper, page_map)
        back_unit = timed("back", _render_back, renderer, volume, back, _recto(body.next_page))
        if back_unit is not None:
            page_map.update(back_unit.page_map)
        final_front = timed("front", renderer.render,
                            assemble.print_front(volume, lambda anchor: str(page_map.get(anchor, "")), toc_extra))
        if final_front.page_count == front.page_count:
            break
        front = final_front
    progress("layout", 2, 3)
    units = [final_front, *_filler(renderer, volume, final_front), body]
    if back_unit is not None:
        units += [*_filler(renderer, volume, body), back_unit]
    _refuse_remote(fetcher, volume, problems)
    progress("layout", 3, 3)
    return Layout(pdf.join(units), page_map, back.index, range(body.first_page, body.next_page), seconds, back.people)


def _timer(seconds: dict[str, float]):
    """Call a function, adding the time it took to `seconds[part]`."""
    def timed(part: str, function, *args):
        started = time.perf_counter()
        try:
            return function(*args)
        finally:
            seconds[part] += time.perf_counter() - started
    return timed


def _back_matter(volume: Volume, registry, mentions, paper, page_map: dict[str, int]) -> assemble.BackMatter:
    index = names.build_index(mentions, registry, volume.lang, page_map.get) if registry is not None and mentions else []
    colophon = not assemble.is_english(volume) and bool(volume.imprint or paper)
    return assemble.BackMatter(assemble.contributors(volume, page_map.get), index, colophon, paper)


def _render_back(renderer: pdf.Renderer, volume: Volume, back: assemble.BackMatter, start: int) -> pdf.Unit | None:
    """The back unit; with a colophon, laid out twice: its printed sheets count the final page."""
    if not (back.people or back.index or back.colophon):
        return None
    if back.paper is not None:
        back.sheets = "00,00"
    unit = renderer.render(assemble.print_back(volume, back), start)
    if back.paper is None:
        return unit
    back.sheets = imprint.format_sheets(back.paper.printed_sheets(unit.next_page - 1), volume.lang)
    return renderer.render(assemble.print_back(volume, back), start)


def _recto(page: int) -> int:
    """The first right-hand (odd) page at or after `page`."""
    return page if page % 2 else page + 1


def _filler(renderer: pdf.Renderer, volume: Volume, unit: pdf.Unit) -> list[pdf.Unit]:
    """A blank page after `unit` when the next unit would otherwise start on a left-hand page."""
    if unit.next_page % 2:
        return []
    return [renderer.render(assemble.print_blank(volume), unit.next_page)]


def _refuse_remote(fetcher: LocalFetcher, volume: Volume, problems: Problems) -> None:
    """Anything the render tried to fetch from outside the project is an error, named."""
    if not fetcher.refused:
        return
    for url in dict.fromkeys(fetcher.refused):
        problems.error(volume.root / "styles", None, f"refused to load '{url}': only files inside the project folder are used",
                       code="refused-resource")
    raise VolumeError(problems.items)
