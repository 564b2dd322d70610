"""Where a volume's stylesheets and fonts come from: its own styles/ folder, else the bundled defaults."""

from __future__ import annotations

import re
from pathlib import Path

import tinycss2

from ..model import Volume
from ..problems import Problems

URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")

DEFAULT_STYLES = Path(__file__).parent.parent / "data" / "styles"


def style_files(volume: Volume, medium: str) -> dict[str, Path]:
    """The stylesheets for `medium` (print or epub), in cascade order: base, the medium's own, the
    theme (it sets design tokens, so it comes after every file that declares them), then the
    designer's extras. Each comes from the volume's styles/ if it has it, else the defaults."""
    chosen = {}
    for name in ("base.css", f"{medium}.css", f"themes/{volume.theme}.css"):
        own, bundled = volume.root / "styles" / name, DEFAULT_STYLES / name
        path = own if own.is_file() else bundled
        if path.is_file():
            chosen[name] = path
    for number, extra in enumerate(volume.styles, 1):
        chosen[f"extra-{number}-{extra.name}"] = extra
    return chosen


def check_stylesheets(volume: Volume, problems: Problems) -> None:
    """The theme must exist, and every resource a stylesheet names must be a file inside the project
    (or the bundled styles): the build reads nothing from the network or from elsewhere on the machine."""
    _check_theme(volume, problems)
    allowed = (volume.root.resolve(), DEFAULT_STYLES.resolve())
    sheets = {path for medium in ("print", "epub") for path in style_files(volume, medium).values()}
    for sheet in sorted(sheets):
        for number, line in enumerate(sheet.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            for match in URL.finditer(line):
                target = match.group(2) or match.group(4)
                _check_resource(sheet, number, target.strip(), allowed, problems)


def _check_resource(sheet: Path, line: int, target: str, allowed: tuple[Path, ...], problems: Problems) -> None:
    if target.startswith(("data:", "#")):
        return
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):
        problems.error(sheet, line, f"'{target}' is not a file in the project: the build never loads anything from the network",
                       code="remote-resource")
        return
    path = (sheet.parent / target).resolve()
    if not any(path.is_relative_to(root) for root in allowed):
        problems.error(sheet, line, f"'{target}' leaves the project folder", code="path-outside")
    elif not path.is_file():
        problems.error(sheet, line, f"'{target}' does not exist", code="missing-file")


def themes(volume: Volume) -> list[str]:
    """The themes a volume can choose: its own styles/themes and the bundled ones."""
    folders = [volume.root / "styles" / "themes", DEFAULT_STYLES / "themes"]
    return sorted({path.stem for folder in folders if folder.is_dir() for path in folder.glob("*.css")})


def _check_theme(volume: Volume, problems: Problems) -> None:
    if volume.theme in themes(volume):
        return
    manifest = volume.root / "anthology.yaml"
    line = next((n for n, text in enumerate(manifest.read_text(encoding="utf-8").splitlines(), 1)
                 if text.startswith("theme:")), None)
    problems.error(manifest, line, f"theme '{volume.theme}' does not exist; choose one of: {', '.join(themes(volume))}",
                   code="unknown-theme")


def _rules(sheet: Path) -> list:
    return tinycss2.parse_stylesheet(sheet.read_text(encoding="utf-8", errors="replace"), skip_comments=True,
                                     skip_whitespace=True)


def font_face_sources(sheet: Path) -> list[str]:
    """The URLs that the sheet's @font-face rules load fonts from, in order."""
    urls = []
    for rule in _rules(sheet):
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face" and rule.content:
            for declaration in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
                if declaration.type == "declaration" and declaration.lower_name == "src":
                    urls += [token.value for token in declaration.value if token.type == "url"]
                    urls += [token.arguments[0].value for token in declaration.value
                             if token.type == "function" and token.lower_name == "url" and token.arguments
                             and token.arguments[0].type == "string"]
    return urls


def custom_properties(sheets: list[Path]) -> dict[str, str]:
    """The design tokens the sheets set on :root (the last one wins, as in the cascade)."""
    tokens: dict[str, str] = {}
    for sheet in sheets:
        for rule in _rules(sheet):
            if rule.type != "qualified-rule" or tinycss2.serialize(rule.prelude).strip() != ":root":
                continue
            for declaration in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
                if declaration.type == "declaration" and declaration.name.startswith("--"):
                    tokens[declaration.name] = tinycss2.serialize(declaration.value).strip()
    return tokens
