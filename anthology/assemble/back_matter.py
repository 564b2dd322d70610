"""What the back of the book lists once the body is laid out: contributors with their pages."""

from __future__ import annotations

from typing import Callable

from ..collation import sort_key
from ..model import Volume


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
