"""An ONIX 3.0 product record for the printed book, with its chapters' page runs.

ONIX for Books is what the book trade, library suppliers and the national ISBN agencies read to
list a book; its ContentDetail block carries an edited volume's chapters (title, contributors,
page run), so one record serves a bookshop's catalogue and a library's analytics of the volume.
"""

from __future__ import annotations

import lxml.etree as etree

from ..model import Contributor, Volume
from .records import ArticleRecord, split_name, year_of
from .xml import add, serialised

NS = "http://ns.editeur.org/onix/3.0/reference"
ROLES = {"compiler": "C01", "editor-in-chief": "B11", "editor": "B01", "translator": "B06", "reviewer": "B01"}
LANGUAGES = {"ru": "rus", "kk": "kaz", "az": "aze", "en": "eng"}  # ONIX codelist 74 (ISO 639-2/B)


def product_record(volume: Volume, records: list[ArticleRecord], pages: int) -> bytes:
    root = etree.Element(f"{{{NS}}}ONIXMessage", nsmap={None: NS}, release="3.0")
    header = add(root, "Header")
    add(add(header, "Sender"), "SenderName", volume.publisher or "")
    add(header, "SentDateTime", volume.built.strftime("%Y%m%d"))
    product = add(root, "Product")
    add(product, "RecordReference", volume.identifiers.get("uuid") or volume.slug)
    add(product, "NotificationType", "03")
    isbn = volume.identifiers.get("isbn_print")
    if isbn:
        identifier = add(product, "ProductIdentifier")
        add(identifier, "ProductIDType", "15")
        add(identifier, "IDValue", isbn.replace("-", ""))
    _descriptive(add(product, "DescriptiveDetail"), volume, records, pages)
    if volume.description:
        text = add(add(product, "CollateralDetail"), "TextContent")
        add(text, "TextType", "03")
        add(text, "ContentAudience", "00")
        add(text, "Text", " ".join(volume.description.split()))
    content = add(product, "ContentDetail")
    for record in records:
        _content_item(add(content, "ContentItem"), record)
    publishing = add(product, "PublishingDetail")
    publisher = add(publishing, "Publisher")
    add(publisher, "PublishingRole", "01")
    add(publisher, "PublisherName", volume.publisher or "")
    if volume.place:
        add(publishing, "CityOfPublication", volume.place)
    date = add(publishing, "PublishingDate")
    add(date, "PublishingDateRole", "01")
    add(date, "Date", str(year_of(volume) or ""), dateformat="05")
    return serialised(root)


def _descriptive(detail, volume: Volume, records: list[ArticleRecord], pages: int) -> None:
    add(detail, "ProductComposition", "00")
    add(detail, "ProductForm", "BC")
    _title(detail, volume.title, volume.subtitle)
    for number, editor in enumerate(volume.editors, 1):
        _contributor(detail, editor, number, ROLES.get(editor.role or "editor", "B01"))
    languages = dict.fromkeys([volume.lang] + [record.article.lang for record in records])
    for lang in languages:
        language = add(detail, "Language")
        add(language, "LanguageRole", "01")
        add(language, "LanguageCode", LANGUAGES.get(lang[:2], lang[:3]))
    extent = add(detail, "Extent")
    add(extent, "ExtentType", "00")
    add(extent, "ExtentValue", str(pages))
    add(extent, "ExtentUnit", "03")
    if volume.keywords:
        subject = add(detail, "Subject")
        add(subject, "SubjectSchemeIdentifier", "20")
        add(subject, "SubjectHeadingText", "; ".join(volume.keywords))


def _content_item(item, record: ArticleRecord) -> None:
    text = add(item, "TextItem")
    add(text, "TextItemType", "03")
    run = add(text, "PageRun")
    add(run, "FirstPageNumber", str(record.first_page))
    add(run, "LastPageNumber", str(record.last_page))
    add(text, "NumberOfPages", str(record.last_page - record.first_page + 1))
    _title(item, record.article.title, record.article.subtitle)
    for number, author in enumerate(record.article.authors, 1):
        _contributor(item, author, number, "A01")


def _title(parent, title: str, subtitle: str | None) -> None:
    detail = add(parent, "TitleDetail")
    add(detail, "TitleType", "01")
    element = add(detail, "TitleElement")
    add(element, "TitleElementLevel", "01")
    add(element, "TitleText", title)
    if subtitle:
        add(element, "Subtitle", subtitle)


def _contributor(parent, person: Contributor, number: int, role: str) -> None:
    contributor = add(parent, "Contributor")
    add(contributor, "SequenceNumber", str(number))
    add(contributor, "ContributorRole", role)
    if person.orcid:
        identifier = add(contributor, "NameIdentifier")
        add(identifier, "NameIDType", "21")  # ORCID (codelist 44)
        add(identifier, "IDValue", person.orcid)
    name = split_name(person.name)
    add(contributor, "PersonName", person.name)
    if "family" in name:
        add(contributor, "NamesBeforeKey", name["given"])
        add(contributor, "KeyNames", name["family"])
    if person.affiliation:
        add(add(contributor, "ProfessionalAffiliation"), "Affiliation", person.affiliation)
