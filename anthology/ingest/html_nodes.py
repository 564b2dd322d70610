"""Small questions about the elements of a saved page, asked by every part of the HTML reader."""

from __future__ import annotations

import re

from . import boilerplate


def text_of(element) -> str:
    """An element's text, its white space collapsed."""
    return re.sub(r"\s+", " ", element.text_content() if isinstance(element.tag, str) else "").strip()


def words_of(element) -> str:
    """An element's text for the report: its pieces joined by spaces (so list items stay apart)."""
    return re.sub(r"\s+", " ", " ".join(element.itertext()) if isinstance(element.tag, str) else "").strip()


def position(element) -> str:
    """Where an element stands, for the report: ``line 12``."""
    return f"line {element.sourceline}" if getattr(element, "sourceline", None) else "the page"


def under_furniture(element, stop) -> bool:
    """True if ``element`` or an ancestor below ``stop`` is site furniture."""
    node = element
    while node is not None and node is not stop:
        if boilerplate.furniture_reason(node):
            return True
        node = node.getparent()
    return False


def inside_skipped(element, skip: dict) -> bool:
    """True if an ancestor of ``element`` is already taken (title, byline, notes, …)."""
    return any(ancestor in skip for ancestor in element.iterancestors())


def drop_keeping_tail(element) -> None:
    """Remove an element from the tree; the text after it stays."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
