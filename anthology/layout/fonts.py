"""The volume's fonts and no others: what the renderer may see, what the text needs, what the EPUB carries.

WeasyPrint finds fonts through fontconfig, which by default sees every font installed on the
machine; a family missing from the volume then silently comes from the system, and a book looks
different on every machine. So every render gets a private fontconfig configuration that lists
only the bundled `styles/fonts/` and the volume's own `styles/fonts/` (docs/fonts.md says why this
way). fontconfig reads `FONTCONFIG_FILE` each time a configuration is loaded, and WeasyPrint loads
one when it is first imported and again for each `FontConfiguration`: both happen here, with the
variable pointing at a file written for the purpose, and it is put back afterwards.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

import icu
import uharfbuzz as hb
from fontTools.ttLib import TTFont

from .. import environment, scratch
from ..confine import inside
from ..load.styles import DEFAULT_STYLES, font_face_sources

FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")
BUNDLED_FONTS = DEFAULT_STYLES / "fonts"
LICENCE_NAMES = ("OFL.txt", "LICENSE", "LICENSE.txt", "LICENCE.txt", "COPYING")

_private = scratch.folder("anthology-fonts")


def font_folders(root: Path) -> list[Path]:
    """The folders fonts come from: the volume's `styles/fonts/` (if it has one), then the bundled one."""
    folders = [inside(root / "styles" / "fonts", [root]), BUNDLED_FONTS.resolve()]  # never a link out
    return [folder for number, folder in enumerate(folders)
            if folder is not None and folder.is_dir() and folder not in folders[:number]]


def font_files(folders: list[Path]) -> list[Path]:
    return [path for folder in folders for path in sorted(folder.iterdir())
            if path.suffix.lower() in FONT_SUFFIXES and path.is_file() and inside(path, [folder])]


def _configuration_file(folders: list[Path]) -> Path:
    """A fontconfig file that lists `folders` and nothing else (no system folder, no include)."""
    key = hashlib.sha256("\0".join(map(str, folders)).encode()).hexdigest()[:16]
    path = _private / f"fonts-{key}.conf"
    if not path.is_file():
        dirs = "".join(f"<dir>{html.escape(str(folder))}</dir>" for folder in folders)
        cache = html.escape(str(_private / "cache"))
        path.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
                        f"<fontconfig>{dirs}<cachedir>{cache}</cachedir></fontconfig>\n", encoding="utf-8")
    return path


with environment.variable("FONTCONFIG_FILE", str(_configuration_file([BUNDLED_FONTS.resolve()]))):
    from weasyprint.text.fonts import FontConfiguration  # loads a configuration once, on import


def font_configuration(folders: list[Path]) -> FontConfiguration:
    """One font configuration for a whole build: give it to every CSS() and every render()."""
    with environment.variable("FONTCONFIG_FILE", str(_configuration_file(folders))):
        return FontConfiguration()


# --- what the fonts cover -------------------------------------------------------------------------


@dataclass(frozen=True)
class Face:
    path: Path
    family: str
    covers: frozenset[int]


@lru_cache(maxsize=64)
def _read_face(path: Path, stamp: tuple[int, int]) -> Face | str:
    """The font at `path`, or why it cannot be read."""
    try:
        font = TTFont(path, lazy=True, fontNumber=0)
        return Face(path, font["name"].getBestFamilyName() or path.stem, frozenset(font.getBestCmap() or ()))
    except Exception as exc:  # fontTools fails on a damaged file with many kinds of error
        return f"{type(exc).__name__}: {exc}"


def _read_all(folders: list[Path]) -> list[tuple[Path, Face | str]]:
    return [(path, _read_face(path, (path.stat().st_mtime_ns, path.stat().st_size))) for path in font_files(folders)]


def faces(folders: list[Path]) -> list[Face]:
    """The fonts of `folders` that can be read (fontconfig passes over the others too)."""
    return [face for _, face in _read_all(folders) if isinstance(face, Face)]


def unreadable(folders: list[Path]) -> list[tuple[Path, str]]:
    """(path, why) of each file in `folders` named as a font that is not one."""
    return [(path, face) for path, face in _read_all(folders) if isinstance(face, str)]


def covered(folders: list[Path]) -> frozenset[int]:
    """Every code point some font of the volume has a glyph for (fontconfig falls back across them)."""
    return frozenset().union(*(face.covers for face in faces(folders)))


def needs_glyph(char: str) -> bool:
    """False for white space, controls and default-ignorable characters (soft hyphen, joiners): text
    shaping draws nothing for them, so no font has to cover them."""
    if char in "\n\r\t" or unicodedata.category(char) in ("Cc", "Zl", "Zp"):
        return False
    return not icu.Char.hasBinaryProperty(char, icu.UProperty.DEFAULT_IGNORABLE_CODE_POINT)


def uncovered(text: str, covers: frozenset[int]) -> list[str]:
    """The characters of `text` that no font covers, each once, in the order they first appear."""
    return [char for char in dict.fromkeys(text) if ord(char) not in covers and needs_glyph(char)]


def describe(char: str) -> str:
    """'😀' (U+1F600 GRINNING FACE)."""
    return f"'{char}' (U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED CHARACTER')})"


# --- the EPUB's fonts -----------------------------------------------------------------------------

# Always kept: what a reading system may draw itself (list numbers, the leader of a contents line,
# quotation marks and dashes that CSS generated content adds).
ALWAYS_KEPT = "".join(chr(c) for c in range(0x20, 0x7F)) + "\u00a0«»„“”‘’‚–—…№§°·•\u2009\u202f\u2011"


def subset_font(path: Path, characters: set[str]) -> bytes:
    """The font reduced to the glyphs `characters` need (HarfBuzz's subsetter, about 1 ms a font),
    with every OpenType feature and every name kept, the licence fields among them. The font's own
    dates are kept, so the same font and characters give the same bytes."""
    subset = hb.SubsetInput()
    subset.unicode_set.update(ord(char) for char in characters | set(ALWAYS_KEPT))
    for kept in (hb.SubsetInputSets.LAYOUT_FEATURE_TAG, hb.SubsetInputSets.NAME_ID, hb.SubsetInputSets.NAME_LANG_ID):
        everything = subset.sets(kept)
        everything.clear()
        everything.invert()
    return hb.subset(hb.Face(path.read_bytes()), subset).blob.data


def licences(font_paths: list[Path]) -> list[Path]:
    """The licence files that travel with these fonts (an OFL font must carry its licence)."""
    folders = dict.fromkeys(path.parent for path in font_paths)
    return [folder / name for folder in folders for name in LICENCE_NAMES if (folder / name).is_file()]


def epub_font_files(styles: dict[str, Path]) -> dict[str, Path]:
    """The fonts the EPUB's stylesheets load (styles: name in the package's styles/ → file), by their
    name in the package: each @font-face URL resolved against the sheet's place there."""
    found: dict[str, Path] = {}
    for name, sheet in styles.items():
        for url in font_face_sources(sheet):
            path = (sheet.parent / unquote(url)).resolve()
            package_name = posixpath.normpath(posixpath.join("styles", posixpath.dirname(name), url))
            if path.is_file() and path.suffix.lower() in FONT_SUFFIXES:
                found.setdefault(package_name, path)
    return found
