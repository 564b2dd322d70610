"""Reading the manifest, `anthology.yaml`: the volume's metadata and its parts, chapters and
articles, every problem collected with its `path:line`."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from .. import limits
from ..confine import confined
from ..model import Article, Chapter, Contributor, Part, ProofSettings, Volume
from ..problems import Problems
from . import fields
from .articles import load_article
from .yaml import Mapping, Sequence, load_yaml, read_text

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
    "imprint", "bleed", "proof", "hyphenation", "cover", "editorial", "cite_line", "registration",
}
REGISTRATION_KEYS = {"english_abstract", "depositor", "email", "registrant", "resource"}
IDENTIFIER_KEYS = {"isbn_print", "isbn_epub", "uuid", "doi"}
IMPRINT_KEYS = {"udc", "bbk", "author_sign", "format", "print_run", "address", "signed", "order", "paper"}
SPELLED_BREAKS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
LENGTH = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt)$")


def _proof_value_problem(value, default) -> str | None:
    """What a proof setting must be, when `value` is not of the kind its `default` is."""
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "true or false"
    if isinstance(value, bool) or not isinstance(value, (int, type(default))):
        return "a whole number" if isinstance(default, int) else "a number"
    least = 1 if isinstance(default, int) else 1e-9
    if value < least:
        return f"at least {least:g}"
    return None


def load_volume(root: Path, problems: Problems) -> Volume | None:
    """Load and validate the volume in `root`; None when the manifest cannot be read at all."""
    root = Path(root).resolve()
    problems.root = root
    manifest_path = root / MANIFEST
    if not manifest_path.is_file():
        problems.error(manifest_path, None, f"no {MANIFEST} here: is {root} a volume folder?", code="no-manifest")
        return None
    if confined(manifest_path, [root], problems, manifest_path, None, f"it links to {manifest_path.resolve()}, which") is None:
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
    return ManifestReader(root, manifest_path, data, problems).volume()


class ManifestReader:
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
        text = fields.as_text(value)
        if text is None:
            self.error(key, f"'{key}' must be text")
        return text

    def volume(self) -> Volume:
        fields.check_keys(self.data, MANIFEST_KEYS, self.path, self.problems, "the manifest")
        lang = fields.language(self.data, "lang", self.path, self.problems) or "ru"
        title = self.text("title", required=True) or "Untitled"
        volume = Volume(
            root=self.root,
            title=title,
            lang=lang,
            slug=self.slug(title),
            subtitle=self.text("subtitle"),
            date=fields.date(self.data, "date", self.path, self.problems),
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
            proof=self.proof(),
            hyphenation=self.hyphenation(),
            cover=self.cover(),
            cite_line=self.flag("cite_line"),
            registration=self.registration(),
        )
        if volume.year is None and volume.date:
            volume.year = volume.date[:4]
        volume.front = self.articles(self.data, "front", lang, role="front")
        volume.parts = self.parts(lang)
        volume.back = self.articles(self.data, "back", lang, role="back")
        volume.built = build_time(volume)
        self.unsigned(volume)
        if not volume.articles() and not self.problems.errors:
            self.problems.error(self.path, 1, "the manifest lists no articles (give 'parts' or 'chapters')")
        return volume

    def unsigned(self, volume: Volume) -> None:
        """A warning for each article without authors, unless `editorial:` lists it as the editors' own."""
        own: set[Path] = set()
        value = self.data.get("editorial")
        if value is not None and not isinstance(value, Sequence):
            self.error("editorial", "'editorial' must be a list of article files (the editors' own, without authors)")
        elif value is not None:
            for item, line in zip(value, value.item_lines):
                path = fields.resolve_inside(self.root, self.root, item, self.path, line, self.problems, "article")
                if path is not None and path not in self.seen_files:
                    self.problems.warning(self.path, line, f"'editorial' names '{item}', which the volume does not list",
                                          code="editorial-unknown")
                elif path is not None:
                    own.add(path)
        for article in volume.articles():
            if not article.authors and article.path not in own:
                self.problems.warning(article.path, 1, "the article has no 'authors'; add them to its front matter, "
                                      "or list it under 'editorial:' in anthology.yaml if the editors wrote it",
                                      code="no-authors")

    def slug(self, title: str) -> str:
        slug = self.text("slug")
        if slug and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", slug):
            self.error("slug", f"slug '{slug}' may hold only Latin letters, digits, '.', '_' and '-'")
            slug = None
        if slug and len(slug) > limits.MAX_SLUG_LENGTH:  # it names the output files, and their temporary twins
            self.error("slug", f"the slug is {len(slug)} characters long; it names the output files and may have "
                               f"at most {limits.MAX_SLUG_LENGTH}", code="too-large")
            slug = None
        return slug or "volume"

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(key, f"'{key}' must be true or false")
            return default
        return value

    def registration(self) -> dict:
        """What the DOI agency and the indexes are told besides the volume's metadata: the
        depositor, and whether every article needs an English abstract (docs/format.md)."""
        value, result = self.section("registration", REGISTRATION_KEYS)
        if value is not None and "english_abstract" in value:
            if not isinstance(value["english_abstract"], bool):
                self.problems.error(self.path, value.line_of("english_abstract"), "'english_abstract' must be true or false")
            result["english_abstract"] = value["english_abstract"] is True
        return result

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

    def words(self, key: str) -> list[str]:
        return fields.words(self.data, key, self.path, self.problems)

    def section(self, key: str, known: set[str]) -> tuple[Mapping | None, dict[str, str]]:
        """A mapping of known text fields (such as `identifiers` or `imprint`), checked like the manifest."""
        value = self.data.get(key)
        if value is None:
            return None, {}
        if not isinstance(value, Mapping):
            self.error(key, f"'{key}' must be a mapping ({', '.join(sorted(known))})")
            return None, {}
        fields.check_keys(value, known, self.path, self.problems, key)
        return value, {k: fields.as_text(v) for k, v in value.items() if k in known and v is not None}

    def identifiers(self) -> dict[str, str]:
        value, result = self.section("identifiers", IDENTIFIER_KEYS)
        for key in ("isbn_print", "isbn_epub"):
            if key in result and not valid_isbn(result[key]):
                self.problems.error(self.path, value.line_of(key), f"{key} '{result[key]}' is not a valid ISBN (check digit)")
        return result

    def people_list(self, key: str, roles: set[str]) -> list[Contributor]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, Sequence):
            self.error(key, f"'{key}' must be a list")
            return []
        return [p for p in (fields.read_person(v, ln, self.path, self.problems, roles) for v, ln in zip(value, value.item_lines)) if p]

    def file(self, key: str) -> Path | None:
        value = self.data.get(key)
        if value is None:
            return None
        found = fields.resolve_inside(self.root, self.root, value, self.path, self.data.line_of(key), self.problems, f"'{key}'")
        if found and not found.is_file():
            self.error(key, f"'{key}': file '{value}' does not exist", code="missing-file")
            return None
        return found

    def cover(self) -> Path | None:
        """The publisher's cover image for the EPUB (PNG or JPEG), else one is drawn."""
        found = self.file("cover")
        if found is not None and found.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            self.error("cover", f"'cover': '{found.name}' must be a PNG or JPEG image")
            return None
        return found

    def files(self, key: str) -> list[Path]:
        return fields.files(self.data, key, self.root, self.root, self.path, self.problems)

    def proof(self) -> ProofSettings:
        """The proof's thresholds (docs/proof.md): numbers, `settle` (true or false), `ignore` (kinds
        of fault) and `accept` (faults let stand); a wrong value is an error and keeps its default."""
        value = self.data.get("proof")
        if value is None:
            return ProofSettings()
        if not isinstance(value, Mapping):
            self.error("proof", "'proof' must be a mapping of thresholds (docs/proof.md)")
            return ProofSettings()
        defaults = ProofSettings()
        fields.check_keys(value, ProofSettings.names(), self.path, self.problems, "proof")
        settings: dict = {}
        for key in (ProofSettings.names() - {"ignore", "accept"}) & set(value):
            problem = _proof_value_problem(value[key], getattr(defaults, key))
            if problem:
                self.problems.error(self.path, value.line_of(key), f"proof '{key}' must be {problem}")
            else:
                settings[key] = value[key]
        for key in ("ignore", "accept"):
            if key in value:
                settings[key] = fields.words(value, key, self.path, self.problems)
        return ProofSettings(**settings)

    def hyphenation(self) -> list[str]:
        """Words spelled with the places they may break («Ka-zakh-stan»), for words the patterns
        break wrongly; a word without a hyphen is never broken."""
        words = fields.words(self.data, "hyphenation", self.path, self.problems)
        for word in words:
            if not SPELLED_BREAKS.fullmatch(word):
                self.problems.error(self.path, self.data.line_of("hyphenation"),
                                    f"hyphenation: '{word}' must be letters, with a hyphen where the word may break")
        return [word for word in words if SPELLED_BREAKS.fullmatch(word)]

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
            fields.check_keys(item, {"title", "chapters", "id"}, self.path, self.problems, "a part")
            parts.append(Part(id=f"part-{n}", title=fields.as_text(item.get("title")), chapters=self.chapters(item, "chapters", lang, f"p{n}-ch")))
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
            fields.check_keys(item, {"title", "articles", "id"}, self.path, self.problems, "a chapter")
            if "articles" not in item:
                self.problems.error(self.path, line, "this chapter has no 'articles'")
            chapters.append(Chapter(id=f"{prefix}{n}", title=fields.as_text(item.get("title")), articles=self.articles(item, "articles", lang)))
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
        path = fields.resolve_inside(self.root, self.root, value, self.path, line, self.problems, "article")
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


def build_time(volume: Volume) -> dt.datetime:
    """The build's date: SOURCE_DATE_EPOCH (as reproducible builds define it), else the manifest's
    date, else now (UTC). Decided once, here: every stage reads `Volume.built`."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    if volume.date:
        try:
            return dt.datetime.fromisoformat(volume.date[:10]).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            pass
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)