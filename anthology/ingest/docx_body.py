"""The body of a Word document → Markdown: paragraphs, runs, notes, images, text boxes, tables.

Headings keep their levels (the highest becomes ``##``), list items theirs; bold, italic,
superscript, subscript and links are kept; footnotes and endnotes become Markdown notes; a
``Caption`` paragraph (or a «Рисунок 1. …» line) under an image becomes its caption. Tracked
changes were settled before (``docx_review``).
"""

from __future__ import annotations

import re

import lxml.etree

from .docx_styles import Styles, paragraph_text, q
from .docx_head import paragraph_number
from .mdtext import Body, Seg, inline
from .docx_review import changes, settle
from .model import IMAGE_TYPES, Draft, Refused

CAPTION_TEXT = re.compile(r"(?i)^\s*(рис\.|рисунок|сурет|şəkil|figure|fig\.)\s*\d+")
FIGURE = re.compile(r"!\[(.*)\]\(([^()\s]+)\)", re.S)
GENERIC_ALT = re.compile(r"(?i)(picture|image|рисунок|изображение|drawing)\s*\d*")


def related_part(part, suffix: str):
    """The document's part of this relationship type (``footnotes``, ``comments``), or None."""
    for rel in part.rels.values():
        if not rel.is_external and rel.reltype.endswith("/" + suffix):
            return rel.target_part
    return None


class BodyReader:
    """Reads the blocks of the body into ``body``; remembers what it did not use, for the report."""

    def __init__(self, part, styles: Styles, draft: Draft):
        self.part, self.styles, self.draft = part, styles, draft
        self.body = Body()
        self.notes = {"footnote": self._notes("footnotes"), "endnote": self._notes("endnotes")}
        self.calls: dict[tuple[str, str], str] = {}      # (kind, note id) → its call ("[^n]")
        self.pending_images: list[tuple[str, list[Seg]]] = []   # met inside a paragraph: they follow it
        self.pending_paragraphs: list[list[Seg]] = []            # the text of text boxes: it follows, too
        self.bold_headings: list[int] = []   # short all-bold paragraphs: headings in disguise?
        self.paragraph = 0            # the number of the paragraph being read, for the report
        self.heading_base = 1

    def _notes(self, kind: str) -> dict:
        part = related_part(self.part, kind)
        if part is None:
            return {}
        try:
            root = lxml.etree.fromstring(part.blob)
        except lxml.etree.XMLSyntaxError:
            self.draft.check(f"the document's {kind} cannot be read: they are not in the article")
            return {}
        if changes(root):
            if self.draft.changes is None:
                raise Refused(None, f"the document's {kind} have tracked changes: import again with "
                                    "--accept-changes or --reject-changes, or settle them in Word", code="tracked-changes")
            settle(root, self.draft.changes)
        tag = q("w:footnote") if kind == "footnotes" else q("w:endnote")
        return {note.get(q("w:id")): (note, part) for note in root.iter(tag)
                if note.get(q("w:type")) in (None, "normal")}

    # -- blocks -------------------------------------------------------------------------------
    def read(self, blocks, start: int) -> None:
        """Read ``blocks[start:]``: the body after the head."""
        self.heading_base = min((self.styles.kind(b)[1] for b in blocks[start:] if b.tag == q("w:p")
                                 and self.styles.kind(b)[0] == "heading"), default=1)
        for i in range(start, len(blocks)):
            if blocks[i].tag == q("w:tbl"):
                self._table(blocks[i])
            else:
                self._paragraph(blocks[i], paragraph_number(blocks, i))
            self._flush_pending()

    def _paragraph(self, p, number: int) -> None:
        kind = self.styles.kind(p)
        self.paragraph = number
        segs = self._runs(p, self.part)
        if not any((s.text or "").strip() or s.raw for s in segs):
            return
        draft = self.draft
        if kind[0] in ("title", "heading"):
            level = 2 + (kind[1] - self.heading_base if kind[0] == "heading" else 0)
            self.body.heading(level, [Seg(s.text, "", s.link, s.raw, s.br) for s in segs])
            draft.counts["headings"] += 1
        elif kind[0] == "subtitle":
            self.body.paragraph([Seg(s.text, s.fmt + "i" if "i" not in s.fmt else s.fmt, s.link, s.raw, s.br) for s in segs])
            draft.counts["paragraphs"] += 1
        elif kind[0] == "list":
            self.body.list_item(kind[1], kind[2], segs)
            draft.counts["list items"] += 1
        elif kind[0] == "quote":
            self.body.quote([segs])
            draft.counts["quotes"] += 1
        elif (kind[0] == "caption" or CAPTION_TEXT.match(paragraph_text(p))) and self._caption_last_image(segs):
            pass  # it became the caption of the image just before
        else:
            self.body.paragraph(segs)
            draft.counts["paragraphs"] += 1
            if kind[0] == "para" and _all_bold_and_short(segs):
                self.bold_headings.append(number)

    def _caption_last_image(self, segs: list[Seg]) -> bool:
        """Make ``segs`` the caption of the image just before, if there is one; whether it was."""
        if not self.body.blocks or self.body._list:
            return False
        figure = FIGURE.fullmatch(self.body.blocks[-1])
        if not figure:
            return False
        self.body.blocks[-1] = f"![{inline(segs, breaks=' ')}]({figure.group(2)})"
        return True

    def _flush_pending(self) -> None:
        for segs in self.pending_paragraphs:
            self.body.paragraph(segs)
        self.pending_paragraphs = []
        for path, caption in self.pending_images:
            self.body.image(path, caption)
        self.pending_images = []

    # -- runs ---------------------------------------------------------------------------------
    def _runs(self, element, part, link: str | None = None) -> list[Seg]:
        """The text of a paragraph (or of a hyperlink, an insertion, a content control in it)."""
        segs: list[Seg] = []
        for child in element:
            tag = child.tag
            if tag == q("w:r"):
                segs.extend(self._run(child, part, link))
            elif tag == q("w:hyperlink"):
                segs.extend(self._runs(child, part, _link_target(child, part) or link))
            elif tag in (q("w:smartTag"), q("w:customXml"), q("w:fldSimple"), q("w:bdo"), q("w:dir")):
                segs.extend(self._runs(child, part, link))
            elif tag == q("w:sdt"):
                content = child.find(q("w:sdtContent"))
                if content is not None:
                    segs.extend(self._runs(content, part, link))
            elif tag in (q("m:oMath"), q("m:oMathPara")):
                text = "".join(t.text or "" for t in child.iter(q("m:t")))
                segs.append(Seg(text))
                self.draft.check(f"an equation ({text[:40]}) was imported as plain text: check it")
        return segs

    def _run(self, run, part, link: str | None) -> list[Seg]:
        fmt = self.styles.run_format(run)
        segs: list[Seg] = []
        for child in run:
            tag = child.tag
            if tag == q("w:t"):
                segs.append(Seg(child.text or "", fmt, link))
            elif tag in (q("w:tab"), q("w:ptab")):
                segs.append(Seg(" ", fmt, link))
            elif tag in (q("w:br"), q("w:cr")):
                if child.get(q("w:type")) not in ("page", "column"):
                    segs.append(Seg(br=True))
            elif tag == q("w:noBreakHyphen"):
                segs.append(Seg("\u2011", fmt, link))
            elif tag == q("w:softHyphen"):
                segs.append(Seg("\u00ad", fmt, link))
            elif tag == q("w:sym"):
                code = _symbol(child)
                if code:
                    segs.append(Seg(chr(code), fmt, link))
            elif tag in (q("w:footnoteReference"), q("w:endnoteReference")):
                kind = "footnote" if tag == q("w:footnoteReference") else "endnote"
                segs.append(self._call(kind, child.get(q("w:id"))))
            elif tag in (q("w:drawing"), q("w:pict"), q("w:object")):
                self._drawing(child, part)
            elif tag == q("mc:AlternateContent"):
                self._alternate_content(child, part)
        return segs

    def _alternate_content(self, element, part) -> None:
        """The first of the choice and the fallback that holds a drawing."""
        for option in (element.find(q("mc:Choice")), element.find(q("mc:Fallback"))):
            if option is not None and (option.find(f".//{q('w:drawing')}") is not None
                                       or option.find(f".//{q('w:pict')}") is not None):
                for item in option:
                    self._drawing(item, part)
                break

    # -- notes --------------------------------------------------------------------------------
    def _call(self, kind: str, note_id: str | None) -> Seg:
        key = (kind, note_id or "")
        if key in self.calls:
            return Seg(raw=self.calls[key])
        found = self.notes[kind].get(note_id)
        if found is None:
            self.draft.check(f"a {kind} reference (id {note_id}) has no {kind} text in the document")
            call = self.body.note(["(the note's text is missing in the document)"])
        else:
            note, part = found
            paragraphs = [inline(self._runs(p, part), breaks=" ") for p in note.iter(q("w:p"))]
            call = self.body.note([p for p in paragraphs if p.strip()])
            self.draft.counts["footnotes" if kind == "footnote" else "endnotes"] += 1
        self.calls[key] = call
        return Seg(raw=call)

    def list_uncalled_notes(self) -> None:
        for kind, notes in self.notes.items():
            for note_id, (note, _) in notes.items():
                if (kind, note_id) not in self.calls:
                    text = " ".join(t.text or "" for t in note.iter(q("w:t"))).strip()
                    self.draft.remove(f"{kind} {note_id}", text, f"a {kind} that is never called")

    # -- images and text boxes ----------------------------------------------------------------
    def _drawing(self, element, part) -> None:
        for box in element.iter(q("w:txbxContent")):
            for p in box.iter(q("w:p")):
                segs = self._runs(p, part)
                if any((s.text or "").strip() for s in segs):
                    self.pending_paragraphs.append(segs)
            self.draft.check("the document has a text box; its text was placed after the paragraph that holds it")
            return
        blips = element.findall(f".//{q('a:blip')}")
        image_data = element.findall(f".//{q('v:imagedata')}")
        refs = [(b.get(q("r:embed")), b.get(q("r:link"))) for b in blips] + [(v.get(q("r:id")), None) for v in image_data]
        if not refs and element.tag == q("w:object"):
            self.draft.check("the document holds an embedded object (a chart or an old equation); it was not imported")
            self.draft.remove(f"paragraph {self.paragraph}", "an embedded object", "not imported")
            return
        alt = _alt_text(element)
        for embed, linked in refs:
            if not embed or embed not in part.related_parts:
                self.draft.check(f"an image is linked, not embedded ({linked or '?'}): add it by hand")
                continue
            image = part.related_parts[embed]
            ext = str(image.partname).rsplit(".", 1)[-1].lower()
            if ext not in IMAGE_TYPES:
                self.draft.check(f"an image is .{ext}: convert it to PNG or JPEG for the book")
            path = self.draft.add_image(image.blob, ext)
            self.pending_images.append((path, [Seg(alt)] if alt else []))

    # -- tables -------------------------------------------------------------------------------
    def _table(self, table) -> None:
        rows, has_header = self._table_rows(table)
        if not rows:
            return
        if max(len(r) for r in rows) == 1:  # a one-column box: its paragraphs are text
            for tc in table.iter(q("w:tc")):
                self.body.quote([self._runs(p, self.part) for p in tc.iter(q("w:p"))])
            self.draft.check("a one-cell table (a box) was imported as a block quote: check it")
            return
        self.body.table(rows)
        self.draft.counts["tables"] += 1
        if not has_header:
            self.draft.check(f"table {self.draft.counts['tables']}: its first row was taken as the header row")

    def _table_rows(self, table) -> tuple[list[list[str]], bool]:
        """The cells' Markdown, row by row (a merged cell's text in its first cell); whether row 1 is a header."""
        rows = []
        has_header = False
        for n, tr in enumerate(table.findall(q("w:tr"))):
            trpr = tr.find(q("w:trPr"))
            if n == 0 and trpr is not None and trpr.find(q("w:tblHeader")) is not None:
                has_header = True
            cells = []
            for tc in tr.findall(q("w:tc")):
                span, merged = _span(tc)
                paragraphs = [self._runs(p, self.part) for p in tc.iter(q("w:p"))]
                text = " ".join(t for t in (inline(s, breaks=" ") for s in paragraphs) if t.strip())
                cells.append("" if merged else text)
                cells += [""] * (span - 1)
            rows.append(cells)
        return rows, has_header

    # -- what is left ---------------------------------------------------------------------------
    def list_what_was_left(self) -> None:
        """Notes never called, and what the editor must compare with the document."""
        self.list_uncalled_notes()
        if self.bold_headings:
            shown = ", ".join(str(n) for n in self.bold_headings[:8])
            self.draft.check(f"paragraph(s) {shown} are short and all bold: if they are headings, make them '## …'")


def _link_target(hyperlink, part) -> str | None:
    """A hyperlink's web or mail address (links inside the document are not kept)."""
    rid = hyperlink.get(q("r:id"))
    target = None
    if rid and rid in part.rels and part.rels[rid].is_external:
        target = part.rels[rid].target_ref
    return target if target and re.match(r"(?i)^(https?|mailto):", target) else None


def _symbol(sym) -> int:
    """The character of a w:sym (symbol fonts put theirs at U+F000 and up)."""
    code = int(sym.get(q("w:char"), "0"), 16)
    return code - 0xF000 if code >= 0xF000 else code


def _alt_text(element) -> str:
    """An image's description, unless it is Word's default (``Picture 3``, ``image.png``)."""
    doc_pr = element.find(f".//{q('wp:docPr')}")
    if doc_pr is None:
        return ""
    alt = (doc_pr.get("descr") or doc_pr.get("title") or "").strip()
    if GENERIC_ALT.fullmatch(alt) or alt.lower().endswith((".png", ".jpg", ".jpeg")):
        return ""
    return alt


def _span(tc) -> tuple[int, bool]:
    """How many grid columns a cell spans, and whether it continues a vertical merge."""
    tcpr = tc.find(q("w:tcPr"))
    if tcpr is None:
        return 1, False
    grid = tcpr.find(q("w:gridSpan"))
    span = int(grid.get(q("w:val"), "1")) if grid is not None and grid.get(q("w:val"), "1").isdigit() else 1
    vmerge = tcpr.find(q("w:vMerge"))
    return span, vmerge is not None and vmerge.get(q("w:val")) != "restart"


def _all_bold_and_short(segs: list[Seg]) -> bool:
    text = "".join(s.text for s in segs if s.text).strip()
    return len(text) <= 80 and not text.endswith((".", ":", ";", ",")) \
        and all("b" in s.fmt for s in segs if (s.text or "").strip())
