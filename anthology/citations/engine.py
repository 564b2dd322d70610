"""Formatting reference lists with pandoc's citeproc: one plan per list, as few runs as possible.

A plan is what citeproc must format for one list: a pandoc document with one `Div#cN > Para >
Cite` per citation span and an empty `Div#refs`. `process_articles` runs every article's plan in
one pandoc process (a Lua filter, `data/citeproc-each.lua`, runs citeproc on each article on its
own); a plan whose batch result is missing, or every plan if the batch fails, is run alone.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import lxml.html

from ..problems import Problems
from .entries import finish, relocalise
from .format import (Span, collect_spans, entries_of, entry_key, fill, fill_unknown, follow_list_order,
                     prepend_names, reference_list, separate_located_items)
from .pandoc import citation, nocite_meta, render_html, str_meta
from .references import Reference
from .sorting import sorted_entries
from .sources import prepared, source_language
from .styles import StyleInfo, citeproc_locale, style_for, style_info

log = logging.getLogger(__name__)

LUA_EACH = Path(__file__).parent.parent / "data" / "citeproc-each.lua"


@dataclass
class CitationTarget:
    """One article handed to `process_volume`."""

    body: Any  # lxml.html.HtmlElement
    article_id: str
    path: Path


@dataclass
class CitationJob:
    """One article handed to `process_articles`: what `process_article` takes."""

    body: Any  # lxml.html.HtmlElement
    article_id: str
    article_path: Path
    lang: str
    refs: dict[str, Reference]
    style: Path
    problems: Problems
    nocite: Iterable[str] = ()
    strict: bool = False


@dataclass
class _Plan:
    """One reference list's formatting job: what goes to citeproc, and what comes back to."""

    spans: list[Span]  # those with a known key, in order
    list_id: str
    path: Path
    lang: str
    locale: str
    refs: dict[str, Reference]
    info: StyleInfo
    problems: Problems
    nocite: list[str]
    blocks: list
    items: list[dict]  # CSL items in order of first citation, prepared for their languages
    languages: dict[str, str]  # key → the language its source is described in
    groups: list[tuple[str, list[dict]]]  # (locale, items) of sources in another locale than the list's


def process_article(body: Any, article_id: str, article_path: Path, lang: str,
                    refs: dict[str, Reference], style: Path, problems: Problems, *,
                    nocite: Iterable[str] = (), strict: bool = False) -> Any | None:
    """Format an article's citations in place; return its reference list or None.

    Each `<span class="citation">` gets the formatted citation as content, every cited item
    wrapped in `<a class="citation-link" href="#ref-{article_id}-{key}">`; an unknown key is
    reported at the span's line (a warning, or an error when `strict`) and shown as `[?key]`.
    The list is `<section class="bibliography" id="bib-{article_id}">` holding one
    `<div class="csl-entry" id="ref-{article_id}-{key}">` per item. `nocite` keys (`*` for all)
    are listed without being cited. One pandoc run per article: numbering restarts per article.
    """
    plan = _article_plan(CitationJob(body, article_id, article_path, lang, refs, style, problems,
                                     nocite, strict))
    return _format_alone(plan) if plan is not None else None


def process_volume(targets: Sequence[CitationTarget | tuple], lang: str,
                   refs: dict[str, Reference], style: Path, problems: Problems, *,
                   nocite: Iterable[str] = (), strict: bool = False,
                   volume_id: str = "volume") -> Any | None:
    """One bibliography for the whole volume (`bibliography: volume`).

    `targets` are the articles in reading order, as `CitationTarget(body, article_id, path)` or
    `(body, article_id, path)` tuples. Citations are numbered across the volume and link to
    `#ref-{volume_id}-{key}`; the list returned is `<section class="bibliography"
    id="bib-{volume_id}">`. One pandoc run for the volume.
    """
    spans: list[Span] = []
    first_path: Path | None = None
    for target in targets:
        if not isinstance(target, CitationTarget):
            target = CitationTarget(*target)
        first_path = first_path or Path(target.path)
        spans.extend(collect_spans(target.body, Path(target.path), refs, problems, strict))
    plan = _plan(spans, volume_id, first_path or Path("."), lang, refs, style, problems,
                 nocite=nocite, strict=strict)
    return _format_alone(plan) if plan is not None else None


def process_articles(jobs: Sequence[CitationJob]) -> list[Any | None]:
    """Several articles' reference lists formatted in one pandoc run: a Lua filter runs citeproc
    on each article on its own, so the numbering still restarts per article but pandoc starts
    once. If that run fails, each article is formatted alone, so that any error names its
    article."""
    plans = [_article_plan(job) for job in jobs]
    todo = [(number, plan) for number, plan in enumerate(plans) if plan is not None]
    results: list[Any | None] = [None] * len(plans)
    if not todo:
        return results
    batch = _run_batch([plan for _, plan in todo])
    for position, (number, plan) in enumerate(todo):
        article = batch.divs.get(f"article-{position}")
        if article is None:
            results[number] = _format_alone(plan)
        else:
            results[number] = _apply(plan, article, "", batch.group_entries(position))
    return results


@dataclass
class _Batch:
    """What one batched pandoc run printed: its top-level Divs by id, and for each plan the Divs
    holding the entries of its sources in other locales."""

    divs: dict[str, Any]
    groups: list[list[str]]

    def group_entries(self, position: int) -> dict[str, Any]:
        """The entries printed in other locales for plan `position`, by key (none if the run
        failed: then the list's own entries stay)."""
        found: dict[str, Any] = {}
        for div_id in self.groups[position] if position < len(self.groups) else []:
            div = self.divs.get(div_id)
            if div is not None:
                for entry in div.xpath(".//div[contains(@class, 'csl-entry')]"):
                    found[entry_key(entry)] = entry
        return found


def _article_plan(job: CitationJob) -> _Plan | None:
    path = Path(job.article_path)
    spans = collect_spans(job.body, path, job.refs, job.problems, job.strict)
    return _plan(spans, job.article_id, path, job.lang, job.refs, job.style, job.problems,
                 nocite=job.nocite, strict=job.strict)


# ---------------------------------------------------------------------------------------------
# Plans


def _plan(spans: list[Span], list_id: str, path: Path, lang: str, refs: dict[str, Reference],
          style: Path, problems: Problems, *, nocite: Iterable[str], strict: bool) -> _Plan | None:
    """What citeproc must format for one list; None when nothing is cited (unknown keys are filled in)."""
    nocite_keys = _nocite_keys(nocite, refs, path, problems, strict)
    for span in spans:
        if not span.known:
            fill_unknown(span)
    formatted = [s for s in spans if s.known]
    if not formatted and not nocite_keys:
        return None
    info = style_info(style)
    locale = citeproc_locale(lang, info.locales)
    order = _citation_order(formatted, nocite_keys)
    languages = {key: source_language(refs[key].data, lang) for key in order}
    items = [prepared(refs[key].data, languages[key], info.gost) for key in order]
    return _Plan(formatted, list_id, path, lang, locale, refs, info, problems, nocite_keys,
                 _blocks(formatted, locale), items, languages, _groups(items, languages, locale, info))


def _groups(items: list[dict], languages: dict[str, str], locale: str,
            info: StyleInfo) -> list[tuple[str, list[dict]]]:
    """The items whose source is described in another locale than the list's, by locale: each
    group is formatted by its own citeproc call (in the same pandoc run), since CSL has no
    per-item locale."""
    groups: dict[str, list[dict]] = {}
    for item in items:
        own = citeproc_locale(languages[str(item["id"])], info.locales)
        if own != locale:
            groups.setdefault(own, []).append(item)
    return list(groups.items())


def _nocite_keys(nocite: Iterable[str], refs: dict[str, Reference], path: Path, problems: Problems,
                 strict: bool) -> list[str]:
    """The keys listed without being cited (`*`: all of them); an unknown one is reported."""
    keys: list[str] = []
    for key in nocite or ():
        key = str(key).lstrip("@")
        if key == "*":
            keys.extend(refs)
        elif key in refs:
            keys.append(key)
        else:
            report = problems.error if strict else problems.warning
            report(path, None, f'unknown key "{key}" in nocite', code="unknown-citation")
    return keys


def _citation_order(spans: list[Span], nocite_keys: list[str]) -> list[str]:
    """References in order of first citation (then nocite): pandoc breaks sort ties and assigns
    year suffixes (2019a, 2019b) in this order."""
    order: list[str] = []
    for span in spans:
        for cite in span.known:
            if cite["id"] not in order:
                order.append(cite["id"])
    for key in nocite_keys:
        if key not in order:
            order.append(key)
    return order


def _blocks(spans: list[Span], locale: str) -> list:
    """One `Div#cN > Para > Cite` per span, then the empty `Div#refs` citeproc fills."""
    blocks = []
    for i, span in enumerate(spans):
        cite = {"t": "Cite", "c": [[citation(c, locale, i + 1) for c in span.known],
                                   [{"t": "Str", "c": "?"}]]}
        blocks.append({"t": "Div", "c": [[f"c{i}", [], []], [{"t": "Para", "c": [cite]}]]})
    blocks.append({"t": "Div", "c": [["refs", [], []], []]})
    return blocks


def _meta(plan: _Plan) -> dict:
    meta = {
        "lang": str_meta(plan.locale),
        "link-citations": {"t": "MetaBool", "c": True},
        "link-bibliography": {"t": "MetaBool", "c": True},
    }
    if plan.nocite:
        meta["nocite"] = nocite_meta(plan.nocite)
    return meta


# ---------------------------------------------------------------------------------------------
# Runs


def _run_batch(plans: list[_Plan], *, main: bool = True) -> _Batch:
    """One pandoc run over every plan, each in its own Div with its own style, locale and
    references (`article-N`; with `main` false, none); and the sources that are described in
    another locale than their list's, in one Div per style and locale for the whole batch
    (`shared-J`): a source's entry is the same in every list (year suffixes are put back from
    the list's own run), so it is formatted once, not once per article."""
    shared, groups = _shared_groups(plans)
    with tempfile.TemporaryDirectory(prefix="anthology-cite-") as tmp:
        blocks = []
        if main:
            for number, plan in enumerate(plans):
                blocks.append(_article_div(Path(tmp), f"article-{number}", plan.info, plan.locale,
                                           plan.items, plan.nocite, plan.blocks))
        for div_id, (info, locale, items) in shared.items():
            blocks.append(_article_div(Path(tmp), div_id, info, locale, list(items.values()), list(items),
                                       [{"t": "Div", "c": [["refs", [], []], []]}]))
        result = render_html(["--lua-filter", str(LUA_EACH)], {}, blocks) if blocks else None
    if result is None or result.returncode != 0:
        if result is not None:
            log.debug("batched citeproc failed, formatting each article alone: %s", result.stderr)
        return _Batch({}, [])
    output = lxml.html.fragment_fromstring(result.stdout, create_parent="div")
    return _Batch({div.get("id"): div for div in output if isinstance(div.tag, str)}, groups)


def _shared_groups(plans: list[_Plan]) -> tuple[dict[str, tuple[StyleInfo, str, dict[str, dict]]], list[list[str]]]:
    """The Divs of sources in other locales (id → style, locale, items by key), and for each plan
    the Divs its groups are in. A group goes in the Div of its style and locale unless one of its
    keys is there with other data (an article's own references file) or the style's entries
    depend on their neighbours (`subsequent-author-substitute`): then in a Div of its own."""
    shared: dict[str, tuple[StyleInfo, str, dict[str, dict]]] = {}
    by_style: dict[tuple[str, str], str] = {}
    groups: list[list[str]] = []
    for number, plan in enumerate(plans):
        ids = []
        for index, (locale, items) in enumerate(plan.groups):
            div_id = by_style.setdefault((str(plan.info.path), locale), f"shared-{len(by_style)}")
            known = shared.setdefault(div_id, (plan.info, locale, {}))[2]
            if not plan.info.context_free or any(known.get(str(i["id"]), i) != i for i in items):
                div_id = f"article-{number}-g{index}"
                known = shared.setdefault(div_id, (plan.info, locale, {}))[2]
            known.update((str(item["id"]), item) for item in items)
            ids.append(div_id)
        groups.append(ids)
    return shared, groups


def _article_div(tmp: Path, div_id: str, info: StyleInfo, locale: str, items: list[dict], nocite: list[str],
                 content: list) -> dict:
    bib = _write_items(tmp / f"references-{div_id}.json", items)
    attributes = [["bibliography", str(bib)], ["csl", str(style_for(info, locale))], ["lang", locale],
                  ["nocite", " ".join(f"@{k}" for k in nocite)]]
    return {"t": "Div", "c": [[div_id, ["anthology-article"], attributes], content]}


def _format_alone(plan: _Plan) -> Any | None:
    """One pandoc run for one list (and one more for its sources in other locales)."""
    with tempfile.TemporaryDirectory(prefix="anthology-cite-") as tmp:
        bib = _write_items(Path(tmp) / "references.json", plan.items)
        result = render_html(["--citeproc", "--csl", str(style_for(plan.info, plan.locale)), "--bibliography", str(bib)],
                             _meta(plan), plan.blocks)
    if result.returncode != 0:
        return _failed(plan, result.stderr)
    output = lxml.html.fragment_fromstring(result.stdout, create_parent="div")
    localised = _run_batch([plan], main=False).group_entries(0) if plan.groups else {}
    return _apply(plan, output, result.stderr, localised)


def _write_items(path: Path, items: list[dict]) -> Path:
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return path


def _failed(plan: _Plan, stderr: str) -> None:
    plan.problems.error(plan.path, None, f"citation formatting failed: {stderr.strip()}", code="citeproc")
    for span in plan.spans:
        span.unknown = [c["id"] for c in span.known]
        fill_unknown(span)


def _apply(plan: _Plan, output: Any, stderr: str, localised: dict[str, Any] | None = None) -> Any | None:
    """Put citeproc's output where it belongs: each citation in its span, the entries in a list."""
    for message in _citeproc_messages(stderr):
        plan.problems.warning(plan.path, None, f"citeproc: {message}", code="citeproc")
    by_id = {el.get("id"): el for el in output.iter() if isinstance(el.tag, str) and el.get("id")}
    for i, span in enumerate(plan.spans):
        div = by_id.get(f"c{i}")
        fill(span, div.find(".//span") if div is not None else None, plan.list_id)
        if plan.info.numeric and span.known and all(c.get("mode") == "author-in-text" for c in span.known):
            prepend_names(span, plan.refs, plan.locale)
        if plan.info.numeric and plan.info.gost:
            separate_located_items(span)
    refs_div = by_id.get("refs")
    if refs_div is None:
        return None
    entries = entries_of(refs_div)
    relocalise(entries, localised or {})
    entries = sorted_entries(entries, plan.info, plan.lang, plan.locale, plan.refs)
    if plan.info.resort and not plan.info.numeric:
        positions = {entry_key(entry): i for i, entry in enumerate(entries)}
        for span in plan.spans:
            follow_list_order(span, positions, plan.list_id)
    finish(entries, plan.languages)
    return reference_list(refs_div, entries, plan.list_id)


# pandoc's own interface translations (the word "Abstract"), which it has for no kk or az: they
# concern its writer, never the citations.
_TRANSLATION_NOTICE = re.compile(r"Could not load translations|has no translation defined|translations/\S+ not found")


def _citeproc_messages(stderr: str) -> list[str]:
    """pandoc's warnings, a message's indented continuation lines joined to it, without the
    notices about its interface translations."""
    messages: list[str] = []
    for line in stderr.splitlines():
        if line[:1].isspace() and messages:
            messages[-1] += " " + line.strip()
        elif line.strip():
            messages.append(line.strip())
    return [m for m in messages if not _TRANSLATION_NOTICE.search(m)]
