"""Load stage: `anthology.yaml` and the article files → a validated `Volume`.

Every problem is collected with its `path:line`, so `anthology check` can list them all at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import limits
from .problems import Problems
from .yamlload import Mapping, Sequence, load_yaml, read_text

MANIFEST = "anthology.yaml"

# Page sizes as (width, height) CSS lengths. 60x84/16 is the Russian book format 145×215 mm.
PAGE_SIZES = {
    "A4": ("210mm", "297mm"),
    "A5": ("148mm", "210mm"),
    "B5": ("176mm", "250mm"),
    "60x84/16": ("145mm", "215mm"),
    "70x100/16": ("170mm", "240mm"),
}
EDITOR_ROLES = {"editor", "editor-in-chief", "compiler", "translator", "reviewer"}
BIBLIOGRAPHY_PLACEMENTS = {"per-article", "volume"}

MANIFEST_KEYS = {
    "title", "subtitle", "lang", "slug", "date", "editors", "publisher", "place", "year",
    "identifiers", "rights", "description", "keywords", "people", "references", "page_size",
    "styles", "theme", "citation_style", "bibliography", "front", "parts", "chapters", "back",
    "imprint", "bleed",
}
ARTICLE_KEYS = {
    "title", "subtitle", "authors", "lang", "abstract", "keywords", "date", "source", "id",
    "short_title", "index", "references", "nocite", "citation_style",
}
AUTHOR_KEYS = {"name", "affiliation", "email", "orcid"}
IDENTIFIER_KEYS = {"isbn_print", "isbn_epub", "uuid", "doi"}
IMPRINT_KEYS = {"udc", "bbk", "author_sign", "format", "print_run", "address", "signed", "order", "paper"}
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
LENGTH = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt)$")


@dataclass
class Person:
    """A contributor: an article's author or the volume's editor."""

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
    authors: list[Person] = field(default_factory=list)
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


@dataclass
class Volume:
    root: Path
    title: str
    lang: str
    slug: str
    subtitle: str | None = None
    date: str | None = None
    year: str | None = None
    editors: list[Person] = field(default_factory=list)
    publisher: str | None = None
    place: str | None = None
    identifiers: dict[str, str] = field(default_factory=dict)
    rights: str | None = None
    description: str | None = None
    keywords: list[str] = field(default_factory=list)
    people: Path | None = None
    references: list[Path] = field(default_factory=list)
    page_size: tuple[str, str] = PAGE_SIZES["A5"]
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

    def articles(self) -> list[Article]:
        """Every article in reading order: front matter, the body, back matter."""
        body = [a for part in self.parts for ch in part.chapters for a in ch.articles]
        return [*self.front, *body, *self.back]


def load_volume(root: Path, problems: Problems) -> Volume | None:
    """Load and validate the volume in `root`; None when the manifest cannot be read at all."""
    root = root.resolve()
    problems.root = root
    manifest_path = root / MANIFEST
    if not manifest_path.is_file():
        problems.error(manifest_path, None, f"no {MANIFEST} here: is {root} a volume folder?", code="no-manifest")
        return None
    text = read_text(manifest_path, problems)
    if text is None:
        return None
    data = load_yaml(text, manifest_path, problems)
    if data is None:
        if not problems.errors:
            problems.error(manifest_path, 1, "the manifest is empty")
        return None
    if not isinstance(data, Mapping):
        problems.error(manifest_path, data.line if hasattr(data, "line") else 1, "the manifest must be a mapping of keys")
        return None
    return _ManifestReader(root, manifest_path, data, problems).volume()


def check_keys(data: Mapping, known: set[str], path: Path, problems: Problems, what: str) -> None:
    """Warn about each unknown key, with a did-you-mean when a known key is close."""
    for key in data:
        if key in known:
            continue
        close = difflib.get_close_matches(str(key), sorted(known), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        problems.warning(path, data.line_of(key), f"unknown key '{key}' in {what}{hint}", code="unknown-key")


def as_text(value) -> str | None:
    """A scalar as text (YAML gives dates and numbers their own types)."""
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip() if not isinstance(value, (Mapping, Sequence)) else None


def resolve_inside(root: Path, base: Path, value, path: Path, line: int, problems: Problems, what: str) -> Path | None:
    """Resolve a user path relative to `base`, refusing anything outside the project folder."""
    if not isinstance(value, str) or not value.strip():
        problems.error(path, line, f"{what} must be a path")
        return None
    if Path(value).is_absolute() or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value):
        problems.error(path, line, f"{what} '{value}' must be a path relative to the project folder", code="path-outside")
        return None
    resolved = (base / value).resolve()
    if not resolved.is_relative_to(root):
        problems.error(path, line, f"{what} '{value}' leaves the project folder", code="path-outside")
        return None
    return resolved


class _ManifestReader:
    """Reads one manifest; each method validates one part of it."""

    def __init__(self, root: Path, path: Path, data: Mapping, problems: Problems):
        self.root, self.path, self.data, self.problems = root, path, data, problems
        self.seen_files: dict[Path, int] = {}
        self.seen_ids: dict[str, Article] = {}

    def error(self, key, message: str, code: str = "invalid") -> None:
        self.problems.error(self.path, self.data.line_of(key), message, code)

    def text(self, key, required: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problems.error(self.path, 1, f"the manifest has no '{key}'", code="missing")
            return None
        text = as_text(value)
        if text is None:
            self.error(key, f"'{key}' must be text")
        return text

    def volume(self) -> Volume:
        check_keys(self.data, MANIFEST_KEYS, self.path, self.problems, "the manifest")
        lang = self.text("lang") or "ru"
        title = self.text("title", required=True) or "Untitled"
        volume = Volume(
            root=self.root,
            title=title,
            lang=lang,
            slug=self.slug(title),
            subtitle=self.text("subtitle"),
            date=self.text("date"),
            year=self.text("year"),
            editors=self.people_list("editors", EDITOR_ROLES),
            publisher=self.text("publisher"),
            place=self.text("place"),
            identifiers=self.identifiers(),
            rights=self.text("rights"),
            description=self.text("description"),
            keywords=self.words("keywords"),
            people=self.file("people"),
            references=self.files("references"),
            page_size=self.page_size(),
            page_size_name=self.page_size_name(),
            styles=self.files("styles"),
            theme=self.text("theme") or "classic",
            citation_style=self.text("citation_style"),
            bibliography=self.choice("bibliography", BIBLIOGRAPHY_PLACEMENTS, "per-article"),
            imprint=self.imprint(),
            bleed=self.length("bleed", "3mm"),
        )
        if volume.year is None and volume.date:
            volume.year = volume.date[:4]
        volume.front = self.articles(self.data, "front", lang, role="front")
        volume.parts = self.parts(lang)
        volume.back = self.articles(self.data, "back", lang, role="back")
        if not volume.articles() and not self.problems.errors:
            self.problems.error(self.path, 1, "the manifest lists no articles (give 'parts' or 'chapters')")
        return volume

    def slug(self, title: str) -> str:
        slug = self.text("slug")
        if slug and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", slug):
            self.error("slug", f"slug '{slug}' may hold only Latin letters, digits, '.', '_' and '-'")
            slug = None
        return slug or "volume"

    def choice(self, key: str, allowed: set[str], default: str) -> str:
        value = self.text(key)
        if value is None:
            return default
        if value not in allowed:
            self.error(key, f"'{key}' must be one of: {', '.join(sorted(allowed))}")
            return default
        return value

    def length(self, key: str, default: str) -> str:
        value = self.text(key)
        if value is None:
            return default
        if not LENGTH.match(value):
            self.error(key, f"'{key}' must be a length such as 3mm")
            return default
        return value

    def words(self, key: str, data: Mapping | None = None, path: Path | None = None) -> list[str]:
        data = self.data if data is None else data
        value = data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [w.strip() for w in value.split(",") if w.strip()]
        if isinstance(value, Sequence) and all(not isinstance(v, (Mapping, Sequence)) for v in value):
            return [as_text(v) for v in value]
        self.problems.error(path or self.path, data.line_of(key), f"'{key}' must be a list of words")
        return []

    def section(self, key: str, known: set[str]) -> tuple[Mapping | None, dict[str, str]]:
        """A mapping of known text fields (such as `identifiers` or `imprint`), checked like the manifest."""
        value = self.data.get(key)
        if value is None:
            return None, {}
        if not isinstance(value, Mapping):
            self.error(key, f"'{key}' must be a mapping ({', '.join(sorted(known))})")
            return None, {}
        check_keys(value, known, self.path, self.problems, key)
        return value, {k: as_text(v) for k, v in value.items() if k in known and v is not None}

    def identifiers(self) -> dict[str, str]:
        value, result = self.section("identifiers", IDENTIFIER_KEYS)
        for key in ("isbn_print", "isbn_epub"):
            if key in result and not valid_isbn(result[key]):
                self.problems.error(self.path, value.line_of(key), f"{key} '{result[key]}' is not a valid ISBN (check digit)")
        return result

    def people_list(self, key: str, roles: set[str]) -> list[Person]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, Sequence):
            self.error(key, f"'{key}' must be a list")
            return []
        return [p for p in (read_person(v, ln, self.path, self.problems, roles) for v, ln in zip(value, value.item_lines)) if p]

    def file(self, key: str) -> Path | None:
        value = self.data.get(key)
        if value is None:
            return None
        found = resolve_inside(self.root, self.root, value, self.path, self.data.line_of(key), self.problems, f"'{key}'")
        if found and not found.is_file():
            self.error(key, f"'{key}': file '{value}' does not exist", code="missing-file")
            return None
        return found

    def files(self, key: str, base: Path | None = None) -> list[Path]:
        """Paths listed under `key`, relative to `base` (the project folder by default)."""
        base = base or self.root
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = Sequence([value])
            value.item_lines = [self.data.line_of(key)]
        if not isinstance(value, Sequence):
            self.error(key, f"'{key}' must be a list of paths")
            return []
        found = []
        for item, line in zip(value, value.item_lines):
            path = resolve_inside(self.root, base, item, self.path, line, self.problems, f"'{key}'")
            if path and not path.is_file():
                self.problems.error(self.path, line, f"'{key}': file '{item}' does not exist", code="missing-file")
            elif path:
                found.append(path)
        return found

    def imprint(self) -> dict[str, str]:
        value, result = self.section("imprint", IMPRINT_KEYS | {"typeface"})
        if "typeface" in result:
            self.problems.warning(self.path, value.line_of("typeface"),
                                  "'typeface' is not needed: the colophon names the fonts the book is really set in",
                                  code="derived-value")
            del result["typeface"]
        return result

    def page_size_name(self) -> str | None:
        value = self.data.get("page_size", "A5")
        return value.replace("×", "x") if isinstance(value, str) else None

    def page_size(self) -> tuple[str, str]:
        value = self.data.get("page_size")
        if value is None:
            return PAGE_SIZES["A5"]
        if isinstance(value, str) and value.replace("×", "x") in PAGE_SIZES:
            return PAGE_SIZES[value.replace("×", "x")]
        if isinstance(value, Sequence) and len(value) == 2 and all(LENGTH.match(str(v)) for v in value):
            return (str(value[0]), str(value[1]))
        self.error("page_size", f"page_size must be one of {', '.join(PAGE_SIZES)} or [width, height] such as [145mm, 215mm]")
        return PAGE_SIZES["A5"]

    def parts(self, lang: str) -> list[Part]:
        parts_value, chapters_value = self.data.get("parts"), self.data.get("chapters")
        if parts_value is not None and chapters_value is not None:
            self.error("chapters", "give either 'parts' or 'chapters' at the top level, not both")
        if parts_value is None:
            chapters = self.chapters(self.data, "chapters", lang, "ch")
            return [Part(id="part-1", title=None, chapters=chapters)] if chapters else []
        if not isinstance(parts_value, Sequence):
            self.error("parts", "'parts' must be a list")
            return []
        parts = []
        for n, (item, line) in enumerate(zip(parts_value, parts_value.item_lines), 1):
            if not isinstance(item, Mapping):
                self.problems.error(self.path, line, "each part must be a mapping with 'title' and 'chapters'")
                continue
            check_keys(item, {"title", "chapters", "id"}, self.path, self.problems, "a part")
            parts.append(Part(id=f"part-{n}", title=as_text(item.get("title")), chapters=self.chapters(item, "chapters", lang, f"p{n}-ch")))
        return parts

    def chapters(self, data: Mapping, key: str, lang: str, prefix: str) -> list[Chapter]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, Sequence):
            self.problems.error(self.path, data.line_of(key), f"'{key}' must be a list")
            return []
        chapters = []
        for n, (item, line) in enumerate(zip(value, value.item_lines), 1):
            if not isinstance(item, Mapping):
                self.problems.error(self.path, line, "each chapter must be a mapping with 'title' and 'articles'")
                continue
            check_keys(item, {"title", "articles", "id"}, self.path, self.problems, "a chapter")
            if "articles" not in item:
                self.problems.error(self.path, line, "this chapter has no 'articles'")
            chapters.append(Chapter(id=f"{prefix}{n}", title=as_text(item.get("title")), articles=self.articles(item, "articles", lang)))
        return chapters

    def articles(self, data: Mapping, key: str, lang: str, role: str = "article") -> list[Article]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, Sequence):
            self.problems.error(self.path, data.line_of(key), f"'{key}' must be a list of article files")
            return []
        found = []
        for item, line in zip(value, value.item_lines):
            article = self.article(item, line, lang, role)
            if article:
                found.append(article)
        return found

    def article(self, value, line: int, lang: str, role: str) -> Article | None:
        path = resolve_inside(self.root, self.root, value, self.path, line, self.problems, "article")
        if path is None:
            return None
        if path in self.seen_files:
            self.problems.error(self.path, line, f"article '{value}' is listed twice (first at line {self.seen_files[path]})", code="duplicate-article")
            return None
        self.seen_files[path] = line
        if not path.is_file():
            self.problems.error(self.path, line, f"article file '{value}' does not exist", code="missing-file")
            return None
        article = load_article(path, self.root, lang, self.problems, role)
        if article is None:
            return None
        if article.id in self.seen_ids:
            other = self.seen_ids[article.id]
            self.problems.error(path, 1, f"article id '{article.id}' is already used by {other.rel}", code="duplicate-id")
            return None
        self.seen_ids[article.id] = article
        return article


def read_person(value, line: int, path: Path, problems: Problems, roles: set[str] | None = None) -> Person | None:
    """A person given as a name or as a mapping (name, affiliation, email, orcid, role)."""
    if isinstance(value, str):
        return Person(name=value.strip())
    if not isinstance(value, Mapping) or not as_text(value.get("name")):
        problems.error(path, line, "each person needs a 'name'")
        return None
    known = AUTHOR_KEYS | ({"role"} if roles else set())
    check_keys(value, known, path, problems, "a person")
    role = as_text(value.get("role"))
    if roles and role and role not in roles:
        problems.error(path, value.line_of("role"), f"role '{role}' is not one of: {', '.join(sorted(roles))}")
    orcid = as_text(value.get("orcid"))
    if orcid and not re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", orcid):
        problems.warning(path, value.line_of("orcid"), f"ORCID '{orcid}' does not look like 0000-0000-0000-0000")
    return Person(
        name=as_text(value["name"]),
        affiliation=as_text(value.get("affiliation")),
        email=as_text(value.get("email")),
        orcid=orcid,
        role=role,
    )


def split_front_matter(text: str, path: Path, problems: Problems) -> tuple[Mapping | None, str, int]:
    """(front matter, body, line where the body starts)."""
    match = FRONT_MATTER.match(text)
    if not match:
        if text.startswith("---"):
            problems.error(path, 1, "front matter is not closed by a '---' line", code="yaml")
        return None, text, 1
    body_line = text[: match.end()].count("\n") + 1
    data = load_yaml(match.group(1) or "", path, problems, first_line=2)
    if data is not None and not isinstance(data, Mapping):
        problems.error(path, 2, "front matter must be a mapping of keys")
        data = None
    return data, text[match.end():], body_line


def load_article(path: Path, root: Path, default_lang: str, problems: Problems, role: str = "article") -> Article | None:
    """Read one article file: front matter validated, body kept as Markdown."""
    if not limits.check_article_size(path, path.stat().st_size, problems):
        return None
    text = read_text(path, problems)
    if text is None:
        return None
    before = len(problems.errors)
    meta, body, body_line = split_front_matter(text, path, problems)
    if len(problems.errors) > before:
        return None
    meta = meta if meta is not None else Mapping()
    check_keys(meta, ARTICLE_KEYS, path, problems, "front matter")
    title = as_text(meta.get("title"))
    if not title:
        problems.error(path, meta.line_of("title") if "title" in meta else 1, "the article has no 'title' in its front matter", code="missing-title")
        return None
    article_id = as_text(meta.get("id")) or derive_id(path)
    if not ID_PATTERN.match(article_id):
        problems.error(path, meta.line_of("id"), f"id '{article_id}' must start with a Latin letter and hold only letters, digits, '-' and '_'")
        return None
    authors_value = meta.get("authors") or Sequence()
    if isinstance(authors_value, (str, Mapping)):
        authors_value = Sequence([authors_value])
        authors_value.item_lines = [meta.line_of("authors")]
    elif not isinstance(authors_value, Sequence):
        problems.error(path, meta.line_of("authors"), "'authors' must be a list of names or of mappings with 'name'")
        authors_value = Sequence()
    authors = [p for p in (read_person(v, ln, path, problems) for v, ln in zip(authors_value, authors_value.item_lines)) if p]
    reader = _ManifestReader(root, path, meta, problems)
    return Article(
        id=article_id,
        path=path,
        rel=str(path.relative_to(root)),
        title=title,
        body=body,
        body_line=body_line,
        lang=as_text(meta.get("lang")) or default_lang,
        subtitle=as_text(meta.get("subtitle")),
        short_title=as_text(meta.get("short_title")),
        authors=authors,
        abstract=as_text(meta.get("abstract")),
        keywords=reader.words("keywords", meta, path),
        date=as_text(meta.get("date")),
        source=as_text(meta.get("source")),
        index_names=meta.get("index", True) is not False,
        references=reader.files("references", path.parent),
        nocite=reader.words("nocite", meta, path),
        citation_style=as_text(meta.get("citation_style")),
        role=role,
    )


def derive_id(path: Path) -> str:
    """An anchor id from a file name: `01-visit.md` → `a01-visit`."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", path.stem).strip("-") or "article"
    return stem if stem[0].isalpha() else f"a{stem}"


def valid_isbn(isbn: str) -> bool:
    """Check an ISBN-10 or ISBN-13 by its check digit."""
    digits = re.sub(r"[\s-]", "", isbn.upper())
    if re.fullmatch(r"\d{13}", digits):
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
        return (10 - total % 10) % 10 == int(digits[12])
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits))
        return total % 11 == 0
    return False
