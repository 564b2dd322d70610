"""Citations and bibliographies: load references, format citations with pandoc's citeproc.

The enrich stage for citations. `markdown.py` leaves every citation as

    <span class="citation" data-cites='[{"id", "prefix", "suffix", "locator", "label", "mode"}]'>

(see `anthology.citation_syntax`). `process_article` formats all of an article's citations and
its reference list with ONE run of the pandoc binary bundled in pypandoc-binary (`--citeproc`,
never the network), replaces the content of each span with the formatted citation, and returns
the reference list as `<section class="bibliography">`. `process_volume` does the same for a
whole volume with one shared list. See docs/citations.md for the choices and the known gaps.
"""

from __future__ import annotations

import copy
import datetime as _dt
import functools
import json
import logging
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import lxml.etree as etree
import lxml.html
import yaml

from .citation_syntax import _SIMPLE_VALUE_RE, parse_locator
from .fragment import line_of
from .problems import Problem, Problems

log = logging.getLogger(__name__)

__all__ = [
    "Reference",
    "CitationTarget",
    "load_references",
    "resolve_style",
    "process_article",
    "process_volume",
    "unused_references",
    "cited_keys",
    "STYLES",
    "DEFAULT_STYLES",
    "CITEPROC_LOCALES",
    "TIMINGS",
]

CSL_NS = "http://purl.org/net/xbiblio/csl"
_C = f"{{{CSL_NS}}}"
STYLE_DIR = Path(__file__).parent / "data" / "csl"

# Shipped styles: manifest name → file in anthology/data/csl/.
STYLES: dict[str, str] = {
    "gost-r-7.0.5-2008-numeric": "gost-r-7-0-5-2008-numeric.csl",
    "gost-r-7.0.5-2008": "gost-r-7-0-5-2008.csl",
    "apa": "apa.csl",
    "chicago-author-date": "chicago-author-date.csl",
}
# The file stems work too (`gost-r-7-0-5-2008-numeric`), as in the CSL repository.
_STYLE_ALIASES = {Path(f).stem: f for f in STYLES.values()}

DEFAULT_STYLES = {"en": "apa"}
DEFAULT_STYLE = "gost-r-7.0.5-2008-numeric"

# The CSL locale given to citeproc for an article's language. CSL (and so pandoc) has no Kazakh
# and no Azerbaijani locale: with `kk-KZ` or `az-Latn-AZ` pandoc silently falls back to en-US.
# Kazakh articles get the Russian terms (GOST 7.1/7.0.5 are interstate standards used in
# Kazakhstan with their Russian abbreviations: Т., №, С., под ред.); Azerbaijani (Latin-script)
# articles get the English terms, which is what the GOST styles print for Latin-script sources
# (Vol., No., P.). A full BCP 47 tag (`tr-TR`) is passed through unchanged.
CITEPROC_LOCALES = {"ru": "ru-RU", "kk": "ru-RU", "az": "en-US", "en": "en-US"}

# Locator terms that the CSL locales of pandoc recognise, by locale: a label the author wrote in
# any language (`p.`, `с.`, `ch.`, `б.`) is handed to citeproc in the term of its locale.
_LOCALE_TERMS = {
    "ru": {
        "page": "с.", "chapter": "гл.", "volume": "т.", "section": "разд.", "paragraph": "п.",
        "part": "ч.", "figure": "рис.", "note": "прим.", "line": "стр.", "column": "стб.",
        "book": "кн.", "folio": "л.", "issue": "вып.", "verse": "ст.", "opus": "соч.",
        "table": "tbl.", "appendix": "app.", "sub-verbo": "см.",
    },
    "en": {
        "page": "p.", "chapter": "chap.", "volume": "vol.", "section": "sec.", "paragraph": "para.",
        "part": "pt.", "figure": "fig.", "note": "n.", "line": "l.", "column": "col.",
        "book": "bk.", "folio": "fol.", "issue": "no.", "verse": "v.", "opus": "op.",
        "table": "tbl.", "appendix": "app.", "sub-verbo": "s.v.",
    },
}

# ICU collation for alphabetical lists, by article language. ru and kk put Cyrillic before Latin;
# az and en put Latin first. The az tailoring (Ə, X after H, I/ı/İ) is applied only when every
# Latin-script entry is Azerbaijani; otherwise a mixed Latin list is sorted by en rules.
COLLATION = {"ru": "ru", "kk": "kk", "az": "az", "en": "en"}

_MODES = {
    "normal": "NormalCitation",
    "suppress-author": "SuppressAuthor",
    "author-in-text": "AuthorInText",
}

# Seconds taken by each pandoc run (most recent last), for benchmarks and `--verbose` logs.
TIMINGS: list[float] = []

_MARK_START, _MARK_SEP, _MARK_END = "\ue000", "\ue001", "\ue002"
_MARK_RE = re.compile(f"{_MARK_START}(.*?){_MARK_END}", re.S)


@dataclass
class Reference:
    """One bibliography item: its CSL-JSON data and where it was defined."""

    id: str
    data: dict
    path: Path
    line: int | None = None


@dataclass
class CitationTarget:
    """One article handed to `process_volume`."""

    body: Any  # lxml.html.HtmlElement
    article_id: str
    path: Path


# ---------------------------------------------------------------------------------------------
# Loading references


def load_references(paths: Sequence[Path], problems: Problems) -> dict[str, Reference]:
    """Read CSL-JSON (.json), CSL-YAML (.yaml, .yml) and BibTeX/BibLaTeX (.bib) files.

    Every problem (unreadable file, syntax error, an item without `id`, a duplicate id) is added
    to `problems` with its path and line; the good items are still returned.
    """
    refs: dict[str, Reference] = {}
    for path in paths:
        path = Path(path)
        if not path.is_file():
            problems.error(path, None, "bibliography file not found", code="missing-file")
            continue
        suffix = path.suffix.lower()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.error(path, None, f"cannot read bibliography: {exc}", code="unreadable")
            continue
        if suffix == ".json":
            items = _read_json(text, path, problems)
        elif suffix in (".yaml", ".yml"):
            items = _read_yaml(text, path, problems)
        elif suffix in (".bib", ".bibtex"):
            items = _read_bib(text, path, problems)
        else:
            problems.error(path, None, "unknown bibliography format (use .json, .yaml, .yml or .bib)",
                           code="bibliography-format")
            continue
        for data, line in items:
            ref = _make_reference(data, path, line, problems)
            if ref is None:
                continue
            first = refs.get(ref.id)
            if first is not None:
                problems.error(path, line, f'duplicate reference id "{ref.id}" '
                               f"(first defined at {problems.where(first.path)}"
                               f"{':' + str(first.line) if first.line else ''})",
                               code="duplicate-reference")
                continue
            refs[ref.id] = ref
    return refs


def _make_reference(data: Any, path: Path, line: int | None, problems: Problems) -> Reference | None:
    if not isinstance(data, dict):
        problems.error(path, line, "a reference must be a mapping of CSL fields", code="bad-reference")
        return None
    ref_id = data.get("id")
    if ref_id is None or (isinstance(ref_id, str) and not ref_id.strip()):
        problems.error(path, line, 'reference has no "id"', code="bad-reference")
        return None
    data = _plain(data)
    data["id"] = ref_id = str(ref_id).strip()
    for name in _DATE_VARIABLES:
        if name in data:
            data[name] = _csl_date(data[name])
    if not data.get("type"):
        problems.warning(path, line, f'reference "{ref_id}" has no "type"; using "document"',
                         code="reference-type")
        data["type"] = "document"
    return Reference(ref_id, data, path, line)


def _plain(value: Any) -> Any:
    """YAML values as JSON ones: dates become ISO strings (EDTF, which citeproc reads)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
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


def _read_json(text: str, path: Path, problems: Problems) -> list[tuple[Any, int | None]]:
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
    lines: list[int | None] = [None] * len(items)
    if offset is not None:
        # Walk the array again with raw_decode to learn where each item starts.
        decoder, pos = json.JSONDecoder(), offset + 1
        for i in range(len(items)):
            while pos < len(text) and text[pos] in " \t\r\n,":
                pos += 1
            try:
                _, end = decoder.raw_decode(text, pos)
            except json.JSONDecodeError:
                break
            id_at = re.compile(r'"id"\s*:').search(text, pos, end)
            lines[i] = _line_of(text, id_at.start() if id_at else pos)
            pos = end
    return list(zip(items, lines))


def _read_yaml(text: str, path: Path, problems: Problems) -> list[tuple[Any, int | None]]:
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        message = getattr(exc, "problem", None) or str(exc)
        problems.error(path, line, f"invalid YAML: {message}", code="syntax")
        return []
    out: list[tuple[Any, int | None]] = []
    for node in documents:
        if node is None:
            continue
        seq = None
        if isinstance(node, yaml.SequenceNode):
            seq = node
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if getattr(key, "value", None) == "references" and isinstance(value, yaml.SequenceNode):
                    seq = value
        if seq is None:
            if isinstance(node, yaml.MappingNode) and not any(
                getattr(k, "value", None) == "references" for k, _ in node.value
            ):
                continue  # another YAML document (e.g. front matter) without references
            problems.error(path, node.start_mark.line + 1,
                           'CSL-YAML must be a list of references or a "references:" list',
                           code="bibliography-format")
            continue
        loader = yaml.SafeLoader("")
        try:
            for item in seq.value:
                line = item.start_mark.line + 1
                if isinstance(item, yaml.MappingNode):
                    for key, _value in item.value:
                        if getattr(key, "value", None) == "id":
                            line = key.start_mark.line + 1
                data = loader.construct_document(item)
                out.append((data, line))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problems.error(path, mark.line + 1 if mark else None, f"invalid YAML: {exc}", code="syntax")
        finally:
            loader.dispose()
    return out


_BIB_ENTRY_RE = re.compile(r"@\s*([A-Za-z]+)\s*[{(]\s*([^,\s{}()]+)\s*,", re.M)
_PANDOC_ERROR_RE = re.compile(r"\(line (\d+), column (\d+)\)")


def _read_bib(text: str, path: Path, problems: Problems) -> list[tuple[Any, int | None]]:
    """BibTeX/BibLaTeX through pandoc's reader (`-f biblatex -t csljson`): LaTeX accents, name
    parts, `@string` macros and BibLaTeX dates as pandoc's citeproc would read them."""
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
    result = _run_pandoc(["-f", "biblatex", "-t", "csljson"], text)
    if result.returncode != 0:
        message = result.stderr.strip() or "pandoc could not read the file"
        where = _PANDOC_ERROR_RE.search(message)
        line = int(where.group(1)) if where else None
        first = message.splitlines()[0]
        detail = " ".join(message.splitlines()[1:2]).strip()
        text_msg = first if not detail else f"{first}: {detail}"
        problems.error(path, line, f"invalid BibTeX: {_strip_location(text_msg)}", code="syntax")
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
            continue  # reported above
        seen.add(key)
        out.append((item, lines.get(key)))
    return out


def _strip_location(message: str) -> str:
    message = re.sub(r'^Error at "[^"]*" ', "", message)
    message = re.sub(r"^Error at ", "", message)
    return _PANDOC_ERROR_RE.sub("", message).strip(" :")


# ---------------------------------------------------------------------------------------------
# Styles


def resolve_style(name_or_path: str | None, lang: str, root: Path, problems: Problems, *,
                  where: Path | None = None, line: int | None = None) -> Path:
    """The CSL file for a manifest's `citation-style` (or an article's), or the language's default.

    A shipped name (`gost-r-7.0.5-2008-numeric`, `gost-r-7.0.5-2008`, `apa`,
    `chicago-author-date`) or a path to a `.csl` file inside the project `root`. On a problem
    (`where`:`line` locates it, default the manifest) the default style is returned.
    """
    where = where or Path(root) / "anthology.yaml"
    default = STYLE_DIR / STYLES[DEFAULT_STYLES.get(_base_lang(lang), DEFAULT_STYLE)]
    if not name_or_path:
        return default
    name = str(name_or_path).strip()
    if name in STYLES:
        return STYLE_DIR / STYLES[name]
    if name in _STYLE_ALIASES:
        return STYLE_DIR / _STYLE_ALIASES[name]
    if not name.endswith(".csl"):
        problems.error(where, line, f'unknown citation style "{name}" (shipped: '
                       f"{', '.join(STYLES)}; or a path to a .csl file)", code="citation-style")
        return default
    candidate = Path(name)
    if candidate.is_absolute() or ".." in candidate.parts:
        problems.error(where, line, f'citation style "{name}" must be a path inside the project',
                       code="citation-style")
        return default
    path = (Path(root) / candidate).resolve()
    try:
        path.relative_to(Path(root).resolve())
    except ValueError:
        problems.error(where, line, f'citation style "{name}" must be a path inside the project',
                       code="citation-style")
        return default
    if not path.is_file():
        problems.error(where, line, f'citation style "{name}" not found', code="citation-style")
        return default
    try:
        style = etree.parse(str(path)).getroot()
    except etree.XMLSyntaxError as exc:
        problems.error(path, exc.lineno, f"invalid CSL style: {exc.msg}", code="citation-style")
        return default
    if style.tag != f"{_C}style":
        problems.error(path, 1, "not a CSL style (no <style> in the CSL namespace)", code="citation-style")
        return default
    if style.get("class") == "note":
        problems.error(path, style.sourceline, "note styles (footnote citations) are not supported; "
                       "use an in-text style", code="citation-style")
        return default
    if style.find(f"{_C}citation") is None:
        problems.error(path, None, "CSL style has no <citation>", code="citation-style")
        return default
    return path


def _base_lang(lang: str | None) -> str:
    return (lang or "").split("-")[0].split("_")[0].lower()


def _citeproc_locale(lang: str) -> str:
    base = _base_lang(lang)
    if base in CITEPROC_LOCALES:
        return CITEPROC_LOCALES[base]
    return lang or "en-US"


@dataclass
class _StyleInfo:
    path: Path  # the style itself
    numeric: bool  # <category citation-format="numeric"/>
    resort: bool  # the bibliography sorts alphabetically: re-sort it with ICU
    keys: list[tuple[str, str, bool]]  # (kind: macro|variable, name, descending)
    renumber: bool  # the bibliography prints citation-number: renumber after re-sorting
    sort_style: Path | None  # a derived style that prints only the sort macros of each item


_DATE_VARIABLES = {"issued", "accessed", "event-date", "original-date", "submitted",
                   "available-date"}
_NAME_VARIABLES = {"author", "editor", "translator", "container-author", "collection-editor",
                   "composer", "director", "editorial-director", "illustrator", "interviewer",
                   "original-author", "recipient", "reviewed-author", "chair", "compiler",
                   "contributor", "curator", "executive-producer", "guest", "host", "narrator",
                   "organizer", "performer", "producer", "script-writer", "series-creator"}
_NS = {"c": CSL_NS}


@functools.lru_cache(maxsize=32)
def _style_info(path_str: str, mtime: float, tmpdir: str) -> _StyleInfo:
    path = Path(path_str)
    root = etree.parse(path_str).getroot()
    numeric = bool(root.xpath("c:info/c:category[@citation-format='numeric']", namespaces=_NS))
    bib = root.find(f"{_C}bibliography")
    citation = root.find(f"{_C}citation")
    plain = _StyleInfo(path, numeric, False, [], False, None)
    if bib is None:
        return plain
    sort = bib.find(f"{_C}sort")
    keys: list[tuple[str, str, bool]] = []
    if sort is not None:
        for key in sort.findall(f"{_C}key"):
            desc = key.get("sort") == "descending"
            if key.get("macro"):
                keys.append(("macro", key.get("macro"), desc))
            elif key.get("variable"):
                keys.append(("variable", key.get("variable"), desc))
    alphabetical = any(not (kind == "variable" and name == "citation-number") for kind, name, _ in keys)
    if not alphabetical or (citation is not None and _prints_number(citation, root)):
        # Numbered in citation order, or the numbers in the text follow pandoc's order: keep it.
        return plain
    renumber = _prints_number(bib, root)
    macros = [name for kind, name, _ in keys if kind == "macro"]
    if not macros:
        return _StyleInfo(path, numeric, True, keys, renumber, None)
    # A derived style whose bibliography prints, for each item, only the style's sort macros
    # between private-use marks: run once over all references, it gives the very strings the
    # style sorts by, which are then compared with ICU.
    derived = copy.deepcopy(root)
    dbib = derived.find(f"{_C}bibliography")
    for attr in ("second-field-align", "subsequent-author-substitute", "hanging-indent"):
        dbib.attrib.pop(attr, None)
    dsort = dbib.find(f"{_C}sort")
    if dsort is not None:
        dbib.remove(dsort)
    layout = dbib.find(f"{_C}layout")
    for child in list(layout):
        layout.remove(child)
    for attr in ("prefix", "suffix", "delimiter", "font-style", "font-weight", "text-case"):
        layout.attrib.pop(attr, None)
    etree.SubElement(layout, f"{_C}text", value=_MARK_START)
    for i, name in enumerate(macros):
        if i:
            etree.SubElement(layout, f"{_C}text", value=_MARK_SEP)
        etree.SubElement(layout, f"{_C}text", macro=name)
    etree.SubElement(layout, f"{_C}text", value=_MARK_END)
    out = Path(tmpdir) / f"sortkeys-{abs(hash((path_str, mtime)))}-{path.name}"
    out.write_bytes(etree.tostring(derived, xml_declaration=True, encoding="utf-8"))
    return _StyleInfo(path, numeric, True, keys, renumber, out)


def _prints_number(element: Any, root: Any) -> bool:
    """Does this part of the style print citation-number (directly or through a macro)?"""
    query = ".//c:*[@variable='citation-number']"
    if element.xpath(query, namespaces=_NS):
        return True
    used = _macros_used(element, root)
    return any(m.xpath(query, namespaces=_NS) for m in root.findall(f"{_C}macro")
               if m.get("name") in used)


def _macros_used(element: Any, root: Any, seen: set[str] | None = None) -> set[str]:
    """Names of the macros an element calls, transitively."""
    seen = set() if seen is None else seen
    by_name = {m.get("name"): m for m in root.findall(f"{_C}macro")}
    for node in element.iter():
        name = node.get("macro") if isinstance(node.tag, str) else None
        if name and name not in seen and name in by_name:
            seen.add(name)
            _macros_used(by_name[name], root, seen)
    return seen


_TMPDIR: tempfile.TemporaryDirectory | None = None


def _get_style(style: Path) -> _StyleInfo:
    global _TMPDIR
    if _TMPDIR is None:
        _TMPDIR = tempfile.TemporaryDirectory(prefix="anthology-csl-")
    style = Path(style)
    return _style_info(str(style), style.stat().st_mtime, _TMPDIR.name)


_SORT_KEY_CACHE: dict[tuple, dict[str, list[str]]] = {}


def _macro_sort_keys(info: _StyleInfo, locale: str, refs: dict[str, Reference]) -> dict[str, list[str]]:
    """The rendered sort macros of every reference, by key: one pandoc run per style, locale
    and set of references (cached), never one per article."""
    if info.sort_style is None:
        return {}
    data = [refs[k].data for k in sorted(refs)]
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True)
    cache_key = (str(info.sort_style), locale, hash(payload))
    if cache_key in _SORT_KEY_CACHE:
        return _SORT_KEY_CACHE[cache_key]
    document = {"pandoc-api-version": _api_version(),
                "meta": {"lang": _str_meta(locale),
                         "nocite": {"t": "MetaInlines", "c": [{"t": "Cite", "c": [[
                             {"citationId": "*", "citationPrefix": [], "citationSuffix": [],
                              "citationMode": {"t": "NormalCitation"}, "citationNoteNum": 0,
                              "citationHash": 0}], [{"t": "Str", "c": "@*"}]]}]}},
                "blocks": [{"t": "Div", "c": [["refs", [], []], []]}]}
    with tempfile.TemporaryDirectory(prefix="anthology-cite-") as tmp:
        bib = Path(tmp) / "references.json"
        bib.write_text(payload, encoding="utf-8")
        started = time.perf_counter()
        result = _run_pandoc(["-f", "json", "-t", "html", "--wrap=none", "--citeproc",
                              "--csl", str(info.sort_style), "--bibliography", str(bib)],
                             json.dumps(document, ensure_ascii=False))
        TIMINGS.append(time.perf_counter() - started)
    keys: dict[str, list[str]] = {}
    if result.returncode == 0:
        output = lxml.html.fragment_fromstring(result.stdout, create_parent="div")
        for entry in output.xpath(".//div[contains(@class, 'csl-entry')]"):
            found = _MARK_RE.search(entry.text_content())
            if found and (entry.get("id") or "").startswith("ref-"):
                keys[entry.get("id")[len("ref-"):]] = [v.strip() for v in found.group(1).split(_MARK_SEP)]
    _SORT_KEY_CACHE[cache_key] = keys
    return keys


# ---------------------------------------------------------------------------------------------
# pandoc


@functools.lru_cache(maxsize=1)
def _pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


@functools.lru_cache(maxsize=1)
def _api_version() -> list[int]:
    """The pandoc-api-version of the bundled pandoc, read from its own JSON output."""
    result = _run_pandoc(["-f", "markdown", "-t", "json"], "x")
    return json.loads(result.stdout)["pandoc-api-version"]


def _run_pandoc(args: list[str], stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run([_pandoc_path(), *args], input=stdin, capture_output=True,
                          text=True, encoding="utf-8", timeout=600)


def _inlines(text: str) -> list[dict]:
    out: list[dict] = []
    for part in re.split(r"(\s+)", text):
        if not part:
            continue
        out.append({"t": "Space"} if part.isspace() else {"t": "Str", "c": part})
    return out


def _str_meta(value: str) -> dict:
    return {"t": "MetaInlines", "c": [{"t": "Str", "c": value}]}


def _pandoc_citation(cite: dict, locale: str, note_num: int) -> dict:
    suffix = cite.get("suffix") or ""
    locator, label = str(cite.get("locator") or ""), cite.get("label") or ""
    if locator and not label:
        # `{"locator": "ch. 2"}` with the term inside: read it as the Markdown syntax would.
        value, label, rest = parse_locator(", " + locator)
        if value and not rest:
            locator = value
        else:
            label = ""
    if locator:
        terms = _LOCALE_TERMS.get(locale.split("-")[0], _LOCALE_TERMS["en"])
        term = terms.get(label, "")
        located = f"{term} {locator}" if term else locator
        if not _SIMPLE_VALUE_RE.match(locator):
            located = "{" + located + "}"  # pandoc's braces: take the locator as it is
        suffix = f", {located}{suffix}"
    elif suffix and not suffix[0].isspace() and suffix[0] not in ",;.:":
        suffix = " " + suffix
    return {
        "citationId": cite["id"],
        "citationPrefix": _inlines(cite.get("prefix") or ""),
        "citationSuffix": _inlines(suffix),
        "citationMode": {"t": _MODES.get(cite.get("mode") or "normal", "NormalCitation")},
        "citationNoteNum": note_num,
        "citationHash": 0,
    }


# ---------------------------------------------------------------------------------------------
# Formatting


@dataclass
class _Span:
    element: Any
    cites: list[dict]  # every cite, in order
    known: list[dict]  # those whose key is in refs
    unknown: list[str]
    anchor: str  # the prefix of the ids this span links to: ref-{anchor}-{key}


def _citation_spans(body: Any) -> list[Any]:
    return body.xpath(".//span[contains(concat(' ', normalize-space(@class), ' '), ' citation ')]")


def _parse_cites(element: Any, path: Path, problems: Problems) -> list[dict]:
    raw = element.get("data-cites") or "[]"
    try:
        cites = json.loads(raw)
    except json.JSONDecodeError:
        cites = None
    if not isinstance(cites, list) or not all(isinstance(c, dict) and c.get("id") for c in cites):
        problems.error(path, line_of(element), f"malformed citation data: {raw}", code="citation")
        return []
    return cites


def cited_keys(body: Any) -> set[str]:
    """The keys cited in an article body (formatted or not)."""
    keys: set[str] = set()
    for span in _citation_spans(body):
        try:
            cites = json.loads(span.get("data-cites") or "[]")
        except json.JSONDecodeError:
            continue
        keys.update(str(c.get("id")) for c in cites if isinstance(c, dict) and c.get("id"))
    return keys


def _collect(body: Any, path: Path, refs: dict[str, Reference], anchor: str,
             problems: Problems, strict: bool) -> list[_Span]:
    spans = []
    for element in _citation_spans(body):
        cites = _parse_cites(element, path, problems)
        if not cites:
            continue
        known, unknown = [], []
        for cite in cites:
            key = str(cite["id"])
            if key in refs:
                known.append(cite)
            else:
                unknown.append(key)
                message = f'unknown citation key "{key}"'
                if strict:
                    problems.error(path, line_of(element), message, code="unknown-citation")
                else:
                    problems.warning(path, line_of(element), message, code="unknown-citation")
        spans.append(_Span(element, cites, known, unknown, anchor))
    return spans


def process_article(body: Any, article_id: str, article_path: Path, lang: str,
                    refs: dict[str, Reference], style: Path, problems: Problems, *,
                    nocite: Iterable[str] = (), strict: bool = False) -> Any | None:
    """Format an article's citations in place; return its reference list or None.

    Each `<span class="citation">` gets the formatted citation as content, every cited item
    wrapped in `<a class="citation-link" href="#ref-{article_id}-{key}">`; an unknown key is
    reported at the span's line (a warning, or an error when `strict`) and shown as `[?key]`.
    The list is `<section class="bibliography" id="bib-{article_id}">` holding one
    `<div class="csl-entry" id="ref-{article_id}-{key}">` per item. `nocite` keys (`*` for all)
    are listed without being cited. One pandoc run per article: numbering restarts per article.
    """
    spans = _collect(body, Path(article_path), refs, article_id, problems, strict)
    return _format(spans, article_id, Path(article_path), lang, refs, style, problems,
                   nocite=nocite, strict=strict)


def process_volume(targets: Sequence[CitationTarget | tuple], lang: str,
                   refs: dict[str, Reference], style: Path, problems: Problems, *,
                   nocite: Iterable[str] = (), strict: bool = False,
                   volume_id: str = "volume") -> Any | None:
    """One bibliography for the whole volume (`bibliography: volume`).

    `targets` are the articles in reading order, as `CitationTarget(body, article_id, path)` or
    `(body, article_id, path)` tuples. Citations are numbered across the volume and link to
    `#ref-{volume_id}-{key}`; the list returned is `<section class="bibliography"
    id="bib-{volume_id}">`. One pandoc run for the volume.
    """
    spans: list[_Span] = []
    first_path: Path | None = None
    for target in targets:
        if not isinstance(target, CitationTarget):
            target = CitationTarget(*target)
        first_path = first_path or Path(target.path)
        spans.extend(_collect(target.body, Path(target.path), refs, volume_id, problems, strict))
    where = first_path or Path(".")
    return _format(spans, volume_id, where, lang, refs, style, problems, nocite=nocite,
                   strict=strict)


@dataclass
class _Plan:
    """One reference list's formatting job: what goes to citeproc, and what comes back to."""

    spans: list[_Span]
    list_id: str
    path: Path
    lang: str
    locale: str
    refs: dict[str, Reference]
    info: Any
    problems: Problems
    blocks: list
    meta: dict
    items: list[dict]  # CSL items in order of first citation

    def document(self) -> dict:
        return {"pandoc-api-version": _api_version(), "meta": self.meta, "blocks": self.blocks}


def _format(spans: list[_Span], list_id: str, path: Path, lang: str, refs: dict[str, Reference],
            style: Path, problems: Problems, *, nocite: Iterable[str], strict: bool) -> Any | None:
    plan = _plan(spans, list_id, path, lang, refs, style, problems, nocite=nocite, strict=strict)
    return _format_alone(plan) if plan is not None else None


def process_articles(jobs: Sequence[dict]) -> list[Any | None]:
    """Several articles' reference lists (each job: the keyword arguments of `process_article`)
    formatted in one pandoc run: a Lua filter runs citeproc on each article on its own, so the
    numbering still restarts per article but pandoc starts once. If that run fails, each article
    is formatted alone, so that any error names its article."""
    plans = []
    for job in jobs:
        spans = _collect(job["body"], Path(job["article_path"]), job["refs"], job["article_id"], job["problems"],
                         job.get("strict", False))
        plans.append(_plan(spans, job["article_id"], Path(job["article_path"]), job["lang"], job["refs"], job["style"],
                           job["problems"], nocite=job.get("nocite", ()), strict=job.get("strict", False)))
    todo = [(number, plan) for number, plan in enumerate(plans) if plan is not None]
    results: list[Any | None] = [None] * len(plans)
    if not todo:
        return results
    output = _run_batch([plan for _, plan in todo])
    for position, (number, plan) in enumerate(todo):
        article = output.find(f".//div[@id='article-{position}']") if output is not None else None
        results[number] = _apply(plan, article, "") if article is not None else _format_alone(plan)
    return results


LUA_EACH = Path(__file__).parent / "data" / "citeproc-each.lua"


def _run_batch(plans: list[_Plan]) -> Any | None:
    """One pandoc run over every plan, each in its own Div with its own style, locale and references."""
    with tempfile.TemporaryDirectory(prefix="anthology-cite-") as tmp:
        blocks = []
        for number, plan in enumerate(plans):
            bib = Path(tmp) / f"references-{number}.json"
            bib.write_text(json.dumps(plan.items, ensure_ascii=False), encoding="utf-8")
            attributes = [["bibliography", str(bib)], ["csl", str(plan.info.path)],
                          ["lang", plan.locale], ["nocite", " ".join(f"@{k}" for k in _nocite_keys(plan))]]
            blocks.append({"t": "Div", "c": [[f"article-{number}", ["anthology-article"], attributes], plan.blocks]})
        document = {"pandoc-api-version": _api_version(), "meta": {}, "blocks": blocks}
        args = ["-f", "json", "-t", "html", "--wrap=none", "--lua-filter", str(LUA_EACH)]
        started = time.perf_counter()
        result = _run_pandoc(args, json.dumps(document, ensure_ascii=False))
        TIMINGS.append(time.perf_counter() - started)
    if result.returncode != 0:
        log.debug("batched citeproc failed, formatting each article alone: %s", result.stderr)
        return None
    return lxml.html.fragment_fromstring(result.stdout, create_parent="div")


def _nocite_keys(plan: _Plan) -> list[str]:
    nocite = plan.meta.get("nocite")
    return [c["citationId"] for c in nocite["c"][0]["c"][0]] if nocite else []


def _format_alone(plan: _Plan) -> Any | None:
    """One pandoc run for one list."""
    with tempfile.TemporaryDirectory(prefix="anthology-cite-") as tmp:
        bib = Path(tmp) / "references.json"
        bib.write_text(json.dumps(plan.items, ensure_ascii=False), encoding="utf-8")
        args = ["-f", "json", "-t", "html", "--wrap=none", "--citeproc",
                "--csl", str(plan.info.path), "--bibliography", str(bib)]
        started = time.perf_counter()
        result = _run_pandoc(args, json.dumps(plan.document(), ensure_ascii=False))
        TIMINGS.append(time.perf_counter() - started)
    if result.returncode != 0:
        return _failed(plan, result.stderr)
    return _apply(plan, lxml.html.fragment_fromstring(result.stdout, create_parent="div"), result.stderr)


def _plan(spans: list[_Span], list_id: str, path: Path, lang: str, refs: dict[str, Reference],
          style: Path, problems: Problems, *, nocite: Iterable[str], strict: bool) -> _Plan | None:
    """What citeproc must format for one list; None when nothing is cited (unknown keys are filled in)."""
    nocite_keys: list[str] = []
    for key in nocite or ():
        key = str(key).lstrip("@")
        if key == "*":
            nocite_keys.extend(refs)
        elif key in refs:
            nocite_keys.append(key)
        else:
            message = f'unknown key "{key}" in nocite'
            (problems.error if strict else problems.warning)(path, None, message,
                                                            code="unknown-citation")
    for span in spans:
        if not span.known:
            _fill_unknown(span)
    formatted = [s for s in spans if s.known]
    if not formatted and not nocite_keys:
        return None

    # References in order of first citation (then nocite): pandoc breaks sort ties and assigns
    # year suffixes (2019a, 2019b) in this order.
    order: list[str] = []
    for span in formatted:
        for cite in span.known:
            if cite["id"] not in order:
                order.append(cite["id"])
    for key in nocite_keys:
        if key not in order:
            order.append(key)

    locale = _citeproc_locale(lang)
    info = _get_style(style)
    blocks = []
    for i, span in enumerate(formatted):
        cite = {"t": "Cite", "c": [[_pandoc_citation(c, locale, i + 1) for c in span.known],
                                   [{"t": "Str", "c": "?"}]]}
        blocks.append({"t": "Div", "c": [[f"c{i}", [], []], [{"t": "Para", "c": [cite]}]]})
    blocks.append({"t": "Div", "c": [["refs", [], []], []]})
    meta = {
        "lang": _str_meta(locale),
        "link-citations": {"t": "MetaBool", "c": True},
        "link-bibliography": {"t": "MetaBool", "c": True},
    }
    if nocite_keys:
        meta["nocite"] = {"t": "MetaInlines", "c": [{"t": "Cite", "c": [[
            {"citationId": k, "citationPrefix": [], "citationSuffix": [],
             "citationMode": {"t": "NormalCitation"}, "citationNoteNum": 0, "citationHash": 0}
            for k in nocite_keys], [{"t": "Str", "c": "?"}]]}]}
    return _Plan(formatted, list_id, path, lang, locale, refs, info, problems, blocks, meta,
                 [refs[k].data for k in order])


def _failed(plan: _Plan, stderr: str) -> None:
    plan.problems.error(plan.path, None, f"citation formatting failed: {stderr.strip()}", code="citeproc")
    for span in plan.spans:
        span.unknown = [c["id"] for c in span.known]
        _fill_unknown(span)
    return None


def _apply(plan: _Plan, output: Any, stderr: str) -> Any | None:
    """Put citeproc's output where it belongs: each citation in its span, the entries in a list."""
    for message in stderr.splitlines():
        if message.strip():
            plan.problems.warning(plan.path, None, f"citeproc: {message.strip()}", code="citeproc")
    by_id = {el.get("id"): el for el in output.iter() if isinstance(el.tag, str) and el.get("id")}
    for i, span in enumerate(plan.spans):
        div = by_id.get(f"c{i}")
        rendered = div.find(".//span") if div is not None else None
        _fill(span, rendered, plan.list_id)
        if plan.info.numeric and span.known and all(c.get("mode") == "author-in-text" for c in span.known):
            _prepend_names(span, plan.refs, plan.locale)

    refs_div = by_id.get("refs")
    if refs_div is None:
        return None
    entries = [el for el in refs_div if isinstance(el.tag, str) and "csl-entry" in (el.get("class") or "")]
    entries = _sorted_entries(entries, plan.info, plan.lang, plan.locale, plan.refs)
    section = lxml.html.Element("div")
    classes = ["bibliography"] + [c for c in (refs_div.get("class") or "").split()
                                  if c not in ("references", "csl-bib-body")]
    section.set("class", " ".join(classes))
    section.set("id", f"bib-{plan.list_id}")
    for name in ("role", "data-entry-spacing", "data-line-spacing"):
        if refs_div.get(name) is not None:
            section.set(name, refs_div.get(name))
    for entry in entries:
        key = (entry.get("id") or "")[len("ref-"):]
        entry.set("id", f"ref-{plan.list_id}-{key}")
        entry.set("data-key", key)
        section.append(entry)
    return section


_AND = {"ru": ("и", "и др."), "en": ("and", "et al.")}


def _narrative_names(ref: dict, locale: str) -> str:
    """"Иванов", "Петрова и Сидоров", "Алексеев и др.": the author part of a narrative
    citation, which pandoc leaves out in numeric styles (`@key` prints only "[1]")."""
    conj, etal = _AND.get(locale.split("-")[0], _AND["en"])
    for var in ("author", "editor"):
        names = [n.get("literal") or " ".join(p for p in (n.get("non-dropping-particle"),
                                                          n.get("family")) if p)
                 for n in ref.get(var) or [] if isinstance(n, dict)]
        names = [n for n in names if n]
        if len(names) == 1:
            return names[0]
        if len(names) == 2:
            return f"{names[0]} {conj} {names[1]}"
        if names:
            return f"{names[0]} {etal}"
    return str(ref.get("title-short") or ref.get("title") or "")


def _prepend_names(span: _Span, refs: dict[str, Reference], locale: str) -> None:
    names = ", ".join(filter(None, (_narrative_names(refs[c["id"]].data, locale) for c in span.known)))
    if names:
        span.element.text = f"{names}\u00a0{span.element.text or ''}"


def _fill_unknown(span: _Span) -> None:
    element = span.element
    for child in list(element):
        element.remove(child)
    element.text = None
    _append_unknown(element, span.unknown)


def _append_unknown(element: Any, keys: list[str]) -> None:
    for key in keys:
        marker = lxml.html.Element("span")
        marker.set("class", "citation-unknown")
        marker.text = f"[?{key}]"
        if len(element) or element.text:
            last = element[-1] if len(element) else None
            if last is not None:
                last.tail = (last.tail or "") + " "
            else:
                element.text += " "
        element.append(marker)


def _fill(span: _Span, rendered: Any, list_id: str) -> None:
    element = span.element
    for child in list(element):
        element.remove(child)
    element.text = None
    if rendered is None:
        span.unknown = [c["id"] for c in span.known] + span.unknown
        _append_unknown(element, span.unknown)
        return
    element.text = rendered.text
    for child in list(rendered):
        element.append(child)
    for link in element.iter("a"):
        href = link.get("href") or ""
        if href.startswith("#ref-"):
            link.set("href", f"#ref-{list_id}-{href[len('#ref-'):]}")
            link.set("class", "citation-link")
    if span.unknown:
        _append_unknown(element, span.unknown)


# ---------------------------------------------------------------------------------------------
# Sorting alphabetical lists with ICU


def _collator(lang: str, refs: list[dict]) -> Any:
    import icu

    base = _base_lang(lang)
    locale = COLLATION.get(base, base or "root")
    if locale == "az":
        latin = [r for r in refs if _is_latin(_sample_text(r))]
        if any(_base_lang(r.get("language", "")) != "az" for r in latin):
            locale = "en"
    collator = icu.Collator.createInstance(icu.Locale(locale))
    # Punctuation and spaces are ignored at the first levels: «Title» sorts under T.
    collator.setAttribute(icu.UCollAttribute.ALTERNATE_HANDLING, icu.UCollAttributeValue.SHIFTED)
    return collator


def _sample_text(ref: dict) -> str:
    for var in ("author", "editor"):
        for name in ref.get(var) or []:
            if isinstance(name, dict):
                return name.get("family") or name.get("literal") or ""
    return str(ref.get("title") or "")


def _is_latin(text: str) -> bool:
    for char in text:
        if char.isalpha():
            return "LATIN" in _unicode_name(char)
    return False


def _unicode_name(char: str) -> str:
    import unicodedata

    return unicodedata.name(char, "")


def _variable_key(ref: dict, name: str) -> Any:
    value = ref.get(name)
    if value is None or value == "" or value == []:
        return None
    if name in _DATE_VARIABLES or (isinstance(value, dict) and ("date-parts" in value or "raw" in value)):
        if isinstance(value, dict) and value.get("date-parts"):
            parts = value["date-parts"][0]
            return ("date", tuple(int(p) for p in parts if str(p).lstrip("-").isdigit()) + (0, 0, 0))
        raw = value.get("raw") if isinstance(value, dict) else str(value)
        digits = re.findall(r"-?\d+", raw or "")
        return ("date", tuple(int(d) for d in digits[:3]) + (0, 0, 0)) if digits else None
    if name in _NAME_VARIABLES and isinstance(value, list):
        names = []
        for person in value:
            if isinstance(person, dict):
                names.append(person.get("literal") or " ".join(
                    p for p in (person.get("non-dropping-particle"), person.get("family"),
                                person.get("given")) if p))
        return ("text", "; ".join(names)) if names else None
    text = str(value)
    if text.isdigit():
        return ("number", int(text))
    return ("text", text)


def _sorted_entries(entries: list[Any], info: _StyleInfo, lang: str, locale: str,
                    refs: dict[str, Reference]) -> list[Any]:
    """Re-sort an alphabetical list with ICU on the style's own sort keys.

    pandoc's citeproc sorts with its own collation (Latin before Cyrillic even under ru-RU,
    Azerbaijani I/ı/İ misplaced); the keys it sorts by are the same, so they are rendered once
    (`_macro_sort_keys`) or read from the data, and compared here with ICU. Items whose name
    keys are all empty (no author, no editor: sorted by title in GOST) are filed under the text
    of their entry. Ties keep pandoc's order, which is the order of first citation, so year
    suffixes (2019a, 2019b) stay in order.
    """
    if not info.resort or len(entries) < 2:
        return entries
    keys_of = [(e.get("id") or "")[len("ref-"):] for e in entries]
    data = [refs[k].data if k in refs else {} for k in keys_of]
    macro_keys = _macro_sort_keys(info, locale, refs)
    collator = _collator(lang, data)

    rows = []
    for index, (entry, key, ref) in enumerate(zip(entries, keys_of, data)):
        values = iter(macro_keys.get(key, []))
        row: list[Any] = []
        for kind, name, _desc in info.keys:
            if kind == "macro":
                # Year suffixes differ between the sort-key run and this one: compare without.
                text = _YEAR_SUFFIX_RE.sub("", next(values, ""))
                row.append(("text", text) if text else None)
            else:
                row.append(_variable_key(ref, name))
        rows.append((index, entry, row))
    # An item whose sort macros all print nothing (GOST: no author) is filed under the text of
    # its entry (its title), in the first macro slot that the other items fill.
    macro_slots = [i for i, (kind, _n, _d) in enumerate(info.keys) if kind == "macro"]
    used = [i for i in macro_slots if any(row[i] is not None for _, _, row in rows)]
    if used:
        for _, entry, row in rows:
            if all(row[i] is None for i in macro_slots):
                row[used[0]] = ("text", _entry_text(entry))

    def compare(a: tuple, b: tuple) -> int:
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

    rows.sort(key=functools.cmp_to_key(compare))
    ordered = [entry for _, entry, _ in rows]
    if info.renumber:
        _renumber(ordered)
    return ordered


_YEAR_SUFFIX_RE = re.compile(r"(?<=\d{4})[a-z]{1,2}\b")


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

