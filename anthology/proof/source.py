"""Where a laid-out line comes from: the file, and the line in it, that hold its text."""

from __future__ import annotations

import re

from ..load import MANIFEST
from ..model import Enriched
from ..parse.fragment import line_of

WORD = re.compile(r"[^\W_]+")


class Sources:
    """Maps a line's anchor (the id of the element it lies in) to its source file and line."""

    def __init__(self, enriched: Enriched):
        self.manifest = MANIFEST
        self.elements: dict[str, tuple[str, object]] = {}
        self.people: dict[str, tuple[str, int | None]] = {}
        for enriched_article in enriched.articles.values():
            article = enriched_article.article
            self.elements[article.id] = (article.rel, None)
            for part in (enriched_article.parsed.body, enriched_article.bibliography):
                for element in part.iter() if part is not None else ():
                    if isinstance(element.tag, str) and element.get("id"):
                        self.elements[element.get("id")] = (article.rel, element)
        if enriched.registry is not None:
            root = enriched.volume.root
            for person in enriched.registry.people.values():
                self.people[f"index-{person.id}"] = (_relative(person.path, root), person.line)

    def locate(self, anchor: str, text: str = "") -> tuple[str, int | None]:
        """(path relative to the volume, line in it) of `text`, laid out inside the element `anchor`."""
        if anchor in self.people:
            return self.people[anchor]
        if anchor not in self.elements:
            return self.manifest, None  # front and back matter the volume's metadata makes
        path, element = self.elements[anchor]
        if element is None:
            return path, 1  # the article's header: its front matter
        return path, _line_in(element, text)


def _line_in(element, text: str) -> int | None:
    """The source line of `text` inside `element`: a run of its words found in the element's
    text, whose soft line breaks the enrich stage keeps, counted from the element's own line.
    The run may begin a few words in, past what the book adds (a caption's «Таблица 1.»)."""
    start = line_of(element)
    words = WORD.findall(text)
    source = element.text_content()
    for first in range(min(len(words), 4)):
        found = re.search(r"[\W_]+".join(map(re.escape, words[first:first + 3])), source)
        if found:
            return (start or 1) + source[:found.start()].count("\n") if start is not None else None
    return start


def _relative(path, root) -> str:
    try:
        return str(root.joinpath(path).resolve().relative_to(root))
    except ValueError:
        return str(path)
