"""CSL styles and locales: which style a volume or article uses, and what a style does.

`resolve_style` finds the CSL file; `style_info` reads from it what the formatting needs: is it
numeric, does its bibliography sort alphabetically (then the list is re-sorted with ICU, see
`sorting.py`) and on which keys.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.etree as etree

from .. import scratch
from ..problems import Problems

CSL_NS = "http://purl.org/net/xbiblio/csl"
_C = f"{{{CSL_NS}}}"
_NS = {"c": CSL_NS}
STYLE_DIR = Path(__file__).parent.parent / "data" / "csl"

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
# A style that brings its own terms for a language (`<locale xml:lang="kk">`, as the shipped GOST
# numeric style does for kk and az) gets that language's own tag instead.
NATIVE_LOCALES = {"ru": "ru-RU", "kk": "kk-KZ", "az": "az-AZ", "en": "en-US"}

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
    # The terms of the kk and az locales of the shipped GOST numeric style.
    "kk": {"page": "б.", "chapter": "тар.", "volume": "т."},
    "az": {"page": "s.", "chapter": "fəs.", "volume": "c."},
}

# The private-use marks around (and between) the sort macros that a derived sort style prints.
SORT_MARK_START, SORT_MARK_SEP, SORT_MARK_END = "\ue000", "\ue001", "\ue002"


def base_lang(lang: str | None) -> str:
    """`ru-RU` → `ru`."""
    return (lang or "").split("-")[0].split("_")[0].lower()


def citeproc_locale(lang: str, own: frozenset[str] = frozenset()) -> str:
    """The locale citeproc formats `lang` in: its own tag when the style has terms for it
    (`own`, the languages of its `<locale>` blocks), else `CITEPROC_LOCALES`."""
    base = base_lang(lang)
    if base in own and base in NATIVE_LOCALES:
        return NATIVE_LOCALES[base]
    if base in CITEPROC_LOCALES:
        return CITEPROC_LOCALES[base]
    return lang or "en-US"


def locator_term(locale: str, label: str) -> str:
    """The term citeproc recognises for a locator label (`page` → `с.` in ru), or ""; English
    terms, which citeproc recognises in every locale, where the locale has none."""
    terms = _LOCALE_TERMS.get(locale.split("-")[0], _LOCALE_TERMS["en"])
    return terms.get(label) or _LOCALE_TERMS["en"].get(label, "")


# ---------------------------------------------------------------------------------------------
# Resolving a style


def resolve_style(name_or_path: str | None, lang: str, root: Path, problems: Problems, *,
                  where: Path | None = None, line: int | None = None) -> Path:
    """The CSL file for a manifest's `citation-style` (or an article's), or the language's default.

    A shipped name (`gost-r-7.0.5-2008-numeric`, `gost-r-7.0.5-2008`, `apa`,
    `chicago-author-date`) or a path to a `.csl` file inside the project `root`. On a problem
    (`where`:`line` locates it, default the manifest) the default style is returned.
    """
    where = where or Path(root) / "anthology.yaml"
    default = STYLE_DIR / STYLES[DEFAULT_STYLES.get(base_lang(lang), DEFAULT_STYLE)]
    if not name_or_path:
        return default
    name = str(name_or_path).strip()
    shipped = STYLES.get(name) or _STYLE_ALIASES.get(name)
    if shipped:
        return STYLE_DIR / shipped
    if not name.endswith(".csl"):
        problems.error(where, line, f'unknown citation style "{name}" (shipped: '
                       f"{', '.join(STYLES)}; or a path to a .csl file)", code="citation-style")
        return default
    path = _inside_project(name, Path(root))
    if path is None:
        problems.error(where, line, f'citation style "{name}" must be a path inside the project',
                       code="citation-style")
        return default
    if not path.is_file():
        problems.error(where, line, f'citation style "{name}" not found', code="citation-style")
        return default
    unusable = _why_unusable(path)
    if unusable is not None:
        problems.error(path, *unusable, code="citation-style")
        return default
    return path


def _inside_project(name: str, root: Path) -> Path | None:
    """The absolute path of `name` relative to `root`, or None when it points outside."""
    candidate = Path(name)
    if candidate.is_absolute() or ".." in candidate.parts:
        return None
    path = (root / candidate).resolve()
    try:
        path.relative_to(root.resolve())
    except ValueError:
        return None
    return path


def _why_unusable(path: Path) -> tuple[int | None, str] | None:
    """(line, message) when the file is no in-text CSL style; None when it can be used."""
    try:
        style = etree.parse(str(path)).getroot()
    except etree.XMLSyntaxError as exc:
        return exc.lineno, f"invalid CSL style: {exc.msg}"
    if style.tag != f"{_C}style":
        return 1, "not a CSL style (no <style> in the CSL namespace)"
    if style.get("class") == "note":
        return style.sourceline, "note styles (footnote citations) are not supported; use an in-text style"
    if style.find(f"{_C}citation") is None:
        return None, "CSL style has no <citation>"
    return None


# ---------------------------------------------------------------------------------------------
# What a style does


@dataclass
class StyleInfo:
    path: Path  # the style itself
    numeric: bool  # <category citation-format="numeric"/>
    resort: bool  # the bibliography sorts alphabetically: re-sort it with ICU
    keys: list[tuple[str, str, bool]]  # (kind: macro|variable, name, descending)
    renumber: bool  # the bibliography prints citation-number: renumber after re-sorting
    sort_style: Path | None  # a derived style that prints only the sort macros of each item
    gost: bool = False  # a GOST R 7.0.5 style: sources prepared as GOST describes them (sources.py)
    locales: frozenset[str] = frozenset()  # languages the style has its own terms for
    context_free: bool = True  # an entry does not depend on its neighbours (no subsequent-author-substitute)


_TMPDIR: str | None = None


def style_info(style: Path) -> StyleInfo:
    """What the CSL file `style` does (read once per file and modification time)."""
    style = Path(style)
    return _style_info(str(style), style.stat().st_mtime, _tmpdir())


@functools.lru_cache(maxsize=32)
def _style_info(path_str: str, mtime: float, tmpdir: str) -> StyleInfo:
    path = Path(path_str)
    root = etree.parse(path_str).getroot()
    numeric = bool(root.xpath("c:info/c:category[@citation-format='numeric']", namespaces=_NS))
    bib = root.find(f"{_C}bibliography")
    citation = root.find(f"{_C}citation")
    extra = {"gost": _is_gost(root), "locales": _own_locales(root),
             "context_free": bib is None or bib.get("subsequent-author-substitute") is None}
    plain = StyleInfo(path, numeric, False, [], False, None, **extra)
    if bib is None:
        return plain
    keys = _sort_keys(bib)
    alphabetical = any(not (kind == "variable" and name == "citation-number") for kind, name, _ in keys)
    if not alphabetical or (citation is not None and _prints_number(citation, root)):
        # Numbered in citation order, or the numbers in the text follow pandoc's order: keep it.
        return plain
    renumber = _prints_number(bib, root)
    macros = [name for kind, name, _ in keys if kind == "macro"]
    if not macros:
        return StyleInfo(path, numeric, True, keys, renumber, None, **extra)
    out = Path(tmpdir) / f"sortkeys-{abs(hash((path_str, mtime)))}-{path.name}"
    out.write_bytes(etree.tostring(_sort_style(root, macros), xml_declaration=True, encoding="utf-8"))
    return StyleInfo(path, numeric, True, keys, renumber, out, **extra)


def style_for(info: StyleInfo, locale: str) -> Path:
    """The style as citeproc needs it for `locale`: a copy without the `<locale>` blocks of other
    languages, comments and summary (written once per style, file version and language). pandoc
    parses the whole style for every list; the shipped GOST style's Kazakh, Azerbaijani and
    English terms made each Russian list cost about a quarter more (320-article benchmark).
    The copy is used at run time only, never distributed."""
    others = info.locales - {base_lang(locale)}
    if not others:
        return info.path
    return Path(_style_for(str(info.path), info.path.stat().st_mtime, base_lang(locale), _tmpdir()))


def _tmpdir() -> str:
    global _TMPDIR
    if _TMPDIR is None:
        _TMPDIR = str(scratch.folder("anthology-csl"))
    return _TMPDIR


@functools.lru_cache(maxsize=64)
def _style_for(path_str: str, mtime: float, lang: str, tmpdir: str) -> str:
    root = etree.parse(path_str).getroot()
    for block in root.findall(f"{_C}locale"):
        tag = block.get("{http://www.w3.org/XML/1998/namespace}lang")
        if tag and base_lang(tag) != lang:
            root.remove(block)
    for node in [*root.iter(etree.Comment), *root.findall(f"{_C}info/{_C}summary")]:
        node.getparent().remove(node)  # parsed for every list too, and never needed at run time
    out = Path(tmpdir) / f"{lang}-{abs(hash((path_str, mtime)))}-{Path(path_str).name}"
    out.write_bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
    return str(out)


def _is_gost(root: Any) -> bool:
    """A GOST R 7.0.5 style: its id or title says so."""
    info = " ".join(root.xpath("c:info/c:id/text() | c:info/c:title/text()", namespaces=_NS))
    return "gost" in info.lower()


def _own_locales(root: Any) -> frozenset[str]:
    """The languages of the style's own `<locale xml:lang=…>` blocks (`kk`, `az`)."""
    langs = root.xpath("c:locale/@xml:lang", namespaces={**_NS, "xml": "http://www.w3.org/XML/1998/namespace"})
    return frozenset(base_lang(lang) for lang in langs)


def _sort_keys(bib: Any) -> list[tuple[str, str, bool]]:
    """The keys of a bibliography's <sort>: (macro|variable, name, descending)."""
    sort = bib.find(f"{_C}sort")
    keys: list[tuple[str, str, bool]] = []
    if sort is not None:
        for key in sort.findall(f"{_C}key"):
            desc = key.get("sort") == "descending"
            if key.get("macro"):
                keys.append(("macro", key.get("macro"), desc))
            elif key.get("variable"):
                keys.append(("variable", key.get("variable"), desc))
    return keys


def _sort_style(root: Any, macros: list[str]) -> Any:
    """A derived style whose bibliography prints, for each item, only the style's sort macros
    between private-use marks: run once over all references, it gives the very strings the
    style sorts by, which are then compared with ICU."""
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
    etree.SubElement(layout, f"{_C}text", value=SORT_MARK_START)
    for i, name in enumerate(macros):
        if i:
            etree.SubElement(layout, f"{_C}text", value=SORT_MARK_SEP)
        etree.SubElement(layout, f"{_C}text", macro=name)
    etree.SubElement(layout, f"{_C}text", value=SORT_MARK_END)
    return derived


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
