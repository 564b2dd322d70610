"""Reading one article file: YAML front matter, checked, and the Markdown body kept as it is."""

from __future__ import annotations

import re
from pathlib import Path

from .. import limits
from ..model import Article
from ..problems import Problems
from . import fields
from .yaml import Mapping, Sequence, load_yaml, read_text, unsafe_character

ARTICLE_KEYS = {
    "title", "subtitle", "authors", "lang", "abstract", "keywords", "date", "source", "id",
    "short_title", "index", "references", "nocite", "citation_style", "doi", "title_en", "abstract_en",
}
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


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
    check_characters(body, body_line, path, problems)
    if len(problems.errors) > before:
        return None
    meta = meta if meta is not None else Mapping()
    fields.check_keys(meta, ARTICLE_KEYS, path, problems, "front matter")
    title = fields.as_text(meta.get("title"))
    if not title:
        problems.error(path, meta.line_of("title") if "title" in meta else 1, "the article has no 'title' in its front matter", code="missing-title")
        return None
    article_id = fields.as_text(meta.get("id")) or derive_id(path)
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
    authors = [p for p in (fields.read_person(v, ln, path, problems) for v, ln in zip(authors_value, authors_value.item_lines)) if p]
    return Article(
        id=article_id,
        path=path,
        rel=str(path.relative_to(root)),
        title=title,
        body=body,
        body_line=body_line,
        lang=fields.language(meta, "lang", path, problems) or default_lang,
        subtitle=fields.as_text(meta.get("subtitle")),
        short_title=fields.as_text(meta.get("short_title")),
        authors=authors,
        abstract=fields.as_text(meta.get("abstract")),
        keywords=fields.words(meta, "keywords", path, problems),
        date=fields.date(meta, "date", path, problems),
        source=fields.as_text(meta.get("source")),
        index_names=meta.get("index", True) is not False,
        references=fields.files(meta, "references", root, path.parent, path, problems),
        nocite=fields.words(meta, "nocite", path, problems),
        citation_style=fields.as_text(meta.get("citation_style")),
        role=role,
        doi=fields.as_text(meta.get("doi")),
        title_en=fields.as_text(meta.get("title_en")),
        abstract_en=fields.as_text(meta.get("abstract_en")),
        lines={str(key): meta.line_of(key) for key in meta},
    )


def check_characters(body: str, body_line: int, path: Path, problems: Problems) -> None:
    """A control character in the Markdown (the YAML reader refuses them in the front matter), at
    its line: lxml cannot hold one in the book's tree."""
    unsafe = unsafe_character(body)
    if unsafe:
        offset, description = unsafe
        problems.error(path, body_line + body.count("\n", 0, offset), f"character {description}", code="bad-character")


def derive_id(path: Path) -> str:
    """An anchor id from a file name: `01-visit.md` → `a01-visit`."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", path.stem).strip("-") or "article"
    return stem if stem[0].isalpha() else f"a{stem}"
