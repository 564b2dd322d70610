"""`anthology specimen`: a short volume that uses every element the styles must handle.

Headings of every level, lists, quotations, footnotes, tables, a figure, citations with their
bibliographies, the index of names, parts and chapters, front matter, in Russian, Kazakh,
Azerbaijani and English: build it (or preview it) to check a theme. The volume's text lives in
`anthology/specimen/`; its figure is drawn here, so the package ships no binary file.
"""

from __future__ import annotations

import re
import shutil
import struct
import zlib
from pathlib import Path

from .load.styles import DEFAULT_STYLES

SPECIMEN = Path(__file__).with_suffix("")  # anthology/specimen/
FIGURE = "chapters/images/figure.png"


def theme_names() -> list[str]:
    """The bundled themes: `classic` (the defaults) and every styles/themes/*.css."""
    names = {"classic"} | {path.stem for path in (DEFAULT_STYLES / "themes").glob("*.css")}
    return sorted(names)


def write_specimen(directory: Path, theme: str = "classic", copy_styles: bool = False) -> None:
    """Write the specimen volume into `directory` (which must be new or empty)."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SPECIMEN, directory, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    manifest = directory / "anthology.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(re.sub(r"(?m)^theme: .*$", f"theme: {theme}", text, count=1), encoding="utf-8")
    figure = directory / FIGURE
    figure.parent.mkdir(parents=True, exist_ok=True)
    figure.write_bytes(figure_png())
    if copy_styles:
        shutil.copytree(DEFAULT_STYLES, directory / "styles", dirs_exist_ok=True)


def figure_png(width: int = 900, height: int = 480) -> bytes:
    """A bar chart (one bar per language of the volume, on a light grid) as a PNG, the same bytes every time."""
    white, grid, axis = (255, 255, 255), (222, 226, 230), (90, 90, 90)
    bars = [(0.82, (122, 31, 31)), (0.64, (11, 110, 138)), (0.47, (196, 140, 30)), (0.30, (70, 110, 60))]
    left, right, top, bottom = 70, width - 40, 40, height - 60
    rows = []
    slot = (right - left) / len(bars)
    for y in range(height):
        row = bytearray()
        for x in range(width):
            colour = white
            if left <= x <= right and top <= y <= bottom and (bottom - y) % 60 == 0:
                colour = grid
            for number, (share, bar_colour) in enumerate(bars):
                x0 = int(left + slot * number + slot * 0.2)
                x1 = int(left + slot * (number + 1) - slot * 0.2)
                if x0 <= x < x1 and bottom - int((bottom - top) * share) <= y < bottom:
                    colour = bar_colour
            if (x in (left, left + 1) and top <= y <= bottom) or (y in (bottom, bottom + 1) and left <= x <= right):
                colour = axis
            row.extend(colour)
        rows.append(b"\x00" + bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + chunk(b"IEND", b""))
