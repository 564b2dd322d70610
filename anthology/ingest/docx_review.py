"""A reviewer's marks in a Word document: tracked changes and comments.

Tracked changes are never taken silently: a document that has them is refused unless the editor
chose ``--accept-changes`` or ``--reject-changes``, and the choice is applied to the XML (body,
footnotes, endnotes) before anything reads it. Comments are listed with their place: the
paragraph and the words they are anchored to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .docx_styles import q
from .model import Draft, Refused

INSERTED = ("w:ins", "w:moveTo")
DELETED = ("w:del", "w:moveFrom")
SHOWN_CHANGES = 5


@dataclass
class Change:
    kind: str         # "inserted" or "deleted"
    author: str
    paragraph: int
    text: str


def _words(element) -> str:
    return re.sub(r"\s+", " ", "".join(t.text or "" for t in element.iter(q("w:t"), q("w:delText")))).strip()


def _paragraph_numbers(body) -> dict:
    """Each paragraph of the body → its number (1-based, in reading order)."""
    return {p: n for n, p in enumerate(body.iter(q("w:p")), 1)}


def _paragraph_of(element, numbers: dict) -> int:
    for ancestor in element.iterancestors(q("w:p")):
        return numbers.get(ancestor, 0)
    return 0


def changes(body) -> list[Change]:
    """The tracked insertions and deletions of the body, in reading order."""
    numbers = _paragraph_numbers(body)
    found = []
    for element in body.iter(*(q(t) for t in INSERTED + DELETED)):
        kind = "inserted" if element.tag in (q(t) for t in INSERTED) else "deleted"
        found.append(Change(kind, element.get(q("w:author")) or "?", _paragraph_of(element, numbers), _words(element)))
    return found


def settle(root, mode: str) -> int:
    """Apply ``mode`` ("accept" or "reject") to every tracked change under ``root``; how many there were."""
    kept, dropped = (INSERTED, DELETED) if mode == "accept" else (DELETED, INSERTED)
    count = 0
    for element in list(root.iter(*(q(t) for t in kept + dropped))):
        count += 1
        parent = element.getparent()
        if parent is None:
            continue
        if element.tag in (q(t) for t in dropped):
            parent.remove(element)
            continue
        for deleted_text in element.iter(q("w:delText")):
            deleted_text.tag = q("w:t")
        index = parent.index(element)
        for child in reversed(list(element)):
            parent.insert(index, child)
        parent.remove(element)
    for mark in list(root.iter(q("w:rPrChange"), q("w:pPrChange"), q("w:sectPrChange"), q("w:tblPrChange"))):
        mark.getparent().remove(mark)   # formatting changes: the current formatting stays
    return count


def review(body, draft: Draft, mode: str | None) -> None:
    """Refuse a document with tracked changes when no mode was chosen; else apply it, and say so."""
    found = changes(body)
    if not found:
        return
    if mode is None:
        shown = "; ".join(f"paragraph {c.paragraph}: {c.kind} «{c.text[:50]}» by {c.author}" for c in found[:SHOWN_CHANGES])
        more = f"; and {len(found) - SHOWN_CHANGES} more" if len(found) > SHOWN_CHANGES else ""
        raise Refused(None, f"the document has {len(found)} tracked change(s) ({shown}{more}): import again with "
                            "--accept-changes or --reject-changes, or settle them in Word", code="tracked-changes")
    settle(body, mode)
    verb = "accepted" if mode == "accept" else "rejected"
    for c in found:
        draft.mark(f"paragraph {c.paragraph}", f"{c.kind} by {c.author}: «{c.text}»", f"a tracked change, {verb}")
    draft.check(f"{len(found)} tracked change(s) were {verb} (--{mode}-changes): they are listed above")


def anchors(body) -> dict[str, tuple[int, str]]:
    """Each comment id → (paragraph number, the words it is anchored to)."""
    numbers = _paragraph_numbers(body)
    found: dict[str, tuple[int, str]] = {}
    open_ranges: dict[str, list[str]] = {}
    starts: dict[str, int] = {}
    for element in body.iter(q("w:commentRangeStart"), q("w:commentRangeEnd"), q("w:commentReference"),
                             q("w:t"), q("w:delText")):
        if element.tag == q("w:commentRangeStart"):
            cid = element.get(q("w:id"))
            open_ranges[cid] = []
            starts[cid] = _paragraph_of(element, numbers)
        elif element.tag in (q("w:t"), q("w:delText")):
            for words in open_ranges.values():
                words.append(element.text or "")
        elif element.tag == q("w:commentRangeEnd"):
            cid = element.get(q("w:id"))
            words = open_ranges.pop(cid, [])
            found[cid] = (starts.get(cid, _paragraph_of(element, numbers)), re.sub(r"\s+", " ", "".join(words)).strip())
        else:
            cid = element.get(q("w:id"))
            found.setdefault(cid, (_paragraph_of(element, numbers), ""))
    return found
