"""Where a volume's stylesheets and fonts come from: its own styles/ folder, else the bundled defaults."""

from __future__ import annotations

from pathlib import Path

from .volume import Volume

DEFAULT_STYLES = Path(__file__).parent / "data" / "styles"


def style_files(volume: Volume, medium: str) -> dict[str, Path]:
    """The stylesheets for `medium` (print or epub), in cascade order: base, the theme, the medium's
    own, then the designer's extras. Each comes from the volume's styles/ if it has it, else the defaults."""
    chosen = {}
    for name in ("base.css", f"themes/{volume.theme}.css", f"{medium}.css"):
        own, bundled = volume.root / "styles" / name, DEFAULT_STYLES / name
        path = own if own.is_file() else bundled
        if path.is_file():
            chosen[name] = path
    for number, extra in enumerate(volume.styles, 1):
        chosen[f"extra-{number}-{extra.name}"] = extra
    return chosen


def font_files(volume: Volume) -> list[Path]:
    """The fonts that base.css loads: the volume's styles/fonts, else the bundled ones."""
    folder = volume.root / "styles" / "fonts"
    if not folder.is_dir():
        folder = DEFAULT_STYLES / "fonts"
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".ttf", ".otf", ".woff", ".woff2"))
