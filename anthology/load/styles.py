"""Where a volume's stylesheets and fonts come from: its own styles/ folder, else the bundled defaults."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import tinycss2

from .. import limits
from ..confine import confined
from ..model import Volume
from ..problems import Problems

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
    """The theme must exist, and every file the stylesheets and fonts come from, and every resource a
    stylesheet names, must be a file inside the project (or the bundled styles): the build reads
    nothing from the network or from elsewhere on the machine."""
    _check_theme(volume, problems)
    roots = (volume.root, DEFAULT_STYLES)
    sheets = {path for medium in ("print", "epub") for path in style_files(volume, medium).values()}
    for path in [*sorted(sheets), *_font_folder(volume)]:
        confined(path, roots, problems, path, None, f"it links to {path.resolve()}, which")
    for sheet in sorted(sheets):
        for line, target in resources(_rules(sheet)):
            _check_resource(sheet, line, target.strip(), roots, problems)


def _font_folder(volume: Volume) -> list[Path]:
    """The volume's styles/fonts/ and everything in it: fontconfig reads the whole folder."""
    folder = volume.root / "styles" / "fonts"
    if not folder.exists():
        return []
    if folder.is_symlink() or not folder.is_dir():
        return [folder]
    return [folder, *sorted(folder.rglob("*"))]


def _check_resource(sheet: Path, line: int, target: str, roots: tuple[Path, ...], problems: Problems) -> None:
    if target.startswith(("data:", "#")):
        return
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):
        problems.error(sheet, line, f"'{target}' is not a file in the project: the build never loads anything from the network",
                       code="remote-resource")
        return
    path = confined(sheet.parent / unquote(urlsplit(target).path), roots, problems, sheet, line, f"'{target}'")
    if path is not None and not path.is_file():
        problems.error(sheet, line, f"'{target}' does not exist", code="missing-file")
    elif path is not None and path.suffix.lower() in limits.IMAGE_FORMATS:
        limits.check_image(path, sheet, line, problems)  # a background is drawn as a figure is


# url("…") and src("…") name a resource by a string; so do the bare strings of image-set() and its kin.
URL_FUNCTIONS = {"url", "src", "image", "image-set", "-webkit-image-set", "cross-fade"}


def resources(nodes) -> Iterator[tuple[int, str]]:
    """(line, URL) of every resource that CSS nodes (rules or tokens from tinycss2) would load:
    url(), src(), the strings of image-set() and its kin, @import; escapes decoded, blocks and
    functions searched at any depth. @namespace names a namespace and loads nothing."""
    nodes = [node for node in nodes if not (node.type == "at-rule" and node.lower_at_keyword == "namespace")]
    for node in walk(nodes):
        if node.type == "url":
            yield node.source_line, node.value
        elif node.type == "function" and node.lower_name in URL_FUNCTIONS:
            yield from _strings(node.arguments)
        elif node.type == "at-rule" and node.lower_at_keyword == "import":
            yield from _strings(node.prelude)


def walk(nodes) -> Iterator:
    """Every node of a tinycss2 tree, depth first."""
    for node in nodes or ():
        yield node
        for children in ("prelude", "content", "arguments", "value"):
            inner = getattr(node, children, None)
            if isinstance(inner, list):
                yield from walk(inner)


def _strings(nodes) -> Iterator[tuple[int, str]]:
    return ((node.source_line, node.value) for node in nodes if node.type == "string")


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
