"""The EPUB, in one place: its documents made from the enriched articles (`documents.py`, `back.py`),
what goes in (`contents.py`), the print pages marked (`pages.py`), the stylesheets as reading
systems read them (`styles.py`), the cover (`cover.py`), the accessibility metadata
(`accessibility.py`) and the package written with ebooklib (`package.py`). `make_epub` is the
whole of it, after the layout."""

from __future__ import annotations

from pathlib import Path

from ..layout import fonts
from ..assemble.cite import cite_lines
from ..assemble.contents import toc_entries
from ..problems import Problems
from ..load.styles import custom_properties
from ..write.atomic import atomic_output
from .contents import EpubContents, epub_contents
from .cover import cover_image
from .package import nav_document, with_page_list, write_epub
from .pages import mark_pages, page_starts, page_targets
from .styles import resolved_styles, resolved_tokens


def make_epub(prepared, book, target: Path) -> None:
    """The EPUB of the laid-out `book`: its page-list and index locators are the print pages."""
    volume = prepared.volume
    cites = cite_lines(prepared, book.pages_of, Problems(root=volume.root)) if volume.cite_line else {}
    contents = epub_contents(prepared, volume, book.index, book.contributors, cites)
    found_fonts = fonts.epub_font_files(contents.styles)
    accent = resolved_tokens(custom_properties(list(contents.styles.values()))).get("--colour-accent", "")
    cover = cover_image(volume, accent, list(found_fonts.values()))
    nav = nav_document(volume, contents.docs, toc_entries(volume, contents.toc_extra), contents.links)
    docs = [*contents.docs[:2], nav, *contents.docs[2:]]  # the print order: title and imprint, then contents
    lines = [line for unit in book.units for line in unit.lines]
    docs = mark_pages(docs, page_starts(lines, book.page_map), book.page_map)
    docs[2] = with_page_list(docs[2], page_targets(docs))
    with atomic_output(target) as temporary:
        write_epub(volume, docs, toc_entries(volume, contents.toc_extra), resolved_styles(contents.styles),
                   contents.images, temporary, volume.built, cover, files=_epub_fonts(contents, found_fonts))


def _epub_fonts(contents: EpubContents, found: dict[str, Path]) -> dict[str, bytes]:
    """The fonts the EPUB's stylesheets load, each cut down to the characters the book uses (its
    documents and the text its stylesheets add), and their licence files beside them."""
    characters = set().union(*(doc.xhtml for doc in contents.docs), *(
        path.read_text(encoding="utf-8", errors="replace") for path in contents.styles.values()))
    files = {name: fonts.subset_font(path, characters) for name, path in found.items()}
    for licence in fonts.licences(list(found.values())):
        files[f"styles/fonts/{licence.name}"] = licence.read_bytes()
    return files
