"""What a Word paragraph or run *is*, by its style: title, heading N, list item, quote; bold, italic.

Read from the document's XML below python-docx (styles, numbering), with the inheritance of
styles (``basedOn``) followed. ``q("w:p")`` is the qualified tag of an element of WordprocessingML.
"""

from __future__ import annotations

import re

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "v": "urn:schemas-microsoft-com:vml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
}


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def on(element) -> bool:
    """A w:b / w:i toggle: present and not switched off."""
    return element is not None and element.get(q("w:val"), "true").lower() not in ("0", "false", "off", "none")


def paragraph_text(p) -> str:
    return re.sub(r"\s+", " ", "".join(t.text or "" for t in p.iter(q("w:t")))).strip()


def style_id(p) -> str | None:
    """The id of a paragraph's style."""
    style = p.find(f"{q('w:pPr')}/{q('w:pStyle')}")
    return style.get(q("w:val")) if style is not None else None


class Styles:
    """The document's styles and list numbering."""

    def __init__(self, document):
        self.styles, self.default_lang = _styles(document)
        self.numbering = _numbering(document.part)

    def value(self, style_id: str | None, key: str):
        """A style's property, inherited from the styles it is based on."""
        seen = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            value = self.styles[style_id].get(key)
            if value is not None:
                return value
            style_id = self.styles[style_id]["based"]
        return None

    def name(self, style_id: str | None) -> str:
        return (self.styles.get(style_id, {}).get("name") or style_id or "").lower()

    def kind(self, p) -> tuple:
        """("title",) ("subtitle",) ("heading", n) ("list", level, ordered) ("quote",) ("caption",) ("para",)."""
        sid = style_id(p)
        name = self.name(sid)
        if name in ("title", "название", "заголовок") or sid == "Title":
            return ("title",)
        if name in ("subtitle", "подзаголовок") or sid == "Subtitle":
            return ("subtitle",)
        heading = self._heading_level(p, sid, name)
        if heading is not None:
            return ("heading", heading)
        numbered = self._list_item(p, sid, name)
        if numbered is not None:
            return numbered
        if "quote" in name or "цитата" in name:
            return ("quote",)
        if "caption" in name or "название объекта" in name:
            return ("caption",)
        styled = re.match(r"list (bullet|number)\s*(\d?)$", name)
        if styled:
            return ("list", int(styled.group(2) or 1) - 1, styled.group(1) == "number")
        return ("para",)

    def _heading_level(self, p, sid: str | None, name: str) -> int | None:
        """By the style's name (``Heading 2``), else by the outline level of the paragraph or its style."""
        match = re.match(r"(heading|заголовок)\s*(\d)", name)
        outline = p.find(f"{q('w:pPr')}/{q('w:outlineLvl')}")
        if outline is None:
            outline = self.value(sid, "outline")
        if match:
            return int(match.group(2))
        if outline is not None and outline.get(q("w:val"), "9").isdigit() and int(outline.get(q("w:val"))) < 9:
            return int(outline.get(q("w:val"))) + 1
        return None

    def _list_item(self, p, sid: str | None, name: str) -> tuple | None:
        """("list", level, ordered) for a paragraph numbered by itself or by its style."""
        num = p.find(f"{q('w:pPr')}/{q('w:numPr')}")
        if num is None:
            num = self.value(sid, "numPr")
        if num is None:
            return None
        num_id = num.find(q("w:numId"))
        ilvl = num.find(q("w:ilvl"))
        num_id = num_id.get(q("w:val")) if num_id is not None else None
        level = ilvl.get(q("w:val"), "0") if ilvl is not None else "0"
        if not num_id or num_id == "0":
            return None
        fmt = self.numbering.get((num_id, level))
        ordered = fmt not in ("bullet", "none", None) if fmt else "number" in name
        depth = int(level) if level.isdigit() else 0
        styled = re.match(r"list (bullet|number|continue)\s*(\d)$", name)
        if depth == 0 and styled:  # "List Bullet 2": the level is in the style's name
            depth = int(styled.group(2)) - 1
        return ("list", depth, ordered)

    def run_format(self, run) -> str:
        """A run's formatting: any of b, i, and ^ or _ (superscript, subscript)."""
        rpr = run.find(q("w:rPr"))
        fmt = ""
        char_style = None
        if rpr is not None:
            rstyle = rpr.find(q("w:rStyle"))
            char_style = rstyle.get(q("w:val")) if rstyle is not None else None
        for key in ("b", "i"):
            element = rpr.find(q(f"w:{key}")) if rpr is not None else None
            if element is not None:
                is_on = on(element)
            else:
                is_on = self.value(char_style, key) or False
                name = self.name(char_style)
                is_on = is_on or (key == "b" and name in ("strong", "строгий")) or (key == "i" and name in ("emphasis", "выделение"))
            if is_on:
                fmt += key
        align = rpr.find(q("w:vertAlign")) if rpr is not None else None
        if align is not None and align.get(q("w:val")) == "superscript":
            fmt += "^"
        elif align is not None and align.get(q("w:val")) == "subscript":
            fmt += "_"
        return fmt


def _styles(document) -> tuple[dict[str, dict], str | None]:
    """style id → its name, base style, numbering, outline level, bold, italic; and the default language."""
    styles: dict[str, dict] = {}
    try:
        element = document.styles.element
    except Exception:  # no styles part
        return styles, None
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
            "b": on(rpr.find(q("w:b"))) if rpr is not None and rpr.find(q("w:b")) is not None else None,
            "i": on(rpr.find(q("w:i"))) if rpr is not None and rpr.find(q("w:i")) is not None else None,
        }
    defaults = element.find(f"{q('w:docDefaults')}/{q('w:rPrDefault')}/{q('w:rPr')}/{q('w:lang')}")
    if defaults is not None and defaults.get(q("w:val")):
        return styles, defaults.get(q("w:val")).split("-")[0].lower()
    return styles, None


def _numbering(part) -> dict[tuple[str, str], str]:
    """(numId, ilvl) → numFmt ("bullet", "decimal", …)."""
    formats: dict[tuple[str, str], str] = {}
    try:
        element = part.numbering_part.element
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
