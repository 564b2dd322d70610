"""The EPUB, in one place: its documents made from the enriched articles (`documents.py`, `back.py`,
with the print pages marked: `pages.py`), what goes in (`contents.py`), and the package written
with ebooklib (`package.py`). `make_epub` is the whole of it, after the layout."""

from __future__ import annotations

from pathlib import Path

from ..layout import fonts
from ..assemble.contents import toc_entries
from ..write.atomic import atomic_output
from .contents import EpubContents, epub_contents
from .package import write_epub
from .pages import page_breaks, page_targets


def make_epub(prepared, book, target: Path) -> None:
    """The EPUB of the laid-out `book`: its page-list and index locators are the print pages."""
    volume = prepared.volume
    breaks = page_breaks(volume, prepared.articles, book.page_map, book.body_pages)
    contents = epub_contents(prepared, volume, breaks, book.index, book.contributors)
    pages = page_targets(contents.docs)
    with atomic_output(target) as temporary:
        write_epub(volume, contents.docs, toc_entries(volume, contents.toc_extra), contents.styles,
                   contents.images, temporary, volume.built, pages=pages,
                   extra_features=_features(pages, book), files=_epub_fonts(contents))


def _epub_fonts(contents: EpubContents) -> dict[str, bytes]:
    """The fonts the EPUB's stylesheets load, each cut down to the characters the book uses (its
    documents and the text its stylesheets add), and their licence files beside them."""
    text = "".join(doc.xhtml for doc in contents.docs) + "".join(
        path.read_text(encoding="utf-8", errors="replace") for path in contents.styles.values())
    found = fonts.epub_font_files(contents.styles)
    files = {name: fonts.subset_font(path, text) for name, path in found.items()}
    for licence in fonts.licences(list(found.values())):
        files[f"styles/fonts/{licence.name}"] = licence.read_bytes()
    return files


def _features(pages: list, book) -> list[str]:
    """Accessibility features the EPUB has beyond the standard ones."""
    features = ["printPageNumbers", "pageBreakMarkers"] if pages else []
    return features + (["index"] if book.index else [])
