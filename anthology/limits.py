"""Bounds on what a user's files may hold, so a build ends in bounded time and memory.

Measured here (WeasyPrint 70, 2 cores): a 10,000-row table lays out in about 50 s and 810 MB,
5,000 footnotes in about 130 s; the limits below keep any one article well inside that. HTML
nested about 140 deep makes WeasyPrint exceed Python's recursion limit (#18); YAML aliases that
repeat one another six levels deep make 886 bytes half a million values (#18: 14 s, 570 MB).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from PIL import Image, UnidentifiedImageError

from .parse.fragment import line_of
from .problems import Problems

MAX_ARTICLE_BYTES = 1_000_000  # about 150,000 words, some 300 A5 pages
MAX_TABLE_ROWS = 5_000
MAX_FOOTNOTES = 2_000
MAX_IMAGE_BYTES = 20_000_000
MAX_IMAGE_PIXELS = 50_000_000
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
        rows = len(table.xpath(".//tr"))
        if rows > MAX_TABLE_ROWS:
            problems.error(path, line_of(table), f"this table has {rows:,} rows; a table may have at most "
                                                 f"{MAX_TABLE_ROWS:,}: split it or move it to a data appendix", code="too-large")
    notes = body.xpath(".//section[contains(@class, 'footnotes')]/ol/li")
    if len(notes) > MAX_FOOTNOTES:
        problems.error(path, None, f"the article has {len(notes):,} footnotes; an article may have at most {MAX_FOOTNOTES:,}",
                       code="too-large")


def first_too_deep(body):
    """The first element nested more than MAX_NESTING deep in `body`, or None; walked without
    recursion, as the tree may be deeper than Python's stack."""
    depth = 0
    for event, element in etree.iterwalk(body, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > MAX_NESTING + 1:  # `body` itself is depth 1
            return element
    return None


def check_image(image: Path, source: Path, line: int | None, problems: Problems) -> bool:
    """An image must be readable, at most 20 MB and 50 megapixels."""
    size = image.stat().st_size
    if size > MAX_IMAGE_BYTES:
        problems.error(source, line, f"image '{image.name}' is {size / 1e6:.0f} MB; an image may be at most "
                                     f"{MAX_IMAGE_BYTES / 1e6:.0f} MB: reduce it", code="too-large")
        return False
    try:
        with Image.open(image) as opened:
            width, height = opened.size
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as exc:
        problems.error(source, line, f"image '{image.name}' cannot be read as an image ({exc.__class__.__name__})",
                       code="bad-image")
        return False
    if width * height > MAX_IMAGE_PIXELS:
        problems.error(source, line, f"image '{image.name}' is {width}×{height} pixels; an image may have at most "
                                     f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels", code="too-large")
        return False
    return True
