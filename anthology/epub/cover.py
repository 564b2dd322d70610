"""The EPUB's cover image: the publisher's own (`cover:` in the manifest), or one drawn from the
title, subtitle, editors and the theme's accent colour in the volume's own fonts. A raster (PNG),
because shop and library shelves make their thumbnails from it and not all of them read SVG."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..enrich.typography import typeset
from ..model import Volume

WIDTH, HEIGHT = 1600, 2560  # the 1:1.6 portrait that the big e-book shops ask for
MARGIN = 150


def cover_name(volume: Volume) -> str:
    """The cover image's name in the package."""
    suffix = volume.cover.suffix.lower().replace(".jpeg", ".jpg") if volume.cover is not None else ".png"
    return f"images/cover{suffix}"


def cover_image(volume: Volume, accent: str, fonts: list[Path]) -> tuple[str, bytes]:
    """(name in the package, bytes) of the cover image."""
    if volume.cover is not None:
        return cover_name(volume), volume.cover.read_bytes()
    return cover_name(volume), _drawn(volume, _colour(accent), fonts)


def _drawn(volume: Volume, background: tuple[int, int, int], fonts: list[Path]) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), background)
    draw = ImageDraw.Draw(image)
    bold, regular = _font(fonts, "Bold"), _font(fonts, "Regular")
    ink = (255, 255, 255) if sum(background) < 3 * 150 else (26, 26, 26)

    def text(value: str | None) -> str:  # quotes, dashes and no-break spaces as on the title page
        return typeset(value, volume.lang) or ""

    editors = ", ".join(text(editor.name) for editor in volume.editors)
    y = _block(draw, editors, regular, 64, 260, ink)
    y = _block(draw, text(volume.title), bold, 120, max(y + 260, 820), ink)
    if volume.subtitle:
        _block(draw, text(volume.subtitle), regular, 72, y + 80, ink)
    draw.line([(MARGIN, HEIGHT - 420), (WIDTH - MARGIN, HEIGHT - 420)], fill=ink, width=4)
    y = _block(draw, text(volume.publisher), regular, 56, HEIGHT - 360, ink)
    _block(draw, ", ".join(p for p in (volume.place, volume.year) if p), regular, 56, y, ink)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _block(draw, text: str, font_path: Path | None, size: int, top: int, ink) -> int:
    """`text` set centred in lines that fit the width, from `top`; the y below it."""
    font = ImageFont.truetype(str(font_path), size) if font_path else ImageFont.load_default(size)
    y = top
    for line in _lines(text, font):
        width = draw.textlength(line, font=font)
        draw.text(((WIDTH - width) / 2, y), line, font=font, fill=ink)
        y += int(size * 1.3)
    return y


def _lines(text: str, font) -> list[str]:
    """`text` in lines that fit, broken at spaces (not at the no-break spaces typography put in)."""
    lines, line = [], ""
    for word in filter(None, text.split(" ")):
        trial = f"{line} {word}".strip()
        if line and font.getlength(trial) > WIDTH - 2 * MARGIN:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + ([line] if line else [])


def _font(fonts: list[Path], style: str) -> Path | None:
    """The sans face of that style among the volume's fonts (display type), else any of that style."""
    ranked = sorted((path for path in fonts if style in path.stem), key=lambda path: ("Sans" not in path.stem, path.name))
    return ranked[0] if ranked else (fonts[0] if fonts else None)


def _colour(value: str) -> tuple[int, int, int]:
    """#rgb or #rrggbb; anything else (a named colour, a function) gives the default dark red."""
    value = value.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    try:
        return tuple(int(value[i:i + 2], 16) for i in (0, 2, 4)) if len(value) == 6 else (122, 31, 31)
    except ValueError:
        return (122, 31, 31)
