"""The article element of a saved page → a Markdown body, with its notes and images.

Headings keep their levels (the article's highest becomes ``##``), lists their nesting, tables
their cells (a layout table's cells become paragraphs); site furniture inside the article is
removed and listed; links to notes (``<sup><a href="#fn1">``) become Markdown footnotes; images
saved with the page (``page_files/…``) are kept, the others listed.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from . import boilerplate
from .html_nodes import position, text_of, words_of
from .mdtext import Body, Seg, inline
from .model import IMAGE_TYPES, Draft, read_beside

BLOCK_TAGS = {"p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
              "ul", "ol", "li", "blockquote", "table", "figure", "figcaption", "pre", "hr", "dl", "dt", "dd",
              "address", "details", "summary", "center", "body", "html", "br"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
NOTE_HEADING = re.compile(r"(?i)^\s*(примечания|сноски|notes|footnotes|endnotes|ескертпелер|ескерту|qeydlər|izahlar)\s*:?\s*$")
NOTE_LABEL = re.compile(r"^\s*\[?\(?\d{1,3}\)?\]?[.)]?\s*")
BACKLINK_TEXT = re.compile(r"^\s*(↩︎?|↑|\^|⤴|назад|back)\s*$", re.I)


def write_body(path: Path, doc, root, draft: Draft, skip: dict) -> None:
    """Set ``draft.body`` from the article element ``root`` of the page ``doc`` saved as ``path``.

    ``skip`` holds the elements already taken into the metadata (element → why); they are left out.
    """
    _BodyWriter(path, doc, draft, skip).run(root)


class _BodyWriter:
    def __init__(self, path: Path, doc, draft: Draft, skip: dict):
        self.path, self.doc, self.draft, self.skip = path, doc, draft, skip
        self.notes: dict = {}         # note element → its call ("[^n]") once called
        self.note_of_link: dict = {}  # <a> → note element
        self.body = Body()
        self.heading_base = 2
        self.pending: list[tuple[str, list[Seg]]] = []   # images met inside a paragraph: they follow it

    def run(self, root) -> None:
        self._find_notes(root)
        self._heading_levels(root)
        self._blocks(root)
        self.draft.body = self.body.markdown()
        for element, call in self.notes.items():
            if call is None:
                self.draft.remove(position(element), words_of(element), "a note that is never called")

    # -- notes ------------------------------------------------------------------------------
    def _find_notes(self, root) -> None:
        """Which links in the article call a note further down, and which element is that note."""
        order = {element: n for n, element in enumerate(self.doc.iter())}
        for link in root.xpath('.//a[starts-with(@href, "#")]'):
            note = self._note_called_by(link, order)
            if note is not None:
                self.note_of_link[link] = note
                self.notes.setdefault(note, None)
                self.skip[note] = "footnote"
        self._skip_note_lists()

    def _note_called_by(self, link, order: dict):
        target_id = link.get("href")[1:]
        if not target_id:
            return None
        targets = self.doc.xpath("//*[@id=$i] | //a[@name=$i]", i=target_id)
        if not targets:
            return None
        target = targets[0]
        if target is link or link in target.iterancestors() or order.get(target, 0) < order.get(link, 0):
            return None  # a note stands after its call, outside it
        parent = link.getparent()
        tokens = boilerplate.class_tokens(link) | boilerplate.class_tokens(target)
        if not (parent is not None and parent.tag == "sup" or tokens & {"footnote", "fn", "fnref", "note",
                                                                        "footnoteref", "endnote", "ref"}
                or re.fullmatch(r"\[?\*?\d{1,3}\]?", text_of(link))):
            return None
        if target.tag in ("a", "span", "sup"):  # an anchor inside the note: the note is its paragraph or item
            return next((a for a in target.iterancestors() if a.tag in ("li", "p", "div", "dd")), target)
        return target

    def _skip_note_lists(self) -> None:
        """A container of notes only, and its heading, are not body text."""
        containers = {n.getparent() for n in self.notes if n.getparent() is not None}
        for container in containers:
            children = [c for c in container if isinstance(c.tag, str)]
            if not (children and all(c in self.notes for c in children)):
                continue
            self.skip[container] = "footnotes"
            previous = container.getprevious()
            while previous is not None and not isinstance(previous.tag, str):
                previous = previous.getprevious()
            if previous is not None and NOTE_HEADING.match(text_of(previous)):
                self.skip[previous] = "the heading of the notes"
                self.draft.use(position(previous), text_of(previous), "the heading of the notes")

    def _call(self, link) -> Seg:
        note = self.note_of_link[link]
        if self.notes.get(note) is None:
            segs = self._inline_children(note, "", None, note=True)
            if segs and segs[0].raw is None and segs[0].text:
                segs[0] = Seg(NOTE_LABEL.sub("", segs[0].text, count=1), segs[0].fmt, segs[0].link)
            self.notes[note] = self.body.note([inline(segs, breaks=" ")])
            self.draft.counts["footnotes"] += 1
        return Seg(raw=self.notes[note])

    # -- the body ---------------------------------------------------------------------------
    def _heading_levels(self, root) -> None:
        levels = [int(h.tag[1]) for h in root.iter(*HEADINGS) if h not in self.skip]
        self.heading_base = min(levels) if levels else 2

    def _drop(self, element, why: str) -> None:
        self.draft.remove(position(element), words_of(element), why)

    def _blocks(self, element) -> None:
        buffer: list[Seg] = []

        def flush():
            for paragraph in _split_on_double_breaks(buffer):
                if any((s.text or "").strip() or s.raw for s in paragraph):
                    self.body.paragraph(paragraph)
                    self.draft.counts["paragraphs"] += 1
            buffer.clear()
            self._flush_images()

        if element.text:
            buffer.append(Seg(element.text))
        for child in element:
            if not isinstance(child.tag, str) or child.tag in boilerplate.INVISIBLE_TAGS:
                pass
            elif child in self.skip:
                pass
            elif reason := self._furniture(child):
                flush()
                self._drop(child, f"boilerplate ({reason})")
            elif child.tag == "br":
                buffer.append(Seg(br=True))
            elif child.tag in BLOCK_TAGS:
                flush()
                self._block(child)
            elif child.tag == "img":
                flush()
                self._image(child, [])
            else:
                buffer.extend(self._inline(child, "", None))
            if child.tail:
                buffer.append(Seg(child.tail))
        flush()

    def _furniture(self, element) -> str | None:
        reason = boilerplate.furniture_reason(element)
        if reason:
            return reason
        text = text_of(element)
        text = text.lstrip("«‹<←← ")
        if element.tag in ("p", "div", "section", "li", "h2", "h3", "h4", "h5", "h6", "span", "a", "ul", "header", "footer",
                           "font", "small", "center") \
                and text and len(text) <= 160 and boilerplate.FURNITURE.match(text) and not text.endswith((".", "!", "?", "…")) \
                and not element.xpath(".//img"):
            return "its words"
        return None

    def _flush_images(self) -> None:
        pending, self.pending = self.pending, []
        for path, caption in pending:
            self.body.image(path, caption)

    def _block(self, element) -> None:
        self._block_inner(element)
        self._flush_images()

    def _block_inner(self, element) -> None:
        tag = element.tag
        if tag in HEADINGS:
            self._heading(element)
        elif tag in ("ul", "ol"):
            self._list(element, 0)
        elif tag == "blockquote":
            self._quote(element)
        elif tag == "table":
            self._table(element)
        elif tag == "figure":
            self._figure(element)
        elif tag == "pre":
            self.body.code(element.text_content())
        elif tag == "hr" or tag == "br":
            pass
        elif tag == "dl":
            self._definitions(element)
        elif tag == "p" and element.xpath("./img") and not text_of(element):
            for image in element.xpath(".//img"):
                self._image(image, [])
        else:
            self._blocks(element)

    def _heading(self, element) -> None:
        draft = self.draft
        text = text_of(element)
        if draft.title and text == draft.title.value:  # the title again
            self.skip[element] = "title"
            draft.use(position(element), text, "title")
            return
        level = 2 + int(element.tag[1]) - self.heading_base
        self.body.heading(level, self._inline_children(element, "", None))
        draft.counts["headings"] += 1

    def _quote(self, element) -> None:
        paragraphs = [self._inline_children(p, "", None) for p in element.xpath("./p")] or \
            [self._inline_children(element, "", None)]
        self.body.quote(paragraphs)
        self.draft.counts["quotes"] += 1

    def _figure(self, element) -> None:
        """Its images, the last one with the caption; a figure without images is read as blocks."""
        images = element.xpath(".//img")
        caption = next(iter(element.xpath(".//figcaption")), None)
        caption_segs = self._inline_children(caption, "", None) if caption is not None else []
        if not images:
            self._blocks(element)
            return
        for n, image in enumerate(images):
            self._image(image, caption_segs if n == len(images) - 1 else [])

    def _definitions(self, element) -> None:
        for item in element:
            if item.tag == "dt":
                self.body.paragraph([Seg(text_of(item), "b")])
            elif item.tag == "dd":
                self.body.paragraph(self._inline_children(item, "", None))

    def _list(self, element, level: int) -> None:
        ordered = element.tag == "ol"
        for item in element:
            if not isinstance(item.tag, str):
                continue
            if item in self.skip:
                continue
            if reason := self._furniture(item):
                self._drop(item, f"boilerplate ({reason})")
                continue
            if item.tag in ("ul", "ol"):
                self._list(item, level + 1)
                continue
            nested = [c for c in item if isinstance(c.tag, str) and c.tag in ("ul", "ol")]
            segs = self._inline_children(item, "", None, exclude=set(nested))
            self.body.list_item(level, ordered, segs)
            self.draft.counts["list items"] += 1
            for sub in nested:
                self._list(sub, level + 1)

    def _table(self, table) -> None:
        rows = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
        if table.xpath(".//table") or all(len(r.xpath("./td|./th")) <= 1 for r in rows):
            for cell in table.xpath(".//td|.//th"):   # a layout table: its cells are blocks
                if not cell.xpath(".//table"):
                    self._blocks(cell)
            return
        caption = table.find("caption")
        if caption is not None:
            self.body.paragraph(self._inline_children(caption, "", None))
        out = []
        for row in rows:
            cells = []
            for cell in row.xpath("./td|./th"):
                cells.append(inline(self._inline_children(cell, "", None), breaks=" ").replace("\n", " "))
                cells += [""] * (max(int(cell.get("colspan", "1") or 1), 1) - 1 if (cell.get("colspan") or "1").isdigit() else 0)
            out.append(cells)
        self.body.table(out)
        self.draft.counts["tables"] += 1
        if not table.xpath(".//th"):
            self.draft.check(f"table at {position(table)}: its first row was taken as the header row")

    # -- inline -----------------------------------------------------------------------------
    def _inline_children(self, element, fmt: str, link: str | None, exclude=frozenset(), note: bool = False) -> list[Seg]:
        segs: list[Seg] = []
        if element.text:
            segs.append(Seg(element.text, fmt, link))
        for child in element:
            if child not in exclude:
                segs.extend(self._inline(child, fmt, link, note))
            if child.tail:
                segs.append(Seg(child.tail, fmt, link))
        return segs

    def _inline(self, element, fmt: str, link: str | None, note: bool = False) -> list[Seg]:
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag in boilerplate.INVISIBLE_TAGS or (element in self.skip and not note):
            return []
        if element in self.note_of_link:
            return [self._call(element)]
        if note and tag == "a" and (BACKLINK_TEXT.match(text_of(element)) or (element.get("href") or "").startswith("#fnref")):
            return []
        if tag != "a" and boilerplate.furniture_reason(element):
            self._drop(element, f"boilerplate ({boilerplate.furniture_reason(element)})")
            return []
        if tag == "br":
            return [Seg(br=True)]
        if tag == "img":
            self._image(element, [], pending=True)
            return []
        if tag in ("strong", "b"):
            fmt = fmt + "b" if "b" not in fmt else fmt
        elif tag in ("em", "i", "cite", "dfn", "var"):
            fmt = fmt + "i" if "i" not in fmt else fmt
        elif tag == "sup":
            fmt = fmt + "^"
        elif tag == "sub":
            fmt = fmt + "_"
        elif tag == "code":
            text = element.text_content()
            fence = "``" if "`" in text else "`"
            return [Seg(raw=f"{fence}{text}{fence}")] if text.strip() else []
        elif tag == "a":
            href = (element.get("href") or "").strip()
            if re.match(r"(?i)^(https?:|mailto:)", href):
                link = href
        segs = self._inline_children(element, fmt, link, note=note)
        if tag in BLOCK_TAGS:  # a block inside a line: kept apart from its neighbours
            segs = [Seg(" "), *segs, Seg(" ")]
        return segs

    # -- images -----------------------------------------------------------------------------
    def _image(self, element, caption: list[Seg], pending: bool = False) -> None:
        src = (element.get("src") or element.get("data-src") or "").strip()
        alt = (element.get("alt") or element.get("title") or "").strip()
        width, height = element.get("width", ""), element.get("height", "")
        if width.isdigit() and height.isdigit() and int(width) <= 2 and int(height) <= 2:
            return  # a tracking pixel
        data, ext = self._image_data(src, element.sourceline)
        caption = caption or ([Seg(alt)] if alt else [])
        if data is None:
            self.draft.remove(position(element), f"image {src or '(no src)'}" + (f" — {alt}" if alt else ""),
                              "an image that was not saved with the page")
            self.draft.check(f"the image {src[:80]} ({position(element)}) was not saved with the page: "
                             "save it into the project and add it by hand")
            return
        if ext not in IMAGE_TYPES:
            self.draft.check(f"image {src[:80]} is .{ext}: convert it to PNG or JPEG for the book")
        path = self.draft.add_image(data, ext)
        if pending:
            self.pending.append((path, caption))
        else:
            self.body.image(path, caption)
        if not caption:
            self.draft.check(f"the image {path} has no caption: write one (it is the figure's caption and its alt text)")

    def _image_data(self, src: str, line: int | None) -> tuple[bytes | None, str]:
        if src.startswith("data:"):
            match = re.match(r"data:image/([\w+.-]+);base64,(.*)", src, re.S)
            if match:
                try:
                    return base64.b64decode(match.group(2)), match.group(1).replace("svg+xml", "svg").replace("jpeg", "jpg")
                except ValueError:
                    return None, ""
            return None, ""
        if not src or re.match(r"(?i)^([a-z][a-z0-9+.-]*:|/)", src):
            return None, ""  # on the web (a path from the site's root too): never fetched
        found = read_beside(self.path, unquote(urlparse(src).path), line)
        return (found[0], found[1] or "png") if found else (None, "")


def _split_on_double_breaks(segs: list[Seg]) -> list[list[Seg]]:
    """``text<br><br>text`` is two paragraphs; a single ``<br>`` stays a line break."""
    paragraphs: list[list[Seg]] = [[]]
    breaks = 0
    for seg in segs:
        if seg.br:
            breaks += 1
            continue
        if seg.raw is None and not (seg.text or "").strip():
            if breaks == 0:
                paragraphs[-1].append(seg)
            continue
        if breaks >= 2:
            paragraphs.append([])
        elif breaks == 1 and paragraphs[-1]:
            paragraphs[-1].append(Seg(br=True))
        breaks = 0
        paragraphs[-1].append(seg)
    return [p for p in paragraphs if p]
