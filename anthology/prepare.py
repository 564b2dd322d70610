"""Load, parse and enrich every article: what both `check` and `build` need.

Each article is enriched on its own (parse → names → citations → typography) with its own problems,
so an unchanged article's result can come from the cache: its key is everything that can change it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import lxml.html

from . import __version__, citations, names, typography
from .model import ParsedArticle
from .parse import parse_article
from .problems import Problem, Problems
from .load.styles import check_stylesheets
from .load import load_volume
from .model import Article, Enriched, EnrichedArticle, Volume

Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    pass


@dataclass
class _Context:
    """What every article's enrichment reads besides the article itself."""

    volume: Volume
    registry: names.Registry | None
    refs: dict
    strict: bool
    inputs_key: str  # a hash of the registry, references, styles and version


@dataclass
class _Result:
    parsed: ParsedArticle
    bibliography: object | None
    mentions: list[names.Mention]
    problems: list[Problem]


def prepare(root: Path, problems: Problems, strict: bool = False, progress: Progress = no_progress,
            cache: Path | None = None) -> Enriched | None:
    """Load the volume and enrich every article; None when the volume cannot be loaded.

    `strict` makes an unknown citation key an error rather than a warning. With `cache` (a folder),
    unchanged articles are taken from an earlier run."""
    volume = load_volume(root, problems)
    if volume is None:
        return None
    check_stylesheets(volume, problems)
    registry = names.load_registry(volume.people, problems) if volume.people else None
    refs = citations.load_references(volume.references, problems)
    context = _Context(volume, registry, refs, strict, _inputs_key(volume, strict))
    if volume.bibliography == "volume":
        results, volume_list = _enrich_with_volume_list(context, problems, progress)
    else:
        results, volume_list = _enrich_articles(context, progress, cache), None
    mentions = [m for r in results for m in r.mentions]
    for result in results:
        problems.extend(result.problems)
    cited = set().union(*(citations.cited_keys(r.parsed.body) | set(r.parsed.article.nocite) for r in results))
    problems.extend(citations.unused_references(refs, cited))
    if registry is not None:
        _report_names(registry, mentions, {a.id: a for a in volume.articles()}, problems)
    articles = {r.parsed.article.id: EnrichedArticle(r.parsed, r.bibliography) for r in results}
    return Enriched(volume, articles, registry, mentions, volume_list)


def _enrich_articles(context: _Context, progress: Progress, cache: Path | None) -> list[_Result]:
    """Each article enriched, or taken from the cache."""
    articles = context.volume.articles()
    keys = [_article_key(article, context) for article in articles]
    cached = [_load(cache, key, article, context) if cache else None for article, key in zip(articles, keys)]
    todo = [article for article, hit in zip(articles, cached) if hit is None]
    done = iter(_enrich_all(todo, context, progress))
    results = [hit if hit is not None else next(done) for hit in cached]
    if cache:
        for result, key, hit in zip(results, keys, cached):
            if hit is None:
                _store(cache, key, result)
    return results


def _enrich_all(articles: list[Article], context: _Context, progress: Progress) -> list[_Result]:
    """Parse and index every article, format all their citations in one pandoc run, set the type."""
    results = []
    for number, article in enumerate(articles, 1):
        progress("parse", number, len(articles))
        results.append(_parse(article, context))
    jobs = [_citation_job(result, context) for result in results]
    for result, job, bibliography in zip(results, jobs, citations.process_articles(jobs)):
        result.bibliography = bibliography
        result.problems = job.problems.items
        typography.apply(result.parsed.body, result.parsed.article.lang)
    return results


def _parse(article: Article, context: _Context) -> _Result:
    found = Problems(root=context.volume.root)
    parsed = parse_article(article, context.volume.root, found)
    mentions = []
    if context.registry is not None:
        mentions = names.annotate(parsed.body, article.id, context.registry, enabled=article.index_names,
                                  problems=found, path=article.path)
    return _Result(parsed, None, mentions, found.items)


def _citation_job(result: _Result, context: _Context) -> citations.CitationJob:
    """What `citations.process_articles` needs for one article: its references and its style."""
    article, found = result.parsed.article, Problems(root=context.volume.root, items=result.problems)
    refs = context.refs
    if article.references:
        refs = {**refs, **citations.load_references(article.references, found)}
    style = citations.resolve_style(article.citation_style or context.volume.citation_style, article.lang,
                                    context.volume.root, found)
    return citations.CitationJob(result.parsed.body, article.id, article.path, article.lang, refs, style, found,
                                 nocite=article.nocite, strict=context.strict)


def _enrich_with_volume_list(context: _Context, problems: Problems, progress: Progress) -> tuple[list[_Result], object]:
    """One reference list for the whole volume: the citations are numbered across articles, in one run."""
    volume = context.volume
    results = [_parse(article, context) for article in volume.articles()]
    style = citations.resolve_style(volume.citation_style, volume.lang, volume.root, problems)
    targets = [citations.CitationTarget(r.parsed.body, r.parsed.article.id, r.parsed.article.path) for r in results]
    nocite = [key for r in results for key in r.parsed.article.nocite]
    volume_list = citations.process_volume(targets, volume.lang, context.refs, style, problems, nocite=nocite,
                                           strict=context.strict)
    for result in results:
        typography.apply(result.parsed.body, result.parsed.article.lang)
    return results, volume_list


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


# --- the cache -----------------------------------------------------------------------------------


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def _inputs_key(volume: Volume, strict: bool) -> str:
    """What every article's result depends on besides its own file."""
    files = [volume.people, *volume.references]
    contents = [path.read_bytes() if path and path.is_file() else b"" for path in files]
    return _digest(__version__, str(strict), volume.lang, volume.citation_style or "", *contents)


def _article_key(article: Article, context: _Context) -> str:
    own = [path.read_bytes() for path in article.references if path.is_file()]
    return _digest(context.inputs_key, str(article.path), article.role, article.path.read_bytes(), *own)


def _load(cache: Path, key: str, article: Article, context: _Context) -> _Result | None:
    """A cached result, if there is one and the images it used are unchanged."""
    entry = cache / "articles" / f"{key}.json"
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    images = {src: Path(path) for src, path in data["images"].items()}
    if any(not path.is_file() or path.stat().st_mtime_ns != data["image_times"][src] for src, path in images.items()):
        return None
    body = lxml.html.fragment_fromstring(data["body"])
    bibliography = lxml.html.fragment_fromstring(data["bibliography"]) if data["bibliography"] else None
    mentions = [names.Mention(**{**m, "ambiguous_with": tuple(m["ambiguous_with"])}) for m in data["mentions"]]
    problems = [Problem(**p) for p in data["problems"]]
    return _Result(ParsedArticle(article, body, images), bibliography, mentions, problems)


def _store(cache: Path, key: str, result: _Result) -> None:
    folder = cache / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "body": lxml.html.tostring(result.parsed.body, encoding="unicode"),
        "bibliography": lxml.html.tostring(result.bibliography, encoding="unicode") if result.bibliography is not None else None,
        "images": {src: str(path) for src, path in result.parsed.images.items()},
        "image_times": {src: path.stat().st_mtime_ns for src, path in result.parsed.images.items()},
        "mentions": [vars(m) for m in result.mentions],
        "problems": [vars(p) for p in result.problems],
    }
    temporary = folder / f".{key}.tmp"
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    temporary.replace(folder / f"{key}.json")
