"""What the stages hand one another: plain data, defined here and nowhere else.

load → `Volume` (its articles, parts and chapters, and one reading order: `Volume.walk`);
parse → `ParsedArticle`; enrich → `EnrichedArticle`; assemble → `TocEntry`, `EpubDocument`;
lay out → `BackMatter` and the page map (docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
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
    line: int | None = None  # where it is given (front matter or manifest), for problems


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
    doi: str | None = None
    title_en: str | None = None     # for indexes and registration, when the article is not in English
    abstract_en: str | None = None
    lines: dict[str, int] = field(default_factory=dict)  # front-matter key → its line, for problems

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
class ProofSettings:
    """The proof's thresholds (docs/proof.md): the defaults, changed by the manifest's `proof:`."""

    loose_space: float = 2.5    # a justified line's word space, × the font's normal space, at most
    tight_space: float = 0.7    # a line's word space, × the font's normal space, at least
    short_line: float = 0.6     # a justified line (not the last) filling less of the measure than this
    overfull: float = 0.5       # pt a line may stick out before it counts
    ladder: int = 3             # hyphenated lines in a row that make a ladder
    widow_lines: int = 2        # lines of a paragraph that a page may begin or end with, at least
    min_ppi: float = 300        # an image's resolution at its printed size (press and archive)
    signature: int = 16         # pages in a printed section: a press PDF's page count is a multiple
    end_page: float = 0.25      # share of the text block an article's last page fills, at least
    full_page: float = 0.8      # share of the text block any other page fills, at least
    settle: bool = True         # lay out again the paragraphs at fault, in the variant that mends them (layout/settle.py)
    ignore: list[str] = field(default_factory=list)  # kinds not reported
    accept: list[str] = field(default_factory=list)  # faults the editor has seen and let stand: "path:line kind"

    @classmethod
    def names(cls) -> set[str]:
        return {f.name for f in fields(cls)}


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
    proof: ProofSettings = field(default_factory=ProofSettings)
    hyphenation: list[str] = field(default_factory=list)  # words spelled with their breaks: «Ka-zakh-stan»
    cover: Path | None = None  # the EPUB's cover image (PNG or JPEG); None: drawn from the title
    cite_line: bool = False  # a «Для цитирования» line on each article's opening page, with its real pages
    registration: dict = field(default_factory=dict)  # what indexes and the DOI agency are told (docs/format.md)
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


@dataclass
class Line:
    """One laid-out line, measured while the layout still holds it: what the proof reads."""

    page: int              # printed page number
    number: int            # its place among the page's lines (1: the first), in reading order
    area: str              # body | footnote
    text: str
    width: float           # pt taken by its text
    available: float       # pt the line may take
    spaces: int            # word spaces in it
    extra: float           # pt added to each word space: by justification, word- and letter-spacing
    space: float           # pt of a normal word space in its font
    hyphenated: bool       # ends with the hyphen of a word broken across lines
    justified: bool        # set justified, its word spaces stretching (not a block's last line, nor before a <br>)
    block: str             # its block (paragraph, heading, cell, list item, note), unique within the unit
    tag: str               # tag of the block's element (p, h2, caption, td, li, span for a note…)
    classes: str           # class attribute of the block's element
    anchor: str            # id of the nearest element that has one: where the source is found ("": none)
    depth: float = 0.0     # how far down the text block its foot is (0: the top, 1: the foot)
    after_break: bool = False   # the first line after a forced page break (an article's, a section's)
    last_in_block: bool = False
    name_at_end: bool = False   # its last word is a person's name (a mention of the index)


@dataclass
class Picture:
    """One image as laid out: where it sits and how many pixels it prints with."""

    page: int
    block: str
    x: float               # pt from the page's left edge, with the top, right and bottom
    y: float
    right: float
    bottom: float
    ppi: float             # pixels per inch at its printed size (0 for a vector image)
    source: str            # the image's file name
    outside: str = ""      # "text block" or "trim" when it reaches beyond them
    depth: float = 0.0     # how far down the text block its foot is (0: the top, 1: the foot)
    colour: str = ""       # the raster image's colour mode (RGB, CMYK, L…; empty for a vector image)


@dataclass
class Finding:
    """A fault on the laid-out pages, as a proofreader or a printer's preflight would mark it."""

    kind: str              # loose-line, hyphen-ladder, parted-pair, widow… (docs/proof.md)
    page: int
    line: int | None       # its place among the page's lines
    text: str              # the line (or what is at fault)
    path: str              # the file whose text it is, relative to the volume
    source_line: int | None
    message: str
    accepted: bool = False  # listed in the manifest's `proof: accept:`

    @property
    def where(self) -> str:
        return f"{self.path}:{self.source_line}" if self.source_line else self.path

    @property
    def keys(self) -> set[str]:
        """How `proof: accept:` may name it: «chapters/01.md:21 loose-line», or the whole file's
        «chapters/01.md loose-line»."""
        return {f"{self.where} {self.kind}", f"{self.path} {self.kind}"}

    def __str__(self) -> str:
        on_page = f"page {self.page}" + (f", line {self.line}" if self.line else "")
        return f"{self.where}: {self.kind}: {self.message} ({on_page}: «{self.text}»)"
