"""The metadata stage called directly (no layout): records made from the volume's facts and the
pages given to them, in each format, and what a registration requires."""

from __future__ import annotations

import dataclasses

import lxml.etree as etree

from anthology.load import load_volume
from anthology.metadata import article_records, check_registration, csl_items
from anthology.metadata.bibtex import bibtex
from anthology.metadata.crossref import deposit
from anthology.problems import Problems
from conftest import ROOT

CROSSREF = "{http://www.crossref.org/schema/5.3.1}"


def _sample():
    problems = Problems()
    volume = load_volume(ROOT, problems)
    assert not problems.errors
    pages = {article.id: (10 + 5 * n, 13 + 5 * n) for n, article in enumerate(volume.articles())}
    return volume, article_records(volume, pages.get)


def test_records_are_the_body_articles_with_their_pages():
    volume, records = _sample()
    assert [r.article.id for r in records] == [a.id for a in volume.articles() if a.role == "article"]
    item = csl_items(volume, records)[1]
    assert item["page"] == records[1].pages and "–" in item["page"]
    assert item["author"] == [{"family": "Гасанова", "given": "Лейла"}]
    assert item["editor"][0] == {"family": "Нурланова", "given": "Айгерим"}
    assert item["publisher-place"] == "Астана" and item["language"] == "ru"


def test_bibtex_escapes_what_tex_would_read_as_commands():
    volume, records = _sample()
    odd = dataclasses.replace(records[0].article, title="Cost & benefit: 50% of the_fund", authors=[])
    text = bibtex(volume, [dataclasses.replace(records[0], article=odd)])
    assert r"title = {Cost \& benefit: 50\% of the\_fund}" in text and "author =" not in text
    assert text.startswith("@incollection{visit-2024,")


def test_a_chapter_without_a_doi_has_no_doi_data_and_a_book_without_isbn_says_so():
    volume, records = _sample()
    bare = dataclasses.replace(volume, identifiers={}, registration={})
    root = etree.fromstring(deposit(bare, records))
    assert root.find(f".//{CROSSREF}book_metadata/{CROSSREF}noisbn") is not None
    assert root.find(f".//{CROSSREF}content_item/{CROSSREF}doi_data") is None
    assert len(root.findall(f".//{CROSSREF}content_item")) == len(records)


def test_registration_checks_only_a_registered_volume():
    volume, _ = _sample()
    quiet = Problems(root=ROOT)
    check_registration(volume, quiet)
    assert not quiet.items  # no `registration:` and no DOI: nothing is asked
    asked = Problems(root=ROOT)
    check_registration(dataclasses.replace(volume, registration={"english_abstract": True}), asked)
    english = [a for a in volume.articles() if a.role == "article" and a.lang == "en"]
    assert len(asked.warnings) == len([a for a in volume.articles() if a.role == "article"]) - len(english)
    assert all(p.line and p.code == "registration" for p in asked.warnings)
