"""Tokens and the matcher: where registered forms stand in a text.

The text is cut into tokens (capitalised words, initials such as ``А.`` or ``К.-Ж.``, and the
lowercase particles that occur in registered names, e.g. ``оглы``); tokens separated only by
white space (or nothing, after an initial's dot) form a run; at each token the longest
registered sequence that starts there wins. Tokens are whole words, so a name is never found
inside another word (``Калиевский`` is not ``Калиев``), and matching is case-sensitive.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .forms import SURNAME_ONLY, is_female, name_keys
from .words import DIGRAPH_INITIALS, is_cyrillic, is_particle, morph

if TYPE_CHECKING:
    from .registry import Person

# Particles matched even when no registered name has them, so that they join a run.
_PARTICLES = ("оглы", "кызы", "улы", "ұлы", "қызы", "oğlu", "qızı", "uly", "kyzy",
              "van", "von", "der", "de", "ibn", "bin", "ибн", "фон", "ван")


def _char_class(ranges: list[tuple[int, int]], keep: Callable[[str], bool]) -> str:
    """A regex character class of the characters in ``ranges`` for which ``keep`` is true."""
    codes = [code for low, high in ranges for code in range(low, high + 1) if keep(chr(code))]
    spans: list[list[int]] = []
    for code in codes:
        if spans and spans[-1][1] == code - 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    return "[" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in spans) + "]"


_UPPER = _char_class([(0x41, 0x24F), (0x370, 0x3FF), (0x400, 0x52F), (0x1E00, 0x1EFF)], str.isupper)
_LETTER = r"(?:[^\W\d_]|[\u00ad\u0300-\u036f])"
_JOINER = "[-\u2010\u2011'\u2019\u02bc]"
_INITIAL = "(?:" + "|".join(DIGRAPH_INITIALS) + f"|{_UPPER})\\."
_CANON = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'", "\u2010": "-", "\u2011": "-",
                        "ё": "е", "Ё": "Е", "\u00ad": None})


def _canon(token: str) -> str:
    """The lookup form of a token: NFC, one apostrophe and one hyphen, ё as е, no soft hyphens."""
    return unicodedata.normalize("NFC", token.translate(_CANON))


def _token_regex(particles: Iterable[str]) -> re.Pattern[str]:
    """Initials, capitalised words and the given lowercase ``particles``, each a whole word."""
    words = "|".join(sorted((re.escape(p) for p in particles), key=len, reverse=True)) or "(?!)"
    return re.compile(
        rf"(?<![\w\u00ad])(?:(?P<init>{_INITIAL}(?:[-\u2010\u2011]{_INITIAL})*)"
        rf"|(?P<word>{_UPPER}{_LETTER}*(?:{_JOINER}{_LETTER}+)*)"
        rf"|(?P<part>(?:{words})(?![\w'\u2019-])))")


@dataclass
class Token:
    """A word or initial in a text: where it is, its lookup form, and whether it joins the next."""

    start: int
    end: int
    key: str
    initial: bool
    linked: bool = False        # the next token follows after white space only (part of one name)


@dataclass
class Hit:
    """A registered form found in a text: token span, character span, and who it may be (id → flags)."""

    first: int
    last: int
    start: int
    end: int
    people: dict[str, int]


class Matcher:
    """Every form of every person as token sequences, compiled once for a whole volume."""

    def __init__(self, people: Iterable[Person]):
        people = [person for person in people if not person.is_cross_reference]
        particles = {word for person in people for name in person.names
                     for word in name.replace(",", " ").split() if is_particle(word)}
        self.regex = _token_regex(particles | set(_PARTICLES))
        self.forms: dict[tuple[str, ...], dict[str, int]] = {}
        for person in people:
            self._add(person)
        self.first = {key[0] for key in self.forms}
        self.longest = max(map(len, self.forms), default=0)

    def _add(self, person: Person) -> None:
        """Add every form of ``person``; a flag stays only if every way to the form has it."""
        female = is_female(person)
        for name in person.names:
            for words, flags in name_keys(name, female):
                key = self._key(" ".join(words))
                if key:
                    owners = self.forms.setdefault(key, {})
                    owners[person.id] = owners.get(person.id, flags) & flags

    def _key(self, text: str) -> tuple[str, ...] | None:
        """The lookup key of a whole name as text finds it, or None if text could never hold it."""
        tokens = self.tokens(text)
        whole = tokens and tokens[0].start == 0 and tokens[-1].end == len(text) and \
            all(token.linked for token in tokens[:-1])
        return tuple(token.key for token in tokens) if whole else None

    def tokens(self, text: str) -> list[Token]:
        """The tokens of ``text``, each marked whether it runs on into the next."""
        tokens = [Token(m.start(), m.end(), _canon(m.group()), m.group("init") is not None)
                  for m in self.regex.finditer(text)]
        for token, after in zip(tokens, tokens[1:]):
            gap = text[token.end:after.start]
            token.linked = gap.isspace() or (gap == "" and token.initial)
        return tokens

    def hits(self, tokens: list[Token]) -> list[Hit]:
        """The registered forms among ``tokens``, leftmost first, the longest at each place."""
        found: list[Hit] = []
        i = 0
        while i < len(tokens):
            hit = self._longest(tokens, i) if tokens[i].key in self.first else None
            if hit is None or self._someone_else(tokens, hit, found):
                i += 1
                continue
            found.append(hit)
            i = hit.last + 1
        return found

    def _longest(self, tokens: list[Token], i: int) -> Hit | None:
        """The longest registered sequence that starts at token ``i``."""
        reach = i
        while reach + 1 < len(tokens) and tokens[reach].linked and reach + 1 - i < self.longest:
            reach += 1
        for last in range(reach, i - 1, -1):
            people = self.forms.get(tuple(token.key for token in tokens[i:last + 1]))
            if people:
                return Hit(i, last, tokens[i].start, tokens[last].end, people)
        return None

    @staticmethod
    def _someone_else(tokens: list[Token], hit: Hit, found: list[Hit]) -> bool:
        """True if a surname follows initials or a given name it was not registered with (С. Токаев)."""
        if not all(flags & SURNAME_ONLY for flags in hit.people.values()) or hit.first == 0:
            return False
        before = tokens[hit.first - 1]
        if not before.linked or (found and found[-1].last == hit.first - 1):
            return False
        return before.initial or _is_given_name(before.key)


@lru_cache(maxsize=4096)
def _is_given_name(word: str) -> bool:
    """True if pymorphy3 knows ``word`` as a given name (Ильхам, Роман), not only guesses it."""
    if not is_cyrillic(word) or not word[:1].isupper():
        return False
    return any("Name" in parse.tag and parse.is_known for parse in morph().parse(word))
