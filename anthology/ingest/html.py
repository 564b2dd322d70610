"""A saved web page (``.html``) → a draft article.

The page is decoded (by its declared charset), parsed with lxml, and read in four steps:
``html_metadata`` finds the title, authors, date, source and declared language;
``html_page`` finds the element that holds the article and lists what stands around it (site
furniture); ``html_body`` turns the article into Markdown, with its notes and images. The
elements the metadata was taken from are shared between the steps in ``skip``, so that the body
does not repeat them.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html

from ..problems import Problems
from .html_body import write_body
from .html_metadata import json_ld, read_metadata
from .html_nodes import drop_keeping_tail
from .html_page import find_article, list_outside
from .model import Draft, decode

NOT_TEXT = "//script|//style|//noscript|//template|//svg|//comment()"


def read(path: Path, draft: Draft, problems: Problems) -> bool:
    """Fill ``draft`` from the page; False, with the reason in ``problems``, when it is not one."""
    raw = path.read_bytes()
    declared = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", raw[:4096], re.I)
    text, note = decode(raw, declared.group(1).decode("ascii") if declared else None)
    if note:
        draft.check(note)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if not text.strip():
        problems.error(path, None, "the file is empty", code="empty")
        return False
    try:
        doc = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        problems.error(path, None, f"not a readable HTML page: {exc}", code="unreadable")
        return False
    saved_from = re.search(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", text[:2000])
    _read_page(path, doc, saved_from.group(1) if saved_from else None, draft)
    return True


def _read_page(path: Path, doc, saved_from: str | None, draft: Draft) -> None:
    ld = json_ld(doc)  # before the scripts go
    for element in doc.xpath(NOT_TEXT):
        drop_keeping_tail(element)
    root = find_article(doc)
    skip: dict = {}   # element → why it is not in the body (title, authors, date, footnote, …)
    read_metadata(doc, root, ld, saved_from, draft, skip)
    list_outside(root, draft, skip)
    write_body(path, doc, root, draft, skip)
