"""`anthology preview`: a local page that shows the book while its styles are being designed.

A worker thread watches the styles, the templates, the manifest and the volume's files (polling
their mtimes, no extra dependency), and rebuilds only what a change needs:

- a stylesheet or a font changed: the book is laid out again from the cached, enriched articles
  (no loading, no parsing, no citations; with `--only`, from the cached HTML);
- a template changed: the HTML is assembled again from the cached articles, then laid out;
- the manifest, an article, the people, the references or an image changed: everything.

WeasyPrint's layout and PDF writing are the slow part, so `--only` lays out just one article or
chapter. Page images come from poppler's `pdftoppm`, found on PATH, rather than a new Python
dependency (pypdfium2): it is optional, and without it the page embeds the PDF instead.

`--only` renders a single article or chapter (the volume is still loaded whole, so citations and
names resolve as in the book). The page at http://127.0.0.1:PORT/ shows the PDF's pages as images
(made by poppler's `pdftoppm` when it is installed, else the PDF itself in a frame) beside the
EPUB's XHTML documents with the EPUB's stylesheets, and reloads itself when a build finishes. A
failed build shows its problems on the page, as `path:line: message`, above the last good preview;
the server keeps running and the next save is built again.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from . import assemble, layout
from .layout import fonts
from .assemble import templates
from .epub import documents as epub_documents
from .epub.contents import epub_contents
from .layout.fetcher import LocalFetcher
from .load import MANIFEST
from .load.styles import DEFAULT_STYLES, style_files
from .model import Chapter, Enriched, Part, Volume
from .prepare import prepare
from .problems import Problems, VolumeError

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
POLL_SECONDS = 0.1      # how often the watcher looks at the files
SETTLE_SECONDS = 0.05   # a save is taken once the files have stopped changing for this long
LONG_POLL_SECONDS = 20  # /status?since=N answers at once on news, else after this long
PAGE_DPI = 110
FULL_FONTS = True       # see Preview._render
TEMPLATES = templates.TEMPLATES

# What a change needs, least to most.
STYLE, TEMPLATE, CONTENT = 1, 2, 3
KIND_NAMES = {STYLE: "style", TEMPLATE: "template", CONTENT: "content"}
CONTENT_SUFFIXES = {".yaml", ".yml", ".json", ".bib", ".csl"}


@dataclass
class Output:
    """The last good preview: what the page shows."""

    pdf: bytes
    page_count: int
    pages: list[bytes]                    # one JPEG per page; empty when there is no rasteriser
    epub_docs: list[tuple[str, str, str]]  # (file name, title, XHTML), in reading order
    epub_files: dict[str, Path]           # stylesheets, fonts and images, by their name in the EPUB
    first_article: str = ""               # the EPUB document the page opens first


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

    def as_json(self, output: Output | None) -> dict:
        return {
            "state": self.state, "version": self.version, "generation": self.generation, "kind": self.kind,
            "changed": self.changed, "problems": self.problems, "warnings": self.warnings,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()}, "finished": self.finished,
            "pages": output.page_count if output else 0, "images": bool(output and output.pages),
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
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # Builder-thread state: caches and what is watched.
        self._prepared: Enriched | None = None
        self._known: dict[Path, int] = {}   # the volume's own files, from the last load
        self._styles_used: list[Path] = []  # its stylesheets and fonts, from the last load
        self._html: str | None = None       # print HTML of the --only selection
        self._signatures: dict[Path, tuple | None] = {}
        self._build_started_ns = 0

    # --- the worker -------------------------------------------------------------------------

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
        self._signatures = self._scan()
        self.build(CONTENT, ["(start)"])
        self._watch_new_files()
        while not self._stop.wait(POLL_SECONDS):
            current = self._scan()
            changed = self._changed(current)
            if not changed:
                continue
            while True:  # an editor may write a file in several steps: wait until it is quiet
                time.sleep(SETTLE_SECONDS)
                again = self._scan()
                if again == current:
                    break
                current = again
            changed = self._changed(current)
            kinds = self._watch_list()
            kind = max(kinds.get(path, CONTENT) for path in changed)
            self._signatures = current
            self.build(kind, [self._relative(p) for p in sorted(changed)])
            self._watch_new_files()

    def _watch_new_files(self) -> None:
        """Files the last build started to use (a new article, a new stylesheet) are watched from now on.
        One written since the build began may have been read before the change: it is built again."""
        latest = self._scan()
        for path in list(self._signatures):
            if path not in latest:
                del self._signatures[path]
        since = self._build_started_ns - 50_000_000  # file times come from a coarser clock
        for path, signature in latest.items():
            if path not in self._signatures:
                self._signatures[path] = None if signature and signature[0] >= since else signature

    def _changed(self, current: dict[Path, tuple | None]) -> list[Path]:
        return [p for p in set(current) | set(self._signatures) if current.get(p) != self._signatures.get(p)]

    def _watch_list(self) -> dict[Path, int]:
        """Every file a rebuild depends on, with what its change needs."""
        files: dict[Path, int] = {}

        def add(path: Path, kind: int) -> None:
            path = path.resolve()
            files[path] = max(files.get(path, 0), kind)

        # The volume's styles/ (a file added there may start to be used), and the bundled files it
        # uses, or all of them while the volume has not loaded.
        folders = [self.root / "styles"] + ([] if self._styles_used else [DEFAULT_STYLES])
        for folder in folders:
            if folder.is_dir():
                for base, dirs, names in os.walk(folder):
                    dirs[:] = [d for d in dirs if not d.startswith(".")]
                    for name in names:
                        if not name.startswith("."):
                            add(Path(base) / name, STYLE)
        for path in self._styles_used:
            add(path, STYLE)
        for path in TEMPLATES.iterdir():
            add(path, TEMPLATE)
        add(self.root / MANIFEST, CONTENT)
        for path in self.root.iterdir():
            if path.suffix.lower() in CONTENT_SUFFIXES and path.is_file():
                add(path, CONTENT)
        for path, kind in self._known.items():
            add(path, kind)
        return files

    def _scan(self) -> dict[Path, tuple | None]:
        signatures = {}
        for path in self._watch_list():
            try:
                stat = path.stat()
                signatures[path] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                signatures[path] = None
        return signatures

    def _relative(self, path: Path) -> str:
        for base in (self.root, DEFAULT_STYLES.resolve().parent, TEMPLATES.parent):
            if path.is_relative_to(base):
                return str(path.relative_to(base))
        return str(path)

    # --- building ---------------------------------------------------------------------------

    def build(self, kind: int, changed: list[str]) -> None:
        """Rebuild what `kind` needs and publish the result (or the problems)."""
        self._build_started_ns = time.time_ns()
        self._publish(state="building", changed=changed)
        seconds: dict[str, float] = {}
        started = clock = time.perf_counter()
        warnings: list[str] = []
        try:
            if kind >= CONTENT or self._prepared is None:
                kind = CONTENT
                problems = Problems()
                prepared = prepare(self.root, problems)
                if prepared is not None:
                    # A file that failed to load is missing from this volume: keep watching it.
                    known = self._files_of(prepared)
                    self._known = known if not problems.errors else {**self._known, **known}
                    volume = prepared.volume
                    self._styles_used = [*style_files(volume, "print").values(), *style_files(volume, "epub").values(),
                                         *fonts.font_files(fonts.font_folders(volume.root))]
                    self.title = prepared.volume.title
                warnings = [str(p) for p in problems.warnings]
                if prepared is None or problems.errors:
                    self._prepared = None
                    raise VolumeError(problems.items)
                self._prepared = prepared
                seconds["prepare"] = time.perf_counter() - clock
            else:
                warnings = list(self.status.warnings)
            output = self._render(kind, seconds)
        except VolumeError as exc:
            lines = [str(p) for p in exc.problems if p.severity == "error"] or ["the build failed"]
            seconds["total"] = time.perf_counter() - started
            self._publish(state="error", kind=KIND_NAMES[kind], problems=lines, warnings=warnings, seconds=seconds,
                          finished=True)
            self.log(f"{_now()} {KIND_NAMES[kind]} change: {len(lines)} problem(s)\n" + "\n".join(lines))
        except Exception as exc:  # a bug or a crash in a stage: show it, keep serving
            detail = traceback.format_exc()
            lines = [f"anthology: internal error, not a problem in the volume (see the terminal): "
                     f"{type(exc).__name__}: {exc}"]
            seconds["total"] = time.perf_counter() - started
            self._publish(state="error", kind=KIND_NAMES[kind], problems=lines, warnings=warnings, seconds=seconds,
                          finished=True)
            self.log(f"{_now()} build crashed:\n{detail}")
        else:
            seconds["total"] = time.perf_counter() - started
            self._publish(state="ok", kind=KIND_NAMES[kind], problems=[], warnings=warnings, seconds=seconds,
                          output=output, finished=True)
            self.log(f"{_now()} {KIND_NAMES[kind]} change: {output.page_count} pages in {seconds['total']:.2f} s")

    def _render(self, kind: int, seconds: dict[str, float]) -> Output:
        prepared = self._prepared
        volume = prepared.volume
        selection = select(volume, self.only) if self.only else None
        problems = Problems(root=volume.root)
        clock = time.perf_counter()
        stylesheets = list(style_files(volume, "print").values())
        if selection is None:
            book = layout.lay_out(volume, prepared.articles, prepared.registry, prepared.mentions, stylesheets,
                                  problems, lambda *args: None, bibliography=prepared.bibliography)
            document, index = layout.join(book.units), book.index
        else:
            if kind >= TEMPLATE or self._html is None:
                self._html = assemble.print_body(selection, prepared.articles)
            fetcher = LocalFetcher([volume.root, DEFAULT_STYLES.resolve()])
            renderer = layout.Renderer(stylesheets, volume.page_size, volume.root, fetcher)
            document, index = renderer.render(self._html).document, []
            if fetcher.refused:
                for url in dict.fromkeys(fetcher.refused):
                    problems.error(volume.root / "styles", None,
                                   f"refused to load '{url}': only files inside the project folder are used")
                raise VolumeError(problems.items)
        seconds["layout"] = time.perf_counter() - clock
        clock = time.perf_counter()
        buffer = io.BytesIO()
        # Whole fonts, not subsets: the pages look the same and the file is written in about half the
        # time (subsetting the Noto fonts is most of WeasyPrint's writing time).
        layout.write_pdf(document, buffer, full_fonts=FULL_FONTS)
        pdf_bytes = buffer.getvalue()
        seconds["pdf"] = time.perf_counter() - clock
        clock = time.perf_counter()
        pages = self._rasterise(pdf_bytes, len(document.pages))
        seconds["images"] = time.perf_counter() - clock
        clock = time.perf_counter()
        shown = selection or volume
        epub_docs, epub_files = self._epub(shown, index, bool(selection))
        seconds["epub"] = time.perf_counter() - clock
        first = epub_documents.epub_file_of(shown.articles()[0].id) if shown.articles() else ""
        return Output(pdf_bytes, len(document.pages), pages, epub_docs, epub_files, first)

    def _epub(self, volume: Volume, index: list, only: bool) -> tuple[list, dict[str, Path]]:
        """The EPUB's documents as the build makes them (without the print page markers, which show
        nothing), and the files they link to. Cheap next to the layout, so made every time."""
        prepared = self._prepared
        contents = epub_contents(prepared, volume, {}, [] if only else index, [])
        docs = contents.docs
        if only:
            docs = [d for d in docs if d.file_name not in ("text/cover.xhtml", "text/title.xhtml")]
        files = {f"styles/{name}": path for name, path in contents.styles.items()}
        files.update(fonts.epub_font_files(contents.styles))
        files.update({name: path for path, name in contents.images.items()})
        return [(d.file_name, d.title, d.xhtml) for d in docs], files

    def _rasterise(self, pdf_bytes: bytes, count: int) -> list[bytes]:
        """Each page as a JPEG, with pdftoppm in a few processes at once; [] when it is not installed."""
        if not self.rasteriser or count == 0:
            return []
        with tempfile.TemporaryDirectory(prefix="anthology-preview-") as folder:
            source = Path(folder) / "preview.pdf"
            source.write_bytes(pdf_bytes)
            jobs = max(1, min(os.cpu_count() or 1, 4, count))
            step = -(-count // jobs)
            processes = [
                subprocess.Popen([self.rasteriser, "-r", str(PAGE_DPI), "-jpeg", "-jpegopt", "quality=90", "-forcenum",
                                  "-f", str(first), "-l", str(min(first + step - 1, count)), str(source),
                                  str(Path(folder) / "page")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                for first in range(1, count + 1, step)
            ]
            errors = [process.communicate()[1] for process in processes]
            if any(process.returncode for process in processes):
                message = b" ".join(errors).decode(errors="replace").strip()
                self.log(f"pdftoppm failed ({message}): showing the PDF instead of its pages")
                return []
            files = sorted(Path(folder).glob("page-*.jpg"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
            return [p.read_bytes() for p in files]

    def _files_of(self, prepared: Enriched) -> dict[Path, int]:
        """The files the loaded volume reads: a change to any of them is a content change, but for its CSS."""
        volume = prepared.volume
        files: dict[Path, int] = {}
        for article in volume.articles():
            files[article.path] = CONTENT
            for reference in article.references:
                files[reference] = CONTENT
        for path in [volume.people, *volume.references]:
            if path is not None:
                files[path] = CONTENT
        for enriched in prepared.articles.values():
            for path in enriched.parsed.images.values():
                files[path] = CONTENT
        for path in volume.styles:
            files[path] = STYLE
        return {path.resolve(): kind for path, kind in files.items()}

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


def _now() -> str:
    return time.strftime("%H:%M:%S")


def select(volume: Volume, only: str) -> Volume:
    """The volume reduced to one article (by id or file) or one chapter or part (by id or title)."""
    key, folded = only.strip(), only.strip().casefold()
    for matter in ("front", "back"):
        for article in getattr(volume, matter):
            if key in (article.id, article.rel, Path(article.rel).stem):
                return replace(volume, front=[], back=[], parts=[], **{matter: [article]})
    for part in volume.parts:
        for chapter in part.chapters:
            for article in chapter.articles:
                if key in (article.id, article.rel, Path(article.rel).stem):
                    verso = chapter.title or part.title or volume.title  # the running head it has in the book
                    return replace(volume, title=verso, front=[], back=[],
                                   parts=[Part(part.id, None, [Chapter(chapter.id, None, [article])])])
    chapters = [(part, chapter) for part in volume.parts for chapter in part.chapters]
    exact = [(p, c) for p, c in chapters if c.id == key or (c.title or "").casefold() == folded]
    partial = [(p, c) for p, c in chapters if folded in (c.title or "").casefold()]
    for found in (exact, partial):
        if len(found) == 1:
            part, chapter = found[0]
            return replace(volume, title=part.title or volume.title, front=[], back=[],
                           parts=[Part(part.id, None, [chapter])])
    parts = [p for p in volume.parts if p.title and (p.id == key or p.title.casefold() == folded)]
    if len(parts) == 1:
        return replace(volume, front=[], back=[], parts=parts)
    problems = Problems(root=volume.root)
    if len(partial) > 1:
        names = "; ".join(f"{c.id} «{c.title}»" for _, c in partial)
        problems.error(volume.root / MANIFEST, None, f"--only '{only}' matches several chapters: {names}")
    else:
        articles = ", ".join(a.id for a in volume.articles())
        chapter_names = "; ".join(f"{c.id} «{c.title}»" if c.title else c.id for _, c in chapters)
        problems.error(volume.root / MANIFEST, None,
                       f"--only '{only}' is no article id or file and no chapter id or title here. "
                       f"Articles: {articles}. Chapters: {chapter_names}")
    raise VolumeError(problems.items)


# --- the server --------------------------------------------------------------------------------


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, preview: Preview, port: int):
        self.preview = preview
        super().__init__((HOST, port), _Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


def serve(root: Path, port: int = 0, only: str | None = None, images: bool = True, log=None) -> PreviewServer:
    """Start the watcher and the server in background threads; stop with `stop(server)`."""
    preview = Preview(root, only, images=images, log=log)
    server = PreviewServer(preview, port)
    preview.start()
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="anthology-preview-http",
                     daemon=True).start()
    return server


def stop(server: PreviewServer) -> None:
    server.preview.stop()
    server.shutdown()
    server.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "anthology-preview"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:  # the terminal shows builds, not requests
        pass

    def do_GET(self) -> None:
        preview = self.server.preview
        url = urlsplit(self.path)
        path = unquote(url.path)
        query = parse_qs(url.query)
        if path == "/":
            status, output = preview.snapshot()
            return self._send(200, "text/html; charset=utf-8", page(preview, status, output).encode())
        if path == "/status":
            since = query.get("since", [None])[0]
            since = int(since) if since and since.lstrip("-").isdigit() else None
            status, _ = preview.snapshot(since, LONG_POLL_SECONDS)
            return self._send(200, "application/json", json.dumps(status, ensure_ascii=False).encode())
        _, output = preview.snapshot()
        if output is None:
            return self._send(404, "text/plain; charset=utf-8", b"no preview yet\n")
        if path == "/preview.pdf":
            return self._send(200, "application/pdf", output.pdf)
        match = re.fullmatch(r"/pages/(\d+)\.jpg", path)
        if match:
            number = int(match.group(1))
            if 1 <= number <= len(output.pages):
                return self._send(200, "image/jpeg", output.pages[number - 1])
        if path.startswith("/epub/"):
            name = path[len("/epub/"):]
            for file_name, _, xhtml in output.epub_docs:
                if file_name == name:
                    return self._send(200, "application/xhtml+xml; charset=utf-8", xhtml.encode())
            file = output.epub_files.get(name)
            if file is not None and file.is_file():
                return self._send(200, _content_type(file), file.read_bytes())
        return self._send(404, "text/plain; charset=utf-8", b"not found\n")

    def _send(self, code: int, content_type: str, body: bytes) -> None:
        try:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went away (a reload): nothing to answer


def _content_type(path: Path) -> str:
    return {".css": "text/css; charset=utf-8", ".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff",
            ".woff2": "font/woff2", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
            ".gif": "image/gif", ".svg": "image/svg+xml"}.get(path.suffix.lower(), "application/octet-stream")


# --- the page ----------------------------------------------------------------------------------


def page(preview: Preview, status: dict, output: Output | None) -> str:
    """The preview page: state, problems, the PDF's pages and the EPUB side by side."""
    e = html.escape
    generation = status["generation"]
    if output is None:
        pages = '<p class="empty">No preview yet.</p>'
    elif output.pages:
        pages = "".join(f'<figure class="page" id="page-{n}"><img src="/pages/{n}.jpg?g={generation}" alt="page {n}" '
                        f'loading="{"eager" if n <= 4 else "lazy"}"><figcaption>{n}</figcaption></figure>'
                        for n in range(1, len(output.pages) + 1))
    else:
        pages = f'<iframe class="pdf" src="/preview.pdf?g={generation}#view=FitH" title="PDF"></iframe>'
    options = ""
    if output is not None:
        options = "".join(f'<option value="{e(name)}"{" selected" if name == output.first_article else ""}>{e(title)}</option>'
                          for name, title, _ in output.epub_docs)
    problems = ""
    if status["problems"]:
        problems = ('<section class="problems"><h2>The last build failed; the preview below is the last good one'
                    '</h2><pre>' + e("\n".join(status["problems"])) + "</pre></section>")
    warnings = ""
    if status["warnings"]:
        warnings = (f'<details class="warnings"><summary>{len(status["warnings"])} warning(s)</summary><pre>'
                    + e("\n".join(status["warnings"])) + "</pre></details>")
    only = f' · only <b>{e(preview.only)}</b>' if preview.only else ""
    status_json = json.dumps(status, ensure_ascii=False).replace("</", "<\\/")
    return PAGE.format(title=e(preview.title), only=only, status_json=status_json,
                       problems=problems, warnings=warnings, pages=pages, options=options,
                       generation=generation, version=status["version"])


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Preview: {title}</title>
<style>
  * {{ box-sizing: border-box; }}
  body {{ margin: 0; font: 14px/1.4 system-ui, sans-serif; background: #e8e8e8; color: #222; }}
  header {{ position: sticky; top: 0; z-index: 2; display: flex; gap: 1em; align-items: center; flex-wrap: wrap;
           padding: 0.5em 1em; background: #fff; border-bottom: 1px solid #ccc; }}
  #state {{ padding: 0.1em 0.6em; border-radius: 1em; background: #ddd; }}
  #state.ok {{ background: #cfe9d4; }} #state.building, #state.starting {{ background: #fbe7b5; }}
  #state.error, #state.offline {{ background: #f5c6c6; }}
  .problems {{ margin: 0; padding: 0.5em 1em; background: #fde8e8; border-bottom: 2px solid #c33; }}
  .problems h2 {{ font-size: 1em; margin: 0.3em 0; color: #a00; }}
  .problems pre, .warnings pre {{ margin: 0; white-space: pre-wrap; font-size: 13px; }}
  .warnings {{ padding: 0.3em 1em; background: #fff8e1; }}
  main {{ display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); height: calc(100vh - 3em); }}
  .pages {{ overflow: auto; padding: 1em; display: flex; flex-wrap: wrap; gap: 1em; align-content: flex-start;
           justify-content: center; }}
  .page {{ margin: 0; text-align: center; }}
  .page img {{ display: block; width: 100%; max-width: 560px; background: #fff; box-shadow: 0 1px 4px #0004; }}
  .page figcaption {{ font-size: 12px; color: #666; }}
  iframe {{ width: 100%; height: 100%; border: 0; background: #fff; }}
  .epub {{ border-left: 1px solid #bbb; display: flex; flex-direction: column; }}
  .epub iframe {{ flex: 1; }}
  .empty {{ padding: 2em; }}
</style></head>
<body data-generation="{generation}">
<header><b>anthology preview</b><span>{title}{only}</span><span id="state">…</span>
  <a href="/preview.pdf" target="_blank">PDF</a>
  <label>EPUB <select id="doc">{options}</select></label></header>
{problems}{warnings}
<main><div class="pages" id="pages">{pages}</div>
<div class="epub"><iframe id="epub" title="EPUB"></iframe></div></main>
<script>
const generation = {generation};
let version = {version};
const stateBox = document.getElementById("state");
const pagesBox = document.getElementById("pages");
const select = document.getElementById("doc");
const frame = document.getElementById("epub");
function show(s) {{
  stateBox.className = s.state;
  if (s.state === "building") stateBox.textContent = "building…";
  else if (s.state === "ok") stateBox.textContent = s.pages + " pages, " + s.kind + " change built in " + (s.seconds.total || 0).toFixed(2) + " s";
  else if (s.state === "error") stateBox.textContent = "build failed: " + s.problems.length + " problem(s)";
  else stateBox.textContent = s.state;
}}
show({status_json});
const saved = JSON.parse(sessionStorage.getItem("anthology-preview") || "{{}}");
if (saved.pages) pagesBox.scrollTop = saved.pages;
if (saved.doc && [...select.options].some(o => o.value === saved.doc)) select.value = saved.doc;
function openDoc() {{
  if (!select.value) return;
  frame.onload = () => {{ if (saved.epub && saved.doc === select.value) frame.contentWindow.scrollTo(0, saved.epub); }};
  frame.src = "/epub/" + select.value + "?g=" + generation;
}}
select.addEventListener("change", () => {{ saved.epub = 0; saved.doc = select.value; openDoc(); }});
openDoc();
function remember() {{
  let epub = 0;
  try {{ epub = frame.contentWindow.scrollY; }} catch (e) {{}}
  sessionStorage.setItem("anthology-preview", JSON.stringify({{pages: pagesBox.scrollTop, doc: select.value, epub}}));
}}
async function watch() {{
  for (;;) {{
    try {{
      const response = await fetch("/status?since=" + version, {{cache: "no-store"}});
      const s = await response.json();
      version = s.version;
      if (s.generation !== generation && s.state !== "building") {{ remember(); location.reload(); return; }}
      show(s);
    }} catch (e) {{
      stateBox.className = "offline"; stateBox.textContent = "the preview server is not answering";
      await new Promise(r => setTimeout(r, 1000));
    }}
  }}
}}
watch();
</script>
</body></html>
"""
