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

from . import assemble, names, pdf
from .fetcher import LocalFetcher
from .labels import labels
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

    @property
    def page_count(self) -> int:
        return len(self.document.pages)


def lay_out(volume: Volume, articles: dict[str, assemble.EnrichedArticle], registry: names.Registry | None,
            mentions: list[names.Mention], stylesheets: list[Path], problems: Problems,
            progress: Callable[[str, int, int], None], bibliography=None) -> Layout:
    """Render the body once, then the index and the contents from its page map, and join them."""
    fetcher = LocalFetcher([volume.root, DEFAULT_STYLES.resolve()])
    renderer = pdf.Renderer(stylesheets, volume.page_size, volume.root, fetcher)
    toc_extra = [assemble.bibliography_entry(volume)] if bibliography is not None else []
    with_index = registry is not None and bool(mentions)
    toc_extra += _index_entry(volume) if with_index else []
    seconds: dict[str, float] = {"body": 0.0, "front": 0.0, "index": 0.0}
    clock = time.perf_counter
    progress("layout", 0, 3)
    started = clock()
    front = renderer.render(assemble.print_front(volume, lambda anchor: PLACEHOLDER_PAGE, toc_extra))
    body_html = assemble.print_body(volume, articles, bibliography)
    seconds["front"] += clock() - started
    for _ in range(3):  # real numbers may change the contents' length once: settle it
        started = clock()
        body = renderer.render(body_html, _recto(front.next_page))
        seconds["body"] += clock() - started
        progress("layout", 1, 3)
        started = clock()
        page_map = dict(body.page_map)
        index = names.build_index(mentions, registry, volume.lang, page_map.get) if with_index else []
        back_start = _recto(body.next_page)
        if index:
            page_map["index"] = back_start
        seconds["index"] += clock() - started
        started = clock()
        final_front = renderer.render(assemble.print_front(volume, lambda anchor: str(page_map.get(anchor, "")), toc_extra))
        seconds["front"] += clock() - started
        if final_front.page_count == front.page_count:
            break
        front = final_front
    progress("layout", 2, 3)
    units = [final_front, *_filler(renderer, volume, final_front), body]
    if index:
        started = clock()
        back = renderer.render(assemble.print_back(volume, index), back_start)
        page_map.update(back.page_map)
        units += [*_filler(renderer, volume, body), back]
        seconds["index"] += clock() - started
    _refuse_remote(fetcher, volume, problems)
    progress("layout", 3, 3)
    return Layout(pdf.join(units), page_map, index, range(body.first_page, body.next_page), seconds)


def _recto(page: int) -> int:
    """The first right-hand (odd) page at or after `page`."""
    return page if page % 2 else page + 1


def _filler(renderer: pdf.Renderer, volume: Volume, unit: pdf.Unit) -> list[pdf.Unit]:
    """A blank page after `unit` when the next unit would otherwise start on a left-hand page."""
    if unit.next_page % 2:
        return []
    return [renderer.render(assemble.print_blank(volume), unit.next_page)]


def _index_entry(volume: Volume) -> list[assemble.TocEntry]:
    return [assemble.TocEntry("back", "index", labels(volume.lang)["index"], volume.lang, level=1)]


def _refuse_remote(fetcher: LocalFetcher, volume: Volume, problems: Problems) -> None:
    """Anything the render tried to fetch from outside the project is an error, named."""
    if not fetcher.refused:
        return
    for url in dict.fromkeys(fetcher.refused):
        problems.error(volume.root / "styles", None, f"refused to load '{url}': only files inside the project folder are used",
                       code="refused-resource")
    raise VolumeError(problems.items)
