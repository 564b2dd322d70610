"""Bounds on what a user's files may hold, so a build ends in bounded time and memory.

Measured here (WeasyPrint 70, 2 cores): a 10,000-row table lays out in about 50 s and 810 MB,
5,000 footnotes in about 130 s; the limits below keep any one article well inside that. HTML
nested about 140 deep makes WeasyPrint exceed Python's recursion limit (#18); YAML aliases that
repeat one another six levels deep make 886 bytes half a million values (#18: 14 s, 570 MB).
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path

import lxml.etree
import tinycss2
from PIL import Image, ImageFile, UnidentifiedImageError

from .load.styles import resources
from .parse.fragment import line_of
from .problems import Problems

MAX_ARTICLE_BYTES = 1_000_000  # about 150,000 words, some 300 A5 pages
MAX_TABLE_ROWS = 5_000
# Cells cost, not rows: 4,999 rows of 40 cells took 465 s and 3.7 GB (#18); 5,000 rows of 10 cells
# lay out in about a minute.
MAX_TABLE_CELLS = 50_000
# Elements an SVG image draws once its <use> references are expanded: 1.4 KB of <use> fan-out took
# 914 s and 3 GB (#18); drawing is not interruptible, so the bound is checked before.
MAX_SVG_ELEMENTS = 100_000
MAX_FOOTNOTES = 2_000
MAX_IMAGE_BYTES = 20_000_000
MAX_IMAGE_PIXELS = 50_000_000
MAX_DOCX_BYTES = 100_000_000  # unpacked: python-docx holds every part of a .docx in memory at once
# How deep an article's HTML elements may nest, from Markdown or raw HTML alike: a list 20 levels
# deep (a list and an item each), well short of where WeasyPrint fails.
MAX_NESTING = 40
MAX_YAML_NESTING = 20  # a manifest nests 6 deep, a registry of people or CSL-YAML about as much
MAX_YAML_ALIAS_VALUES = 100_000  # values that YAML aliases (`*name`, `<<: *name`) may repeat, in all
MAX_SLUG_LENGTH = 100  # the slug names the output files; a file name may have 255 bytes

Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS  # Pillow refuses decompression bombs beyond this


def check_article_size(path: Path, size: int, problems: Problems) -> bool:
    if size <= MAX_ARTICLE_BYTES:
        return True
    problems.error(path, None, f"the article is {size / 1e6:.1f} MB; an article may be at most "
                               f"{MAX_ARTICLE_BYTES / 1e6:.0f} MB: split it into several", code="too-large")
    return False


def check_body(body, path: Path, problems: Problems) -> None:
    """Nesting, tables and footnotes within their bounds."""
    too_deep = first_too_deep(body)
    if too_deep is not None:
        problems.error(path, line_of(too_deep), f"the HTML here nests more than {MAX_NESTING} elements deep: "
                                                f"flatten it", code="too-deep")
    for table in body.iter("table"):
        rows, cells = len(table.xpath(".//tr")), len(table.xpath(".//td | .//th"))
        if rows > MAX_TABLE_ROWS:
            problems.error(path, line_of(table), f"this table has {rows:,} rows; a table may have at most "
                                                 f"{MAX_TABLE_ROWS:,}: split it or move it to a data appendix", code="too-large")
        elif cells > MAX_TABLE_CELLS:
            problems.error(path, line_of(table), f"this table has {cells:,} cells; a table may have at most "
                                                 f"{MAX_TABLE_CELLS:,}: split it or move it to a data appendix", code="too-large")
    notes = body.xpath(".//section[contains(@class, 'footnotes')]/ol/li")
    if len(notes) > MAX_FOOTNOTES:
        problems.error(path, None, f"the article has {len(notes):,} footnotes; an article may have at most {MAX_FOOTNOTES:,}",
                       code="too-large")


# What both outputs carry: WeasyPrint prints these, and they are the EPUB's core media types (any
# other image makes EPUBCheck refuse the book, RSC-032). Pillow's names for each suffix's format.
IMAGE_FORMATS = {".png": {"PNG"}, ".jpg": {"JPEG", "MPO"}, ".jpeg": {"JPEG", "MPO"}, ".gif": {"GIF"}, ".svg": {"SVG"}}
SVG = "{http://www.w3.org/2000/svg}svg"


def first_too_deep(body):
    """The first element nested more than MAX_NESTING deep in `body`, or None; walked without
    recursion, as the tree may be deeper than Python's stack."""
    depth = 0
    for event, element in lxml.etree.iterwalk(body, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > MAX_NESTING + 1:  # `body` itself is depth 1
            return element
    return None


def check_image(image: Path, source: Path, line: int | None, problems: Problems) -> bool:
    """An image must be PNG, JPEG, GIF or SVG, at most 20 MB and 50 megapixels, and decode whole."""
    def refuse(message: str, code: str = "bad-image") -> bool:
        problems.error(source, line, f"image '{image.name}' {message}", code=code)
        return False

    size = image.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return refuse(f"is {size / 1e6:.0f} MB; an image may be at most {MAX_IMAGE_BYTES / 1e6:.0f} MB: reduce it",
                      "too-large")
    formats = IMAGE_FORMATS.get(image.suffix.lower())
    if formats is None:
        return refuse(f"is a {image.suffix or 'suffix-less'} file: the book takes PNG, JPEG, GIF or SVG images, "
                      f"what both the PDF and the EPUB carry; convert it", "image-format")
    why = _svg_fault(image) if formats == {"SVG"} else _raster_fault(image, formats)
    return refuse(*why) if why else True


def _raster_fault(image: Path, formats: set[str]) -> tuple[str, str] | None:
    """Why a raster image cannot be used, if it cannot: its size is checked before it is decoded,
    then it is decoded whole (a file cut short fails here, not as a half-black figure in print)."""
    try:
        with warnings.catch_warnings(), _truncated_refused():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # refused below, by its size
            with Image.open(image) as opened:
                width, height = opened.size
                if width * height > MAX_IMAGE_PIXELS:
                    return (f"is {width}×{height} pixels; an image may have at most "
                            f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels", "too-large")
                if opened.format not in formats:
                    return f"is a {opened.format} image, not what its name says: convert it or rename it", "image-format"
                opened.load()
    except Image.DecompressionBombError:  # more than twice the bound: Pillow refuses to open it
        return f"has more than {MAX_IMAGE_PIXELS // 1_000_000} megapixels", "too-large"
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:  # Pillow's decoders raise all of these
        return f"cannot be read as an image ({exc.__class__.__name__}: {exc})", "bad-image"
    return None


@contextlib.contextmanager
def _truncated_refused():
    """WeasyPrint tells Pillow, for the whole process, to fill a file cut short with black; the
    check must see the fault. (No other thread decodes images while a volume is parsed.)"""
    before, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def _svg_fault(image: Path) -> tuple[str, str] | None:
    """Why an SVG image cannot be used, if it cannot: it must be SVG, and hold all it shows (a
    reference to another file or to the network would be missing from the EPUB, or fetched)."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = lxml.etree.parse(str(image), parser).getroot()
    except lxml.etree.XMLSyntaxError as exc:
        return f"cannot be read as SVG ({exc})", "bad-image"
    if root.tag != SVG:
        return "is not an SVG image (its root element is not <svg>)", "bad-image"
    for line, target in _svg_references(root):
        if not target.strip().startswith(("#", "data:")):
            return f"refers to '{target[:60]}' (line {line}): an SVG image must hold all it shows", "bad-image"
    drawn = svg_drawn_elements(root)
    if drawn is None:
        return "has a <use> that refers to itself, through the elements it draws", "bad-image"
    if drawn > MAX_SVG_ELEMENTS:
        return (f"draws more than {MAX_SVG_ELEMENTS:,} elements once its <use> references are expanded; "
                f"simplify it or convert it to PNG"), "too-large"
    return None


USE = "{http://www.w3.org/2000/svg}use"


def svg_drawn_elements(root) -> int | None:
    """How many elements the SVG draws with every <use> replaced by what it refers to (counted up
    to just past MAX_SVG_ELEMENTS), or None when a <use> refers to one of its own ancestors. Walked
    with a stack of its own: a chain of references may be longer than Python's stack is deep."""
    ids = {element.get("id"): element for element in root.iter() if element.get("id")}

    def parts(element) -> list:
        found = list(element.iterchildren(tag=lxml.etree.Element))
        if element.tag == USE:
            href = element.get("href") or element.get("{http://www.w3.org/1999/xlink}href") or ""
            if href.startswith("#") and href[1:] in ids:
                found.append(ids[href[1:]])
        return found

    counted, open_ = {}, set()
    stack = [(root, False)]
    while stack:
        element, closing = stack.pop()
        if closing:
            counted[element] = min(1 + sum(counted[part] for part in parts(element)), MAX_SVG_ELEMENTS + 1)
            open_.discard(element)
        elif element in open_:
            return None  # reached again before it was counted: a cycle
        elif element not in counted:
            open_.add(element)
            stack.append((element, True))
            stack.extend((part, False) for part in parts(element) if part not in counted)
    return counted[root]


def _svg_references(root) -> Iterator[tuple[int, str]]:
    """(line, URL) of every link in an SVG document and every resource its CSS names."""
    for element in root.iter():
        css = tinycss2.parse_component_value_list(element.get("style", ""))
        if element.tag == "{http://www.w3.org/2000/svg}style":
            css += tinycss2.parse_stylesheet(element.text or "")
        yield from ((element.sourceline, target) for _, target in resources(css))
        yield from ((element.sourceline, value) for name, value in element.attrib.items() if name.rpartition("}")[2] == "href")
