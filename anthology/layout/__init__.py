"""Lay out the printed book as units and settle its page numbers.

Units: front matter (title pages and contents), the body in chunks, back matter (contributors and
the index, then the colophon). The body is laid out once; its page map gives the back matter and
the contents their numbers, and those small units are laid out afterwards, each starting on a
right-hand page but the colophon, which takes the page after the index; then the pages are joined.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import assemble
from ..assemble import imprint
from ..load import MANIFEST
from ..load.styles import DEFAULT_STYLES, style_files
from ..model import BackMatter, Enriched, Progress, Volume, no_progress
from ..names import IndexEntry
from ..profiles import DEFAULT_PROFILE, Profile, profile
from ..problems import Problems, VolumeError
from .fetcher import LocalFetcher
from . import hyphenation
from .join import join, join_files, spell_ligatures
from .render import Renderer, Unit, write_pdf
from .store import UnitStore
from . import parallel
from .parallel import Workers

NAME_WORD = re.compile(r"[^\W\d_]+")  # a word as the hyphenation dictionary is given it
PLACEHOLDER_PAGE = "9999"  # at least as wide as any real number: the contents can only get shorter


@dataclass
class Layout:
    """The laid-out book: its units in order, where every anchor fell, and the back matter as printed."""

    units: list[Unit]
    page_map: dict[str, int]           # anchor id → printed page: what the contents, the index and the EPUB's page-list use
    index: list[tuple[str, list[IndexEntry]]]  # the index of names as printed: letter groups with their entries
    body_pages: range
    seconds: dict[str, float]          # layout time by part (front, body, back)
    contributors: list[dict]
    chunks: list[tuple[int, float]] = field(default_factory=list)  # each body chunk: its pages, its layout's seconds
    jobs: int = 1                      # processes the body was laid out on
    page_ends: dict[str, int] = field(default_factory=dict)  # anchor → the last page it spans, where it spans several
    draft_files: list[Path] = field(default_factory=list)  # the stored drafts that settled the contents and back matter: kept for the next build

    def pages_of(self, anchor: str) -> tuple[int, int] | None:
        """The printed pages an element spans (an article: its first and last page), or None."""
        first = self.page_map.get(anchor)
        return None if first is None else (first, self.page_ends.get(anchor, first))

    @property
    def page_count(self) -> int:
        return sum(unit.page_count for unit in self.units)

    def write(self, target: Path, options: dict) -> None:
        """The whole book as one PDF: units in memory are joined by WeasyPrint, units in files by pikepdf.

        Fonts are embedded whole, never subset: WeasyPrint subsets with HarfBuzz where the machine has
        libharfbuzz-subset and with fontTools where it has not, and the two give different bytes."""
        if all(unit.file is not None for unit in self.units):
            join_files(self.units, target)
        else:
            write_pdf(join(self.units), target, **{**options, "full_fonts": True})
            spell_ligatures(target)


def renderer_for(enriched: Enriched, chosen: Profile) -> Renderer:
    """The one way a renderer is made: the volume's print stylesheets and then the profile's CSS,
    the volume's fonts alone, a fetcher that reads nothing outside the project, the names of the
    people the book mentions (never hyphenated) and the manifest's `hyphenation:` spellings."""
    volume = enriched.volume
    fetcher = LocalFetcher([volume.root, DEFAULT_STYLES.resolve()])
    names = frozenset(word for mention in enriched.mentions for word in NAME_WORD.findall(mention.text))
    return Renderer(list(style_files(volume, "print").values()), volume.page_size, volume.root, fetcher, chosen.css,
                    policy=hyphenation.Policy(names, tuple(volume.hyphenation)), settings=volume.proof)


# A body chunk wanted first (its number and the first page it is placed at), and what is done
# with it, placed, while the rest of the book is laid out: the preview shows the pages on view.
FirstLook = tuple[int, int, Callable[["Layout"], None]]


def lay_out(enriched: Enriched, chosen: Profile, problems: Problems, progress: Progress = no_progress,
            store: Path | None = None, workers: Workers | None = None, first_look: FirstLook | None = None) -> Layout:
    """Lay out the body, then the back matter and the contents from its page map.

    With `store` (a folder), each unit is written to a PDF as soon as it is laid out (with the
    profile's PDF options), and a unit unchanged since an earlier build is taken from there;
    otherwise the units stay in memory. The body is cut into chunks where right-hand pages begin
    anyway; in files, they are laid out on the `workers` (parallel.py; none: in this process),
    the chunk `first_look` names before the others."""
    volume, bibliography = enriched.volume, enriched.bibliography
    renderer = renderer_for(enriched, chosen)
    units = UnitStore(store, renderer, chosen.options) if store else renderer
    paper = imprint.paper_format(volume, problems)
    seconds = {"body": 0.0, "back": 0.0, "front": 0.0}
    timed = _timer(seconds)
    back = assemble.back_matter(enriched, paper, {})
    toc_extra = ([assemble.bibliography_entry(volume)] if bibliography is not None else []) + assemble.back_matter_entries(back, volume)
    draft_front = assemble.print_front(volume, lambda a: PLACEHOLDER_PAGE, toc_extra, int(PLACEHOLDER_PAGE))
    chunks = assemble.print_body_chunks(volume, enriched.articles, bibliography)
    cite_lines = _cite_lines(enriched, problems)
    started = time.perf_counter()
    workers = workers or Workers(1)
    jobs = workers.jobs
    try:
        if isinstance(units, UnitStore):
            # The draft contents, and what the last build laid out after the body (when the pages
            # fall as then), are laid out beside the chunks; the serial steps below then find them stored.
            forecast = units.forecast() if jobs > 1 else []
            beside = forecast if [(draft_front, 1)] in (run[:1] for run in forecast) else [[(draft_front, 1)]] + forecast
            early = _early(units, volume, first_look, cite_lines) if first_look else None
            laid = parallel.lay_out_chunks(workers, units, chunks, progress, beside, early)
            drafted = timed("front", units.render, draft_front)
            front_pages = _even(drafted.page_count)
            body, chunk_times = _place(units, volume, laid, front_pages + 1, workers, cite_lines)
        else:
            drafted = timed("front", units.render, draft_front)
            front_pages = _even(drafted.page_count)
            body, chunk_times = _body_in_memory(renderer, volume, chunks, front_pages + 1, progress, cite_lines)
            jobs = 1
        seconds["body"] = time.perf_counter() - started - seconds["front"]
        next_page = _next_page(body, front_pages)
        back, back_units, back_runs, back_drafts = timed("back", _render_back, units, enriched, paper, body, next_page, workers)
        workers.close()  # the rest is laid out here
    except parallel.WorkerDied as died:
        problems.error(volume.root / MANIFEST, None, str(died), code="layout-worker")
        raise VolumeError(problems.items) from None
    page_map = {anchor: page for unit in body + back_units for anchor, page in unit.page_map.items()}
    pages = (back_units[-1].next_page if back_units else next_page) - 1
    final_front = assemble.print_front(volume, lambda a: str(page_map.get(a, "")), toc_extra, pages)
    front = timed("front", units.render, final_front, 1, treatments=drafted.treatments)
    if isinstance(units, UnitStore):
        units.keep_forecast([[(draft_front, 1), (final_front, 1)]] + back_runs)
    if front.page_count > front_pages:
        raise RuntimeError(f"the contents grew from {front_pages} to {front.page_count} pages with real page numbers")
    front_units = [front] + [units.render(assemble.print_blank(volume), n) for n in range(front.next_page, front_pages + 1)]
    page_map.update({anchor: page for anchor, page in front.page_map.items() if anchor not in page_map})
    _refuse_remote(renderer.fetcher, volume, problems)
    first_body = body[0].first_page if body else front_pages + 1
    page_ends = {anchor: page for unit in body for anchor, page in unit.page_ends.items()}
    return Layout(front_units + body + back_units, page_map, back.index, range(first_body, next_page), seconds,
                  back.people, chunk_times, jobs, page_ends, [d.file for d in [drafted] + back_drafts if d.file is not None])


def lay_out_leaves(enriched: Enriched, chosen: Profile, leaves: list[tuple[str, Path]]) -> None:
    """Small documents on their own (offprints' leading pages: HTML, the PDF to write), laid out
    and written as the book's units are: the volume's styles and fonts, whole fonts, the profile's
    options."""
    renderer = renderer_for(enriched, chosen)
    for html, target in leaves:
        write_pdf(renderer.render(html).document, target, **{**chosen.options, "full_fonts": True})


def lay_out_selection(enriched: Enriched, selection: Volume, problems: Problems) -> Layout:
    """Only the body of `selection` (one article or chapter of the volume), as one unit in memory:
    what the preview shows while a designer works, through the same renderer as the book."""
    renderer = renderer_for(enriched, profile(DEFAULT_PROFILE, enriched.volume.bleed))
    unit = renderer.render(assemble.print_body(selection, enriched.articles))
    renderer.print_page_elements(unit, _on_pages(unit, _cite_lines(enriched, problems)(_spans([unit], selection))))
    _refuse_remote(renderer.fetcher, enriched.volume, problems)
    return Layout([unit], dict(unit.page_map), [], range(1, unit.next_page), {}, [])


def _early(units: UnitStore, volume: Volume, first_look: FirstLook, cite_lines: CiteLines) -> parallel.Early:
    """What places the chunk `first_look` names at its page, as the body's placing will (so its
    layer of page numbers is found stored then), and hands it on as a layout of its own."""
    number, first_page, show = first_look

    def place(unit: Unit) -> None:
        [placed], _ = _place(units, volume, [(unit, 0.0)], first_page, Workers(1), cite_lines)
        show(Layout([placed], dict(placed.page_map), [], range(first_page, placed.next_page), {}, []))
    return number, place


CiteLines = Callable[[dict[str, tuple[int, int]]], dict[str, str]]  # article → its pages ↦ article → its cite line's HTML


def _place(units: UnitStore, volume: Volume, laid: list[tuple[Unit, float]], next_page: int, workers: Workers,
           cite_lines: CiteLines) -> tuple[list[Unit], list[tuple[int, float]]]:
    """Units laid out page-independently (the body's chunks, the back matter's parts), placed one
    after the other from `next_page`, each on a right-hand page, with its page numbers and its
    articles' cite lines (their real pages are known once every unit is placed)."""
    blank = units.render_page_independent(assemble.print_blank(volume))
    placed: list[tuple[Unit, int]] = []
    for unit, _ in laid:
        if next_page != _recto(next_page):
            placed.append((blank, next_page))
            next_page += 1
        placed.append((unit, next_page))
        next_page += unit.page_count
    texts = cite_lines(_spans([unit.starting_at(first) for unit, first in placed], volume))
    with_texts = [(unit, first, _on_pages(unit, texts)) for unit, first in placed]
    return parallel.place_chunks(workers, units, with_texts), [(unit.page_count, seconds) for unit, seconds in laid]


def _spans(units: list[Unit], volume: Volume) -> dict[str, tuple[int, int]]:
    """Each article's first and last printed page, from the units it was laid out in."""
    ids = {article.id for article in volume.articles()}
    return {anchor: (page, unit.page_ends.get(anchor, page))
            for unit in units for anchor, page in unit.page_map.items() if anchor in ids}


def _on_pages(unit: Unit, texts: dict[str, str]) -> dict[int, str]:
    """The cite lines of the articles that open in `unit`, by page index within it."""
    return {unit.page_map[anchor] - unit.first_page: html for anchor, html in texts.items() if anchor in unit.page_map}


def _cite_lines(enriched: Enriched, problems: Problems) -> CiteLines:
    """What gives each article's cite line once its pages are known (nothing without `cite_line`)."""
    if not enriched.volume.cite_line:
        return lambda spans: {}
    return lambda spans: assemble.cite_lines(enriched, spans.get, problems)


def _body_in_memory(renderer: Renderer, volume: Volume, chunks: list[str], next_page: int,
                    progress: Progress, cite_lines: CiteLines) -> tuple[list[Unit], list[tuple[int, float]]]:
    """The body's chunks laid out one after the other with their page numbers in place: a profile
    that WeasyPrint writes as one document keeps its units in memory."""
    body: list[Unit] = []
    chunk_times = []
    for number, html in enumerate(chunks, 1):
        progress("layout", number, len(chunks))
        body += _fillers(renderer, volume, next_page)
        started = time.perf_counter()
        body.append(renderer.render(html, _recto(next_page)))
        renderer.print_page_elements(body[-1], _on_pages(body[-1], cite_lines(_spans([body[-1]], volume))))
        chunk_times.append((body[-1].page_count, time.perf_counter() - started))
        next_page = body[-1].next_page
    return body, chunk_times


def _timer(seconds: dict[str, float]):
    """Call a function, adding the time it took to `seconds[part]`."""
    def timed(part: str, function, *args, **keywords):
        started = time.perf_counter()
        try:
            return function(*args, **keywords)
        finally:
            seconds[part] += time.perf_counter() - started
    return timed


def _typefaces(units: list[Unit]) -> list[str]:
    """The typefaces the laid-out units are set in, most used first: what the colophon names."""
    counts: dict[str, int] = {}
    for unit in units:
        for typeface, glyphs in unit.typefaces.items():
            counts[typeface] = counts.get(typeface, 0) + glyphs
    return sorted(counts, key=lambda typeface: -counts[typeface])


def _render_back(units, enriched: Enriched, paper, body: list[Unit], next_page: int,
                 workers: Workers) -> tuple[BackMatter, list[Unit], list[parallel.Run], list[Unit]]:
    """The back matter as the body's pages make it, and its units — contributors and the index,
    each from a right-hand page at or after `next_page`, then the colophon on a page of its own —,
    the runs of HTML they were laid out from (parallel.Run) and the colophon's draft.

    The contributors and the index do not depend on where they fall, so in the unit store they are
    laid out page-independently, side by side on the workers, and placed. The colophon's printed
    sheets count the book's last page, so a draft with a placeholder comes first, and the final is
    settled as the draft."""
    volume = enriched.volume
    page_map = {anchor: page for unit in body for anchor, page in unit.page_map.items()}
    back = assemble.back_matter(enriched, paper, page_map, _typefaces(body))
    parts = assemble.print_back(volume, back)
    if isinstance(units, UnitStore):
        laid = parallel.lay_out_chunks(workers, units, parts, no_progress)
        placed, _ = _place(units, volume, laid, next_page, workers, lambda spans: {})
        runs: list[parallel.Run] = [[(html, None)] for html in parts]
    else:
        placed, runs = [], []
        for html in parts:
            placed += _fillers(units, volume, next_page)
            placed.append(units.render(html, _recto(next_page)))
            next_page = placed[-1].next_page
    drafts = []
    start = placed[-1].next_page if placed else next_page
    if back.colophon:
        run, treatments = [], None
        if back.paper is not None:
            back.sheets = "00,00"
            run.append((assemble.print_colophon(volume, back), start))
            drafts.append(units.render(*run[-1]))
            back.sheets = imprint.format_sheets(back.paper.printed_sheets(drafts[-1].next_page - 1), volume.lang)
            treatments = drafts[-1].treatments
        run.append((assemble.print_colophon(volume, back), start))
        placed.append(units.render(run[-1][0], start, treatments=treatments))
        runs.append(run)
    return back, placed, runs, drafts


def _next_page(body: list[Unit], front_pages: int) -> int:
    """The page after the body (after the front matter when the book has no body)."""
    return body[-1].next_page if body else front_pages + 1


def _even(pages: int) -> int:
    return pages + pages % 2


def _recto(page: int) -> int:
    """The first right-hand (odd) page at or after `page`."""
    return page if page % 2 else page + 1


def _fillers(units, volume: Volume, next_page: int) -> list[Unit]:
    """A blank page when the next unit would otherwise start on a left-hand page."""
    return [] if next_page % 2 else [units.render(assemble.print_blank(volume), next_page)]


def _refuse_remote(fetcher: LocalFetcher, volume: Volume, problems: Problems) -> None:
    """Anything the render tried to fetch from outside the project is an error, named."""
    if not fetcher.refused:
        return
    for url in dict.fromkeys(fetcher.refused):
        problems.error(volume.root / "styles", None, f"refused to load '{url}': only files inside the project folder are used",
                       code="refused-resource")
    raise VolumeError(problems.items)
