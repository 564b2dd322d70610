"""Ingest: Word files, saved web pages, plain-text copies and Markdown → clean articles.

One reader per kind of input (``docx``, ``html``, ``text``, ``markdown``) fills a
:class:`~anthology.ingest.model.Draft`: metadata with where each value came from, a Markdown
body, images, and every block it left out. :func:`import_file` then detects the language,
writes the article (never over an existing file), checks that it loads and parses as the build
will read it, and lists the people it names who are not in the registry. ``manifest.py`` adds
the article to a chapter of ``anthology.yaml``; the command is ``anthology/commands/import_.py``.

A file that cannot be imported is a located :class:`~anthology.problems.Problem` in the
:class:`~anthology.problems.Problems` the caller gives: each reader's ``read(path, draft,
problems)`` reports there and returns whether it read the file; ``import_file``, the writer and
the manifest functions report there and return None. What is merely doubtful is not a problem
but a ``check:`` line of the draft, for the editor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import names
from ..load import derive_id, load_article, load_volume
from ..model import Volume
from ..parse import parse_article
from ..problems import Problem, Problems
from . import converted, docx, html, markdown, text
from .lang import Guess, detect
from .mdtext import front_matter, today
from .model import Draft, Refused
from .writer import choose_stem, slug, write_article

READERS = {
    ".docx": ("docx", "Word document", docx),
    ".odt": ("docx", "LibreOffice document", converted),
    ".rtf": ("docx", "RTF document", converted),
    ".doc": ("docx", "Word 97–2003 document", converted),
    ".html": ("html", "saved web page", html),
    ".htm": ("html", "saved web page", html),
    ".xhtml": ("html", "saved web page", html),
    ".txt": ("txt", "plain text", text),
    ".text": ("txt", "plain text", text),
    ".md": ("md", "Markdown article", markdown),
    ".markdown": ("md", "Markdown article", markdown),
}


@dataclass
class Project:
    """What an import needs to know about the volume it imports into."""

    root: Path
    lang: str = "ru"
    registry: names.Registry = field(default_factory=names.Registry)
    registry_note: str | None = None
    ids: set[str] = field(default_factory=set)   # article ids the volume already uses


@dataclass
class Imported:
    """One imported file: where it went, what was found, and what the toolchain says of the result."""

    source: Path
    article: Path
    kind: str
    draft: Draft
    lang: str
    lang_reason: str
    unregistered: list[tuple[str, int | None, int]]   # name, first line, how many times
    article_problems: list[Problem]   # what the toolchain finds in the written article


def load_project(root: Path) -> Project:
    """What an import needs from the volume in ``root``: its language, its article ids, its registry.

    A folder without a readable manifest gives the defaults (``ru``, no ids, an empty registry).
    """
    root = root.resolve()
    found = Problems(root=root)  # the volume's own problems are for `anthology check`, not for an import
    volume = load_volume(root, found)
    if volume is None:
        return Project(root=root)
    registry, note = _registry(volume, found)
    return Project(root=root, lang=volume.lang, registry=registry, registry_note=note,
                   ids={article.id for article in volume.articles()})


def _registry(volume: Volume, found: Problems) -> tuple[names.Registry, str | None]:
    """The registry of people the manifest names, and a note when it cannot be used as it is."""
    if volume.people is None:
        # load_volume reports a 'people:' it cannot use (missing, outside the project) under that key's name
        unusable = next((p for p in found.errors if p.message.startswith("'people'")), None)
        return names.Registry(), f"{unusable.location}: {unusable.message}" if unusable else None
    registry_problems = Problems(root=volume.root)
    registry = names.load_registry(volume.people, registry_problems)
    if not registry_problems.errors:
        return registry, None
    rel = volume.people.relative_to(volume.root).as_posix()
    return registry, f"{rel} has {len(registry_problems.errors)} problem(s) (see anthology check)"


def import_file(source: Path, into: Path, project: Project, problems: Problems,
                lang: str | None = None, changes: str | None = None) -> Imported | None:
    """Import one file into ``into``; None when it cannot be, with the reason reported at ``source``.

    ``changes`` ("accept" or "reject") settles a Word document's tracked changes; without it, a
    document that has some is refused."""
    reader = READERS.get(source.suffix.lower())
    if reader is None:
        problems.error(source, None, f"cannot import '{source.suffix or 'no extension'}' files "
                                     f"(only {', '.join(sorted(READERS))})", code="unsupported")
        return None
    if not source.is_file():
        problems.error(source, None, "no such file", code="missing-file")
        return None
    kind, label, module = reader
    into = into.resolve()
    stem = choose_stem(into, slug(source.stem), taken=lambda s: derive_id(Path(s + ".md")) in project.ids)
    draft = Draft(source_path=source, kind=kind, image_prefix=f"images/{stem}", changes=changes)
    if not _read(module, source, draft, problems):
        return None
    chosen_lang, reason = _language(draft, lang, project.lang)
    _ask_for_missing_metadata(draft)
    article_path = write_article(into, stem, render(draft, chosen_lang), draft.images, problems, source, project.root)
    if article_path is None:
        return None
    project.ids.add(derive_id(article_path))
    unregistered, article_problems = _verify(article_path, project, into)
    return Imported(source, article_path, label, draft, chosen_lang, reason, unregistered, article_problems)


def _read(module, source: Path, draft: Draft, problems: Problems) -> bool:
    try:
        return module.read(source, draft, problems)
    except Refused as refused:
        problems.error(source, refused.line, refused.message, code=refused.code)
        return False
    except OSError as exc:  # the source (or an image beside it) cannot be opened
        problems.error(source, None, f"cannot read: {exc.strerror or exc}", code="io")
        return False


def _ask_for_missing_metadata(draft: Draft) -> None:
    if not (draft.authors and draft.authors.value):
        draft.check("no author was found: add 'authors:' to the front matter")
    if not draft.date:
        draft.check("no date was found: add 'date:' (YYYY-MM-DD) if the text has one")


def _language(draft: Draft, forced: str | None, default: str) -> tuple[str, str]:
    """The article's language and why: ``--lang``, else the text's (a Markdown file's own ``lang:``
    wins over it, with a check), else what the file declares, else the volume's."""
    if forced:
        return forced, "given with --lang"
    sample = " ".join(filter(None, [draft.title.value if draft.title else "", draft.body]))
    guess: Guess | None = detect(sample)
    hint = draft.lang_hint
    if guess is None:
        value = (hint.value if hint and draft.kind in ("html", "md") else None) or default
        draft.check(f"too little text to tell the language: lang is {value}; check it")
        return value, "too little text; " + (f"from {hint.origin}" if hint else "the volume's language")
    if not guess.sure:
        draft.check(f"the text mixes scripts ({guess.reason}): check lang: {guess.lang}")
    if hint and draft.kind in ("html", "md") and hint.value and hint.value != guess.lang:
        draft.check(f"{hint.origin} says '{hint.value}' but the text looks like '{guess.lang}' ({guess.reason}); "
                    f"lang is {hint.value if draft.kind == 'md' else guess.lang}: check it")
        if draft.kind == "md":
            return hint.value, f"{hint.origin} (the text looks like {guess.lang})"
    if guess.lang == "az" and "Turkish" in guess.reason:
        draft.check(f"{guess.reason}: check lang")
    return guess.lang, f"detected: {guess.reason}"


def render(draft: Draft, lang: str) -> str:
    """The article file's text: front matter filled from what was found, then the body."""
    if draft.kind == "md":
        return markdown.complete_front_matter(draft, lang) + "\n" + draft.body.lstrip("\n")
    authors = [{"name": a["name"], **({"affiliation": a["affiliation"]} if a.get("affiliation") else {})}
               for a in (draft.authors.value if draft.authors else [])]
    fields = {
        "title": draft.title.value if draft.title else draft.source_path.stem,
        "subtitle": draft.subtitle.value if draft.subtitle else None,
        "authors": authors,
        "lang": lang,
        "abstract": draft.abstract.value if draft.abstract else None,
        "keywords": draft.keywords.value if draft.keywords else None,
        "date": draft.date.value if draft.date else None,
        "source": draft.source.value if draft.source else None,
    }
    comment = f"imported from {draft.source_path.name} by anthology import, {today()}"
    return front_matter(fields, comment) + "\n" + draft.body


def _verify(path: Path, project: Project, into: Path) -> tuple[list, list[Problem]]:
    """Load and parse the written article as the build will; its unregistered names and problems."""
    root = project.root if path.is_relative_to(project.root) else into
    problems = Problems(root=root)
    article = load_article(path, root, project.lang, problems)
    if article is None:  # load_article has said why
        return [], problems.items
    parsed = parse_article(article, root, problems)
    found: dict[str, list] = {}
    for name, line in names.candidates(parsed.body, article.id, project.registry):
        entry = found.setdefault(name, [name, line, 0])
        entry[2] += 1
    return [tuple(entry) for entry in found.values()], problems.items
