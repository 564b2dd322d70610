"""References: CSL-JSON, CSL-YAML and BibTeX files read into CSL-JSON items with their lines."""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..load import yaml
from ..problems import Problem, Problems
from .pandoc import run_pandoc

# The CSL variables that hold dates.
DATE_VARIABLES = {"issued", "accessed", "event-date", "original-date", "submitted",
                  "available-date"}

_Items = list[tuple[Any, int | None]]  # what a reader gives: (CSL item, its line)


@dataclass
class Reference:
    """One bibliography item: its CSL-JSON data and where it was defined."""

    id: str
    data: dict
    path: Path
    line: int | None = None


def load_references(paths: Sequence[Path], problems: Problems) -> dict[str, Reference]:
    """Read CSL-JSON (.json), CSL-YAML (.yaml, .yml) and BibTeX/BibLaTeX (.bib) files.

    Every problem (unreadable file, syntax error, an item without `id`, a duplicate id) is added
    to `problems` with its path and line; the good items are still returned.
    """
    refs: dict[str, Reference] = {}
    for path in paths:
        path = Path(path)
        for data, line in _read_file(path, problems):
            ref = _make_reference(data, path, line, problems)
            if ref is not None:
                _add(refs, ref, problems)
    return refs


def _read_file(path: Path, problems: Problems) -> _Items:
    if not path.is_file():
        problems.error(path, None, "bibliography file not found", code="missing-file")
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.error(path, None, f"cannot read bibliography: {exc}", code="unreadable")
        return []
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        problems.error(path, None, "unknown bibliography format (use .json, .yaml, .yml or .bib)",
                       code="bibliography-format")
        return []
    return reader(text, path, problems)


def _add(refs: dict[str, Reference], ref: Reference, problems: Problems) -> None:
    """Add `ref` unless its id is taken: the first definition wins."""
    first = refs.get(ref.id)
    if first is None:
        refs[ref.id] = ref
        return
    problems.error(ref.path, ref.line, f'duplicate reference id "{ref.id}" '
                   f"(first defined at {problems.where(first.path)}"
                   f"{':' + str(first.line) if first.line else ''})",
                   code="duplicate-reference")


def _make_reference(data: Any, path: Path, line: int | None, problems: Problems) -> Reference | None:
    if not isinstance(data, dict):
        problems.error(path, line, "a reference must be a mapping of CSL fields", code="bad-reference")
        return None
    ref_id = data.get("id")
    if ref_id is None or (isinstance(ref_id, str) and not ref_id.strip()):
        problems.error(path, line, 'reference has no "id"', code="bad-reference")
        return None
    data = _plain(data, lambda field, problem: problems.error(
        path, line, f'reference field "{field}": character {problem}', code="bad-character"))
    data["id"] = ref_id = str(ref_id).strip()
    for name in DATE_VARIABLES:
        if name in data:
            data[name] = _csl_date(data[name])
    if not data.get("type"):
        problems.warning(path, line, f'reference "{ref_id}" has no "type"; using "document"',
                         code="reference-type")
        data["type"] = "document"
    return Reference(ref_id, data, path, line)


def _plain(value: Any, refuse, field: str = "") -> Any:
    """YAML values as JSON ones: dates become ISO strings (EDTF, which citeproc reads). A character
    no book can hold (a control character; a lone surrogate, which JSON's "\\ud800" makes) is
    refused through `refuse(field, problem)` and made U+FFFD, as the writers would fail on it."""
    if isinstance(value, dict):
        return {str(k): _plain(v, refuse, field or str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, refuse, field) for v in value]
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, str) and (unsafe := yaml.unsafe_character(value)):
        refuse(field, unsafe[1])
        return yaml.UNSAFE_CHARACTER.sub("\ufffd", value)
    return value


def _csl_date(value: Any) -> Any:
    """`2023`, `"2024-03-15"` (CSL-YAML shorthands) as CSL-JSON dates; other strings as raw."""
    if isinstance(value, int):
        return {"date-parts": [[value]]}
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*", value)
        if match:
            return {"date-parts": [[int(p) for p in match.groups() if p is not None]]}
        return {"raw": value}
    return value


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


# ---------------------------------------------------------------------------------------------
# CSL-JSON


def _read_json(text: str, path: Path, problems: Problems) -> _Items:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.error(path, exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})",
                       code="syntax")
        return []
    if isinstance(data, dict) and isinstance(data.get("references"), list):
        start = re.search(r'"references"\s*:\s*\[', text)
        items, offset = data["references"], (start.end() - 1 if start else None)
    elif isinstance(data, list):
        items, offset = data, text.index("[")
    else:
        problems.error(path, 1, "CSL-JSON must be a list of references", code="bibliography-format")
        return []
    lines = _json_item_lines(text, offset, len(items)) if offset is not None else [None] * len(items)
    return list(zip(items, lines))


def _json_item_lines(text: str, offset: int, count: int) -> list[int | None]:
    """The line of each item of the array at `offset`: that of its `"id"`, else its start.

    The array is walked again with raw_decode to learn where each item starts."""
    lines: list[int | None] = [None] * count
    decoder, pos = json.JSONDecoder(), offset + 1
    for i in range(count):
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        try:
            _, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            break
        id_at = re.compile(r'"id"\s*:').search(text, pos, end)
        lines[i] = _line_of(text, id_at.start() if id_at else pos)
        pos = end
    return lines


# ---------------------------------------------------------------------------------------------
# CSL-YAML


def _read_yaml(text: str, path: Path, problems: Problems) -> _Items:
    """A list of references, or a mapping whose `references:` is that list, as pandoc writes it."""
    data = yaml.load_yaml(text, path, problems)
    if data is None:
        return []  # empty, or malformed (reported)
    mapping = isinstance(data, yaml.Mapping)
    if mapping and "references" not in data:
        return []  # another YAML document (e.g. front matter) without references
    items = data["references"] if mapping else data
    if not isinstance(items, yaml.Sequence):
        problems.error(path, data.line if mapping else None,
                       'CSL-YAML must be a list of references or a "references:" list',
                       code="bibliography-format")
        return []
    # A reference is located at its `id:`, anything else where it starts.
    return [(item, item.line_of("id") if isinstance(item, yaml.Mapping) else line)
            for item, line in zip(items, items.item_lines)]


# ---------------------------------------------------------------------------------------------
# BibTeX


_BIB_ENTRY_RE = re.compile(r"@\s*([A-Za-z]+)\s*[{(]\s*([^,\s{}()]+)\s*,", re.M)
_PANDOC_ERROR_RE = re.compile(r"\(line (\d+), column (\d+)\)")


def _read_bib(text: str, path: Path, problems: Problems) -> _Items:
    """BibTeX/BibLaTeX through pandoc's reader (`-f biblatex -t csljson`): LaTeX accents, name
    parts, `@string` macros and BibLaTeX dates as pandoc's citeproc would read them."""
    lines = _bib_entry_lines(text, path, problems)
    result = run_pandoc(["-f", "biblatex", "-t", "csljson"], text)
    if result.returncode != 0:
        message = result.stderr.strip() or "pandoc could not read the file"
        where = _PANDOC_ERROR_RE.search(message)
        problems.error(path, int(where.group(1)) if where else None,
                       f"invalid BibTeX: {_strip_location(_first_lines(message))}", code="syntax")
        return []
    try:
        items = json.loads(result.stdout or "[]")
    except json.JSONDecodeError:
        problems.error(path, None, "pandoc returned no CSL-JSON for this file", code="syntax")
        return []
    seen: set[str] = set()
    out = []
    for item in items:
        key = str(item.get("id", ""))
        if key in seen:
            continue  # reported by _bib_entry_lines
        seen.add(key)
        out.append((item, lines.get(key)))
    return out


def _bib_entry_lines(text: str, path: Path, problems: Problems) -> dict[str, int]:
    """The line of each entry's `@type{key,`; a key defined twice is reported here."""
    lines: dict[str, int] = {}
    for match in _BIB_ENTRY_RE.finditer(text):
        if match.group(1).lower() in ("string", "preamble", "comment"):
            continue
        line = _line_of(text, match.start())
        key = match.group(2)
        if key in lines:
            problems.error(path, line, f'duplicate reference id "{key}" '
                           f"(first defined at {problems.where(path)}:{lines[key]})",
                           code="duplicate-reference")
        else:
            lines[key] = line
    return lines


def _first_lines(message: str) -> str:
    """pandoc's error: its first line, and the second after a colon."""
    first = message.splitlines()[0]
    detail = " ".join(message.splitlines()[1:2]).strip()
    return first if not detail else f"{first}: {detail}"


def _strip_location(message: str) -> str:
    message = re.sub(r'^Error at "[^"]*" ', "", message)
    message = re.sub(r"^Error at ", "", message)
    return _PANDOC_ERROR_RE.sub("", message).strip(" :")


_READERS = {".json": _read_json, ".yaml": _read_yaml, ".yml": _read_yaml,
            ".bib": _read_bib, ".bibtex": _read_bib}


# ---------------------------------------------------------------------------------------------
# Unused references


def unused_references(refs: dict[str, Reference], cited: Iterable[str], *,
                      root: Path | None = None) -> list[Problem]:
    """A "reference never cited" warning for each reference no article cites, at its path:line."""
    cited_set = set(cited)
    where = Problems(root=root)
    for ref in refs.values():
        if ref.id not in cited_set:
            where.warning(ref.path, ref.line, f'reference "{ref.id}" never cited', code="unused-reference")
    return where.items
