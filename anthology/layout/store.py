"""Units written to PDF files as soon as they are laid out, and found again by content: a long book
never holds all its pages in memory, and an unchanged unit is not laid out again."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from dataclasses import asdict
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

from .. import stopping
from . import folios, settle
from ..model import Line, Picture
from ..provenance import code_digest, file_digest, read_sealed, write_sealed
from ..scratch import alive
from .render import Renderer, Unit, write_pdf


STORE = "anthology unit store"  # what its entries are sealed for
SETTLED = "settled"  # the folder, inside the store, of the treatments settling chose
FORECAST = "forecast.json"  # what the last build laid out after the body (layout.lay_out)
IMAGE_SOURCE = re.compile(r'<img [^>]*?src="([^"]+)"')


class UnitStore:
    """Writes units to PDF files as soon as they are laid out, and finds them again by content:
    a unit whose HTML, first page, styles and PDF options are unchanged is not laid out again.

    Each PDF has a sealed entry beside it holding its digest: the joined book takes the pages as
    they are, so an entry or a PDF edited (or half written by other code) counts as absent."""

    def __init__(self, folder: Path, renderer: Renderer, options: dict):
        # Whole fonts: subsetting each unit's fonts costs more than laying it out; `join_files` keeps
        # one copy of each font program for the whole book.
        self.folder, self.renderer, self.options = folder, renderer, {**options, "full_fonts": True, "uncompressed_pdf": True}
        folder.mkdir(parents=True, exist_ok=True)

    def render(self, html: str, first_page: int = 1, treatments: dict[str, settle.Treatment] | None = None) -> Unit:
        """A unit laid out with its page numbers in place (front and back matter, blank pages);
        with `treatments`, settled as they say (Renderer.render)."""
        placement = f"page {first_page}"
        if treatments is not None:
            placement += f" treated {sorted(settle.as_data(treatments).items())}"
        memory = self._memory(html, placement) if treatments is None else None
        return self._cached(self._key(html, placement), first_page,
                            lambda: self.renderer.render(html, first_page, memory, treatments), memory)

    def render_page_independent(self, html: str) -> Unit:
        """A body chunk as if from page 1, its page numbers lifted out (folios.py): found again
        wherever the chunk falls in the book."""
        memory = self._memory(html, "page-independent")
        return self._cached(self._key(html, "page-independent"), 1,
                            lambda: self.renderer.render_page_independent(html, memory), memory)

    def place(self, unit: Unit, first_page: int, texts: dict[int, str] | None = None) -> Unit:
        """A page-independent unit at `first_page`, with the layer of its page numbers there (and
        of `texts`, the running elements that carry page numbers: folios.layer_html)."""
        placed = unit.starting_at(first_page)
        placed.folio_file = self.folio_layer(unit.folios, first_page, texts)
        return placed

    def folio_layer(self, slots: folios.Slots, first_page: int, texts: dict[int, str] | None = None) -> Path | None:
        """The PDF of the page numbers in `slots` (and of `texts`) for a unit placed at
        `first_page`, laid out unless stored; None when there is nothing to print."""
        if not texts and not any(boxes for _, boxes in slots):
            return None
        key = hashlib.sha256(f"{code_digest()}\0{self.renderer.key}\0{sorted(self.options.items())}"
                             f"\0{first_page}\0{slots}\0{sorted((texts or {}).items())}".encode()).hexdigest()
        target = self.folder / f"{key}.pdf"
        if self._read(key) is None:
            layer = self.renderer.render_folios(slots, first_page, texts)
            self._write(key, {"pdf": spill(layer, target, self.options)})
        return target

    def forecast(self) -> list[list[tuple[str, int | None]]]:
        """The runs of units (parallel.Run) the last build laid out after the body, if its lines
        fell where they fall now (only colours changed, or nothing that moves a page); else none."""
        data = read_sealed(self.folder / FORECAST, FORECAST, self._forecast_key())
        return [[(html, first_page) for html, first_page in run] for run in data["runs"]] if data else []

    def keep_forecast(self, runs: list[list[tuple[str, int | None]]]) -> None:
        write_sealed(self.folder / FORECAST, FORECAST, self._forecast_key(), {"runs": runs})

    def _forecast_key(self) -> str:
        return f"{code_digest()}\0{self.renderer.geometry}\0{sorted(self.options.items())}"

    def remove_abandoned(self) -> None:
        """Remove the files that stopped processes were writing (`NAME.PID.part`, PID not running)."""
        remove_abandoned(self.folder)

    def _memory(self, html: str, placement: str) -> Remembered:
        """Where the treatments settling chooses for this unit are kept: by what decides where its
        lines fall (its key with the styles' colours left out)."""
        return Remembered(self.folder / SETTLED, self._key(html, placement, self.renderer.geometry), self._trial_key)

    def _trial_key(self, fragment: str) -> str:
        """Where a paragraph's trial scores are kept: by its copy in the trial (settle.trial_fragments)."""
        return self._key(fragment, "paragraph trial", self.renderer.geometry)

    def _key(self, html: str, placement: str, look: str | None = None) -> str:
        """What a unit's pages depend on: the code, the styles and fonts (`look`, by default the
        renderer's key), where it is placed, the PDF options, the images it shows (by content) and
        its HTML."""
        fetcher = self.renderer.fetcher
        images = [path for path in (fetcher.local_path(urljoin(self.renderer.base_url, unescape(src)))
                                    for src in IMAGE_SOURCE.findall(html)) if path is not None]
        stamps = "".join(f"{p}\0{file_digest(p)}\0" for p in images if p.is_file())
        return hashlib.sha256(f"{code_digest()}\0{look or self.renderer.key}\0{placement}\0{sorted(self.options.items())}"
                              f"\0{stamps}\0{html}".encode()).hexdigest()

    def _cached(self, key: str, first_page: int, lay_out, memory: Remembered | None = None) -> Unit:
        target, data = self.folder / f"{key}.pdf", self._read(key)
        if data is not None:
            if memory is not None:
                memory.touch()
            return Unit(first_page, data["page_count"], data["page_map"], data["page_ends"], [tuple(b) for b in data["bookmarks"]],
                        file=target, phantoms=data["phantoms"], typefaces=data["typefaces"],
                        lines=[Line(**line) for line in data["lines"]],
                        pictures=[Picture(**picture) for picture in data["pictures"]],
                        folios=[(name, tuple(boxes)) for name, boxes in data["folios"]],
                        treatments=settle.from_data(data["treatments"]))
        unit = lay_out()
        pdf = spill(unit, target, self.options)
        self._write(key, {"pdf": pdf, "page_count": unit.page_count, "page_map": unit.page_map, "page_ends": unit.page_ends,
                          "bookmarks": unit.bookmarks, "phantoms": unit.phantoms, "typefaces": unit.typefaces,
                          "folios": unit.folios, "treatments": settle.as_data(unit.treatments),
                          "lines": [asdict(line) for line in unit.lines],
                          "pictures": [asdict(p) for p in unit.pictures]})
        return unit

    def _read(self, key: str) -> dict | None:
        """The entry stored under `key` when it is sealed as `_write` sealed it and its PDF is the
        one it describes; else None."""
        data = read_sealed(self.folder / f"{key}.json", STORE, key)
        try:
            return data if data is not None and file_digest(self.folder / f"{key}.pdf") == data["pdf"] else None
        except OSError:
            return None

    def _write(self, key: str, data: dict) -> None:
        write_sealed(self.folder / f"{key}.json", STORE, key, data)

class Remembered:
    """What settling found for one unit (layout/settle.py), kept as sealed entries: the treatments
    it chose, so a unit whose lines fall as before (only colours changed) is laid out once, with
    them; and each paragraph's trial scores, so a unit settled again after an edit tries only the
    paragraphs whose copies in the trial are new."""

    PURPOSE = "anthology settled treatments"
    TRIAL = "anthology paragraph trial"

    def __init__(self, folder: Path, key: str, trial_key):
        self.path, self.key, self.trial_key = folder / f"{key}.json", key, trial_key
        self.trials: set[str] = set()  # the keys of the trial scores this unit's settling used

    def recall(self) -> dict[str, settle.Treatment] | None:
        data = read_sealed(self.path, self.PURPOSE, self.key)
        if data is None:
            return None
        self._touch(data)
        return settle.from_data(data["treatments"])

    def touch(self) -> None:
        """Mark the entry, and the trial scores it used, used by this build: pruning keeps them
        (pipeline._prune)."""
        data = read_sealed(self.path, self.PURPOSE, self.key)
        if data is not None:
            self._touch(data)

    def _touch(self, data: dict) -> None:
        for path in [self.path, *(self.path.with_name(f"{key}.json") for key in data["trials"])]:
            with contextlib.suppress(OSError):
                os.utime(path)

    def scores(self, fragment: str) -> list[float] | None:
        """The scores of the variants of the paragraph whose trial copy is `fragment`, if kept."""
        key = self.trial_key(fragment)
        path = self.path.with_name(f"{key}.json")
        found = read_sealed(path, self.TRIAL, key)
        if found is None:
            return None
        self.trials.add(key)
        with contextlib.suppress(OSError):
            os.utime(path)  # used by this build (pipeline._prune)
        return found["scores"]

    def keep_scores(self, fragment: str, scores: list[float]) -> None:
        key = self.trial_key(fragment)
        self.path.parent.mkdir(exist_ok=True)
        write_sealed(self.path.with_name(f"{key}.json"), self.TRIAL, key, {"scores": scores})
        self.trials.add(key)

    def keep(self, chosen: dict[str, settle.Treatment]) -> None:
        self.path.parent.mkdir(exist_ok=True)
        write_sealed(self.path, self.PURPOSE, self.key, {"treatments": settle.as_data(chosen), "trials": sorted(self.trials)})


def remove_abandoned(folder: Path, finished: int | None = None) -> None:
    """Remove the files in `folder` (and its `settled/`) that processes no longer running were
    writing, `NAME.PID.part`, and those of the process `finished`, which writes nothing any more."""
    for path in [*folder.glob("*.part"), *folder.glob(f"{SETTLED}/*.part")]:
        if not in_flight(path) or path.suffixes[-2][1:] == str(finished):
            path.unlink(missing_ok=True)


def in_flight(path: Path) -> bool:
    """Whether `path` is a file a running process is writing (`NAME.PID.part`)."""
    pid = path.suffixes[-2][1:] if path.suffix == ".part" and len(path.suffixes) >= 2 else ""
    return pid.isdigit() and alive(int(pid))


def spill(unit: Unit, target: Path, options: dict) -> str:
    """Write a unit to its own PDF and let go of its layout; the PDF's digest.

    WeasyPrint drops links whose target is not in the same document, so the targets that lie in
    other units are added as anchors on its first page; `join_files` drops them again."""
    pages = unit.document.pages
    anchors = {name for page in pages for name in page.anchors}
    targets = {target for page in pages for kind, target, _, _ in page.links if kind == "internal"}
    unit.phantoms = sorted(targets - anchors)
    for name in unit.phantoms:
        pages[0].anchors[name] = (0, 0, 0, 0)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.part")  # workers never write the same file
    try:
        write_pdf(unit.document, temporary, **options)
        stopping.check()  # drawing may have swallowed a Ctrl-C: a half-drawn unit is never kept
        written = file_digest(temporary)
        temporary.replace(target)
    finally:
        temporary.unlink(missing_ok=True)
    unit.document, unit.file = None, target
    return written
