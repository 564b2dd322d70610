"""Where the article stands on a saved page, and what stands around it.

The article is the element with the most running text among those marked as one (an
``<article>``, ``itemprop=articleBody``, ``<main>``, a content class), or else the densest block.
Everything with text outside it is site furniture: it is listed in the report, not imported.
"""

from __future__ import annotations

from . import boilerplate
from .html_nodes import position, text_of, under_furniture, words_of
from .model import Draft

CONTENT_TOKENS = {"article", "post", "entry", "story", "content", "text", "body"}
MIN_ARTICLE = 200      # characters of running text an element needs to be taken for the article
NEARLY_ALL = 0.85      # of the best element's text, for a deeper (tighter) element to be chosen instead


def find_article(doc):
    """The element that holds the article."""
    body = doc.body if doc.find("body") is not None else doc
    for found in (_marked_article(doc), _densest_block(body)):
        if found is not None:  # not `or`: an element without children is false
            return found
    return body


def _marked_article(doc):
    """The best element marked as the article, or None when none holds enough text."""
    markers = doc.xpath('//*[@itemprop="articleBody"] | //article | //main | //*[@role="main"]')
    markers += [e for e in doc.xpath("//*[@class or @id]")
                if boilerplate.class_tokens(e) & CONTENT_TOKENS
                and not boilerplate.furniture_reason(e) and e.tag in ("div", "section", "article", "main")]
    scored = [(_content_length(e), e) for e in markers if not boilerplate.furniture_reason(e)]
    scored = [(n, e) for n, e in scored if n >= MIN_ARTICLE]
    if not scored:
        return None
    best = max(n for n, _ in scored)
    # the deepest element that still holds nearly all of the best one's text
    good = [(n, e) for n, e in scored if n >= NEARLY_ALL * best]
    chosen = max(good, key=lambda pair: (len(list(pair[1].iterancestors())), pair[0]))[1]
    # but keep the article's own header (h1, byline) if it stands just outside
    article = chosen if chosen.tag == "article" else next((a for a in chosen.iterancestors() if a.tag == "article"), None)
    if article is not None and _content_length(article) >= NEARLY_ALL * best:
        return article
    return chosen


def _densest_block(body):
    """The block with most paragraph text: each paragraph counts for its parent and half for the grandparent."""
    scores: dict = {}
    for p in body.iter("p", "br"):
        parent = p.getparent()
        length = len(text_of(parent if p.tag == "br" else p))
        if parent is None or length < 40:
            continue
        scores[parent] = scores.get(parent, 0) + length
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0) + length / 2
    return max(scores, key=scores.get) if scores else None


def _content_length(element) -> int:
    """How much running text ``element`` holds outside furniture."""
    total = 0
    for block in element.iter("p", "li", "blockquote", "td", "h2", "h3", "pre", "dd"):
        if under_furniture(block, element) or block.tag == "li" and block.xpath(".//p"):
            continue
        total += len(text_of(block))
    return total


def list_outside(root, draft: Draft, skip: dict) -> None:
    """List every block with text that stands outside the article ``root``, in the page's order."""
    node = root
    found = []
    while node.getparent() is not None and node.tag != "html":
        parent = node.getparent()
        if parent.text and parent.text.strip():
            found.append((parent.sourceline or 0, position(parent), parent.text.strip(), "outside the article"))
        for sibling in parent:
            if sibling is not node:
                found.extend(_sibling_blocks(sibling, skip))
            if sibling.tail and sibling.tail.strip():
                found.append((sibling.sourceline or 0, position(sibling), sibling.tail.strip(), "outside the article"))
        node = parent
    for _, where, text, why in sorted(found, key=lambda item: item[0]):
        draft.remove(where, text, why)


def _sibling_blocks(sibling, skip: dict) -> list[tuple]:
    if not isinstance(sibling.tag, str) or sibling.tag in boilerplate.INVISIBLE_TAGS:
        return []
    text = words_of(sibling)
    if not text:
        return []
    reason = boilerplate.furniture_reason(sibling) or f"<{sibling.tag}>"
    held = [why for el, why in skip.items() if el is sibling or sibling in el.iterancestors()]
    why = f"outside the article ({reason})" + (f"; holds the {', '.join(held)}" if held else "")
    return [(sibling.sourceline or 0, position(sibling), text, why)]
