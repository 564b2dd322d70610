"""The formatted entries of a list finished: each in its source's language, set as running text.

- `relocalise`: an entry whose source is in another language than the list's takes the text
  citeproc printed for it in that language's locale (a second citeproc call in the same pandoc
  run, engine.py), keeping the list's number, order and year suffix;
- `finish`: each entry gets the `lang` of its source, no-break spaces as in the running text
  (after «С.», «Т.», «№», between initials, between a number and «с.»; most are written by the
  style itself), and its URLs the only break points GOST allows (after a slash, before a dot;
  never after a hyphen).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from .format import entry_key

ZWSP = "\u200b"  # a line may break here
WJ = "\u2060"  # a line may not break here (typography.WJ)
NBSP = "\u00a0"

_YEAR_SUFFIX = re.compile(r"\b(\d{4})([a-z])\b")


def relocalise(entries: list[Any], others: dict[str, Any]) -> None:
    """Each entry whose key is in `others` (entries citeproc printed in the source's locale)
    takes that text: the body only (`csl-right-inline`) when the list prints numbers beside it."""
    for entry in entries:
        other = others.get(entry_key(entry))
        if other is None:
            continue
        target, source = _body(entry), _body(other)
        if target is None or source is None:
            continue
        suffix = _year_suffix(target)
        _replace_children(target, source)
        _strip_year_suffixes(target)
        if suffix:
            _add_year_suffix(target, *suffix)


def _body(entry: Any) -> Any:
    """The part of an entry that holds the description."""
    if entry.find("div") is None:
        return entry
    for child in entry:
        if "csl-right-inline" in (child.get("class") or ""):
            return child
    return None


def _replace_children(target: Any, source: Any) -> None:
    """`target` holds a copy of what `source` holds (one source entry serves several lists)."""
    for child in list(target):
        target.remove(child)
    target.text = source.text
    for child in source:
        target.append(copy.deepcopy(child))


def _year_suffix(element: Any) -> tuple[str, str, int] | None:
    """("2019", "a", n) when the list's run disambiguated the year (at its n-th mention of
    2019 in the entry), which a run over only the items of one language cannot know."""
    text = element.text_content()
    found = _YEAR_SUFFIX.search(text)
    if not found:
        return None
    before = len(re.findall(rf"\b{found.group(1)}", text[:found.start()]))
    return found.group(1), found.group(2), before


def _strip_year_suffixes(element: Any) -> None:
    """Remove the suffixes a run over one language's items gave on its own (its 2019a may be
    the list's 2019b)."""
    for node in element.iter():
        if isinstance(node.tag, str) and node.text:
            node.text = _YEAR_SUFFIX.sub(r"\1", node.text)
        if node.tail:
            node.tail = _YEAR_SUFFIX.sub(r"\1", node.tail)


def _add_year_suffix(element: Any, year: str, suffix: str, index: int) -> None:
    """The list's suffix put back at the `index`-th mention of the year."""
    bare = re.compile(rf"\b{year}\b")
    seen = 0
    for node in element.iter():
        for attr in ("text", "tail"):
            value = getattr(node, attr) if isinstance(node.tag, str) or attr == "tail" else None
            for found in bare.finditer(value or ""):
                if seen == index:
                    setattr(node, attr, value[:found.end()] + suffix + value[found.end():])
                    return
                seen += 1


# ---------------------------------------------------------------------------------------------
# Typography


_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁӘҒҚҢӨҰҮҺІƏĞİŞÇÖÜ"
_INITIAL = rf"(?:Дж|Sh|Ch|Zh|Kh|Yu|Ya|[{_UPPER}])\."
_TIES = [
    # «Иванов П. С.», «Р. А. Мамедова»: between two initials.
    re.compile(rf"(?<![\w.]){_INITIAL}(?:-{_INITIAL})?( )(?={_INITIAL})"),
    # A term and its number: «С. 45», «Т. 12», «№ 3», «Vol. 9», «No. 1», «Б. 45», «S. 41»,
    # «C. 7» (cild), «Ст. 34», «Құж. 34».
    re.compile(r"(?<![\w.])(?:С|Т|Ст|Вып|Ч|Кн|Гл|P|Pp|Vol|No|Pt|Art|Б|Құж|S|C|Mad)\.( )(?=\d)"),
    re.compile(r"№( )(?=\S)"),
    # A number and the term after it: «312 с.», «336 p.», «246 б.», «204 s.».
    re.compile(r"(?<=\d)( )(?=(?:с|p|pp|б|s)\.)"),
]
_RANGE_DASH = re.compile(r"(?<=\d)–(?!\u2060)(?=\d)")


def finish(entries: list[Any], languages: dict[str, str]) -> None:
    """Each entry in its source's language (`languages`: key → ru, kk, az, en), its terms tied
    to their numbers as in the running text, its URLs breakable only after a slash or before a
    dot.

    The running text's own rules (typography.py) are not applied as a whole: they would tie
    the author's last initial to the title («Иванов П. С. Каспийский»), which they take for a
    surname."""
    for entry in entries:
        lang = languages.get(entry_key(entry))
        if lang:
            entry.set("lang", lang)
        fix = (lambda t: _russian_date(_tied(t))) if lang == "ru" else _tied
        for node in entry.iter():
            if isinstance(node.tag, str) and node.tag != "a":
                node.text = fix(node.text)
            node.tail = fix(node.tail)
        for link in entry.iter("a"):
            if link.text and re.match(r"(?:https?|ftp)://", link.text):
                link.text = breakable_url(link.text)


# pandoc's Russian months, and the genitive a date needs after its day.
_RU_MONTHS = {"январь": "января", "февраль": "февраля", "март": "марта", "апрель": "апреля", "май": "мая",
              "июнь": "июня", "июль": "июля", "август": "августа", "сентябрь": "сентября",
              "октябрь": "октября", "ноябрь": "ноября", "декабрь": "декабря"}
_RU_MONTH_DAY = re.compile(rf"\b({'|'.join(_RU_MONTHS)}) (\d{{1,2}})\b")


def _russian_date(text: str | None) -> str | None:
    """«2024, март 11» (the order of APA and Chicago, with the month in the nominative) →
    «2024, 11 марта»: a Russian date puts the day first and the month in the genitive."""
    if not text:
        return text
    return _RU_MONTH_DAY.sub(lambda m: f"{m.group(2)}{NBSP}{_RU_MONTHS[m.group(1)]}", text)


def _tied(text: str | None) -> str | None:
    """No-break spaces where an entry's parts must stay together; a page range's dash never
    ends a line (a word joiner after it, as in the running text)."""
    if not text:
        return text
    for rule in _TIES:
        text = rule.sub(lambda m: m.group(0).replace(" ", NBSP), text)
    return _RANGE_DASH.sub("–" + WJ, text)


def breakable_url(url: str) -> str:
    """The URL with a break opportunity after each slash (not inside `//`, nor right after
    `https://`) and before each dot, and none after a hyphen: https://a.kz/b-c →
    https://⁠a​.kz/​b-⁠c."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    else:
        sep += WJ
    out = []
    for i, char in enumerate(rest):
        if char == "." and 0 < i < len(rest) - 1:
            out.append(ZWSP)
        out.append(char)
        if char == "/" and i < len(rest) - 1:
            out.append(ZWSP)
        elif char == "-":
            out.append(WJ)
    return scheme + sep + "".join(out)
