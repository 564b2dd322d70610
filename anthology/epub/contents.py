"""What goes into the EPUB: its documents, the back matter's entries in the navigation, styles, images."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import assemble
from ..load.styles import style_files
from ..model import Enriched, EpubDocument, TocEntry
from . import back, documents


@dataclass
class EpubContents:
    """What goes into the EPUB: its documents, the back matter's nav entries, styles and images."""

    docs: list[EpubDocument]
    toc_extra: list[TocEntry]
    styles: dict[str, Path]
    images: dict[Path, str]
    links: list[str]  # the stylesheets as the documents link them


def epub_contents(prepared: Enriched, volume, index: list, contributors: list[dict],
                  cite_lines: dict[str, str] | None = None) -> EpubContents:
    """The EPUB's documents for `volume` (the whole volume, or the part a preview shows), with the
    articles' cite lines (article id → HTML) when the volume has them."""
    shown = {article.id for article in volume.articles()}
    images = {path: name for path, name in epub_image_names(prepared).items()
              if any(path in prepared.articles[a].parsed.images.values() for a in shown)}
    styles = style_files(prepared.volume, "epub")
    links = [f"../styles/{name}" for name in styles]
    first_cited: dict[str, tuple[str, str]] = {}
    docs = documents.epub_documents(volume, prepared.articles, images, links, first_cited, cite_lines)
    toc_extra = []
    if prepared.bibliography is not None:
        docs.append(back.epub_bibliography(volume, prepared.bibliography, first_cited, links))
        toc_extra.append(assemble.bibliography_entry(volume))
    if contributors:
        docs.append(back.epub_contributors(volume, contributors, links))
        toc_extra.append(TocEntry("back", "contributors", docs[-1].title, volume.lang))
    if index:
        anchors = {m.anchor: m.article_id for m in prepared.mentions}
        docs.append(back.epub_index(volume, index, anchors, links))
        toc_extra.append(TocEntry("back", "index", docs[-1].title, volume.lang))
    return EpubContents(docs, toc_extra, styles, images, links)


def epub_image_names(prepared: Enriched) -> dict[Path, str]:
    """A unique file name inside the EPUB for every image the articles use."""
    names_by_path: dict[Path, str] = {}
    for enriched in prepared.articles.values():
        for path in enriched.parsed.images.values():
            if path not in names_by_path:
                # a name that is a valid URL and id as it is: no spaces, '%' or Cyrillic in the package
                safe = re.sub(r"[^A-Za-z0-9._-]+", "_", path.name)
                stem = f"images/{len(names_by_path) + 1:03d}-{safe}"
                names_by_path[path] = stem
    return names_by_path
