"""A Word document (``.docx``) → a draft article.

Read with python-docx, and below it the document's XML where python-docx has no API (footnotes,
endnotes, numbering, drawings). Headings by style (``Heading N``, or an outline level), lists by
numbering, bold and italic, links, footnotes and endnotes as Markdown notes, tables as pipe
tables, images extracted next to the article. The title is the ``Title`` paragraph (else the
first paragraph if it looks like one, else the document's properties); a byline and a date line
right after it fill ``authors`` and ``date``. Page headers and footers and reviewers' comments
are not article text: they are listed in the report.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import lxml.etree

from .bylines import parse_byline, parse_labelled
from .dates import date_line
from .mdtext import Body, Seg, inline
from ..problems import Problems
from .model import Draft, Found

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "v": "urn:schemas-microsoft-com:vml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
}
GENERIC_AUTHORS = {"", "python-docx", "user", "admin", "administrator", "пользователь", "администратор",
                   "windows user", "microsoft office user", "автор", "author", "home", "pc", "owner"}
CAPTION_TEXT = re.compile(r"(?i)^\s*(рис\.|рисунок|сурет|şəkil|figure|fig\.)\s*\d+")
IMAGE_TYPES = {"png", "jpg", "jpeg", "gif", "svg", "webp"}
HEAD_LIMIT = 8


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _on(element) -> bool:
    """A w:b / w:i toggle: present and not switched off."""
    return element is not None and element.get(q("w:val"), "true").lower() not in ("0", "false", "off", "none")


def read(path: Path, draft: Draft, problems: Problems) -> bool:
    """Fill ``draft`` from the document; False, with the reason in ``problems``, when it is not one."""
    import docx  # python-docx

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        problems.error(path, None, f"not a Word .docx file ({exc.__class__.__name__}: {exc}); "
                                   "a .doc file must be saved as .docx first", code="unreadable")
        return False
    except Exception as exc:  # python-docx raises its own PackageNotFoundError and friends
        problems.error(path, None, f"not a readable Word .docx file: {exc}", code="unreadable")
        return False
    _Document(document, draft).run()
    return True


class _Document:
    def __init__(self, document, draft: Draft):
        self.document, self.draft = document, draft
        self.part = document.part
        self.body = Body()
        self.styles = self._styles()
        self.numbering = self._numbering()
        self.notes = {"footnote": self._notes("footnotes"), "endnote": self._notes("endnotes")}
        self.calls: dict[tuple[str, str], str] = {}
        self.pending_images: list[tuple[str, list[Seg]]] = []
        self.pending_paragraphs: list[list[Seg]] = []
        self.tracked = 0
        self.bold_headings: list[int] = []
        self.index = 0

    # -- the document's parts ---------------------------------------------------------------
    def _styles(self) -> dict[str, dict]:
        styles: dict[str, dict] = {}
        try:
            element = self.document.styles.element
        except Exception:  # no styles part
            return styles
        for style in element.findall(q("w:style")):
            name = style.find(q("w:name"))
            based = style.find(q("w:basedOn"))
            ppr = style.find(q("w:pPr"))
            rpr = style.find(q("w:rPr"))
            styles[style.get(q("w:styleId"))] = {
                "name": (name.get(q("w:val")) if name is not None else "") or "",
                "based": based.get(q("w:val")) if based is not None else None,
                "numPr": ppr.find(q("w:numPr")) if ppr is not None else None,
                "outline": ppr.find(q("w:outlineLvl")) if ppr is not None else None,
                "b": _on(rpr.find(q("w:b"))) if rpr is not None and rpr.find(q("w:b")) is not None else None,
                "i": _on(rpr.find(q("w:i"))) if rpr is not None and rpr.find(q("w:i")) is not None else None,
            }
        defaults = element.find(f"{q('w:docDefaults')}/{q('w:rPrDefault')}/{q('w:rPr')}/{q('w:lang')}")
        if defaults is not None and defaults.get(q("w:val")):
            self.draft.lang_hint = Found(defaults.get(q("w:val")).split("-")[0].lower(), "the document's default language")
        return styles

    def _style_value(self, style_id: str | None, key: str):
        seen = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            value = self.styles[style_id].get(key)
            if value is not None:
                return value
            style_id = self.styles[style_id]["based"]
        return None

    def _numbering(self) -> dict[tuple[str, str], str]:
        """(numId, ilvl) → numFmt ("bullet", "decimal", …)."""
        formats: dict[tuple[str, str], str] = {}
        try:
            element = self.part.numbering_part.element
        except Exception:
            return formats
        abstract = {}
        for item in element.findall(q("w:abstractNum")):
            levels = {lvl.get(q("w:ilvl")): (lvl.find(q("w:numFmt")).get(q("w:val")) if lvl.find(q("w:numFmt")) is not None else "bullet")
                      for lvl in item.findall(q("w:lvl"))}
            abstract[item.get(q("w:abstractNumId"))] = levels
        for num in element.findall(q("w:num")):
            ref = num.find(q("w:abstractNumId"))
            if ref is None:
                continue
            for ilvl, fmt in abstract.get(ref.get(q("w:val")), {}).items():
                formats[(num.get(q("w:numId")), ilvl)] = fmt
        return formats

    def _related(self, suffix: str):
        for rel in self.part.rels.values():
            if not rel.is_external and rel.reltype.endswith("/" + suffix):
                return rel.target_part
        return None

    def _notes(self, kind: str) -> dict:
        part = self._related(kind)
        if part is None:
            return {}
        try:
            root = lxml.etree.fromstring(part.blob)
        except lxml.etree.XMLSyntaxError:
            self.draft.check(f"the document's {kind} cannot be read: they are not in the article")
            return {}
        tag = q("w:footnote") if kind == "footnotes" else q("w:endnote")
        return {note.get(q("w:id")): (note, part) for note in root.iter(tag)
                if note.get(q("w:type")) in (None, "normal")}

    # -- the whole document -----------------------------------------------------------------
    def run(self) -> None:
        blocks = list(self._blocks(self.document.element.body))
        start = self._head(blocks)
        self._heading_base = min((self._kind(b)[1] for b in blocks[start:] if b.tag == q("w:p")
                                  and self._kind(b)[0] == "heading"), default=1)
        i = start
        while i < len(blocks):
            block = blocks[i]
            if block.tag == q("w:tbl"):
                self._table(block)
            else:
                i = self._paragraph(blocks, i)
            self._flush_pending()
            i += 1
        self._leftovers()
        self.draft.body = self.body.markdown()

    def _blocks(self, container):
        """Paragraphs and tables in reading order, inside content controls too."""
        for child in container:
            if child.tag in (q("w:p"), q("w:tbl")):
                yield child
            elif child.tag in (q("w:sdt"), q("w:customXml"), q("w:sdtContent")):
                yield from self._blocks(child.find(q("w:sdtContent")) if child.tag == q("w:sdt") and child.find(q("w:sdtContent")) is not None else child)

    def _text(self, p) -> str:
        return re.sub(r"\s+", " ", "".join(t.text or "" for t in p.iter(q("w:t")))).strip()

    def _style_id(self, p) -> str | None:
        style = p.find(f"{q('w:pPr')}/{q('w:pStyle')}")
        return style.get(q("w:val")) if style is not None else None

    def _kind(self, p) -> tuple:
        """("title",) ("subtitle",) ("heading", n) ("list", level, ordered) ("quote",) ("caption",) ("para",)."""
        style_id = self._style_id(p)
        name = (self.styles.get(style_id, {}).get("name") or style_id or "").lower()
        if name in ("title", "название", "заголовок") or style_id == "Title":
            return ("title",)
        if name in ("subtitle", "подзаголовок") or style_id == "Subtitle":
            return ("subtitle",)
        match = re.match(r"(heading|заголовок)\s*(\d)", name)
        outline = p.find(f"{q('w:pPr')}/{q('w:outlineLvl')}")
        if outline is None:
            outline = self._style_value(style_id, "outline")
        if match:
            return ("heading", int(match.group(2)))
        if outline is not None and outline.get(q("w:val"), "9").isdigit() and int(outline.get(q("w:val"))) < 9:
            return ("heading", int(outline.get(q("w:val"))) + 1)
        num = p.find(f"{q('w:pPr')}/{q('w:numPr')}")
        if num is None:
            num = self._style_value(style_id, "numPr")
        if num is not None:
            num_id = num.find(q("w:numId"))
            ilvl = num.find(q("w:ilvl"))
            num_id = num_id.get(q("w:val")) if num_id is not None else None
            level = ilvl.get(q("w:val"), "0") if ilvl is not None else "0"
            if num_id and num_id != "0":
                fmt = self.numbering.get((num_id, level))
                ordered = fmt not in ("bullet", "none", None) if fmt else "number" in name
                depth = int(level) if level.isdigit() else 0
                styled = re.match(r"list (bullet|number|continue)\s*(\d)$", name)
                if depth == 0 and styled:  # "List Bullet 2": the level is in the style's name
                    depth = int(styled.group(2)) - 1
                return ("list", depth, ordered)
        if "quote" in name or "цитата" in name:
            return ("quote",)
        if "caption" in name or "название объекта" in name:
            return ("caption",)
        styled = re.match(r"list (bullet|number)\s*(\d?)$", name)
        if styled:
            return ("list", int(styled.group(2) or 1) - 1, styled.group(1) == "number")
        return ("para",)

    # -- the head: title, subtitle, byline, date ----------------------------------------------
    def _head(self, blocks) -> int:
        draft = self.draft
        paragraphs = [(i, b) for i, b in enumerate(blocks) if b.tag == q("w:p")]
        titled = [(i, b) for i, b in paragraphs if self._kind(b)[0] == "title" and self._text(b)]
        first = next(((i, b) for i, b in paragraphs if self._text(b)), None)
        start = 0
        if titled:
            i, b = titled[0]
            draft.title = Found(self._text(b), f"the Title paragraph (paragraph {self._number(blocks, i)})")
            draft.use(f"paragraph {self._number(blocks, i)}", self._text(b), "title")
            start = i + 1
            for j, extra in titled[1:]:
                draft.check(f"paragraph {self._number(blocks, j)} is also styled Title; it was kept as a heading")
            # what stood before the title (a running head, a heading, a note to the editor) stays listed
            for j, b2 in paragraphs:
                if j < i and self._text(b2):
                    draft.remove(f"paragraph {self._number(blocks, j)}", self._text(b2), "before the title")
        elif first is not None and self._looks_like_title(first[1]):
            i, b = first
            draft.title = Found(self._text(b), f"the first paragraph (paragraph {self._number(blocks, i)}), "
                                               "which has no Title style")
            draft.use(f"paragraph {self._number(blocks, i)}", self._text(b), "title")
            draft.check("the title was taken from the first paragraph: check it")
            start = i + 1
        else:
            core = (self.document.core_properties.title or "").strip()
            if core:
                draft.title = Found(core, "the document's properties (File → Info → Title)")
                draft.check("the title was taken from the document's properties: check it")
            else:
                draft.title = Found(draft.source_path.stem, "the file name")
                draft.check("the document has no title: the file name was used; write the title")
        # the lines under the title
        seen = 0
        i = start
        while i < len(blocks) and seen < HEAD_LIMIT:
            b = blocks[i]
            if b.tag != q("w:p"):
                break
            text = self._text(b)
            if not text:
                if b.find(f".//{q('w:drawing')}") is not None:
                    break
                i += 1
                continue
            kind = self._kind(b)[0]
            n = self._number(blocks, i)
            if kind == "subtitle" and draft.subtitle is None:
                draft.subtitle = Found(text, f"the Subtitle paragraph (paragraph {n})")
                draft.use(f"paragraph {n}", text, "subtitle")
            elif kind in ("para", "caption") and (date := date_line(text)) and draft.date is None:
                draft.date = Found(date.date, f'paragraph {n}: "{text}"')
                draft.use(f"paragraph {n}", text, "date")
            elif kind == "para" and (labelled := parse_labelled(text)) and getattr(draft, labelled[0]) is None:
                setattr(draft, labelled[0], Found(labelled[1], f"paragraph {n}"))
                draft.use(f"paragraph {n}", text, labelled[0])
            elif kind in ("para", "subtitle") and draft.authors is None and len(text) <= 200 and \
                    (authors := parse_byline(text) or parse_byline(text, need_prefix=False)):
                draft.authors = Found(authors, f'paragraph {n}: "{text}"')
                draft.use(f"paragraph {n}", text, "authors")
            else:
                break
            seen += 1
            i += 1
        if draft.authors is None:
            core = (self.document.core_properties.author or "").strip()
            if core.casefold() not in GENERIC_AUTHORS:
                authors = parse_byline(core, need_prefix=False)
                if authors:
                    draft.authors = Found(authors, "the document's properties (File → Info → Author)")
                    draft.check("the author was taken from the document's properties, which name whoever "
                                "created the file: check it")
        return i

    def _looks_like_title(self, p) -> bool:
        kind = self._kind(p)[0]
        text = self._text(p)
        if kind in ("heading", "title") and len(text) <= 250:
            return True
        runs = [r for r in p.iter(q("w:r")) if "".join(t.text or "" for t in r.iter(q("w:t"))).strip()]
        bold = runs and all(self._run_format(r, self._style_id(p)).count("b") for r in runs)
        jc = p.find(f"{q('w:pPr')}/{q('w:jc')}")
        centred = jc is not None and jc.get(q("w:val")) == "center"
        return bool((bold or centred) and len(text) <= 200 and not text.endswith("."))

    def _number(self, blocks, index: int) -> int:
        return sum(1 for b in blocks[: index + 1] if b.tag == q("w:p"))

    # -- paragraphs -------------------------------------------------------------------------
    def _paragraph(self, blocks, i: int) -> int:
        p = blocks[i]
        kind = self._kind(p)
        number = self._number(blocks, i)
        self.index = number
        segs = self._runs(p, self.part, "", None, self._style_id(p))
        has_text = any((s.text or "").strip() or s.raw for s in segs)
        if not has_text:
            return i
        draft = self.draft
        if kind[0] in ("title", "heading"):
            level = 2 + (kind[1] - self._heading_base if kind[0] == "heading" else 0)
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
        elif (kind[0] == "caption" or CAPTION_TEXT.match(self._text(p))) and self.body.blocks \
                and not self.body._list and (figure := re.fullmatch(r"!\[(.*)\]\(([^()\s]+)\)", self.body.blocks[-1], re.S)):
            self.body.blocks[-1] = f"![{inline(segs, breaks=' ')}]({figure.group(2)})"  # the figure's caption
        else:
            self.body.paragraph(segs)
            draft.counts["paragraphs"] += 1
            text = "".join(s.text for s in segs if s.text).strip()
            if kind[0] == "para" and len(text) <= 80 and not text.endswith((".", ":", ";", ",")) \
                    and all("b" in s.fmt for s in segs if (s.text or "").strip()):
                self.bold_headings.append(number)
        return i

    def _flush_pending(self) -> None:
        for segs in self.pending_paragraphs:
            self.body.paragraph(segs)
        self.pending_paragraphs = []
        for path, caption in self.pending_images:
            self.body.image(path, caption)
        self.pending_images = []

    # -- runs -------------------------------------------------------------------------------
    def _run_format(self, run, paragraph_style: str | None) -> str:
        rpr = run.find(q("w:rPr"))
        fmt = ""
        char_style = None
        if rpr is not None:
            rstyle = rpr.find(q("w:rStyle"))
            char_style = rstyle.get(q("w:val")) if rstyle is not None else None
        for key in ("b", "i"):
            element = rpr.find(q(f"w:{key}")) if rpr is not None else None
            if element is not None:
                on = _on(element)
            else:
                on = self._style_value(char_style, key) or False
                name = (self.styles.get(char_style, {}).get("name") or char_style or "").lower()
                on = on or (key == "b" and name in ("strong", "строгий")) or (key == "i" and name in ("emphasis", "выделение"))
            if on:
                fmt += key
        align = rpr.find(q("w:vertAlign")) if rpr is not None else None
        if align is not None and align.get(q("w:val")) == "superscript":
            fmt += "^"
        elif align is not None and align.get(q("w:val")) == "subscript":
            fmt += "_"
        return fmt

    def _runs(self, element, part, fmt: str, link: str | None, pstyle: str | None) -> list[Seg]:
        segs: list[Seg] = []
        for child in element:
            tag = child.tag
            if tag == q("w:r"):
                segs.extend(self._run(child, part, link, pstyle))
            elif tag == q("w:hyperlink"):
                rid = child.get(q("r:id"))
                target = None
                if rid and rid in part.rels and part.rels[rid].is_external:
                    target = part.rels[rid].target_ref
                segs.extend(self._runs(child, part, fmt, target if target and re.match(r"(?i)^(https?|mailto):", target) else link, pstyle))
            elif tag in (q("w:ins"), q("w:moveTo")):
                self.tracked += 1
                segs.extend(self._runs(child, part, fmt, link, pstyle))
            elif tag in (q("w:del"), q("w:moveFrom")):
                self.tracked += 1
            elif tag in (q("w:smartTag"), q("w:customXml"), q("w:fldSimple"), q("w:bdo"), q("w:dir")):
                segs.extend(self._runs(child, part, fmt, link, pstyle))
            elif tag == q("w:sdt"):
                content = child.find(q("w:sdtContent"))
                if content is not None:
                    segs.extend(self._runs(content, part, fmt, link, pstyle))
            elif tag in (q("m:oMath"), q("m:oMathPara")):
                text = "".join(t.text or "" for t in child.iter(q("m:t")))
                segs.append(Seg(text))
                self.draft.check(f"an equation ({text[:40]}) was imported as plain text: check it")
        return segs

    def _run(self, run, part, link: str | None, pstyle: str | None) -> list[Seg]:
        fmt = self._run_format(run, pstyle)
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
                code = int(child.get(q("w:char"), "0"), 16)
                if code >= 0xF000:
                    code -= 0xF000
                if code:
                    segs.append(Seg(chr(code), fmt, link))
            elif tag in (q("w:footnoteReference"), q("w:endnoteReference")):
                kind = "footnote" if tag == q("w:footnoteReference") else "endnote"
                segs.append(self._call(kind, child.get(q("w:id"))))
            elif tag in (q("w:drawing"), q("w:pict"), q("w:object")):
                self._drawing(child, part)
            elif tag == q("mc:AlternateContent"):
                choice = child.find(q("mc:Choice"))
                fallback = child.find(q("mc:Fallback"))
                for option in (choice, fallback):
                    if option is not None and option.find(f".//{q('w:drawing')}") is not None or \
                            option is not None and option.find(f".//{q('w:pict')}") is not None:
                        for item in option:
                            self._drawing(item, part)
                        break
        return segs

    # -- notes ------------------------------------------------------------------------------
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
            paragraphs = [inline(self._runs(p, part, "", None, self._style_id(p)), breaks=" ")
                          for p in note.iter(q("w:p"))]
            call = self.body.note([p for p in paragraphs if p.strip()])
            self.draft.counts["footnotes" if kind == "footnote" else "endnotes"] += 1
        self.calls[key] = call
        return Seg(raw=call)

    # -- images and text boxes ---------------------------------------------------------------
    def _drawing(self, element, part) -> None:
        for box in element.iter(q("w:txbxContent")):
            for p in box.iter(q("w:p")):
                segs = self._runs(p, part, "", None, self._style_id(p))
                if any((s.text or "").strip() for s in segs):
                    self.pending_paragraphs.append(segs)
            self.draft.check("the document has a text box; its text was placed after the paragraph that holds it")
            return
        blips = element.findall(f".//{q('a:blip')}")
        image_data = element.findall(f".//{q('v:imagedata')}")
        doc_pr = element.find(f".//{q('wp:docPr')}")
        alt = ""
        if doc_pr is not None:
            alt = (doc_pr.get("descr") or doc_pr.get("title") or "").strip()
            if re.fullmatch(r"(?i)(picture|image|рисунок|изображение|drawing)\s*\d*", alt) or alt.lower().endswith((".png", ".jpg", ".jpeg")):
                alt = ""
        refs = [(b.get(q("r:embed")), b.get(q("r:link"))) for b in blips] + [(v.get(q("r:id")), None) for v in image_data]
        if not refs and element.tag == q("w:object"):
            self.draft.check("the document holds an embedded object (a chart or an old equation); it was not imported")
            self.draft.remove(f"paragraph {self.index}", "an embedded object", "not imported")
            return
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

    # -- tables -----------------------------------------------------------------------------
    def _table(self, table) -> None:
        rows = []
        has_header = False
        for n, tr in enumerate(table.findall(q("w:tr"))):
            trpr = tr.find(q("w:trPr"))
            if n == 0 and trpr is not None and trpr.find(q("w:tblHeader")) is not None:
                has_header = True
            cells = []
            for tc in tr.findall(q("w:tc")):
                tcpr = tc.find(q("w:tcPr"))
                span = 1
                merged = False
                if tcpr is not None:
                    grid = tcpr.find(q("w:gridSpan"))
                    span = int(grid.get(q("w:val"), "1")) if grid is not None and grid.get(q("w:val"), "1").isdigit() else 1
                    vmerge = tcpr.find(q("w:vMerge"))
                    merged = vmerge is not None and vmerge.get(q("w:val")) != "restart"
                paragraphs = [self._runs(p, self.part, "", None, self._style_id(p)) for p in tc.iter(q("w:p"))]
                text = " ".join(t for t in (inline(s, breaks=" ") for s in paragraphs) if t.strip())
                cells.append("" if merged else text)
                cells += [""] * (span - 1)
            rows.append(cells)
        if not rows:
            return
        if max(len(r) for r in rows) == 1:  # a one-column box: its paragraphs are text
            for tc in table.iter(q("w:tc")):
                self.body.quote([self._runs(p, self.part, "", None, self._style_id(p)) for p in tc.iter(q("w:p"))])
            self.draft.check("a one-cell table (a box) was imported as a block quote: check it")
            return
        self.body.table(rows)
        self.draft.counts["tables"] += 1
        if not has_header:
            self.draft.check(f"table {self.draft.counts['tables']}: its first row was taken as the header row")

    # -- what is not in the body -------------------------------------------------------------
    def _leftovers(self) -> None:
        draft = self.draft
        # captions written under images
        seen: set[str] = set()
        for section in self.document.sections:
            for name in ("header", "first_page_header", "even_page_header", "footer", "first_page_footer", "even_page_footer"):
                try:
                    part = getattr(section, name)
                    if part.is_linked_to_previous:
                        continue
                    text = " ".join(p.text for p in part.paragraphs).strip()
                except Exception:
                    continue
                if text and text not in seen:
                    seen.add(text)
                    draft.remove(f"page {name.replace('_', ' ')}", text, "the page header or footer")
        comments = self._related("comments")
        if comments is not None:
            try:
                root = lxml.etree.fromstring(comments.blob)
                for comment in root.iter(q("w:comment")):
                    text = " ".join("".join(t.text or "" for t in p.iter(q("w:t"))) for p in comment.iter(q("w:p"))).strip()
                    who = comment.get(q("w:author")) or "?"
                    draft.remove(f"comment {comment.get(q('w:id'))}", f"{who}: {text}", "a reviewer's comment")
            except lxml.etree.XMLSyntaxError:
                pass
        for kind, notes in self.notes.items():
            for note_id, (note, _) in notes.items():
                if (kind, note_id) not in self.calls:
                    text = " ".join(t.text or "" for t in note.iter(q("w:t"))).strip()
                    draft.remove(f"{kind} {note_id}", text, f"a {kind} that is never called")
        if self.tracked:
            draft.check(f"the document has {self.tracked} tracked change(s): the import shows insertions accepted "
                        "and deletions dropped; compare with the document in Word")
        if self.bold_headings:
            shown = ", ".join(str(n) for n in self.bold_headings[:8])
            draft.check(f"paragraph(s) {shown} are short and all bold: if they are headings, make them '## …'")
