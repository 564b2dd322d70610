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

from ..problems import Problems
from ..volume import FRONT_MATTER, as_text, split_front_matter
from ..yamlload import Mapping
from .bylines import parse_byline
from .dates import date_line, parse_date
from .mdtext import dump_yaml
from .model import Draft, Found, decode

ATX_TITLE = re.compile(r"^#\s+(.+?)\s*#*\s*$")
IMAGE_REF = re.compile(r"(!\[[^\]]*\]\()([^)\s]+)(\s+\"[^\"]*\")?\)")
HEAD_LINES = 6


def read(path: Path, draft: Draft, problems: Problems) -> bool:
    """Fill ``draft`` from the article; False, with the located reason in ``problems``, when its
    front matter cannot be read."""
    text, note = decode(path.read_bytes())
    if note:
        draft.check(note)
    found = Problems(root=problems.root)
    meta, body, body_line = split_front_matter(text, path, found)
    if found.errors:
        problems.extend(found.errors)
        return False
    match = FRONT_MATTER.match(text)
    fm_lines = (match.group(1) or "").split("\n")[:-1] if match else []
    meta = meta if meta is not None else Mapping()  # unknown keys and the like: reported when the result is loaded
    body_lines = body.split("\n")
    head_used: list[int] = []   # indexes of body lines taken into the front matter
    added: dict = {}

    # title
    if as_text(meta.get("title")):
        draft.title = Found(as_text(meta["title"]), f"the front matter, line {meta.line_of('title')}")
        first = next((i for i, line in enumerate(body_lines) if line.strip()), None)
        heading = ATX_TITLE.match(body_lines[first]) if first is not None else None
        if heading and heading.group(1).strip() == draft.title.value:  # the title again, as a heading
            draft.use(f"line {body_line + first}", body_lines[first], "title (repeated as a heading)")
            head_used.append(first)
    else:
        first = next((i for i, line in enumerate(body_lines) if line.strip()), None)
        heading = ATX_TITLE.match(body_lines[first]) if first is not None else None
        if heading:
            draft.title = Found(heading.group(1), f"the heading on line {body_line + first}")
            draft.use(f"line {body_line + first}", body_lines[first], "title")
            head_used.append(first)
        else:
            draft.title = Found(path.stem, "the file name")
            draft.check("the article has no title: the file name was used; write the title")
        added["title"] = draft.title.value

    # authors, date: from the front matter, else from lines at the top of the body
    top = [i for i, line in enumerate(body_lines) if line.strip() and i not in head_used][:HEAD_LINES]
    authors = meta.get("authors")
    if authors:
        names = [a if isinstance(a, str) else a.get("name") for a in (authors if isinstance(authors, list) else [authors])
                 if isinstance(a, (str, dict))]
        draft.authors = Found([{"name": n} for n in names if n], f"the front matter, line {meta.line_of('authors')}")
        if isinstance(authors, str) and re.search(r",|;| и | and | və | және ", authors):
            draft.check(f"line {meta.line_of('authors')}: 'authors' is one text naming several people? "
                        "Give them as a list: authors: [{name: …}, {name: …}]")
    else:
        for i in top:
            line = body_lines[i].strip().strip("*_").strip()
            found = parse_byline(line)
            if found:
                draft.authors = Found(found, f'line {body_line + i}: "{line}"')
                draft.use(f"line {body_line + i}", body_lines[i], "authors")
                head_used.append(i)
                added["authors"] = found
                break
    date_value = meta.get("date")
    if date_value is not None:
        parsed = parse_date(date_value)
        written = as_text(date_value)
        if parsed is None:
            draft.check(f"line {meta.line_of('date')}: the date '{written}' cannot be read; write it as YYYY-MM-DD")
        else:
            draft.date = Found(parsed, f"the front matter, line {meta.line_of('date')}")
            if written != parsed.isoformat():
                fm_lines = [f"date: {parsed.isoformat()}  # was: {written}" if re.match(r"^date\s*:", line) else line
                            for line in fm_lines]
                draft.check(f"line {meta.line_of('date')}: the date '{written}' was rewritten as {parsed.isoformat()}")
    else:
        for i in top:
            if i in head_used:
                continue
            line = body_lines[i].strip().strip("*_").strip()
            found = date_line(line)
            if found:
                draft.date = Found(found.date, f'line {body_line + i}: "{line}"')
                draft.use(f"line {body_line + i}", body_lines[i], "date")
                head_used.append(i)
                added["date"] = found.date
                break
    if as_text(meta.get("subtitle")):
        draft.subtitle = Found(as_text(meta["subtitle"]), "the front matter")
    if as_text(meta.get("source")):
        draft.source = Found(as_text(meta["source"]), "the front matter")
    if as_text(meta.get("lang")):
        draft.lang_hint = Found(as_text(meta["lang"]), f"the front matter, line {meta.line_of('lang')}")
    draft.extra["declared_lang"] = as_text(meta.get("lang"))
    draft.extra["added"] = added
    draft.extra["fm_lines"] = fm_lines

    kept = [line for i, line in enumerate(body_lines) if i not in head_used]
    draft.body = _copy_images("\n".join(kept), path, draft).lstrip("\n")
    blocks = [b for b in re.split(r"\n\s*\n", "\n".join(kept)) if b.strip()]
    draft.counts["paragraphs"] += sum(1 for b in blocks if not b.lstrip().startswith(("![", "#", "[^")))
    draft.counts["headings"] += sum(1 for b in blocks if b.lstrip().startswith("#"))
    return True


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


def _copy_images(body: str, path: Path, draft: Draft) -> str:
    def replace(match: re.Match) -> str:
        src = match.group(2)
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^/", src):
            return match.group(0)
        local = (path.parent / src).resolve()
        if not local.is_file():
            draft.check(f"the image '{src}' is not beside the source file: copy it into the project by hand")
            return match.group(0)
        new = draft.add_image(local.read_bytes(), local.suffix.lstrip(".") or "png")
        return f"{match.group(1)}{new}{match.group(3) or ''})"

    return IMAGE_REF.sub(replace, body)
