"""Pandoc-style citations in Markdown: a markdown-it-py inline plugin.

Recognised forms (the syntax of pandoc's `citations` extension):

    [@key]                    normal citation
    [@key, p. 45]             with a locator (`p.`, `pp.`, `с.`, `гл.`, `ch.`, a bare number, …)
    [@a; @b, с. 3]            several items in one citation
    [see @key, ch. 2]         prefix and locator
    [@key, p. 4, emphasis added]   locator followed by a suffix
    [-@key]                   suppress the author (the year or number only)
    @key                      narrative ("author in text") citation
    @key [p. 33]              narrative citation with a locator or suffix
    @{odd key}                a key in braces may hold any characters but braces

A key starts with a letter, digit or `_` (Cyrillic and other scripts included) and may contain
letters, digits, `_` and the internal punctuation `:.#$%&-+?<>~/`, as in pandoc: punctuation at
the end of a key is not part of it (`@smith2004.` cites `smith2004`). An `@` right after a letter
or digit starts no citation, so `a@b.com` stays an e-mail address.

Each citation becomes one token rendered as

    <span class="citation" data-cites='[{"id": …, "prefix": …, "suffix": …, "locator": …,
                                         "label": …, "mode": …}]'>original text</span>

`mode` is `normal`, `suppress-author` or `author-in-text`. `label` is the CSL locator label
(`page`, `chapter`, `volume`, …) and `locator` its value (`45`, `33-35`), parsed as pandoc's
citeproc parses them, with Russian, Kazakh and Azerbaijani terms added; `suffix` is whatever
follows the locator. With no recognisable locator, `locator` and `label` are empty and the whole
text after the key is `suffix`. `anthology.citations` formats the spans.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

__all__ = [
    "citations_plugin",
    "parse_citation_text",
    "parse_locator",
    "LOCATOR_TERMS",
    "KEY_RE",
    "SIMPLE_LOCATOR_RE",
]

# A citation key, as pandoc reads it: internal punctuation only.
_KEY = r"[^\W](?:[^\W]|[:.#$%&\-+?<>~/]+(?=[^\W]))*"
KEY_RE = re.compile(_KEY)
_BRACED_KEY_RE = re.compile(r"\{([^{}]+)\}")

# Locator terms → CSL label. English and Russian terms are those of the CSL locales pandoc uses
# (long and short forms, singular and plural); a few common abbreviations that the locales lack
# are added (`ch.`, `pg.`, `стр.`), and Kazakh (`б.` бет, `тарау`) and Azerbaijani (`s.`, `səh.`
# səhifə, `fəsil`) ones. Matching ignores case (`С. 45` is a page).
LOCATOR_TERMS: dict[str, str] = {}


def _terms(label: str, *terms: str) -> None:
    for term in terms:
        LOCATOR_TERMS[term.casefold()] = label


_terms("page", "p.", "pp.", "pg.", "pgs.", "page", "pages",
       "с.", "сс.", "стр.", "страница", "страницы", "б.", "бет", "беттер",
       "s.", "səh.", "səhifə", "səhifələr")
_terms("chapter", "ch.", "chs.", "chap.", "chaps.", "chapter", "chapters",
       "гл.", "глава", "главы", "тарау", "fəs.", "fəsil")
_terms("volume", "vol.", "vols.", "volume", "volumes", "т.", "тт.", "том", "тома", "cild")
_terms("section", "sec.", "secs.", "section", "sections", "§", "§§", "разд.", "раздел", "bölmə")
_terms("paragraph", "para.", "paras.", "paragraph", "paragraphs", "¶", "¶¶", "п.", "пп.",
       "параграф", "абз.")
_terms("part", "pt.", "pts.", "part", "parts", "ч.", "чч.", "часть", "части", "hissə")
_terms("figure", "fig.", "figs.", "figure", "figures", "рис.", "рисунок", "сурет")
_terms("note", "n.", "nn.", "note", "notes", "прим.", "примечание", "qeyd")
_terms("line", "l.", "ll.", "line", "lines", "строка", "строки")
_terms("column", "col.", "cols.", "column", "columns", "стб.", "столбец")
_terms("book", "bk.", "bks.", "book", "books", "кн.", "книга", "kitab")
_terms("folio", "fol.", "fols.", "folio", "folios", "л.", "лл.", "лист")
_terms("issue", "no.", "nos.", "issue", "issues", "вып.", "выпуск")
_terms("verse", "v.", "vv.", "verse", "verses", "ст.", "стих")
_terms("opus", "op.", "opp.", "opus", "соч.")
_terms("table", "tbl.", "tbls.", "table", "tables", "табл.", "таблица")
_terms("appendix", "app.", "apps.", "appendix", "appendices", "прил.", "приложение")
_terms("sub-verbo", "s.v.", "s.vv.", "sub verbo")

# Longest first, so that `pp.` wins over `p.` and `s.v.` over `s.`.
_TERM_ALT = "|".join(re.escape(t) for t in sorted(LOCATOR_TERMS, key=len, reverse=True))
_VALUE_ITEM = r"(?:\d+(?:[.:/]\d+)*[^\W\d_]?|[ivxlcdm]+(?![\w])|[IVXLCDM]+(?![\w]))"
_VALUE = rf"{_VALUE_ITEM}(?:\s*[-–—]+\s*{_VALUE_ITEM})*(?:\s*[,&]\s*{_VALUE_ITEM}(?:\s*[-–—]+\s*{_VALUE_ITEM})*)*"
_BRACED_VALUE = r"\{[^{}]*\}"
_LOCATOR_RE = re.compile(
    rf"^\s*,?\s*(?P<term>{_TERM_ALT})(?:\s+|(?<=[.§¶])\s*)(?P<value>{_BRACED_VALUE}|{_VALUE})",
    re.IGNORECASE,
)
_NUM = r"\d+(?:[.:/]\d+)*[^\W\d_]?"
_BARE_LOCATOR_RE = re.compile(
    rf"^\s*,?\s*(?P<value>{_NUM}(?:\s*[-–—]+\s*{_NUM})*(?:\s*,\s*{_NUM}(?:\s*[-–—]+\s*{_NUM})*)*)"
)

_PANDOC_BRACED_RE = re.compile(r"^\s*,?\s*\{(?P<inner>[^{}]*)\}")
_TERM_ONLY_RE = re.compile(r"^(?P<term>[^\s\d{}]+)\s*")
# A locator pandoc reads as it is (numbers, ranges, roman numerals); any other is passed in braces.
SIMPLE_LOCATOR_RE = re.compile(rf"^(?:{_VALUE})$")

# Kazakh writes the page after the number: `45-бет`, `45-47-беттер`, `45-б.`.
_POSTFIX_PAGE_RE = re.compile(
    rf"^\s*,?\s*(?P<value>{_NUM}(?:\s*[-–—]\s*{_NUM})*)\s*-\s*(?:беттер|бет|б\.)(?!\w)",
    re.IGNORECASE,
)


def parse_locator(suffix: str) -> tuple[str, str, str]:
    """Split the text after a key into (locator, label, rest) as pandoc's citeproc would.

    `", p. 45, emphasis added"` → `("45", "page", ", emphasis added")`; `", 45"` → a page;
    no locator → `("", "", suffix)`.
    """
    braced = _braced_locator(suffix)
    if braced is not None:
        return braced
    if match := _LOCATOR_RE.match(suffix):
        label = LOCATOR_TERMS[match.group("term").casefold()]
        value = match.group("value")
        if value.startswith("{"):
            value = value[1:-1]
    elif match := _POSTFIX_PAGE_RE.match(suffix) or _BARE_LOCATOR_RE.match(suffix):
        label, value = "page", match.group("value")
    else:
        return "", "", suffix
    rest = suffix[match.end():]
    # A locator must end at a word boundary: `, 45th anniversary` is no locator.
    if rest and (rest[0].isalnum() or rest[0] == "_"):
        return "", "", suffix
    return value.strip(), label, rest.rstrip()


def _braced_locator(suffix: str) -> tuple[str, str, str] | None:
    """pandoc's explicit form: `{pp iv, vi-xi, (xv)-(xvii)}`, a term then any locator text."""
    braced = _PANDOC_BRACED_RE.match(suffix)
    if not braced:
        return None
    inner = braced.group("inner").strip()
    term = _TERM_ONLY_RE.match(inner)
    word = term.group("term").casefold() if term else ""
    label = LOCATOR_TERMS.get(word) or LOCATOR_TERMS.get(word + ".")
    if label:
        value = inner[term.end():].strip()
    else:
        label, value = "page", inner
    return (value, label, suffix[braced.end():].rstrip()) if value else None


def _cite(key: str, mode: str, prefix: str = "", suffix: str = "") -> dict[str, str]:
    locator, label, rest = parse_locator(suffix)
    return {
        "id": key,
        "prefix": prefix.strip(),
        "suffix": rest.rstrip() if locator else suffix.rstrip(),
        "locator": locator,
        "label": label,
        "mode": mode,
    }


def _match_key(text: str, pos: int) -> tuple[str, int] | None:
    """The key starting at text[pos] (just after `@`) and the position after it."""
    braced = _BRACED_KEY_RE.match(text, pos)
    if braced:
        return braced.group(1).strip(), braced.end()
    match = KEY_RE.match(text, pos)
    if match:
        return match.group(0), match.end()
    return None


def _split_items(content: str) -> list[str]:
    """Split the inside of `[…]` on top-level semicolons (not inside braces or brackets)."""
    items, depth, start = [], 0, 0
    for i, char in enumerate(content):
        if char in "{[":
            depth += 1
        elif char in "}]" and depth:
            depth -= 1
        elif char == ";" and depth == 0:
            items.append(content[start:i])
            start = i + 1
    items.append(content[start:])
    return items


def parse_citation_text(content: str) -> list[dict[str, str]] | None:
    """Parse the inside of a bracketed citation (`see @a, p. 4; -@b`); None if it is not one.

    Every `;`-separated item must hold exactly one key, introduced by `@` or `-@` at the start
    or after a space; the text before it is the prefix, the text after it the suffix.
    """
    cites = []
    for item in _split_items(content):
        found = None
        for at in (m.start() for m in re.finditer("@", item)):
            minus = at > 0 and item[at - 1] == "-"
            start = at - 1 if minus else at
            if start > 0 and not item[start - 1].isspace():
                continue
            key = _match_key(item, at + 1)
            if key is None:
                continue
            found = (start, minus, key)
            break
        if found is None:
            return None
        start, minus, (key, end) = found
        prefix, suffix = item[:start], item[end:]
        if "@" in suffix and _contains_citation(suffix):
            return None  # two keys without a `;` between them
        mode = "suppress-author" if minus else "normal"
        cites.append(_cite(key, mode, prefix, suffix))
    return cites or None


def _contains_citation(text: str) -> bool:
    for m in re.finditer("@", text):
        before = text[m.start() - 1] if m.start() else " "
        if (before.isspace() or before == "-") and _match_key(text, m.start() + 1):
            return True
    return False


def _bracket_end(state: StateInline, start: int) -> int:
    """Index of the `]` closing the `[` at `start`, or -1 (nesting and code spans respected)."""
    return state.md.helpers.parseLinkLabel(state, start, False)


def _followed_by_link_or_span(src: str, pos: int) -> bool:
    return pos < len(src) and src[pos] in "({["


def _bracketed_citation(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "[" or pos + 1 >= state.posMax or src[pos + 1] == "^":
        return False
    if "@" not in src[pos:state.posMax]:
        return False
    end = _bracket_end(state, pos)
    if end < 0:
        return False
    if _followed_by_link_or_span(src, end + 1):
        return False  # a link `[…](url)`, a span `[…]{.x}` or a reference link `[…][ref]`
    cites = parse_citation_text(src[pos + 1:end])
    if cites is None:
        return False
    if not silent:
        _push(state, src[pos:end + 1], cites)
    state.pos = end + 1
    return True


def _narrative_citation(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "@":
        return False
    if pos > 0:
        before = src[pos - 1]
        if before.isalnum() or before in "_@":
            return False  # an e-mail address or a handle inside a word
    key = _match_key(src, pos + 1)
    if key is None:
        return False
    key_text, end = key
    if end > state.posMax:
        return False
    suffix = ""
    # `@key [p. 33]`: a bracketed locator or suffix right after the key (at most one space).
    bracket = end + 1 if src.startswith(" [", end) else end if src.startswith("[", end) else -1
    if 0 <= bracket < state.posMax and not src.startswith("[^", bracket):
        close = _bracket_end(state, bracket)
        if close > 0 and not _followed_by_link_or_span(src, close + 1):
            inner = src[bracket + 1:close]
            if "@" not in inner:
                suffix = inner
                end = close + 1
    if not silent:
        cite = _cite(key_text, "author-in-text", "", suffix)
        _push(state, src[pos:end], [cite])
    state.pos = end
    return True


def _push(state: StateInline, text: str, cites: list[dict[str, str]]) -> None:
    token = state.push("citation", "span", 0)
    token.content = text
    token.meta = {"cites": cites}
    token.attrSet("class", "citation")
    token.attrSet("data-cites", json.dumps(cites, ensure_ascii=False))


def render_citation(self: Any, tokens: list, idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    data = json.dumps(token.meta["cites"], ensure_ascii=False)
    data = data.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<span class=\"citation\" data-cites='{data}'>{html.escape(token.content, quote=False)}</span>"


def citations_plugin(md: MarkdownIt) -> None:
    """Add pandoc-style citations to a MarkdownIt parser: `md.use(citations_plugin)`."""
    md.inline.ruler.before("link", "citation_bracketed", _bracketed_citation)
    md.inline.ruler.before("link", "citation_narrative", _narrative_citation)
    md.add_render_rule("citation", render_citation)
