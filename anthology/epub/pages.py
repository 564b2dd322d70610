"""The print edition's pages in the EPUB: a marker where each printed page with text begins, and
the page-list that points at them.

A page is found in an EPUB document by the text of its first lines (as the layout measured them),
so a page that begins inside a paragraph, a list or a reference list is marked at the word where
it begins; where that text is not found (generated text such as a caption's «Таблица 1.») the
marker goes at the first element with an id that starts on the page; a page found by neither
holds nothing the EPUB has (the colophon) and is left out.
Markers are empty inline elements placed where phrasing content is allowed: inside a paragraph,
list item or table cell, never directly in a list or a table, and before a heading rather than in
it, so they change no layout (a `p + p` indent still matches) and no accessible name."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

import lxml.etree

from ..model import EpubDocument

XHTML = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
SKELETON = 24  # letters and digits of a page's first lines: enough to find it, short enough to fit one page
HEADINGS = {f"h{n}" for n in range(1, 7)}
INLINE = {"a", "span", "em", "strong", "sup", "sub", "i", "b", "cite", "q", "small", "code", "abbr", "mark"}
# Elements a marker may not stand in as a child: phrasing is not allowed there.
NOT_PHRASING = {"ol", "ul", "dl", "table", "thead", "tbody", "tfoot", "tr", "nav"}
ALNUM = re.compile(r"[^\W_]")  # str.isalnum as a pattern
SKIPPED = {"aside", "head"}  # notes: a page begins in the running text, never among the notes


@dataclass
class PageStart:
    """A printed page with text: its number, the letters its first lines begin with, the ids of
    the elements that start on it (in reading order)."""

    number: int
    skeletons: list[str]  # from its first line, from its second, from its third
    anchors: list[str] = field(default_factory=list)


def page_starts(lines, page_map: dict[str, int]) -> list[PageStart]:
    """Every printed page that has text, from the laid-out lines and the page map."""
    first_lines: dict[int, list[str]] = {}
    for line in sorted((line for line in lines if line.area == "body" and line.text.strip()),
                       key=lambda line: (line.page, line.number)):
        first_lines.setdefault(line.page, []).append(line.text)
    anchors: dict[int, list[str]] = {}
    for anchor, page in page_map.items():
        anchors.setdefault(page, []).append(anchor)
    return [PageStart(page, [skeleton(" ".join(texts[n:]))[:SKELETON] for n in range(min(3, len(texts)))],
                      anchors.get(page, []))
            for page, texts in sorted(first_lines.items())]


def skeleton(text: str) -> str:
    """Only the letters and digits, lower-cased: spaces, hyphens at line ends and invisible
    characters differ between a laid-out line and the document."""
    return "".join(filter(str.isalnum, text.lower()))


def mark_pages(docs: list[EpubDocument], starts: list[PageStart], page_map: dict[str, int]) -> list[EpubDocument]:
    """The documents (in print order) with their print page markers: each page goes to the last
    document that begins on it or before it. Pages before the first (the half-title, whose title
    the title page repeats) have no place in the EPUB and are left out."""
    firsts = [_first_page(doc, page_map) for doc in docs]
    known = [n for n, page in enumerate(firsts) if page is not None]
    marked = list(docs)
    for n in known:
        low = firsts[n]
        high = min((firsts[m] for m in known if m > n), default=None)
        mine = [s for s in starts if s.number >= low and (high is None or s.number < high)]
        if mine:
            marked[n] = _marked(docs[n], mine, firsts[n])
    return marked


def _first_page(doc: EpubDocument, page_map: dict[str, int]) -> int | None:
    pages = [page_map[i] for i in re.findall(r'\bid="([^"]+)"', doc.xhtml) if i in page_map]
    return min(pages) if pages else None


def _marked(doc: EpubDocument, starts: list[PageStart], begins: int) -> EpubDocument:
    """Markers found first (the text is searched as it is), then inserted from the last to the
    first, so that each insertion leaves the places found before it valid."""
    root = lxml.etree.fromstring(doc.xhtml.encode("utf-8"))
    body = root.find(f"{{{XHTML}}}body")
    text = _Text(body)
    places = []
    for start in starts:
        if start.number <= begins:
            first = _first_with_id(body, start.anchors)
            place = text.element_place(body if first is None else first)
        else:  # its text (a first line may be generated, as a caption's «Таблица 1.» is), else its first element
            place = next(filter(None, map(text.find, start.skeletons)), None) or text.element_place(
                _first_with_id(body, start.anchors), after_cursor=True)
        if place is not None:  # else the page's text is not in the EPUB (the colophon)
            text.cursor = max(text.cursor, place[0])
            places.append((start.number, place))
    for number, (_, element, where, offset) in reversed(places):
        _insert(_marker(number), element, where, offset)
    xhtml = lxml.etree.tostring(root, encoding="unicode")
    return replace(doc, xhtml='<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n' + xhtml,
                   pages=[number for number, _ in places])


def _first_with_id(body, anchors: list[str]):
    for anchor in anchors:
        found = body.xpath("//*[@id=$id]", id=anchor)
        if found:
            return found[0]
    return None


def _marker(number: int):
    return lxml.etree.Element(f"{{{XHTML}}}span", {"id": f"page-{number}", f"{{{EPUB_NS}}}type": "pagebreak",
                                                   "role": "doc-pagebreak", "aria-label": str(number)})


def _insert(marker, element, where: str | None, offset: int) -> None:
    """The marker at `offset` in the element's text or tail (moved back to the start of its word);
    `where` None: at the start of the element itself."""
    if where is not None:
        text = (element.text if where == "text" else element.tail) or ""
        while offset > 0 and not text[offset - 1].isspace():
            offset -= 1
        if where == "text" and offset == 0:
            where = None  # at the start of the element: placed as an element start is
        else:
            marker.tail = text[offset:]
            if where == "text":
                element.text = text[:offset]
                element.insert(0, marker)
            else:
                element.tail = text[:offset]
                element.addnext(marker)
            _out_of_inline(marker)
            return
    while _local(element.tag) in INLINE and element.getparent() is not None and _starts(element.getparent(), element):
        element = element.getparent()
    while _local(element.tag) in NOT_PHRASING - {"nav"} and len(element):
        element = element[0]  # a list's first item, a table's first cell
    if _local(element.tag) in HEADINGS | INLINE | NOT_PHRASING:
        while _local(element.getparent().tag) in NOT_PHRASING | INLINE:
            element = element.getparent()
        element.addprevious(marker)
    else:
        marker.tail, element.text = element.text, None
        element.insert(0, marker)


def _starts(parent, child) -> bool:
    """Whether nothing but white space comes before `child` in `parent`."""
    return not (parent.text or "").strip() and all(not (s.text or "").strip() and not (s.tail or "").strip()
                                                   for s in child.itersiblings(preceding=True))


def _out_of_inline(marker) -> None:
    """A marker that fell inside a link or a mark moves before it: never part of a link's name."""
    while _local(marker.getparent().tag) in INLINE:
        parent, previous = marker.getparent(), marker.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + (marker.tail or "")
        else:
            parent.text = (parent.text or "") + (marker.tail or "")
        marker.tail = None
        parent.remove(marker)
        parent.addprevious(marker)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _Text:
    """The document's text as a skeleton, with where each of its letters stands; searched forward
    from a cursor, so each page is looked for after the one before it.

    The text is kept as pieces (an element's text or tail) with the index of their first letter:
    a page is looked for a few times a document, so where a letter stands is worked out only for
    the letters found, not for every letter of the book."""

    def __init__(self, body):
        self.pieces: list[tuple[int, object, str, str]] = []  # (first letter, element, "text" | "tail", the text)
        self.firsts: list[int] = []  # each piece's first letter, for bisect
        self.starts: dict = {}       # element → index of its first letter
        self._skeletons: list[str] = []
        self._length = 0
        self._collect(body)
        self.joined = "".join(self._skeletons)
        self.cursor = 0

    def _collect(self, element) -> None:
        self.starts[element] = self._length
        if _local(element.tag) not in SKIPPED:
            self._add(element, "text", element.text)
            for child in element:
                if isinstance(child.tag, str):
                    self._collect(child)
                else:
                    self._add(child, "tail", child.tail)
        if element.getparent() is not None and element.tag != f"{{{XHTML}}}body":
            self._add(element, "tail", element.tail)

    def _add(self, element, where: str, text: str | None) -> None:
        if not text:
            return
        letters = "".join(letter for _, letter in _letters(text)) if _odd_case(text) else skeleton(text)
        if letters:
            self.pieces.append((self._length, element, where, text))
            self.firsts.append(self._length)
            self._skeletons.append(letters)
            self._length += len(letters)

    def find(self, wanted: str):
        """(letter index, element, where, offset) of `wanted` after the cursor, or None."""
        found = self.joined.find(wanted, self.cursor) if wanted else -1
        if found < 0:
            return None
        first, element, where, text = self.pieces[bisect.bisect_right(self.firsts, found) - 1]
        offset = next(offset for number, (offset, _) in enumerate(_letters(text)) if number == found - first)
        return found, element, where, offset

    def element_place(self, element, after_cursor: bool = False):
        if element is None or (after_cursor and self.starts.get(element, -1) < self.cursor):
            return None
        return (self.starts.get(element, self.cursor), element, None, 0)


def _odd_case(text: str) -> bool:
    """Whether a character of `text` lower-cases to more than one (İ → i̇): its letters are then
    counted one character at a time."""
    return len(text.lower()) != len(text)


def _letters(text: str):
    """(offset in `text`, letter) for each letter or digit of its skeleton."""
    if not _odd_case(text):
        return ((found.start(), found.group()) for found in ALNUM.finditer(text.lower()))
    return ((offset, letter) for offset, ch in enumerate(text) for letter in skeleton(ch))


@dataclass
class PageTarget:
    label: str
    href: str


def page_targets(docs: list[EpubDocument]) -> list[PageTarget]:
    """The page-list: every print page marker in the documents, in page order."""
    targets = [PageTarget(str(number), f"{nav_href(doc.file_name)}#page-{number}") for doc in docs for number in doc.pages]
    return sorted(targets, key=lambda target: int(target.label))


def nav_href(file_name: str) -> str:
    """A path relative to the nav document, which sits in text/ beside the content documents."""
    return file_name.removeprefix("text/")
