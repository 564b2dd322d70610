"""The cite lines: each article's citation, with its real pages, as the HTML its opening page and
its EPUB document show."""

from __future__ import annotations

import re

from ..labels import labels
from ..metadata import article_records, citations_of
from ..model import Article, Enriched
from ..problems import Problems
from .templates import render


def cite_lines(enriched: Enriched, pages_of, problems: Problems) -> dict[str, str]:
    """Article id → its cite line's HTML, for the articles whose pages `pages_of(id)` gives
    ((first, last), or None): in print a running element on the layer's page (print.css), in the
    EPUB a paragraph."""
    volume = enriched.volume
    records = article_records(volume, pages_of)
    texts = citations_of(volume, records, problems)
    return {record.article.id: cite_line(record.article, texts[record.article.id])
            for record in records if record.article.id in texts}


def cite_line(article: Article, text: str) -> str:
    return render("_cite_line.html", lang=article.lang, label=labels(article.lang)["cite_as"],
                  text=kept_together(text)).strip()


PAGE_RANGE = re.compile(r"(?<=\d)–(?=\d)")
ABBREVIATION = re.compile(r"(?<!\w)(\w{1,3}\.) (?=\d)")


def kept_together(citation: str) -> str:
    """A citation as it is printed: a page range never broken at its dash, nor parted from «С.» or
    "P." before it (the typography of the rest is citeproc's, from the references' own text)."""
    return PAGE_RANGE.sub("–\u2060", ABBREVIATION.sub("\\1\u00a0", citation))

