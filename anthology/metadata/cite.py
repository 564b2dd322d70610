"""Each article's own citation, formatted by citeproc in the volume's citation style and the
article's language: the cite line's text and the offprint's."""

from __future__ import annotations

import lxml.html

from .. import citations
from ..model import Volume
from ..problems import Problems
from .records import ArticleRecord, csl_item


def citations_of(volume: Volume, records: list[ArticleRecord], problems: Problems) -> dict[str, str]:
    """Article id → its citation as plain text (no list number), all formatted in one pandoc run."""
    style = citations.resolve_style(volume.citation_style, volume.lang, volume.root, Problems(root=volume.root))
    jobs = [citations.CitationJob(lxml.html.fragment_fromstring("<div></div>"), record.article.id, record.article.path,
                                  record.article.lang, {record.article.id: citations.Reference(
                                      record.article.id, csl_item(volume, record), record.article.path)},
                                  style, problems, nocite=[record.article.id])
            for record in records]
    found = {}
    for record, listed in zip(records, citations.process_articles(jobs)):
        entry = _entry(listed)
        if entry is not None:
            found[record.article.id] = entry
    return found


def _entry(listed) -> str | None:
    """The text of a one-item reference list, without the number a numeric style gives it."""
    if listed is None:
        return None
    entries = listed.xpath(".//div[contains(@class, 'csl-entry')]")
    if not entries:
        return None
    inline = entries[0].xpath(".//div[contains(@class, 'csl-right-inline')]")
    text = (inline[0] if inline else entries[0]).text_content()
    return " ".join(text.split())
