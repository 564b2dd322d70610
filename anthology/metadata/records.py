"""The facts about each article that every record is made from, and its CSL-JSON item."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Article, Contributor, Volume

CITABLE = ("article",)  # the roles of articles that are cited, registered and offprinted


@dataclass
class ArticleRecord:
    """One article of the volume as it is published: its metadata and its printed pages."""

    article: Article
    first_page: int
    last_page: int

    @property
    def pages(self) -> str:
        return str(self.first_page) if self.first_page == self.last_page else f"{self.first_page}–{self.last_page}"


def article_records(volume: Volume, pages_of) -> list[ArticleRecord]:
    """Every citable article in reading order, with its pages (`pages_of(id)` → (first, last) or None)."""
    records = []
    for article in volume.articles():
        span = pages_of(article.id) if article.role in CITABLE else None
        if span is not None:
            records.append(ArticleRecord(article, *span))
    return records


def split_name(name: str) -> dict:
    """A name as the volume writes it («Лейла Гасанова», given names first) in CSL's parts."""
    words = name.split()
    if len(words) < 2:
        return {"literal": name}
    return {"family": words[-1], "given": " ".join(words[:-1])}


def _person(person: Contributor) -> dict:
    found = split_name(person.name)
    if person.orcid:
        found["ORCID"] = f"https://orcid.org/{person.orcid}"
    return found


def year_of(volume: Volume) -> int | None:
    year = volume.year or (volume.date or "")[:4]
    return int(year) if year and year.isdigit() else None


def container_title(volume: Volume) -> str:
    """The volume's title as a chapter's container: title and subtitle, as GOST joins them."""
    return f"{volume.title} : {volume.subtitle[0].lower()}{volume.subtitle[1:]}" if volume.subtitle else volume.title


def csl_item(volume: Volume, record: ArticleRecord) -> dict:
    """An article as a chapter of an edited book, in CSL-JSON: what other authors' reference
    managers import, and what the cite line is formatted from."""
    article = record.article
    item: dict = {
        "id": article.id,
        "type": "chapter",
        "title": article.title,
        "author": [_person(author) for author in article.authors],
        "container-title": container_title(volume),
        "page": record.pages,
        "page-first": str(record.first_page),
        "language": article.lang,
    }
    if volume.editors:
        item["editor"] = [_person(editor) for editor in volume.editors]
    for key, value in (("publisher", volume.publisher), ("publisher-place", volume.place),
                       ("ISBN", volume.identifiers.get("isbn_print")), ("DOI", article.doi),
                       ("abstract", article.abstract)):
        if value:
            item[key] = value
    if year_of(volume):
        item["issued"] = {"date-parts": [[year_of(volume)]]}
    if article.keywords:
        item["keyword"] = ", ".join(article.keywords)
    return item


def csl_items(volume: Volume, records: list[ArticleRecord]) -> list[dict]:
    return [csl_item(volume, record) for record in records]
