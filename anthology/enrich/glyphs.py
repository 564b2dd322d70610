"""Every character the book prints must have a glyph in one of the volume's fonts.

The renderer sees no font but the volume's (fonts.py), so a character none of them covers would
print as an empty box, or make Pango drop it. It is found here, before any layout, with the place
it comes from and the font stack that was meant to set it.
"""

from __future__ import annotations

from pathlib import Path

from ..layout import fonts
from ..parse.fragment import line_of, text_pieces
from ..problems import Problems
from ..load.styles import custom_properties, style_files

DISPLAY_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "th"}
MONO_TAGS = {"code", "pre", "kbd", "samp", "tt"}


def check_coverage(prepared, problems: Problems, as_error: bool = False) -> None:
    """A warning (an error with `as_error`) for each character no font covers, once per place."""
    volume = prepared.volume
    folders = fonts.font_folders(volume.root)
    for path, why in fonts.unreadable(folders):
        problems.error(path, None, f"not a font file that can be read ({why}): replace it or remove it",
                       code="bad-font")
    covers = fonts.covered(folders)
    stacks = custom_properties(list(style_files(volume, "print").values()))
    report = problems.error if as_error else problems.warning

    def check(text: str | None, path: Path, line: int | None, token: str = "--font-text") -> None:
        for char in fonts.uncovered(text or "", covers):
            stack = stacks.get(token, "the default font")
            where = line + text[:text.index(char)].count("\n") if line is not None else None
            report(path, where, f"{fonts.describe(char)} is in none of the volume's fonts (font stack {stack}): "
                               f"it would print as an empty box; use another character or add a font that has it "
                               f"to styles/fonts/", code="missing-glyph")

    manifest = volume.root / "anthology.yaml"
    for text in [volume.title, volume.subtitle, volume.publisher, volume.place, volume.description, volume.rights,
                 *(e.name for e in volume.editors), *volume.imprint.values()]:
        check(text, manifest, None)
    for enriched in prepared.articles.values():
        article = enriched.article
        for text in [article.title, article.subtitle, article.abstract, article.source, *article.keywords,
                     *(a.name for a in article.authors), *(a.affiliation for a in article.authors)]:
            check(text, article.path, 1)
        for part in (enriched.parsed.body, enriched.bibliography):
            if part is not None:
                _check_fragment(part, article.path, check)
    if prepared.registry is not None:
        for person in prepared.registry.people.values():
            check(person.heading, person.path, person.line)


def _check_fragment(root, path: Path, check) -> None:
    for element, text, line in text_pieces(root, line_of(root)):
        check(text, path, line, _token(element))


def _token(element) -> str:
    """The design token whose font stack sets this element's text."""
    for node in [element, *element.iterancestors()]:
        if node.tag in MONO_TAGS:
            return "--font-mono"
        if node.tag in DISPLAY_TAGS:
            return "--font-display"
    return "--font-text"
