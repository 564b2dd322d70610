"""What the back of the book lists once the body is laid out: contributors with their pages, the
index of names, the colophon."""

from __future__ import annotations

from typing import Callable

from .. import names
from ..collation import sort_key
from ..model import BackMatter, Enriched, Volume


def is_english(volume: Volume) -> bool:
    """An English volume gets an English copyright page rather than Russian-style imprint data."""
    return volume.lang.split("-")[0] == "en"


def contributors(volume: Volume, page_of: Callable[[str], int | None]) -> list[dict]:
    """Every author, once, with affiliation and articles (and their pages), in collation order."""
    people: dict[str, dict] = {}
    for article in volume.articles():
        for author in article.authors:
            person = people.setdefault(author.name, {"name": author.name, "affiliation": author.affiliation,
                                                     "email": author.email, "orcid": author.orcid, "articles": []})
            person["affiliation"] = person["affiliation"] or author.affiliation
            person["articles"].append({"id": article.id, "title": article.title, "page": page_of(article.id)})
    return sorted(people.values(), key=lambda p: sort_key(_surname_first(p["name"]), volume.lang))


def _surname_first(name: str) -> str:
    words = name.split()
    return " ".join(words[-1:] + words[:-1])


def back_matter(enriched: Enriched, paper, page_map: dict[str, int], typefaces: list[str] = ()) -> BackMatter:
    """What the back unit prints, from where things fell in the body: the contributors with their
    pages, the index of names with its locators, and (in a Russian-style volume with imprint data)
    the colophon, naming the typefaces the body is set in."""
    volume = enriched.volume
    index = []
    if enriched.registry is not None and enriched.mentions:
        index = names.build_index(enriched.mentions, enriched.registry, volume.lang, page_map.get)
    colophon = not is_english(volume) and bool(volume.imprint or paper)
    return BackMatter(contributors(volume, page_map.get), index, colophon, paper, typefaces=list(typefaces))
