"""The stages in order: load → parse → enrich → assemble → write. `check` stops after enrich."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import assemble, citations, epub, names, pdf, typography
from .atomic import atomic_output
from .fetcher import LocalFetcher
from .markdown import parse_article
from .problems import Problems, VolumeError
from .volume import Volume, load_volume

DEFAULT_STYLES = Path(__file__).parent / "data" / "styles"
FORMATS = ("pdf", "epub")

Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


@dataclass
class Prepared:
    """A volume loaded, parsed and enriched: what both `check` and `build` need."""

    volume: Volume
    articles: dict[str, assemble.EnrichedArticle]
    registry: names.Registry | None
    mentions: list[names.Mention] = field(default_factory=list)


@dataclass
class BuildResult:
    outputs: dict[str, Path]
    problems: Problems
    pages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def prepare(root: Path, problems: Problems, strict: bool = False, progress: Progress = _no_progress) -> Prepared | None:
    """Load the volume and parse and enrich every article; None when the volume cannot be loaded."""
    volume = load_volume(root, problems)
    if volume is None:
        return None
    registry = names.load_registry(volume.people, problems) if volume.people else None
    refs = citations.load_references(volume.references, problems)
    articles: dict[str, assemble.EnrichedArticle] = {}
    mentions: list[names.Mention] = []
    all_articles = volume.articles()
    cited: set[str] = set()
    for number, article in enumerate(all_articles, 1):
        progress("parse", number, len(all_articles))
        parsed = parse_article(article, volume.root, problems)
        if registry is not None:
            mentions.extend(names.annotate(parsed.body, article.id, registry, enabled=article.index_names,
                                           problems=problems, path=article.path))
        article_refs = refs
        if article.references:
            article_refs = {**refs, **citations.load_references(article.references, problems)}
        style = citations.resolve_style(article.citation_style or volume.citation_style, article.lang, volume.root, problems)
        cited.update(citations.cited_keys(parsed.body) | set(article.nocite))
        bibliography = citations.process_article(parsed.body, article.id, article.path, article.lang, article_refs, style,
                                                 problems, nocite=article.nocite, strict=strict)
        typography.apply(parsed.body, article.lang)
        articles[article.id] = assemble.EnrichedArticle(parsed, bibliography)
    problems.extend(citations.unused_references(refs, cited))
    return Prepared(volume, articles, registry, mentions)


def check(root: Path, strict: bool = False) -> Problems:
    problems = Problems()
    prepare(root, problems, strict=strict)
    return problems


def build(root: Path, formats: tuple[str, ...] = FORMATS, out_dir: Path | None = None, strict: bool = False,
          progress: Progress = _no_progress) -> BuildResult:
    """Build the requested formats; raises VolumeError (and writes nothing) when the volume has errors."""
    problems = Problems()
    started = time.perf_counter()
    prepared = prepare(root, problems, strict=strict, progress=progress)
    if prepared is None or problems.errors:
        raise VolumeError(problems.items)
    volume = prepared.volume
    out_dir = (out_dir or volume.root / "build").resolve()
    result = BuildResult(outputs={}, problems=problems, seconds={"prepare": time.perf_counter() - started})
    if "pdf" in formats:
        started = time.perf_counter()
        result.pages = _build_pdf(prepared, out_dir / f"{volume.slug}.pdf", problems, progress)
        result.outputs["pdf"] = out_dir / f"{volume.slug}.pdf"
        result.seconds["pdf"] = time.perf_counter() - started
    if "epub" in formats:
        started = time.perf_counter()
        _build_epub(prepared, out_dir / f"{volume.slug}.epub")
        result.outputs["epub"] = out_dir / f"{volume.slug}.epub"
        result.seconds["epub"] = time.perf_counter() - started
    return result


def style_files(volume: Volume, medium: str) -> dict[str, Path]:
    """The stylesheets for `medium` (print or epub): the volume's own, else the defaults, then the designer's extras."""
    chosen = {}
    for name in ("base.css", f"{medium}.css"):
        own = volume.root / "styles" / name
        chosen[name] = own if own.is_file() else DEFAULT_STYLES / name
    for number, extra in enumerate(volume.styles, 1):
        chosen[f"extra-{number}-{extra.name}"] = extra
    return chosen


def font_files(volume: Volume) -> list[Path]:
    """The fonts that base.css loads: the volume's styles/fonts, else the bundled ones."""
    folder = volume.root / "styles" / "fonts"
    if not folder.is_dir():
        folder = DEFAULT_STYLES / "fonts"
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".ttf", ".otf", ".woff", ".woff2"))


def _build_pdf(prepared: Prepared, target: Path, problems: Problems, progress: Progress) -> int:
    volume = prepared.volume
    fetcher = LocalFetcher([volume.root, DEFAULT_STYLES.resolve()])
    renderer = pdf.Renderer(list(style_files(volume, "print").values()), volume.page_size, volume.root, fetcher)
    progress("layout", 0, 3)
    front = renderer.render(assemble.print_front(volume, lambda anchor: "000"))
    body_html = assemble.print_body(volume, prepared.articles)
    progress("layout", 1, 3)
    for _ in range(3):  # the contents' length may change once real numbers are in: settle it
        filler = [] if front.page_count % 2 == 0 else [renderer.render(assemble.print_blank(volume), front.next_page)]
        body_start = front.next_page + len(filler)
        body = renderer.render(body_html, body_start)
        page_map = body.page_map
        final_front = renderer.render(assemble.print_front(volume, lambda anchor: str(page_map.get(anchor, ""))))
        if final_front.page_count == front.page_count:
            break
        front = final_front
    progress("layout", 2, 3)
    if fetcher.refused:
        for url in dict.fromkeys(fetcher.refused):
            problems.error(volume.root / "styles", None, f"refused to load '{url}': only files inside the project folder are used", code="refused-resource")
        raise VolumeError(problems.items)
    document = pdf.join([final_front, *filler, body])
    with atomic_output(target) as temporary:
        pdf.write_pdf(document, temporary)
    progress("layout", 3, 3)
    return len(document.pages)


def _build_epub(prepared: Prepared, target: Path) -> None:
    volume = prepared.volume
    images = _epub_image_names(prepared)
    styles = style_files(volume, "epub")
    links = [f"../styles/{name}" for name in styles]
    docs = assemble.epub_documents(volume, prepared.articles, images, links)
    style_items = {**styles, **{f"fonts/{p.name}": p for p in font_files(volume)}}
    with atomic_output(target) as temporary:
        epub.write_epub(volume, docs, assemble.toc_entries(volume), style_items, images, temporary, build_time(volume))


def _epub_image_names(prepared: Prepared) -> dict[Path, str]:
    """A unique file name inside the EPUB for every image the articles use."""
    names_by_path: dict[Path, str] = {}
    for enriched in prepared.articles.values():
        for path in enriched.parsed.images.values():
            if path not in names_by_path:
                stem = f"images/{len(names_by_path) + 1:03d}-{path.name}"
                names_by_path[path] = stem
    return names_by_path


def build_time(volume: Volume) -> dt.datetime:
    """The build's timestamp: SOURCE_DATE_EPOCH, else the manifest's date, else now (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    if volume.date:
        try:
            return dt.datetime.fromisoformat(volume.date[:10]).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            pass
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
