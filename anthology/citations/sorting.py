"""Alphabetical reference lists re-sorted with ICU, on the style's own sort keys.

pandoc's citeproc sorts with its own collation (Latin before Cyrillic even under ru-RU,
Azerbaijani I/ı/İ misplaced); the keys it sorts by are the same, so they are rendered once
(`_macro_sort_keys`) or read from the data, and compared here with ICU.
"""

from __future__ import annotations

import functools
import json
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any, Callable

import lxml.html

from .. import collation
from .format import entry_key
from .pandoc import nocite_meta, render_html, str_meta
from .references import DATE_VARIABLES, Reference
from .styles import SORT_MARK_END, SORT_MARK_SEP, SORT_MARK_START, StyleInfo, base_lang

_NAME_VARIABLES = {"author", "editor", "translator", "container-author", "collection-editor",
                   "composer", "director", "editorial-director", "illustrator", "interviewer",
                   "original-author", "recipient", "reviewed-author", "chair", "compiler",
                   "contributor", "curator", "executive-producer", "guest", "host", "narrator",
                   "organizer", "performer", "producer", "script-writer", "series-creator"}

_MARK_RE = re.compile(f"{SORT_MARK_START}(.*?){SORT_MARK_END}", re.S)
_YEAR_SUFFIX_RE = re.compile(r"(?<=\d{4})[a-z]{1,2}\b")

_Key = tuple[str, Any] | None  # ("text"|"number"|"date", value); None: empty, sorts last
_Row = tuple[int, Any, list[_Key]]  # (pandoc's position, entry, its sort keys)


def sorted_entries(entries: list[Any], info: StyleInfo, lang: str, locale: str,
                   refs: dict[str, Reference]) -> list[Any]:
    """Re-sort an alphabetical list with ICU on the style's own sort keys.

    Items whose name keys are all empty (no author, no editor: sorted by title in GOST) are
    filed under the text of their entry. Ties keep pandoc's order, which is the order of first
    citation, so year suffixes (2019a, 2019b) stay in order.
    """
    if not info.resort or len(entries) < 2:
        return entries
    data = [refs[k].data if k in refs else {} for k in map(entry_key, entries)]
    rows = _rows(entries, data, info, _macro_sort_keys(info, locale, refs))
    _file_under_entry_text(rows, info)
    rows.sort(key=functools.cmp_to_key(_comparison(info, _collator(lang, data))))
    ordered = [entry for _, entry, _ in rows]
    if info.renumber:
        _renumber(ordered)
    return ordered


def _rows(entries: list[Any], data: list[dict], info: StyleInfo,
          macro_keys: dict[str, list[str]]) -> list[_Row]:
    rows = []
    for index, (entry, ref) in enumerate(zip(entries, data)):
        values = iter(macro_keys.get(entry_key(entry), []))
        row: list[_Key] = []
        for kind, name, _desc in info.keys:
            if kind == "macro":
                # Year suffixes differ between the sort-key run and this one: compare without.
                text = _YEAR_SUFFIX_RE.sub("", next(values, ""))
                row.append(("text", text) if text else None)
            else:
                row.append(_variable_key(ref, name))
        rows.append((index, entry, row))
    return rows


def _file_under_entry_text(rows: list[_Row], info: StyleInfo) -> None:
    """An item whose sort macros all print nothing (GOST: no author) is filed under the text of
    its entry (its title), in the first macro slot that the other items fill."""
    macro_slots = [i for i, (kind, _n, _d) in enumerate(info.keys) if kind == "macro"]
    used = [i for i in macro_slots if any(row[i] is not None for _, _, row in rows)]
    if used:
        for _, entry, row in rows:
            if all(row[i] is None for i in macro_slots):
                row[used[0]] = ("text", _entry_text(entry))


def _comparison(info: StyleInfo, collator: Any) -> Callable[[_Row, _Row], int]:
    def compare(a: _Row, b: _Row) -> int:
        for (_kind, _name, desc), ka, kb in zip(info.keys, a[2], b[2]):
            if ka is None or kb is None:
                if ka is None and kb is None:
                    continue
                return 1 if ka is None else -1  # empty keys last, either direction
            if ka[0] == "text" and kb[0] == "text":
                result = collator.compare(ka[1], kb[1])
            else:
                va, vb = ka[1], kb[1]
                if type(va) is not type(vb):
                    va, vb = str(va), str(vb)
                result = (va > vb) - (va < vb)
            if result:
                return -result if desc else result
        return a[0] - b[0]  # pandoc's order (citation order) breaks ties

    return compare


def _variable_key(ref: dict, name: str) -> _Key:
    value = ref.get(name)
    if value is None or value == "" or value == []:
        return None
    if name in DATE_VARIABLES or (isinstance(value, dict) and ("date-parts" in value or "raw" in value)):
        return _date_key(value)
    if name in _NAME_VARIABLES and isinstance(value, list):
        return _names_key(value)
    text = str(value)
    if text.isdigit():
        return ("number", int(text))
    return ("text", text)


def _date_key(value: Any) -> _Key:
    if isinstance(value, dict) and value.get("date-parts"):
        parts = value["date-parts"][0]
        return ("date", tuple(int(p) for p in parts if str(p).lstrip("-").isdigit()) + (0, 0, 0))
    raw = value.get("raw") if isinstance(value, dict) else str(value)
    digits = re.findall(r"-?\d+", raw or "")
    return ("date", tuple(int(d) for d in digits[:3]) + (0, 0, 0)) if digits else None


def _names_key(people: list) -> _Key:
    names = []
    for person in people:
        if isinstance(person, dict):
            names.append(person.get("literal") or " ".join(
                p for p in (person.get("non-dropping-particle"), person.get("family"),
                            person.get("given")) if p))
    return ("text", "; ".join(names)) if names else None


def _entry_text(entry: Any) -> str:
    text = " ".join(entry.text_content().split())
    return re.sub(r"^\d+\.\s*", "", text)


def _renumber(entries: list[Any]) -> None:
    """After a re-sort, make the printed numbers (`1. `) follow the new order."""
    for number, entry in enumerate(entries, 1):
        for node in entry.iter():
            if not isinstance(node.tag, str):
                continue
            if node.text and node.text.strip():
                node.text = re.sub(r"^(\s*)\d+", lambda m: f"{m.group(1)}{number}", node.text, count=1)
                break


# ---------------------------------------------------------------------------------------------
# Collation


def _collator(lang: str, refs: list[dict]) -> Any:
    """ICU collation by article language: ru and kk put Cyrillic before Latin, az and en Latin
    first. The az tailoring (Ə, X after H, I/ı/İ) is applied only when every Latin-script entry
    is Azerbaijani; otherwise a mixed Latin list is sorted by en rules."""
    language = base_lang(lang) or "root"
    if language == "az":
        latin = [r for r in refs if _is_latin(_sample_text(r))]
        if any(base_lang(r.get("language", "")) != "az" for r in latin):
            language = "en"
    return collation.collator(language, ignore_punctuation=True)


def _sample_text(ref: dict) -> str:
    for var in ("author", "editor"):
        for name in ref.get(var) or []:
            if isinstance(name, dict):
                return name.get("family") or name.get("literal") or ""
    return str(ref.get("title") or "")


def _is_latin(text: str) -> bool:
    for char in text:
        if char.isalpha():
            return "LATIN" in unicodedata.name(char, "")
    return False


# ---------------------------------------------------------------------------------------------
# The strings the style sorts by


_SORT_KEY_CACHE: dict[tuple, dict[str, list[str]]] = {}


def _macro_sort_keys(info: StyleInfo, locale: str, refs: dict[str, Reference]) -> dict[str, list[str]]:
    """The rendered sort macros of every reference, by key: one pandoc run per style, locale
    and set of references (cached), never one per article."""
    if info.sort_style is None:
        return {}
    payload = json.dumps([refs[k].data for k in sorted(refs)], ensure_ascii=False, sort_keys=True)
    cache_key = (str(info.sort_style), locale, hash(payload))
    if cache_key not in _SORT_KEY_CACHE:
        _SORT_KEY_CACHE[cache_key] = _render_sort_keys(info.sort_style, locale, payload)
    return _SORT_KEY_CACHE[cache_key]


def _render_sort_keys(sort_style: Path, locale: str, payload: str) -> dict[str, list[str]]:
    """Every reference of `payload` (CSL-JSON) through the derived sort style."""
    meta = {"lang": str_meta(locale), "nocite": nocite_meta(["*"], text="@*")}
    blocks = [{"t": "Div", "c": [["refs", [], []], []]}]
    with tempfile.TemporaryDirectory(prefix="anthology-cite-") as tmp:
        bib = Path(tmp) / "references.json"
        bib.write_text(payload, encoding="utf-8")
        result = render_html(["--citeproc", "--csl", str(sort_style), "--bibliography", str(bib)],
                             meta, blocks)
    keys: dict[str, list[str]] = {}
    if result.returncode == 0:
        output = lxml.html.fragment_fromstring(result.stdout, create_parent="div")
        for entry in output.xpath(".//div[contains(@class, 'csl-entry')]"):
            found = _MARK_RE.search(entry.text_content())
            if found and (entry.get("id") or "").startswith("ref-"):
                keys[entry_key(entry)] = [v.strip() for v in found.group(1).split(SORT_MARK_SEP)]
    return keys
