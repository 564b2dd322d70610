"""A preview session: one worker thread that rebuilds what each change needs, through the pipeline
like `build`, and publishes the result (or the problems) for the server to read.

- a stylesheet or a font changed: the book is laid out again from the enriched articles (no loading,
  no parsing, no citations), after the stylesheets are checked again;
- a template changed: the same (the HTML is assembled again, then laid out);
- the manifest, an article, the people, the references or an image changed: everything.

`--only` lays out just one article or chapter (the volume is still loaded whole, so citations and
names resolve as in the book). Page images come from poppler's `pdftoppm` when it is installed,
else the page embeds the PDF itself. A failed build shows its problems on the page, as
`path:line: message`, above the last good preview; the next save is built again.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import layout, pipeline, profiles
from ..epub.contents import epub_contents
from ..epub.documents import epub_file_of
from ..layout import fonts
from ..model import Enriched, Finding, Volume
from ..problems import Problems, VolumeError
from .images import PageImages, first_images, rasterise
from .watch import CONTENT, KIND_NAMES, Watcher



@dataclass
class Output:
    """The last good preview: what the page shows."""

    pdf: bytes
    page_count: int
    pages: PageImages | None              # the pages as JPEGs; None when there is no rasteriser
    epub_docs: list[tuple[str, str, str]]  # (file name, title, XHTML), in reading order
    epub_files: dict[str, Path]           # stylesheets, fonts and images, by their name in the EPUB
    first_article: str = ""               # the EPUB document the page opens first
    findings: list[Finding] = field(default_factory=list)  # the proof's faults on these pages


@dataclass
class Status:
    state: str = "starting"  # starting | building | ok | error
    version: int = 0         # bumped on every change of state
    generation: int = 0      # bumped when a build finishes, well or not
    kind: str = ""           # what the last build redid: style | template | content
    changed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    finished: float = 0.0
    early: list[int] = field(default_factory=list)  # pages already shown new while the build goes on

    def as_json(self, output: Output | None) -> dict:
        return {
            "state": self.state, "version": self.version, "generation": self.generation, "kind": self.kind,
            "changed": self.changed, "problems": self.problems, "warnings": self.warnings,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()}, "finished": self.finished,
            "pages": output.page_count if output else 0, "images": bool(output and output.pages),
            "early": self.early,
        }


class Preview:
    """The watcher and builder: one worker thread; the HTTP handlers only read what it publishes."""

    def __init__(self, root: Path, only: str | None = None, images: bool = True, log=None):
        self.root = root.resolve()
        self.only = only.strip() if only else None
        self.rasteriser = shutil.which("pdftoppm") if images else None
        self.log = log or (lambda message: None)
        self.condition = threading.Condition()
        self.status = Status()
        self.output: Output | None = None
        self.title = self.root.name
        self.watcher = Watcher(self.root)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._enriched: Enriched | None = None  # builder-thread state: the last good load
        self._book: layout.Layout | None = None  # …and the last good layout
        self.on_view = 1  # the page the browser shows (the server sets it): laid out first
        self._filling = threading.Event()  # set: the background making of page images stops

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="anthology-preview", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self.condition:
            self.condition.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        self.watcher.start()
        self.build(CONTENT, ["(start)"])
        self.watcher.watch_new_files()
        while (change := self.watcher.next_change(self._stop)) is not None:
            kind, changed = change
            self.build(kind, [self.watcher.relative(path) for path in changed])
            self.watcher.watch_new_files()

    def build(self, kind: int, changed: list[str]) -> None:
        """Rebuild what `kind` needs and publish the result (or the problems)."""
        self.watcher.build_started_ns = time.time_ns()
        self._filling.set()  # the last preview's pages wait: this build needs the cores
        self._filling = threading.Event()
        self._publish(state="building", changed=changed, early=[])
        seconds: dict[str, float] = {}
        started = time.perf_counter()
        warnings: list[str] = list(self.status.warnings)
        try:
            if kind >= CONTENT or self._enriched is None:
                kind = CONTENT
                warnings = self._load(seconds)
            output = self._render(seconds, self._first_look(started, seconds))
        except VolumeError as exc:
            lines = [str(p) for p in exc.problems if p.severity == "error"] or ["the build failed"]
            self._finish("error", kind, started, seconds, problems=lines, warnings=warnings)
            self.log(f"{_now()} {KIND_NAMES[kind]} change: {len(lines)} problem(s)\n" + "\n".join(lines))
        except Exception as exc:  # a bug or a crash in a stage: show it, keep serving
            detail = traceback.format_exc()
            lines = [f"anthology: internal error, not a problem in the volume (see the terminal): "
                     f"{type(exc).__name__}: {exc}"]
            self._finish("error", kind, started, seconds, problems=lines, warnings=warnings)
            self.log(f"{_now()} build crashed:\n{detail}")
        else:
            self._finish("ok", kind, started, seconds, problems=[], warnings=warnings, output=output)
            if output.pages is not None:  # the other pages, while the designer looks at these
                threading.Thread(target=output.pages.fill, args=(self._filling,), daemon=True).start()
            self.log(f"{_now()} {KIND_NAMES[kind]} change: {output.page_count} pages in {seconds['total']:.2f} s")

    def _finish(self, state: str, kind: int, started: float, seconds: dict[str, float], **changes) -> None:
        seconds["total"] = time.perf_counter() - started
        self._publish(state=state, kind=KIND_NAMES[kind], seconds=seconds, finished=True, early=[], **changes)

    def _load(self, seconds: dict[str, float]) -> list[str]:
        """Load and enrich the volume, as the pipeline does for `build`; its warnings."""
        clock = time.perf_counter()
        problems = Problems()
        enriched = pipeline.enrich(self.root, problems)
        if enriched is not None:
            self.watcher.loaded(enriched, failed=bool(problems.errors))
            self.title = enriched.volume.title
        self._enriched = enriched if enriched is not None and not problems.errors else None
        if self._enriched is None:
            raise VolumeError(problems.items)
        seconds["prepare"] = time.perf_counter() - clock
        return [str(p) for p in problems.warnings]

    def _first_look(self, started: float, seconds: dict[str, float]) -> layout.FirstLook | None:
        """The body chunk of the page on view, to be laid out before the rest of the book and shown
        as soon as it is: placed where the last good layout had it (the pages before it are
        assumed to keep their length, as they do but after a change of the text's size)."""
        book, output = self._book, self.output  # no book under --only: nothing is laid out around it
        found = chunk_on(book, self.on_view) if book is not None and output is not None and output.pages else None
        if found is None:
            return None
        number, first_page, pages = found

        def show(chunk: layout.Layout) -> None:
            on_view = range(max(first_page, self.on_view - 1),
                            min(first_page + min(pages, chunk.page_count), self.on_view + EARLY_PAGES - 1))
            made = rasterise(self.rasteriser, _pdf_of(chunk), range(on_view.start - first_page + 1,
                                                                     on_view.stop - first_page + 1))
            if len(made) == len(on_view):
                shown = output.pages.with_pages({first_page + n - 1: image for n, image in made.items()})
                seconds["on view"] = time.perf_counter() - started  # from the save's build starting
                self._publish(state="building", output=replace(output, pages=shown), early=list(on_view))
        return number, first_page, show

    def _render(self, seconds: dict[str, float], first_look: layout.FirstLook | None = None) -> Output:
        enriched = self._enriched
        clock = time.perf_counter()
        book, shown = pipeline.lay_out_for_preview(enriched, Problems(root=enriched.volume.root), self.only, first_look)
        seconds["layout"] = time.perf_counter() - clock
        clock = time.perf_counter()
        pdf_bytes = _pdf_of(book)
        seconds["pdf"] = time.perf_counter() - clock
        clock = time.perf_counter()
        pages = first_images(self.rasteriser, pdf_bytes, book.page_count,
                             range(self.on_view - 1, self.on_view + EARLY_PAGES - 1), self.log)
        seconds["images"] = time.perf_counter() - clock
        clock = time.perf_counter()
        epub_docs, epub_files = self._epub(shown, book.index, self.only is not None)
        seconds["epub"] = time.perf_counter() - clock
        first = epub_file_of(shown.articles()[0].id) if shown.articles() else ""
        clock = time.perf_counter()
        findings = pipeline.proof_pages(book, enriched, profiles.profile(profiles.DEFAULT_PROFILE, enriched.volume.bleed),
                                       Problems())
        seconds["proof"] = time.perf_counter() - clock
        self._book = book if self.only is None else None
        return Output(pdf_bytes, book.page_count, pages, epub_docs, epub_files, first,
                      [finding for finding in findings if not finding.accepted])

    def _epub(self, volume: Volume, index: list, only: bool) -> tuple[list, dict[str, Path]]:
        """The EPUB's documents as the build makes them (without the print page markers, which show
        nothing), and the files they link to. Cheap next to the layout, so made every time."""
        contents = epub_contents(self._enriched, volume, [] if only else index, [])
        docs = contents.docs
        if only:
            docs = [d for d in docs if d.file_name not in ("text/cover.xhtml", "text/title.xhtml")]
        files = {f"styles/{name}": path for name, path in contents.styles.items()}
        files.update(fonts.epub_font_files(contents.styles))
        files.update({name: path for path, name in contents.images.items()})
        return [(d.file_name, d.title, d.xhtml) for d in docs], files

    def _publish(self, state: str, finished: bool = False, output: Output | None = None, **changes) -> None:
        with self.condition:
            status = self.status
            status.state = state
            for key, value in changes.items():
                setattr(status, key, value)
            if output is not None:
                self.output = output
            if finished:
                status.generation += 1
                status.finished = time.time()
            status.version += 1
            self.condition.notify_all()

    # --- what the server reads --------------------------------------------------------------

    def snapshot(self, since: int | None = None, timeout: float = 0) -> tuple[dict, Output | None]:
        """The status as JSON-ready data; with `since`, wait (up to `timeout`) until it is newer."""
        with self.condition:
            if since is not None:
                self.condition.wait_for(lambda: self.status.version != since or self._stop.is_set(), timeout)
            return self.status.as_json(self.output), self.output





EARLY_PAGES = 4  # the page on view, the one before and the next two: what a screen shows of a spread


def chunk_on(book: layout.Layout, page: int) -> tuple[int, int, int] | None:
    """The body chunk `page` falls in (its number, first page and page count), or None."""
    first = book.body_pages.start
    for number, (pages, _) in enumerate(book.chunks):
        first += 1 - first % 2  # each chunk begins on a right-hand page
        if first <= page < first + pages:
            return number, first, pages
        first += pages
    return None


def _pdf_of(book: layout.Layout) -> bytes:
    """The layout as PDF bytes. Whole fonts, not subsets: the pages look the same and the file is
    written in about half the time (subsetting the fonts is most of WeasyPrint's writing time). To
    a file: Layout.write finishes the PDF in place (its text maps), which pikepdf does only on a path."""
    with tempfile.TemporaryDirectory(prefix="anthology-preview-") as folder:
        book.write(Path(folder) / "preview.pdf", {"full_fonts": True})
        return (Path(folder) / "preview.pdf").read_bytes()


def _now() -> str:
    return time.strftime("%H:%M:%S")


