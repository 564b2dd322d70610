"""The article side of citations: the spans read from the HTML, and what citeproc printed put back.

`markdown.py` leaves each citation as `<span class="citation" data-cites='[…]'>`; here each span
gets its formatted citation (links to `#ref-{list}-{key}`, `[?key]` for an unknown key, the
author's name added to a narrative citation in a numeric style), and pandoc's entries become the
reference list `<div class="bibliography" id="bib-{list}">`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html

from ..parse.fragment import line_of
from ..problems import Problems
from .references import Reference


@dataclass
class Span:
    """One citation span of an article."""

    element: Any
    known: list[dict]  # its cites whose key is in the references, in order
    unknown: list[str]  # the other keys


def _citation_spans(body: Any) -> list[Any]:
    return body.xpath(".//span[contains(concat(' ', normalize-space(@class), ' '), ' citation ')]")


def cited_keys(body: Any) -> set[str]:
    """The keys cited in an article body (formatted or not)."""
    keys: set[str] = set()
    for span in _citation_spans(body):
        try:
            cites = json.loads(span.get("data-cites") or "[]")
        except json.JSONDecodeError:
            continue
        keys.update(str(c.get("id")) for c in cites if isinstance(c, dict) and c.get("id"))
    return keys


def collect_spans(body: Any, path: Path, refs: dict[str, Reference], problems: Problems,
                  strict: bool) -> list[Span]:
    """The citation spans of `body`; an unknown key is reported (an error when `strict`)."""
    spans = []
    for element in _citation_spans(body):
        cites = _parse_cites(element, path, problems)
        if not cites:
            continue
        known, unknown = [], []
        for cite in cites:
            key = str(cite["id"])
            if key in refs:
                known.append(cite)
            else:
                unknown.append(key)
                report = problems.error if strict else problems.warning
                report(path, line_of(element), f'unknown citation key "{key}"', code="unknown-citation")
        spans.append(Span(element, known, unknown))
    return spans


def _parse_cites(element: Any, path: Path, problems: Problems) -> list[dict]:
    raw = element.get("data-cites") or "[]"
    try:
        cites = json.loads(raw)
    except json.JSONDecodeError:
        cites = None
    if not isinstance(cites, list) or not all(isinstance(c, dict) and c.get("id") for c in cites):
        problems.error(path, line_of(element), f"malformed citation data: {raw}", code="citation")
        return []
    return cites


# ---------------------------------------------------------------------------------------------
# Citations


def fill(span: Span, rendered: Any, list_id: str) -> None:
    """Put citeproc's `rendered` citation in the span, its links pointing into list `list_id`;
    with nothing rendered, every key of the span shows as unknown."""
    element = span.element
    _empty(element)
    if rendered is None:
        span.unknown = [c["id"] for c in span.known] + span.unknown
        _append_unknown(element, span.unknown)
        return
    element.text = rendered.text
    for child in list(rendered):
        element.append(child)
    for link in element.iter("a"):
        href = link.get("href") or ""
        if href.startswith("#ref-"):
            link.set("href", f"#ref-{list_id}-{href[len('#ref-'):]}")
            link.set("class", "citation-link")
    if span.unknown:
        _append_unknown(element, span.unknown)


def follow_list_order(span: Span, positions: dict[str, int], list_id: str) -> None:
    """The items of an author-date citation in the order of the list («(Гасанова, 2023;
    Brown, 2018)» in a Russian article, whose list is re-sorted with ICU), not in pandoc's
    collation. Only a plain citation is reordered: one link per item, no prefix or suffix."""
    element, cites = span.element, span.known
    links = list(element)
    if (len(cites) < 2 or span.unknown or len(links) != len(cites)
            or any(c.get("prefix") or c.get("suffix") or (c.get("mode") or "normal") != "normal" for c in cites)
            or any(link.tag != "a" or link.get("class") != "citation-link" for link in links)):
        return
    start = f"#ref-{list_id}-"
    keys = [(link.get("href") or "")[len(start):] for link in links]
    if any(key not in positions for key in keys):
        return
    tails = [link.tail for link in links]
    for link in links:
        element.remove(link)
    for link, tail in zip(sorted(links, key=lambda a: positions[(a.get("href") or "")[len(start):]]), tails):
        link.tail = tail
        element.append(link)


def separate_located_items(span: Span) -> None:
    """GOST: the items of a numeric citation are separated by «;» once any of them has a locator,
    so that a page is never read as the next item's number: [6, с. 150; 7, с. 90], [1–3; 4, с. 5]."""
    if not any(c.get("locator") for c in span.known):
        return
    links = [child for child in span.element if child.tag == "a"]
    for link in links[:-1]:
        if link.tail == ", ":
            link.tail = "; "


def fill_unknown(span: Span) -> None:
    """The span shows only its unknown keys, `[?key]` each."""
    _empty(span.element)
    _append_unknown(span.element, span.unknown)


def _empty(element: Any) -> None:
    for child in list(element):
        element.remove(child)
    element.text = None


def _append_unknown(element: Any, keys: list[str]) -> None:
    for key in keys:
        marker = lxml.html.Element("span")
        marker.set("class", "citation-unknown")
        marker.text = f"[?{key}]"
        if len(element) or element.text:
            last = element[-1] if len(element) else None
            if last is not None:
                last.tail = (last.tail or "") + " "
            else:
                element.text += " "
        element.append(marker)


_AND = {"ru": ("и", "и др."), "en": ("and", "et al."), "kk": ("және", "т.б."), "az": ("və", "və b.")}


def narrative_names(ref: dict, locale: str) -> str:
    """"Иванов", "Петрова и Сидоров", "Алексеев и др.": the author part of a narrative
    citation, which pandoc leaves out in numeric styles (`@key` prints only "[1]")."""
    conj, etal = _AND.get(locale.split("-")[0], _AND["en"])
    for var in ("author", "editor"):
        names = [n.get("literal") or " ".join(p for p in (n.get("non-dropping-particle"),
                                                          n.get("family")) if p)
                 for n in ref.get(var) or [] if isinstance(n, dict)]
        names = [n for n in names if n]
        if len(names) == 1:
            return names[0]
        if len(names) == 2:
            return f"{names[0]} {conj} {names[1]}"
        if names:
            return f"{names[0]} {etal}"
    return str(ref.get("title-short") or ref.get("title") or "")


def prepend_names(span: Span, refs: dict[str, Reference], locale: str) -> None:
    names = ", ".join(filter(None, (narrative_names(refs[c["id"]].data, locale) for c in span.known)))
    if names:
        span.element.text = f"{names}\u00a0{span.element.text or ''}"


# ---------------------------------------------------------------------------------------------
# The reference list


def entries_of(refs_div: Any) -> list[Any]:
    """The `csl-entry` divs of pandoc's `#refs`."""
    return [el for el in refs_div if isinstance(el.tag, str) and "csl-entry" in (el.get("class") or "")]


def entry_key(entry: Any) -> str:
    """The reference key of a `csl-entry` pandoc made (id `ref-{key}`)."""
    return (entry.get("id") or "")[len("ref-"):]


def reference_list(refs_div: Any, entries: list[Any], list_id: str) -> Any:
    """`<div class="bibliography" id="bib-{list_id}">` holding the entries, their ids prefixed."""
    section = lxml.html.Element("div")
    classes = ["bibliography"] + [c for c in (refs_div.get("class") or "").split()
                                  if c not in ("references", "csl-bib-body")]
    section.set("class", " ".join(classes))
    section.set("id", f"bib-{list_id}")
    for name in ("role", "data-entry-spacing", "data-line-spacing"):
        if refs_div.get(name) is not None:
            section.set(name, refs_div.get(name))
    for entry in entries:
        key = entry_key(entry)
        entry.set("id", f"ref-{list_id}-{key}")
        entry.set("data-key", key)
        section.append(entry)
    return section
