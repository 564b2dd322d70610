"""The printed index: mentions grouped by person into collated letter groups of entries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby

from ..collation import letter_bucket, sort_key
from .mentions import Mention
from .registry import Registry


@dataclass
class Locator:
    """Where to find a person: a printed page or range ("12", "12–14"), or a running number."""

    label: str
    anchor: str


@dataclass
class IndexEntry:
    """One heading of the index with its locators and cross-references (by heading)."""

    heading: str
    note: str | None
    sort: str
    letter: str
    locators: list[Locator] = field(default_factory=list)
    see: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    id: str = ""


def build_index(mentions: list[Mention], registry: Registry, lang: str, page_of: Callable[[str], int | None] | None,
                *, label_of: Callable[[Mention], str] | None = None) -> list[tuple[str, list[IndexEntry]]]:
    """The index of names: (letter, entries) groups, collated for ``lang``.

    With ``page_of`` (anchor id → printed page; None for an anchor on no page) each page is
    listed once and consecutive pages become a range "12–14" whose anchor is the run's first
    mention. Without it (EPUB) each mention is a locator labelled by ``label_of(mention)`` or a
    running number. People never mentioned are left out; a cross-reference entry stays when its
    target is in the index.
    """
    by_person: dict[str, list[Mention]] = {}
    for mention in mentions:
        person_id = registry.resolve(mention.person_id)
        if person_id is not None:
            by_person.setdefault(person_id, []).append(mention)
    shown = set(by_person) | {pid for pid, person in registry.people.items()
                              if person.see and registry.resolve(pid) in by_person}
    rows = []
    for person_id in shown:
        entry = _entry(registry, person_id, by_person.get(person_id, []), shown, lang, page_of, label_of)
        bucket = letter_bucket(entry.sort, lang)[0]
        rows.append(((bucket, sort_key(entry.sort, lang), sort_key(entry.heading, lang), person_id), entry))
    rows.sort(key=lambda row: row[0])
    return [(letter, [entry for _, entry in group])
            for letter, group in groupby(rows, key=lambda row: row[1].letter)]


def _entry(registry: Registry, person_id: str, mentions: list[Mention], shown: set[str], lang: str,
           page_of: Callable[[str], int | None] | None, label_of: Callable[[Mention], str] | None) -> IndexEntry:
    """The index entry of one person (or cross-reference)."""
    person = registry.people[person_id]
    sort = person.sort or person.heading
    target = registry.resolve(person.see) if person.see else None
    see_also = [registry.people[other].heading for other in person.see_also if other in shown]
    return IndexEntry(
        heading=person.heading, note=person.note, sort=sort, letter=letter_bucket(sort, lang)[1],
        locators=_page_locators(mentions, page_of) if page_of else _mention_locators(mentions, label_of),
        see=[registry.people[target].heading] if target else [],
        see_also=sorted(see_also, key=lambda heading: sort_key(heading, lang)), id=person_id)


def _page_locators(mentions: list[Mention], page_of: Callable[[str], int | None]) -> list[Locator]:
    """Each page once, consecutive pages as one range, anchored at the run's first mention."""
    first_on: dict[int, str] = {}
    for mention in mentions:
        page = page_of(mention.anchor)
        if page is not None:
            first_on.setdefault(page, mention.anchor)
    locators: list[Locator] = []
    pages = sorted(first_on)
    for _, run in groupby(enumerate(pages), key=lambda pair: pair[1] - pair[0]):
        run_pages = [page for _, page in run]
        label = str(run_pages[0]) if len(run_pages) == 1 else f"{run_pages[0]}\u2013{run_pages[-1]}"
        locators.append(Locator(label, first_on[run_pages[0]]))
    return locators


def _mention_locators(mentions: list[Mention], label_of: Callable[[Mention], str] | None) -> list[Locator]:
    """One locator per mention (EPUB), labelled by ``label_of`` or by a running number."""
    return [Locator(label_of(mention) if label_of else str(n), mention.anchor)
            for n, mention in enumerate(mentions, 1)]
