"""A Markdown article (``.md``) → the same article, its front matter checked and completed.

The author's front matter is kept as written (comments, order, quoting); a missing ``title``,
``authors``, ``date`` or ``lang`` is added at its end when the text gives it (a ``# Title`` line,
an ``Автор:`` line, a date line at the top), a date that is not ISO 8601 is rewritten as one, and
everything else the toolchain would complain about is reported. Images the body refers to beside
the source file are copied next to the imported article.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from ..problems import Problems
from ..load import FRONT_MATTER, split_front_matter
from ..load.fields import as_text
from ..load.yaml import Mapping
from .bylines import parse_byline
from .dates import date_line, parse_date
from .mdtext import dump_yaml
from .model import Draft, Found, decode, read_beside

ATX_TITLE = re.compile(r"^#\s+(.+?)\s*#*\s*$")
IMAGE_REF = re.compile(r"(!\[[^\]]*\]\()([^)\s]+)(\s+\"[^\"]*\")?\)")
HEAD_LINES = 6


def read(path: Path, draft: Draft, problems: Problems) -> bool:
    """Fill ``draft`` from the article; False, with the located reason in ``problems``, when its
    front matter cannot be read."""
    text, note = decode(path.read_bytes())
    if note:
        draft.check(note)
    front_matter_problems = Problems(root=problems.root)
    meta, body, body_line = split_front_matter(text, path, front_matter_problems)
    if front_matter_problems.errors:
        problems.extend(front_matter_problems.errors)
        return False
    match = FRONT_MATTER.match(text)
    fm_lines = (match.group(1) or "").split("\n")[:-1] if match else []
    meta = meta if meta is not None else Mapping()  # unknown keys and the like: reported when the result is loaded
    _Article(path, draft, meta, fm_lines, body.split("\n"), body_line).read()
    return True


class _Article:
    """One Markdown article being read: its front matter, and the lines of its body taken into it."""

    def __init__(self, path: Path, draft: Draft, meta: Mapping, fm_lines: list[str], body_lines: list[str],
                 body_line: int):
        self.path, self.draft, self.meta, self.fm_lines = path, draft, meta, fm_lines
        self.body_lines, self.body_line = body_lines, body_line
        self.head_used: list[int] = []   # indexes of body lines taken into the front matter
        self.added: dict = {}            # keys to add to the front matter

    def read(self) -> None:
        draft, meta = self.draft, self.meta
        self.title()
        top = [i for i, line in enumerate(self.body_lines) if line.strip() and i not in self.head_used][:HEAD_LINES]
        self.authors(top)
        self.date(top)
        if as_text(meta.get("subtitle")):
            draft.subtitle = Found(as_text(meta["subtitle"]), "the front matter")
        if as_text(meta.get("source")):
            draft.source = Found(as_text(meta["source"]), "the front matter")
        if as_text(meta.get("lang")):
            draft.lang_hint = Found(as_text(meta["lang"]), f"the front matter, line {meta.line_of('lang')}")
        draft.extra["declared_lang"] = as_text(meta.get("lang"))
        draft.extra["added"] = self.added
        draft.extra["fm_lines"] = self.fm_lines
        self.body()

    def take(self, i: int, why: str) -> None:
        """Body line ``i`` went into the front matter."""
        self.draft.use(f"line {self.body_line + i}", self.body_lines[i], why)
        self.head_used.append(i)

    def title(self) -> None:
        """The front matter's title (a first heading that repeats it is dropped), else the first heading."""
        draft = self.draft
        first = next((i for i, line in enumerate(self.body_lines) if line.strip()), None)
        heading = ATX_TITLE.match(self.body_lines[first]) if first is not None else None
        if as_text(self.meta.get("title")):
            draft.title = Found(as_text(self.meta["title"]), f"the front matter, line {self.meta.line_of('title')}")
            if heading and heading.group(1).strip() == draft.title.value:
                self.take(first, "title (repeated as a heading)")
            return
        if heading:
            draft.title = Found(heading.group(1), f"the heading on line {self.body_line + first}")
            self.take(first, "title")
        else:
            draft.title = Found(self.path.stem, "the file name")
            draft.check("the article has no title: the file name was used; write the title")
        self.added["title"] = draft.title.value

    def authors(self, top: list[int]) -> None:
        """The front matter's authors, else a byline among the ``top`` lines of the body."""
        draft, authors = self.draft, self.meta.get("authors")
        if not authors:
            for i in top:
                line = self.body_lines[i].strip().strip("*_").strip()
                found = parse_byline(line)
                if found:
                    draft.authors = Found(found, f'line {self.body_line + i}: "{line}"')
                    self.take(i, "authors")
                    self.added["authors"] = found
                    return
            return
        line = self.meta.line_of("authors")
        names = [a if isinstance(a, str) else a.get("name") for a in (authors if isinstance(authors, list) else [authors])
                 if isinstance(a, (str, dict))]
        draft.authors = Found([{"name": n} for n in names if n], f"the front matter, line {line}")
        if isinstance(authors, str) and re.search(r",|;| и | and | və | және ", authors):
            draft.check(f"line {line}: 'authors' is one text naming several people? "
                        "Give them as a list: authors: [{name: …}, {name: …}]")

    def date(self, top: list[int]) -> None:
        """The front matter's date (rewritten as ISO 8601 if it is not), else a date line at the top."""
        if self.meta.get("date") is not None:
            self.front_matter_date()
            return
        for i in top:
            if i in self.head_used:
                continue
            line = self.body_lines[i].strip().strip("*_").strip()
            found = date_line(line)
            if found:
                self.draft.date = Found(found.date, f'line {self.body_line + i}: "{line}"')
                self.take(i, "date")
                self.added["date"] = found.date
                return

    def front_matter_date(self) -> None:
        value, line = self.meta.get("date"), self.meta.line_of("date")
        parsed = parse_date(value)
        written = as_text(value)
        if parsed is None:
            self.draft.check(f"line {line}: the date '{written}' cannot be read; write it as YYYY-MM-DD")
            return
        self.draft.date = Found(parsed, f"the front matter, line {line}")
        if written != parsed.isoformat():
            self.fm_lines = [f"date: {parsed.isoformat()}  # was: {written}" if re.match(r"^date\s*:", text) else text
                             for text in self.fm_lines]
            self.draft.check(f"line {line}: the date '{written}' was rewritten as {parsed.isoformat()}")

    def body(self) -> None:
        """The body without the lines taken into the front matter; its images copied."""
        numbered = [(self.body_line + i, line) for i, line in enumerate(self.body_lines) if i not in self.head_used]
        kept = [line for _, line in numbered]
        draft = self.draft
        draft.body = "\n".join(_copy_images(line, number, self.path, draft) for number, line in numbered).lstrip("\n")
        blocks = [b for b in re.split(r"\n\s*\n", "\n".join(kept)) if b.strip()]
        draft.counts["paragraphs"] += sum(1 for b in blocks if not b.lstrip().startswith(("![", "#", "[^")))
        draft.counts["headings"] += sum(1 for b in blocks if b.lstrip().startswith("#"))


def complete_front_matter(draft: Draft, lang: str | None) -> str:
    """The author's front matter with the missing keys added at its end."""
    added = dict(draft.extra.get("added", {}))
    if lang and not draft.extra.get("declared_lang"):
        added["lang"] = lang
    lines = list(draft.extra.get("fm_lines", []))
    ordered = {key: added[key] for key in ("title", "authors", "lang", "date") if key in added}
    if ordered:
        extra = dump_yaml({k: ([{"name": a["name"], **({"affiliation": a["affiliation"]} if a.get("affiliation") else {})}
                                for a in v] if k == "authors" else v) for k, v in ordered.items()})
        lines += ["# added by anthology import:", *extra.rstrip("\n").split("\n")]
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n"


def _copy_images(text: str, line: int, path: Path, draft: Draft) -> str:
    """One line of the body, its images (beside the source file) copied and named anew."""
    def replace(match: re.Match) -> str:
        src = match.group(2)
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", src):
            return match.group(0)  # on the web: never fetched
        found = read_beside(path, unquote(src), line)
        if found is None:
            draft.check(f"the image '{src}' is not beside the source file: copy it into the project by hand")
            return match.group(0)
        new = draft.add_image(found[0], found[1] or "png")
        return f"{match.group(1)}{new}{match.group(3) or ''})"

    return IMAGE_REF.sub(replace, text)
