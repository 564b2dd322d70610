"""Typographic clean-up of an article body: quotes, dashes, no-break spaces, «…».

`apply(body, lang)` rewrites the text nodes of an `lxml.html` fragment in
place.  It never looks inside <code>, <pre>, <kbd>, <samp>, <script>, <style>
(nor footnote calls), never changes attribute values, and leaves URLs, e-mail
addresses, DOIs, ISBNs and ISSNs alone.  An element's own `lang` attribute sets
the language of its subtree.  docs/typography.md describes every rule.

How it works: each block (paragraph, heading, list item, cell…) is flattened
into one working string, so that a rule sees across inline elements
(`"<em>Middle</em> Corridor"`).  Every rule replaces characters one for one,
and a deleted character becomes a placeholder (DEL), so the string can be cut
back into the same text nodes afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, between digit groups
NBHY = "\u2011"  # non-breaking hyphen
WJ = "\u2060"  # word joiner: after the en dash of a number range, which a line may otherwise break after
DEL = "\ue000"  # a character deleted by a rule
OPAQUE = "\ue001"  # stands for protected content (code, footnote call)
BREAK = "\ue002"  # a line break or a nested block: a boundary for context

PROTECTED_TAGS = {"code", "pre", "kbd", "samp", "script", "style", "math", "svg", "tt"}
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "div",
    "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
OPAQUE_CLASSES = {"footnote-ref"}

# --- character classes -------------------------------------------------------

UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁӘҒҚҢӨҰҮҺІƏĞİŞ"
LOWER = "a-zß-öø-ÿа-яёәғқңөұүһіəğışçöü"
LETTER = r"[^\W\d_]"
LETTER_CHARACTER = re.compile(LETTER)
S = r"[ \t\r\n]+"  # breakable white space (not NBSP)
INITIAL = rf"(?:Дж|Sh|Ch|Zh|Kh|[{UPPER}])\."

# --- the styles of the languages --------------------------------------------


@dataclass(frozen=True)
class Style:
    """What differs between languages; the rules are built from this table."""

    quotes: tuple[tuple[str, str], tuple[str, str]]  # outer, inner
    dash: str  # the dash between words, spaced, with a no-break space before
    dialogue: bool = False  # a dash opening a block is a dialogue dash
    short_words: tuple[str, ...] = ()  # tied to the next word by a no-break space
    number_words: str = rf"[{LOWER}]"  # what a number is tied to (regex)
    words_before_number: str = ""  # what is tied to a following number (regex)


EN_UNITS = (
    "million|billion|trillion|thousand|hundred|per cent|percent|km|kg|mg|cm|mm|m|g|t|"
    "ha|l|h|min|s|years?|months?|days?|hours?|people|countries|"
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
EN_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan\\.|Feb\\.|Mar\\.|Apr\\.|Jun\\.|Jul\\.|Aug\\.|Sep\\.|Sept\\.|Oct\\.|Nov\\.|Dec\\."
)

STYLES: dict[str, Style] = {
    "ru": Style(
        quotes=(("«", "»"), ("„", "“")), dash="—", dialogue=True,
        short_words=("в", "к", "с", "о", "у", "и", "а", "я"),
    ),
    "kk": Style(
        quotes=(("«", "»"), ("„", "“")), dash="—", dialogue=True,
        short_words=("я", "не", "және", "мен", "бен", "пен"),
    ),
    "az": Style(
        quotes=(("«", "»"), ("“", "”")), dash="—", dialogue=True,
        short_words=("və", "ya", "o", "bu"),
    ),
    "en": Style(
        quotes=(("“", "”"), ("‘", "’")), dash="–",
        number_words=rf"(?:{EN_UNITS})\b", words_before_number=rf"\b(?:{EN_MONTHS})",
    ),
}
SINGLE_QUOTES = ("‘", "’")
APOSTROPHE = "’"

# --- rules -------------------------------------------------------------------

Replacement = dict[str, str] | Callable[[re.Match], str]


@dataclass(frozen=True)
class Rule:
    """A regex; its named groups are replaced by the strings in `repl`.

    A replacement shorter than its group is padded with DEL; `when` (text,
    match) can veto a match.
    """

    pattern: re.Pattern
    repl: Replacement
    when: Callable[[str, re.Match], bool] | None = None

    def replace(self, match: re.Match) -> str:
        if callable(self.repl):
            return self.repl(match)
        spans = sorted((match.span(name), value) for name, value in self.repl.items())
        out, pos = [], match.start()
        for (start, end), value in spans:
            if start < 0:
                continue
            out += [match.string[pos:start], value.ljust(end - start, DEL)]
            pos = end
        out.append(match.string[pos:match.end()])
        return "".join(out)


def _rule(pattern: str, repl: Replacement, when=None) -> Rule:
    return Rule(re.compile(pattern), repl, when)


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _is_range(text: str, m: re.Match) -> bool:
    """`a-b` is a range if it ascends: 11-12, 1990-2000, 1990-95 (not 7-1)."""
    a, b = m.group("a"), m.group("b")
    if len(b) < len(a) and "," not in a + b and "." not in a + b:
        b = a[: len(a) - len(b)] + b  # 1990-95
    return _number(b) > _number(a)


def _not_between_digits(text: str, m: re.Match) -> bool:
    """A spaced hyphen between two numbers may be a minus: leave it."""
    before, after = m.start(), m.end()
    while before > 0 and text[before - 1].isspace():
        before -= 1
    while after < len(text) and text[after].isspace():
        after += 1
    return not (text[before - 1:before].isdigit() and text[after:after + 1].isdigit())


def _after_capitalised_word(text: str, m: re.Match) -> bool:
    """The match follows a capitalised word of two letters or more. Read back from the match, one
    letter at a time: every match looks only at its own word, so a block costs its length."""
    start = m.start()
    while start > 0 and LETTER_CHARACTER.fullmatch(text[start - 1]):
        start -= 1
    word = text[start:m.start()]
    return len(word) > 1 and word[0].isupper()


def _group_digits(m: re.Match) -> str:
    return re.sub(r"[ \u00a0]", NNBSP, m.group())


NEUTRAL_RULES = [
    _rule(r"(?<!\.)(?P<e>\.\.\.)(?!\.)", {"e": "…"}),
    _rule(r"(?<!-)(?P<d>---)(?!-)", {"d": "—"}),
    _rule(r"(?<!-)(?P<d>--)(?!-)", {"d": "–"}),
    _rule(
        r"(?<![\w.,/+\-–])(?P<a>\d+(?:[.,]\d+)?)(?P<h>-)(?P<b>\d+(?:[.,]\d+)?)"
        r"(?![\w/\-–]|[.,]\d)",
        {"h": "–"}, _is_range,
    ),
    _rule(rf"(?<![§№¶])[§№¶]+(?P<s>{S})(?=\d)", {"s": NBSP}),  # the run's first sign only: linear
    _rule(rf"(?<!\w){LETTER}{{1,4}}\.(?P<s>{S})(?=\d)", {"s": NBSP}),  # с. 5, p. 5
    _rule(rf"(?<!{LETTER}){LETTER}\.(?P<s>{S})(?={LETTER}\.)", {"s": NBSP}),  # т. е.
    _rule(r"(?<![\d.,+])\d{1,3}(?:[ \u00a0]\d{3})+(?![\d\-–])", _group_digits),  # 300 000
    _rule(rf"(?<=\S)(?P<s>{S})(?=\[\d)", {"s": NBSP}),  # a numeric citation stays with its word: партнёров [1, 4]
    _rule(rf"(?<!{LETTER}){INITIAL}(?P<h>-)(?={INITIAL})", {"h": NBHY}),  # К.-Ж.: never broken after «К.-»
]


def _language_rules(style: Style) -> list[Rule]:
    words = "|".join(re.escape(w) for w in style.short_words) or "(?!)"
    rules = [
        _rule(rf"(?<=\S)(?P<s>{S})(?P<d>(?:-{{1,3}}|–|—){DEL}*)(?=[ \t\r\n])",
              {"s": NBSP, "d": style.dash}, _not_between_digits),
        _rule(rf"(?<!{LETTER}){INITIAL}(?P<s>{S})(?=[{UPPER}])", {"s": NBSP}),
        _rule(rf"(?<=[{LOWER}])(?P<s>{S})(?={INITIAL}[ \u00a0]?{INITIAL})",
              {"s": NBSP}, _after_capitalised_word),
        _rule(rf"(?<=[{LOWER}])(?P<s>{S})(?={INITIAL}(?:[,;:)\]]|$))",
              {"s": NBSP}, _after_capitalised_word),
        _rule(rf"(?<![\w\-’'])(?i:{words})(?P<s>{S})(?=\S)", {"s": NBSP}),
        _rule(rf"(?<=\d)(?P<s>{S})(?!(?i:{words})\s)(?={style.number_words}|[%‰°])",
              {"s": NBSP}),
    ]
    if style.words_before_number:
        rules.append(_rule(rf"{style.words_before_number}(?P<s>{S})(?=\d)", {"s": NBSP}))
    if style.dialogue:
        rules.append(_rule(rf"(?:^|(?<={BREAK}))(?P<d>[-–—])(?P<s>[ \t])",
                           {"d": "—", "s": NBSP}))
    return NEUTRAL_RULES + rules


RULES: dict[str, list[Rule]] = {lang: _language_rules(s) for lang, s in STYLES.items()}

# Spans no rule may change. Each alternative starts only where its span can (an e-mail address at
# the start of a run of its characters) and matches its spaces one way, so the scan is linear: an
# address tried from every letter of a long word was quadratic (160,000 letters: 190 s).
UNTOUCHABLE = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"«»“”\ue000-\ue002]+[^\s<>\"«»“”.,;:!?)\]\ue000-\ue002]"
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b(?:doi:\s*)?10\.\d{4,9}/[^\s\ue000-\ue002]*[^\s\ue000-\ue002.,;:)\]]"
    r"|\+\d[\d \u00a0()\-–]{5,}\d"  # +7 (7172) 74-59-36
    r"|\bIS[BS]N(?:-1[03])?:?[\s\u00a0]*[\dXx][\dXx\-–\s\u00a0]*[\dXx]"
    r"|\b(?:ГОСТ|ISO|IEC|СТ РК|СНиП)(?:[\s\u00a0]Р)?[\s\u00a0]*(?:[\d.\-–:/][\d.\-–:/ ]*)?\d",
)

# --- quotes ------------------------------------------------------------------

DOUBLE = set('"“”„«»‟')
SINGLE = set("'‘’")
QUOTE = re.compile("[" + re.escape("".join(sorted(DOUBLE | SINGLE))) + "]")
OPEN_AFTER = set("([{<—–/") | {BREAK}
CLOSE_BEFORE = set(".,;:!?)]}>…—–-/") | DOUBLE | SINGLE | {BREAK, OPAQUE}


@dataclass
class _Open:
    closer: str
    single: bool


@dataclass
class _QuoteState:
    text: list[str]
    stack: list[_Open] = field(default_factory=list)
    opened: set[int] = field(default_factory=set)

    def opens_here(self, i: int) -> bool:
        prev = self.text[i - 1] if i else " "
        return prev.isspace() or prev in OPEN_AFTER or (i - 1) in self.opened

    def closes_here(self, i: int) -> bool:
        nxt = self.text[i + 1] if i + 1 < len(self.text) else " "
        return nxt.isspace() or nxt in CLOSE_BEFORE


def _direction(state: _QuoteState, i: int, explicit: str | None) -> str:
    if explicit:
        return explicit
    opens, closes = state.opens_here(i), state.closes_here(i)
    if opens != closes:
        return "open" if opens else "close"
    return "close" if any(not q.single for q in state.stack) else "open"


def _double(state: _QuoteState, i: int, style: Style) -> str:
    explicit = {"«": "open", "„": "open", "»": "close"}.get(state.text[i])
    if _direction(state, i, explicit) == "open":
        opener, closer = style.quotes[len(state.stack) % 2]
        state.stack.append(_Open(closer, single=False))
        state.opened.add(i)
        return opener
    while state.stack:
        top = state.stack.pop()
        if not top.single:
            return top.closer
    return style.quotes[0][1]


def _single(state: _QuoteState, i: int, style: Style) -> str:
    text = state.text
    prev = text[i - 1] if i else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if prev.isalnum() and nxt.isalpha():
        return APOSTROPHE  # don't, O’Neil
    if state.opens_here(i) and not state.closes_here(i):
        if re.match(r"\d\ds", "".join(text[i + 1:i + 4])):
            return APOSTROPHE  # ’90s
        state.stack.append(_Open(SINGLE_QUOTES[1], single=True))
        state.opened.add(i)
        return SINGLE_QUOTES[0]
    if state.stack and state.stack[-1].single:
        return state.stack.pop().closer
    return APOSTROPHE  # the students’ union


def _quotes(text: str, langs: list[str], mask: list[bool]) -> str:
    state = _QuoteState(list(text))
    for found in QUOTE.finditer(text):  # only the quotation marks: a loop over every character took a third of the stage
        i = found.start()
        style = STYLES.get(langs[i])
        if style is None or mask[i]:
            continue
        handler = _double if found.group() in DOUBLE else _single
        state.text[i] = handler(state, i, style)
    return "".join(state.text)


# --- applying the rules to a working string ---------------------------------


def _mask(text: str) -> list[bool]:
    mask = [False] * len(text)
    for m in UNTOUCHABLE.finditer(text):
        mask[m.start():m.end()] = [True] * (m.end() - m.start())
    return mask


def _apply_rule(rule: Rule, lang: str, text: str, langs: list[str], mask: list[bool]) -> str:
    def replace(m: re.Match) -> str:
        if langs[m.start()] != lang or any(mask[m.start():m.end()]):
            return m.group()
        if rule.when and not rule.when(text, m):
            return m.group()
        new = rule.replace(m)
        assert len(new) == len(m.group()), (rule.pattern.pattern, m.group(), new)
        return new

    return rule.pattern.sub(replace, text)


RANGE_DASH = re.compile(rf"(?<=\d)–(?!{WJ})(?=\d)")


def _joined_ranges(text: str) -> str:
    """«39–40» never broken after its dash: a word joiner follows it. Inserted after the rules,
    which replace characters one for one."""
    return RANGE_DASH.sub("–" + WJ, text)


def typeset(value: str | None, lang: str) -> str | None:
    """Every rule applied to a text of the book's metadata (a title, an abstract, the imprint) in `lang`."""
    if not value:
        return value
    return _joined_ranges(transform(value, [primary_language(lang)] * len(value)).replace(DEL, ""))


def transform(text: str, langs: list[str]) -> str:
    """Apply every rule to a working string whose i-th character is in langs[i]."""
    mask = _mask(text)
    text = _quotes(text, langs, mask)
    for lang in dict.fromkeys(langs):
        for rule in RULES.get(lang, NEUTRAL_RULES):
            text = _apply_rule(rule, lang, text, langs, mask)
    return text


# --- walking the tree --------------------------------------------------------


def primary_language(tag: str | None) -> str:
    """`ru-RU` → `ru`, `az_Latn` → `az`."""
    return re.split(r"[-_]", (tag or "").strip().lower())[0]


def language_of(element, inherited: str) -> str:
    """The language of an element: its own `lang`, or the inherited one."""
    lang = element.get("lang") if isinstance(element.tag, str) else None
    return primary_language(lang) or inherited


@dataclass
class _Block:
    """A block flattened: the working string and where each text node sits in it."""

    chars: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)
    slots: list[tuple[object, str, int, int]] = field(default_factory=list)

    def add(self, text: str, lang: str) -> None:
        self.chars.append(text)
        self.langs.extend([lang] * len(text))

    def add_node_text(self, node, attr: str, lang: str) -> None:
        text = getattr(node, attr)
        if text:
            start = len(self.langs)
            self.add(text, lang)
            self.slots.append((node, attr, start, len(self.langs)))

    def write_back(self, text: str) -> None:
        for node, attr, start, end in self.slots:
            new = _joined_ranges(text[start:end].replace(DEL, ""))
            if new != getattr(node, attr):
                setattr(node, attr, new)


def _is_opaque(element) -> bool:
    classes = set((element.get("class") or "").split())
    return element.tag in PROTECTED_TAGS or bool(classes & OPAQUE_CLASSES)


def _collect(element, lang: str, block: _Block) -> None:
    """Add an inline element's text, its children's, and its tail to `block`."""
    tag = element.tag if isinstance(element.tag, str) else None
    own = language_of(element, lang)
    if tag is None:  # comment or processing instruction: only the tail counts
        pass
    elif tag in BLOCK_TAGS:
        _process_block(element, own)
        block.add(BREAK, lang)
    elif tag == "br":
        block.add(BREAK, lang)
    elif _is_opaque(element):
        block.add(BREAK if tag == "pre" else OPAQUE, lang)
    else:
        block.add_node_text(element, "text", own)
        for child in element:
            _collect(child, own, block)
    block.add_node_text(element, "tail", lang)


def _process_block(element, lang: str) -> None:
    if _is_opaque(element):
        return
    block = _Block()
    block.add_node_text(element, "text", lang)
    for child in element:
        _collect(child, lang, block)
    if block.slots:
        block.write_back(transform("".join(block.chars), block.langs))


def apply(body, lang: str) -> None:
    """Rewrite the text of `body` (an lxml.html element) in place for `lang`."""
    _process_block(body, language_of(body, primary_language(lang)))
