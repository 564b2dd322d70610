"""The contents: the volume's hierarchy in reading order, what the printed contents and the EPUB's
navigation both list."""

from __future__ import annotations

from ..labels import labels
from ..model import Article, BackMatter, TocEntry, Volume


def toc_entries(volume: Volume, extra: list[TocEntry] = ()) -> list[TocEntry]:
    """The volume's hierarchy in reading order, then `extra` back matter (such as the index):
    what the contents and the EPUB nav list."""
    chapter_level = 2 if volume.has_parts else 1
    entries = []
    for stop in volume.walk():
        if stop.kind in ("front", "back"):
            entries.append(_article_entry(stop.item, stop.kind, 1))
        elif stop.kind == "article":
            entries.append(_article_entry(stop.item, "article", chapter_level + (1 if stop.chapter.title else 0)))
        elif stop.item.title:
            level = 1 if stop.kind == "part" else chapter_level
            entries.append(TocEntry(stop.kind, stop.item.id, stop.item.title, volume.lang, level=level))
    return entries + list(extra)


def _article_entry(article: Article, kind: str, level: int) -> TocEntry:
    authors = ", ".join(a.name for a in article.authors)
    return TocEntry(kind, article.id, article.title, article.lang, authors, level)


def bibliography_entry(volume: Volume) -> TocEntry:
    """The contents' line for a volume-wide reference list."""
    return TocEntry("back", "bibliography", labels(volume.lang)["references"], volume.lang, level=1)


def back_matter_entries(back: BackMatter, volume: Volume) -> list[TocEntry]:
    """The contents' lines for what the back unit prints."""
    lab = labels(volume.lang)
    entries = [TocEntry("back", "contributors", lab["contributors"], volume.lang)] if back.people else []
    return entries + ([TocEntry("back", "index", lab["index"], volume.lang)] if back.index else [])
