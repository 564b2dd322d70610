"""A Crossref deposit (schema 5.3.1) for the volume as an edited book with its chapters.

What Crossref requires of it (tests/test_citable.py states these rules, as the schema cannot be
had offline): a `head` with a batch id, a timestamp, the depositor (name and email) and the
registrant; `book book_type="edited_book"` whose `book_metadata` has titles, a publication date,
an ISBN (or `noisbn`) and the publisher; and a `content_item component_type="chapter"` for each
article, with its contributors (affiliations, ORCID), title, English abstract, `pages`
(first_page, last_page) and `doi_data` (the DOI and the page it resolves to).
"""

from __future__ import annotations

import re

import lxml.etree as etree

from ..model import Contributor, Volume
from .records import ArticleRecord, split_name, year_of
from .xml import add, serialised

NS = "http://www.crossref.org/schema/5.3.1"
JATS = "http://www.ncbi.nlm.nih.gov/JATS1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = f"{NS} https://www.crossref.org/schemas/crossref5.3.1.xsd"


def chapter_doi(volume: Volume, record: ArticleRecord) -> str | None:
    """The article's DOI: its own (front matter), else the volume's DOI with the article's id."""
    if record.article.doi:
        return record.article.doi
    book = volume.identifiers.get("doi")
    return f"{book}.{record.article.id}" if book else None


def resource_of(volume: Volume, article_id: str | None = None) -> str | None:
    """The landing page a DOI resolves to: `registration: resource` (the volume's page), plus the id."""
    base = volume.registration.get("resource")
    if not base:
        return None
    return f"{base.rstrip('/')}/{article_id}" if article_id else base


def deposit(volume: Volume, records: list[ArticleRecord]) -> bytes:
    root = etree.Element(f"{{{NS}}}doi_batch", nsmap={None: NS, "jats": JATS, "xsi": XSI}, version="5.3.1")
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA)
    _head(add(root, "head"), volume)
    book = add(add(root, "body"), "book", book_type="edited_book")
    _book_metadata(add(book, "book_metadata", language=volume.lang[:2]), volume)
    for number, record in enumerate(records, 1):
        _chapter(add(book, "content_item", component_type="chapter", language=record.article.lang[:2]),
                 volume, record, number)
    return serialised(root)


def _head(head, volume: Volume) -> None:
    stamp = volume.built.strftime("%Y%m%d%H%M%S")
    add(head, "doi_batch_id", f"{volume.slug}-{stamp}")
    add(head, "timestamp", stamp)
    depositor = add(head, "depositor")
    add(depositor, "depositor_name", volume.registration.get("depositor") or volume.publisher or "")
    add(depositor, "email_address", volume.registration.get("email") or "")
    add(head, "registrant", volume.registration.get("registrant") or volume.publisher or "")


def _book_metadata(metadata, volume: Volume) -> None:
    _contributors(metadata, volume.editors, "editor")
    titles = add(metadata, "titles")
    add(titles, "title", volume.title)
    if volume.subtitle:
        add(titles, "subtitle", volume.subtitle)
    _date(metadata, volume)
    isbns = [(kind, volume.identifiers.get(key)) for kind, key in (("print", "isbn_print"), ("electronic", "isbn_epub"))]
    for kind, isbn in isbns:
        if isbn:
            add(metadata, "isbn", isbn, media_type=kind)
    if not any(isbn for _, isbn in isbns):
        add(metadata, "noisbn", reason="simple_series")
    publisher = add(metadata, "publisher")
    add(publisher, "publisher_name", volume.publisher or "")
    if volume.place:
        add(publisher, "publisher_place", volume.place)
    _doi_data(metadata, volume.identifiers.get("doi"), resource_of(volume))


def _chapter(item, volume: Volume, record: ArticleRecord, number: int) -> None:
    article = record.article
    _contributors(item, article.authors, "author")
    titles = add(item, "titles")
    add(titles, "title", article.title)
    if article.subtitle:
        add(titles, "subtitle", article.subtitle)
    if article.title_en and not article.lang.startswith("en"):
        add(titles, "original_language_title", article.title_en, language="en")
    english = article.abstract if article.lang.startswith("en") else article.abstract_en
    for text, lang in ((article.abstract, article.lang[:2]), (None if article.lang.startswith("en") else english, "en")):
        if text:
            abstract = add(item, f"{{{JATS}}}abstract", xml_lang=lang)
            add(abstract, f"{{{JATS}}}p", " ".join(text.split()))
    add(item, "component_number", str(number))
    _date(item, volume)
    pages = add(item, "pages")
    add(pages, "first_page", str(record.first_page))
    add(pages, "last_page", str(record.last_page))
    _doi_data(item, chapter_doi(volume, record), resource_of(volume, article.id))


def _contributors(parent, people: list[Contributor], role: str) -> None:
    if not people:
        return
    contributors = add(parent, "contributors")
    for number, person in enumerate(people):
        name = split_name(person.name)
        entry = add(contributors, "person_name", contributor_role=role, sequence="first" if number == 0 else "additional")
        if "given" in name:
            add(entry, "given_name", name["given"])
        add(entry, "surname", name.get("family") or name.get("literal"))
        if person.affiliation:
            add(add(add(entry, "affiliations"), "institution"), "institution_name", person.affiliation)
        if person.orcid:
            add(entry, "ORCID", f"https://orcid.org/{person.orcid}")


def _date(parent, volume: Volume) -> None:
    date = add(parent, "publication_date", media_type="print")
    found = re.match(r"(\d{4})-(\d{2})-(\d{2})", volume.date or "")
    if found and found.group(1) == str(year_of(volume)):
        add(date, "month", found.group(2))
        add(date, "day", found.group(3))
    add(date, "year", str(year_of(volume) or ""))


def _doi_data(parent, doi: str | None, resource: str | None) -> None:
    if doi and resource:
        data = add(parent, "doi_data")
        add(data, "doi", doi)
        add(data, "resource", resource)
