"""Unregistered names: name-like text that no registered form covers, for the editor to register."""

from __future__ import annotations

import re
from functools import lru_cache

import lxml.html

from .mentions import line_of, searchable, start_line
from .matcher import Matcher, Token
from .registry import Registry
from .words import is_cyrillic, is_particle, morph

# Capitalised words that begin sentences or stand before names but are not names themselves
# (Russian ones are known to pymorphy3 and need no list).
_NOT_NAMES = frozenset("""
    The A An As At By For From In Into On Of To With Within Without After Before During Since While
    When Where Both And But Or Nor This That These Those Its His Her Their Our Unlike Like Under Over
    Between Among Through Although Though Because If Yet So Such Some Many Most All Each Every Other
    Another Meanwhile However Moreover Also Then Thus There Here It We They He She Mr Mrs Ms Dr Prof
    President Ambassador Minister Director Chairman Deputy Professor Senator General
    Bu Və Lakin Həm Həmçinin Eyni Sonra Belə Prezident Səfir Nazir Sədr Direktor Cənab Xanım
    Бұл Және Бірақ Сондай Сонымен Президент Елші Министр Директор Төраға Депутат
""".split())

# Endings of Russian-style surnames in any case (Токаев, Токаевым, Калиевой, Козырева).
_SURNAME_LIKE = r"(?:[оеё]в|[иы]н)(?:а|у|ым|ом|е|ой|ою)?$|(?:ск|цк)(?:ий|ая|ого|ому|им|ом|ой|ую)$"


def candidates(body: lxml.html.HtmlElement, article_id: str, registry: Registry) -> list[tuple[str, int | None]]:
    """Name-like sequences that no registered form covers, with their lines, in document order.

    Two or more capitalised words that look like names (pymorphy3 knows them as names or
    surnames, or does not know them at all), or initials with a surname. For
    ``anthology names --unregistered``; the body is not changed and ``article_id`` is not used.
    """
    found: list[tuple[str, int | None]] = []
    _collect(body, start_line(body), registry.matcher, found)
    return found


def _collect(element: lxml.html.HtmlElement, line: int | None, matcher: Matcher,
             found: list[tuple[str, int | None]]) -> None:
    """Add the candidates in ``element``'s searchable text to ``found``."""
    line = line_of(element, line)
    if element.text:
        found += [(name, line) for name in _unregistered(element.text, matcher)]
    for child in element:
        if isinstance(child.tag, str) and searchable(child):
            _collect(child, line, matcher, found)
        if child.tail:
            found += [(name, line) for name in _unregistered(child.tail, matcher)]


def _unregistered(text: str, matcher: Matcher) -> list[str]:
    """The name-like runs of ``text`` outside registered mentions."""
    tokens = matcher.tokens(text)
    taken = {i for hit in matcher.hits(tokens) for i in range(hit.first, hit.last + 1)}
    names: list[str] = []
    run: list[Token] = []
    for i, token in enumerate(tokens):
        if i in taken or not (token.initial or is_particle(token.key) or looks_like_name(token.key)):
            names += _name_in(text, run)
            run = []
            continue
        if run and is_cyrillic(token.key) != is_cyrillic(run[-1].key):  # "AIR Center Фарид Шафиев": two names
            names += _name_in(text, run)
            run = []
        run.append(token)
        if not token.linked:
            names += _name_in(text, run)
            run = []
    return names + _name_in(text, run)


def _name_in(text: str, run: list[Token]) -> list[str]:
    """``run`` as one name: two or three name words, or initials next to a name word.

    Titles and function words that start sentences (President, The, Bu) are dropped from the
    front, particles from both ends; longer runs are taken for names of organisations.
    """
    while run and (is_particle(run[0].key) or run[0].key in _NOT_NAMES):
        run = run[1:]
    while run and is_particle(run[-1].key):
        run = run[:-1]
    words = [token for token in run if not token.initial and not is_particle(token.key)]
    initials = sum(token.initial for token in run)
    if 2 <= len(words) <= 3 or (len(words) == 1 and initials and (run[0].initial or run[-1].initial)):
        return [text[run[0].start:run[-1].end]]
    return []


@lru_cache(maxsize=16384)
def looks_like_name(word: str) -> bool:
    """A capitalised word that could be a name: not an acronym, and a name or unknown to pymorphy3."""
    if len(word) < 2 or not word[0].isupper() or word.isupper() or is_particle(word):
        return False
    if not is_cyrillic(word):
        return True
    if re.search(_SURNAME_LIKE, word):
        return True
    analyser = morph()
    return any({"Name", "Surn", "Patr"} & parse.tag.grammemes for parse in analyser.parse(word)) or \
        not analyser.word_is_known(word.lower())


@lru_cache(maxsize=16384)
def is_surely_a_name(word: str) -> bool:
    """A capitalised Cyrillic word with positive evidence of being a person's name: a surname's
    ending, or pymorphy3's reading as a name, surname or patronymic. (Where `looks_like_name` also
    takes words it does not know, such as every Kazakh word, this one does not.)"""
    if len(word) < 3 or not word[0].isupper() or word.isupper() or not is_cyrillic(word) or is_particle(word):
        return False
    if re.search(_SURNAME_ENDING, word):
        return True
    parses = morph().parse(word)
    return bool(parses) and bool({"Name", "Surn", "Patr"} & parses[0].tag.grammemes)


_SURNAME_ENDING = r"(?:[оеё]в|[иы]н)(?:а|у|ым|ом|е|ой|ою)?$"  # -ов, -ев, -ин and their cases (not -ский: adjectives)
