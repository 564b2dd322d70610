"""Enrich stage: each article parsed, its mentions of people marked (names/), its citations and
reference list formatted (citations/), its typography set (typography.py), knowing nothing of PDF
or EPUB. `check_coverage` (glyphs.py) then checks that the volume's fonts can print every character.

Each article is enriched on its own, with its own problems, so an unchanged article's result comes
from the cache (cache.py): its key is everything that can change it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import citations, names
from ..model import Article, Enriched, EnrichedArticle, Progress, Volume, no_progress
from ..parse import parse_article
from ..problems import Problems
from . import cache, typography
from .cache import ArticleResult
from .glyphs import check_coverage

__all__ = ["check_coverage", "enrich_volume"]


@dataclass
class _Context:
    """What every article's enrichment reads besides the article itself."""

    volume: Volume
    registry: names.Registry | None
    refs: dict
    strict: bool
    inputs_key: str  # a hash of the registry, references, styles and version


def enrich_volume(volume: Volume, problems: Problems, strict: bool = False, progress: Progress = no_progress,
                  folder: Path | None = None) -> Enriched:
    """Every article of the loaded `volume` enriched.

    `strict` makes an unknown citation key an error rather than a warning. With `folder` (the
    cache's), unchanged articles are taken from an earlier run."""
    registry = names.load_registry(volume.people, problems) if volume.people else None
    refs = citations.load_references(volume.references, problems)
    context = _Context(volume, registry, refs, strict, cache.inputs_key(volume, strict))
    if volume.bibliography == "volume":
        results, volume_list = _enrich_with_volume_list(context, problems, progress)
    else:
        results, volume_list = _enrich_articles(context, progress, folder), None
    mentions = [m for r in results for m in r.mentions]
    for result in results:
        problems.extend(result.problems)
    cited = set().union(*(citations.cited_keys(r.parsed.body) | set(r.parsed.article.nocite) for r in results))
    problems.extend(citations.unused_references(refs, cited))
    if registry is not None:
        _report_names(registry, mentions, {a.id: a for a in volume.articles()}, problems)
    articles = {r.parsed.article.id: EnrichedArticle(r.parsed, r.bibliography) for r in results}
    return Enriched(volume, articles, registry, mentions, volume_list)


def _enrich_articles(context: _Context, progress: Progress, folder: Path | None) -> list[ArticleResult]:
    """Each article enriched, or taken from the cache."""
    articles = context.volume.articles()
    keys = [cache.article_key(article, context.inputs_key) for article in articles]
    if folder:
        cache.check_writable(folder)
    cached = [cache.load(folder, key, article) if folder else None for article, key in zip(articles, keys)]
    todo = [article for article, hit in zip(articles, cached) if hit is None]
    done = iter(_enrich_all(todo, context, progress))
    results = [hit if hit is not None else next(done) for hit in cached]
    if folder:
        for result, key, hit in zip(results, keys, cached):
            if hit is None:
                cache.store(folder, key, result)
    return results


def _enrich_all(articles: list[Article], context: _Context, progress: Progress) -> list[ArticleResult]:
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


def _parse(article: Article, context: _Context) -> ArticleResult:
    found = Problems(root=context.volume.root)
    parsed = parse_article(article, context.volume.root, found)
    mentions = []
    if context.registry is not None:
        mentions = names.annotate(parsed.body, article.id, context.registry, enabled=article.index_names,
                                  problems=found, path=article.path)
    return ArticleResult(parsed, None, mentions, found.items)


def _citation_job(result: ArticleResult, context: _Context) -> citations.CitationJob:
    """What `citations.process_articles` needs for one article: its references and its style."""
    article, found = result.parsed.article, Problems(root=context.volume.root, items=result.problems)
    refs = context.refs
    if article.references:
        refs = {**refs, **citations.load_references(article.references, found)}
    style = citations.resolve_style(article.citation_style or context.volume.citation_style, article.lang,
                                    context.volume.root, found)
    return citations.CitationJob(result.parsed.body, article.id, article.path, article.lang, refs, style, found,
                                 nocite=article.nocite, strict=context.strict)


def _enrich_with_volume_list(context: _Context, problems: Problems, progress: Progress) -> tuple[list[ArticleResult], object]:
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




