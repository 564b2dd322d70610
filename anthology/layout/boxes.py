"""Reading laid-out pages: what WeasyPrint's boxes know once the layout is done, taken while the
layout still holds them (a unit's pages are written out and dropped right after). One walk a page
gives the typefaces the text is set in, every line measured (`model.Line`) and every image placed
(`model.Picture`): what the colophon names and what the proof stage reads.

These are WeasyPrint 70's internal names (`Page._page_box`, the box classes, `TextBox.pango_layout`,
`justification_spacing`, Pango's glyph runs); the version is pinned in pyproject.toml and
tests/test_layout.py and tests/test_proof.py exercise them.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from ..model import Line, Picture
from . import fonts

from weasyprint.formatting_structure import boxes as B  # noqa: E402  (after fonts, see fonts.py)
from weasyprint.text.ffi import ffi  # noqa: E402
from weasyprint.text.fonts import get_hb_object_data, get_pango_font_hb_face  # noqa: E402

PX = 0.75  # pt in a CSS px
FORCED = {"page", "left", "right", "recto", "verso"}  # break-before values that start a page


@dataclass
class Reading:
    typefaces: dict[str, int] = field(default_factory=dict)  # typeface → glyphs set in it, most first
    lines: list[Line] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)


def read_pages(pages, first_page: int, font_folders: list[Path], typefaces: bool = True) -> Reading:
    """Typefaces, lines and pictures of laid-out `pages`, the first numbered `first_page`; without
    `typefaces`, no glyph is counted (a settling trial reads only lines: counting is most of reading)."""
    walker = _Walker(font_folders, typefaces)
    for number, page in enumerate(pages, first_page):
        walker.page(page._page_box, number)
    seen = set()
    for line in reversed(walker.lines):  # a block's last line is the last one read
        line.last_in_block = line.block not in seen
        seen.add(line.block)
    return Reading(dict(walker.glyphs.most_common()), walker.lines, walker.pictures)


class _Walker:
    def __init__(self, font_folders: list[Path], typefaces: bool):
        self.spaces = _SpaceWidths(tuple(font_folders))
        self.typefaces = typefaces
        self.glyphs: Counter[str] = Counter()
        self.families: dict[int, str] = {}
        self.lines: list[Line] = []
        self.pictures: list[Picture] = []
        self.page_number = 0
        self.on_page = 0
        self.keys: dict[int, str] = {}  # block element → its key in this unit
        self.ordinals: dict[int, int] = {}  # element → its place among the document's elements of its tag
        self.started: set[int] = set()  # elements with a forced page break before them, already met
        self.pending_break = False  # the next line follows a forced page break (before it, or after the last box)

    def page(self, page_box, number: int) -> None:
        self.page_number, self.on_page = number, 0
        if not self.ordinals:
            root = next((child.element for child in page_box.children if child.element is not None
                         and child.element.tag == "html"), None)
            self.ordinals = ordinals(root) if root is not None else {}
        x, y = page_box.content_box_x(), page_box.content_box_y()
        self.text_block = (x, y, x + page_box.width, y + page_box.height)
        self.trim = (0, 0, page_box.margin_width(), page_box.margin_height())
        for child in page_box.children:
            margin = isinstance(child, B.MarginBox)
            self.walk(child, None, None, None, "body", margin)

    def walk(self, box, block, container, anchor, area: str, margin: bool) -> None:
        if isinstance(box, B.FootnoteAreaBox):
            area = "footnote"
        element = box.element
        if element is not None and not isinstance(box, (B.TextBox, B.LineBox)):
            if element.get("id"):
                anchor = element
            if isinstance(box, B.BlockContainerBox):
                block = element
        if isinstance(box, B.BlockContainerBox):
            container = box
        if isinstance(box, B.BlockLevelBox) and box.style["break_before"] in FORCED and id(element) not in self.started:
            self.started.add(id(element))  # its first fragment: the page before it ends by design
            self.pending_break = True
        if isinstance(box, B.LineBox):
            self.line(box, block, container, anchor, area, margin)
            for inline in box.descendants() if not margin else ():
                if isinstance(inline, B.ReplacedBox):  # an image in the line: most are
                    self.picture(inline, anchor)
            return
        if isinstance(box, B.ReplacedBox) and not margin:
            self.picture(box, anchor)
        for child in getattr(box, "children", ()):
            self.walk(child, block, container, anchor, area, margin)
        if isinstance(box, B.BlockLevelBox) and box.style["break_after"] in FORCED:
            self.pending_break = True  # (a box split over pages marks its continuation too: leniently)

    def key(self, element) -> str:
        """A block's key: its id, or its tag and place among the document's elements of that tag
        («p#12»), which the settle stage finds again in the unit's HTML (settle.find_block)."""
        if id(element) not in self.keys:
            self.keys[id(element)] = element.get("id") or f"{element.tag}#{self.ordinals[id(element)]}"
        return self.keys[id(element)]

    def line(self, line_box, block, container, anchor, area: str, margin: bool) -> None:
        texts = []  # (text box, inside a name)
        self.collect(line_box, False, texts)
        texts = [(box, in_name) for box, in_name in texts if box.style["visibility"] == "visible"]  # not running heads
        for text_box, _ in texts if self.typefaces else ():
            self.count_glyphs(text_box)
        if margin or not texts or block is None:
            return
        # WeasyPrint adds a U+200B to a lone space it spaces; a range's dash is followed by a U+2060, and
        # a soft hyphen where the word breaks stays in the text
        text = "".join(box.text for box, _ in texts).replace("\u2060", "").replace("\u00ad", "")
        if not text.strip(" \u200b"):
            return
        self.on_page += 1
        first = texts[0][0]
        right = max(box.position_x + box.width for box, _ in texts)
        spaces = sum(box.text.count(" ") for box, _ in texts) - (1 if text.endswith(" ") else 0)
        self.lines.append(Line(
            page=self.page_number, number=self.on_page, area=area, text=text.rstrip(" \u200b"),
            width=(right - line_box.position_x) * PX,
            available=(self.right_edge(container) - line_box.position_x) * PX, spaces=max(spaces, 0),
            extra=(max((box.justification_spacing for box, _ in texts), default=0) + _spacing(first.style)) * PX,
            space=self.spaces.width(first.style) * PX,
            hyphenated=text.rstrip(" ").endswith(first.style["hyphenate_character"]),
            justified=first.style["text_align_all"] == "justify" and not _ends_with_break(line_box),
            block=self.key(block), tag=block.tag, after_break=self.take_break(),
            classes=block.get("class") or "", anchor=anchor.get("id") if anchor is not None else "",
            name_at_end=texts[-1][1],
            depth=self.depth(line_box.position_y + line_box.height)))

    def take_break(self) -> bool:
        pending, self.pending_break = self.pending_break, False
        return pending

    def depth(self, y: float) -> float:
        """How far down the text block `y` is: 0 at its top, 1 at its foot."""
        top, bottom = self.text_block[1], self.text_block[3]
        return (y - top) / (bottom - top)

    def right_edge(self, container) -> float:
        """Where a line in `container` must end: its padding edge (a contents entry's page number
        stands in the padding), never past the text block."""
        return min(container.padding_box_x() + container.padding_width(), self.text_block[2])

    def collect(self, box, in_name: bool, into: list) -> None:
        if isinstance(box, B.TextBox):
            into.append((box, in_name))
            return
        if isinstance(box, B.InlineBox) and "mention" in (box.element.get("class") or "").split():
            in_name = True
        for child in getattr(box, "children", ()):
            self.collect(child, in_name, into)

    def count_glyphs(self, text_box) -> None:
        layout = text_box.pango_layout
        layout.reactivate(text_box.style)  # WeasyPrint lets go of a line's shaping after layout
        line, _ = layout.get_first_line()
        run = line.runs
        while run != ffi.NULL:
            item = run.data
            pointer = int(ffi.cast("uintptr_t", item.item.analysis.font))
            if pointer not in self.families:
                self.families[pointer] = _family(get_hb_object_data(get_pango_font_hb_face(item.item.analysis.font)))
            self.glyphs[self.families[pointer]] += item.glyphs.num_glyphs
            run = run.next
        layout.deactivate()

    def picture(self, box, block) -> None:
        image = box.replacement
        pixels = getattr(image, "width", None) if image.__class__.__name__ == "RasterImage" else None
        source = Path(str(getattr(image, "filename", "") or box.element.get("src") or "")).name
        self.pictures.append(Picture(
            page=self.page_number, block=block.get("id") if block is not None else "",
            x=box.position_x * PX, y=box.position_y * PX, right=(box.position_x + box.width) * PX,
            bottom=(box.position_y + box.height) * PX,
            ppi=pixels / (box.width * PX / 72) if pixels and box.width else 0.0, source=source,
            outside=self.outside(box), colour=getattr(image, "mode", "") if pixels else "",
            depth=self.depth(box.position_y + box.height)))

    def outside(self, box) -> str:
        """What the image reaches beyond: the page (its trim), the text block, or nothing."""
        edges = (box.position_x, box.position_y, box.position_x + box.width, box.position_y + box.height)
        for name, (left, top, right, bottom) in (("trim", self.trim), ("text block", self.text_block)):
            if edges[0] < left - 1 or edges[1] < top - 1 or edges[2] > right + 1 or edges[3] > bottom + 1:
                return name
        return ""


def _ends_with_break(line_box) -> bool:
    """The line ends with a <br>: it is set like a paragraph's last line."""
    box = line_box
    while getattr(box, "children", ()):
        box = box.children[-1]
        if box.element_tag == "br":
            return True
    return False


def _spacing(style) -> float:
    """What `word-spacing` and `letter-spacing` add to a word space (px; a settled paragraph's are negative)."""
    letter = style["letter_spacing"]
    return style["word_spacing"] + (0 if letter == "normal" else letter)


def ordinals(root) -> dict[int, int]:
    """id(element) → its place (from 1) among the elements of its tag under `root`, in document order."""
    counts: Counter[str] = Counter()
    places = {}
    for element in root.iter():
        if isinstance(element.tag, str):
            counts[element.tag] += 1
            places[id(element)] = counts[element.tag]
    return places


class _SpaceWidths:
    """The width of a normal word space (in em) in each of the volume's families."""

    def __init__(self, folders: tuple[Path, ...]):
        self.by_family = _space_widths(folders)

    def width(self, style) -> float:
        family = next((f for f in style["font_family"] if f in self.by_family), None)
        return self.by_family.get(family, 0.25) * style["font_size"]


@lru_cache(maxsize=8)
def _space_widths(folders: tuple[Path, ...]) -> dict[str, float]:
    widths = {}
    for face in fonts.faces(list(folders)):
        if face.family not in widths or "Regular" in face.path.name:
            font = TTFont(face.path, lazy=True)
            widths[face.family] = font["hmtx"][font.getBestCmap()[32]][0] / font["head"].unitsPerEm
    return widths


_FAMILIES: dict[bytes, str] = {}  # font file digest → family name


def _family(font_data: bytes) -> str:
    digest = hashlib.sha256(font_data).digest()
    if digest not in _FAMILIES:
        _FAMILIES[digest] = TTFont(io.BytesIO(font_data), lazy=True)["name"].getBestFamilyName()
    return _FAMILIES[digest]
