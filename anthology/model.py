"""What the stages hand one another: plain data, defined here and nowhere else.

load → `Volume` (its articles, parts and chapters, and one reading order: `Volume.walk`);
parse → `ParsedArticle`; enrich → `EnrichedArticle`; assemble → `TocEntry`, `EpubDocument`;
lay out → `BackMatter` and the page map (docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

import lxml.html

if TYPE_CHECKING:
    from .assemble.imprint import PaperFormat
    from .names import IndexEntry, Mention, Registry


Progress = Callable[[str, int, int], None]  # (stage, done, total): how far a long stage has come


def no_progress(stage: str, done: int, total: int) -> None:
    pass


@dataclass
class Contributor:
    """A person named in the book as its maker: an article's author or the volume's editor (the
    people the index names are `names.Person`)."""

    name: str
    affiliation: str | None = None
    email: str | None = None
    orcid: str | None = None
    role: str | None = None


@dataclass
class Article:
    id: str
    path: Path
    rel: str
    title: str
    body: str
    body_line: int
    lang: str
    subtitle: str | None = None
    short_title: str | None = None
    authors: list[Contributor] = field(default_factory=list)
    abstract: str | None = None
    keywords: list[str] = field(default_factory=list)
    date: str | None = None
    source: str | None = None
    index_names: bool = True
    references: list[Path] = field(default_factory=list)
    nocite: list[str] = field(default_factory=list)
    citation_style: str | None = None
    role: str = "article"  # article | front | back

    @property
    def running_head(self) -> str:
        """What the recto running head shows: the authors' surnames, else the short title."""
        surnames = [a.name.split()[-1] for a in self.authors if a.name.split()]
        if surnames and len(surnames) <= 2:
            return ", ".join(surnames)
        return self.short_title or self.title


@dataclass
class Chapter:
    id: str
    title: str | None
    articles: list[Article]


@dataclass
class Part:
    id: str
    title: str | None
    chapters: list[Chapter]


@dataclass(frozen=True)
class Stop:
    """One place in the reading order: an article (of the front matter, the body or the back
    matter), a part or a chapter, with the part and chapter it stands in."""

    kind: str  # front | part | chapter | article | back
    item: Article | Chapter | Part
    part: Part | None = None
    chapter: Chapter | None = None


ARTICLE_KINDS = ("front", "article", "back")


@dataclass
class Volume:
    root: Path
    title: str
    lang: str
    slug: str
    subtitle: str | None = None
    date: str | None = None
    year: str | None = None
    editors: list[Contributor] = field(default_factory=list)
    publisher: str | None = None
    place: str | None = None
    identifiers: dict[str, str] = field(default_factory=dict)
    rights: str | None = None
    description: str | None = None
    keywords: list[str] = field(default_factory=list)
    people: Path | None = None
    references: list[Path] = field(default_factory=list)
    page_size: tuple[str, str] = ("148mm", "210mm")
    page_size_name: str | None = "A5"
    styles: list[Path] = field(default_factory=list)
    theme: str = "classic"
    citation_style: str | None = None
    bibliography: str = "per-article"
    imprint: dict = field(default_factory=dict)
    bleed: str = "3mm"
    front: list[Article] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    back: list[Article] = field(default_factory=list)
    built: dt.datetime | None = None  # the build's date: SOURCE_DATE_EPOCH, else the manifest's date, else now

    def walk(self) -> Iterator[Stop]:
        """The reading order, one stop at a time: front matter, then each part, its chapters and
        their articles, then back matter. Every traversal of the volume goes through here."""
        for article in self.front:
            yield Stop("front", article)
        for part in self.parts:
            yield Stop("part", part, part)
            for chapter in part.chapters:
                yield Stop("chapter", chapter, part, chapter)
                for article in chapter.articles:
                    yield Stop("article", article, part, chapter)
        for article in self.back:
            yield Stop("back", article)

    def articles(self) -> list[Article]:
        """Every article in reading order: front matter, the body, back matter."""
        return [stop.item for stop in self.walk() if stop.kind in ARTICLE_KINDS]

    @property
    def has_parts(self) -> bool:
        return any(part.title for part in self.parts)




@dataclass
class ParsedArticle:
    """An article after parsing: its metadata and its body as an lxml element."""

    article: Article
    body: lxml.html.HtmlElement
    images: dict[str, Path] = field(default_factory=dict)


@dataclass
class EnrichedArticle:
    """A parsed article after the enrich stage, plus its own reference list (if any)."""

    parsed: ParsedArticle
    bibliography: lxml.html.HtmlElement | None = None

    @property
    def article(self) -> Article:
        return self.parsed.article


@dataclass
class TocEntry:
    kind: str  # part | chapter | article | front | back
    id: str
    title: str
    lang: str
    authors: str = ""
    level: int = 1


@dataclass
class BackMatter:
    """What the back unit prints: contributors, the index of names, the colophon."""

    people: list[dict]
    index: list[tuple[str, list[IndexEntry]]]
    colophon: bool
    paper: PaperFormat | None = None
    sheets: str | None = None
    typefaces: list[str] = field(default_factory=list)  # what the book is set in, most used first



@dataclass
class EpubDocument:
    """One XHTML file of the EPUB."""

    file_name: str  # relative to the package folder, e.g. text/visit.xhtml
    title: str
    lang: str
    xhtml: str
    matter: str  # frontmatter | bodymatter | backmatter
    landmark: str | None = None
    pages: list[int] = field(default_factory=list)  # the print pages whose markers it holds


@dataclass
class Enriched:
    """A volume loaded, parsed and enriched: what assembling and laying out start from."""

    volume: Volume
    articles: dict[str, EnrichedArticle]
    registry: Registry | None
    mentions: list[Mention] = field(default_factory=list)
    bibliography: lxml.html.HtmlElement | None = None  # the volume-wide reference list (`bibliography: volume`)
