"""What `anthology names` tells an editor: who is mentioned where, and who is not in the registry.

The functions take the prepared volume duck-typed: anything with ``registry``, ``mentions``,
``volume`` (whose ``articles()`` have ``id`` and ``rel``) and ``articles`` (enriched articles with
``article`` and ``parsed.body``), as ``prepare.prepare`` returns it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import yaml

from ..model import Enriched
from .namelike import candidates

TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіəğıöüşç",
                    ["a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                     "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "a", "g", "q", "ng",
                     "o", "u", "u", "h", "i", "a", "g", "i", "o", "u", "sh", "ch"]))


@dataclass
class PersonRow:
    """A registered person, how often the volume names them, and where (``article:line``)."""

    id: str
    heading: str
    count: int
    places: list[str]


@dataclass
class Candidate:
    """Name-like text not in the registry, and where it stands (``article:line``)."""

    text: str
    places: list[str]

    @property
    def heading(self) -> str:
        """The registry form of a name as found: `Иван Петров` → `Петров, Иван`."""
        words = self.text.replace("\u00a0", " ").split()
        return f"{words[-1]}, {' '.join(words[:-1])}" if len(words) > 1 else self.text


def mention_rows(prepared: Enriched) -> list[PersonRow]:
    """Every registered person, with how often and where (article:line) the text names them."""
    registry = prepared.registry
    places: dict[str, list[str]] = defaultdict(list)
    paths = {a.id: a.rel for a in prepared.volume.articles()}
    for mention in prepared.mentions:
        person = registry.resolve(mention.person_id)
        if person:
            places[person].append(f"{paths[mention.article_id]}:{mention.line}")
    rows = [PersonRow(p.id, p.heading, len(places[p.id]), places[p.id])
            for p in registry.people.values() if not p.see]
    return sorted(rows, key=lambda row: (-row.count, row.heading))


def unregistered(prepared: Enriched) -> list[Candidate]:
    """Name-like text the registry does not cover, each with the places it stands."""
    found: dict[str, Candidate] = {}
    for enriched in prepared.articles.values():
        article = enriched.article
        for text, line in candidates(enriched.parsed.body, article.id, prepared.registry):
            key = text.replace("\u00a0", " ")
            found.setdefault(key, Candidate(key, [])).places.append(f"{article.rel}:{line}")
    return list(found.values())


def registry_stubs(found: list[Candidate]) -> str:
    """YAML entries for people.yaml, for the editor to check and complete."""
    entries = [{"id": _slug(c.heading), "heading": c.heading} for c in found]
    return yaml.safe_dump(entries, allow_unicode=True, sort_keys=False)


def _slug(heading: str) -> str:
    """An id for ``heading``: its surname in lowercase Latin letters, digits and hyphens."""
    surname = heading.split(",")[0].lower()
    latin = "".join(TRANSLIT.get(ch, ch) for ch in surname)
    return re.sub(r"[^a-z0-9]+", "-", latin).strip("-") or "person"
