"""Text bound to an inline element, kept with it as one inline box in the print HTML.

WeasyPrint lays a line out box by box. When an inline element (a name's mention span, an <em>, a
link) does not fit and the text before it is bound to it (no breakable space between: «с\u00a0Калиевым»,
«(<em>…</em>», «»…«), it steps back into that text for a break and takes the first one there, not
the last: a line is cut short after its first word («но» alone on a line, p. 17 of the sample, with
the text after it pushed on). Wrapping the bound run and the element in one plain span puts a
breakable space right before the box, so the line breaks there. The EPUB is not affected (a
reading system breaks lines itself).
"""

from __future__ import annotations

import re

import lxml.html

INLINE = {"span", "em", "strong", "a", "i", "b", "sup", "sub", "cite", "q", "abbr", "small", "mark", "code",
          "kbd", "var", "time", "bdi", "u", "s", "dfn"}
SKIPPED = {"footnote", "running-head", "bound"}  # floated out of the line, hidden, or already kept
LEAD = re.compile(r"[^ \t\n]+\Z")    # the text right before an element, back to its last breakable space
TRAIL = re.compile(r"^[^ \t\n]+")   # and right after it


def group_bound_inlines(root) -> None:
    """Give every inline element with text bound to it a span of its own, holding both."""
    for element in list(root.iter()):
        if element.tag not in INLINE or SKIPPED & set((element.get("class") or "").split()):
            continue
        before = _text_before(element)
        lead = LEAD.search(before or "")
        trail = TRAIL.match(element.tail or "")
        if lead is None and trail is None:
            continue
        group = lxml.html.Element("span", {"class": "bound"})
        _set_text_before(element, before[:lead.start()] if lead else before)
        group.text = lead.group() if lead else None
        rest = (element.tail or "")[trail.end():] if trail else element.tail
        element.addprevious(group)
        group.append(element)
        element.tail = trail.group() if trail else None
        group.tail = rest


def _text_before(element) -> str | None:
    previous = element.getprevious()
    return previous.tail if previous is not None else element.getparent().text


def _set_text_before(element, text: str | None) -> None:
    previous = element.getprevious()
    if previous is not None:
        previous.tail = text
    else:
        element.getparent().text = text
