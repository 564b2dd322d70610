"""Reading laid-out pages: what WeasyPrint's boxes know once the layout is done.

These are WeasyPrint 70's internal names (`Page._page_box`, `TextBox.pango_layout`, Pango's glyph
runs); the version is pinned in pyproject.toml and tests/test_fonts.py exercises them.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter

from fontTools.ttLib import TTFont

from . import fonts  # noqa: F401  (before WeasyPrint: see fonts.py)

from weasyprint.formatting_structure.boxes import TextBox  # noqa: E402
from weasyprint.text.ffi import ffi  # noqa: E402
from weasyprint.text.fonts import get_hb_object_data, get_pango_font_hb_face  # noqa: E402


def text_boxes(pages):
    for page in pages:
        for box in page._page_box.descendants():
            if isinstance(box, TextBox):
                yield box


def typefaces(pages) -> dict[str, int]:
    """Each typeface the pages are set in (its family name, read from the font file itself, not
    from what the CSS called it), with how many glyphs are set in it: what a PDF embeds."""
    counts: Counter[str] = Counter()
    names: dict[int, str] = {}
    for box in text_boxes(pages):
        box.pango_layout.reactivate(box.style)  # WeasyPrint lets go of a line's shaping after layout
        line, _ = box.pango_layout.get_first_line()
        run = line.runs
        while run != ffi.NULL:
            item = run.data
            pointer = int(ffi.cast("uintptr_t", item.item.analysis.font))
            if pointer not in names:
                names[pointer] = _family(get_hb_object_data(get_pango_font_hb_face(item.item.analysis.font)))
            counts[names[pointer]] += item.glyphs.num_glyphs
            run = run.next
        box.pango_layout.deactivate()
    return dict(counts.most_common())


_FAMILIES: dict[bytes, str] = {}  # font file digest → family name


def _family(font_data: bytes) -> str:
    digest = hashlib.sha256(font_data).digest()
    if digest not in _FAMILIES:
        _FAMILIES[digest] = TTFont(io.BytesIO(font_data), lazy=True)["name"].getBestFamilyName()
    return _FAMILIES[digest]
