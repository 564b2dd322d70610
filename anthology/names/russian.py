"""Russian declension of names: surnames by rule, given names by pymorphy3 (else by rule).

Every function returns a table case → forms, in the six cases of ``CASES``; a cell holds more
than one form where usage varies (Пушкиным and Пушкином).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from .words import is_particle, morph

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
#: Endings of a surname that declines like an adjective in -ов/-ин when a woman bears it.
FEMININE_POSSESSIVE = ("ова", "ева", "ёва", "ина", "ына")
_VOWELS = "аеёиоуыэюя"
_HUSHING = "жшчщц"

CaseTable = dict[str, tuple[str, ...]]


def _like(word: str, model: str) -> str:
    """``word`` (lowercase, from pymorphy3) capitalised like ``model``."""
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def _table(nomn: str, gent: Iterable[str] | str, datv: Iterable[str] | str, accs: Iterable[str] | str,
           ablt: Iterable[str] | str, loct: Iterable[str] | str) -> CaseTable:
    """A case → forms table from one or more forms per case."""
    cells = (nomn, gent, datv, accs, ablt, loct)
    return {case: (cell,) if isinstance(cell, str) else tuple(cell) for case, cell in zip(CASES, cells)}


def _indeclinable(word: str) -> CaseTable:
    """The same form in every case (Шевченко, Черных, Байель for a woman)."""
    return {case: (word,) for case in CASES}


def _noun_in_a(word: str) -> CaseTable:
    """Nouns in -а/-я, male or female (Окуджава, Берия, Сарма)."""
    stem, last = word[:-1], word[-1]
    if last == "я":
        oblique = stem + "и"
        near = oblique if stem.lower().endswith("и") else stem + "е"
        return _table(word, oblique, near, stem + "ю", stem + "ей", near)
    soft = stem[-1:].lower() in "гкхжшчщ"
    instr = [stem + "ой", stem + "ей"] if stem[-1:].lower() in _HUSHING else [stem + "ой"]
    return _table(word, stem + ("и" if soft else "ы"), stem + "е", stem + "у", instr, stem + "е")


def _syllables(word: str) -> int:
    """How many vowels (so syllables) a Russian word has."""
    return sum(char in _VOWELS for char in word.lower())


def _masculine(word: str) -> CaseTable:
    """A man's surname in the six cases, by the rules of Russian grammar."""
    low = word.lower()
    if not low or low.endswith(("ых", "их")) or (low[-1] in _VOWELS and low[-1] not in "ая"):
        return _indeclinable(word)
    if low.endswith(("ов", "ев", "ёв", "ин", "ын")):
        instr = [word + "ым", word + "ом"] if low.endswith(("ин", "ын")) else [word + "ым"]
        return _table(word, word + "а", word + "у", word + "а", instr, word + "е")
    if low.endswith(("ский", "цкий", "ый")) or (low.endswith("ой") and _syllables(low) > 1):
        stem = word[:-2]
        instr = stem + ("им" if low.endswith("ий") else "ым")
        return _table(word, stem + "ого", stem + "ому", stem + "ого", instr, stem + "ом")
    if low.endswith("ий"):
        stem = word[:-2]
        hard = stem[-1:].lower() in "кгх"
        adjective = _table(word, stem + ("ого" if hard else "его"), stem + ("ому" if hard else "ему"),
                           stem + ("ого" if hard else "его"), stem + "им", stem + ("ом" if hard else "ем"))
        noun = _table(word, stem + "ия", stem + "ию", stem + "ия", stem + "ием", stem + "ии")
        return {case: tuple(dict.fromkeys(adjective[case] + noun[case])) for case in CASES}
    if low.endswith(("ь", "й")):
        stem = word[:-1]
        return _table(word, stem + "я", stem + "ю", stem + "я", stem + "ем", stem + "е")
    if low.endswith(("а", "я")):
        return _noun_in_a(word)
    instr = [word + "ом", word + "ем"] if low[-1] in _HUSHING else [word + "ом"]
    return _table(word, word + "а", word + "у", word + "а", instr, word + "е")


def _feminine(word: str) -> CaseTable:
    """A woman's surname in the six cases."""
    low = word.lower()
    if low.endswith(FEMININE_POSSESSIVE):
        stem = word[:-1]
        return _table(word, stem + "ой", stem + "ой", stem + "у", stem + "ой", stem + "ой")
    if low.endswith("ая") and len(low) > 3:
        stem = word[:-2]
        return _table(word, stem + "ой", stem + "ой", stem + "ую", stem + "ой", stem + "ой")
    if low.endswith(("а", "я")):
        return _noun_in_a(word)
    return _indeclinable(word)


def decline_surname(word: str, female: bool) -> CaseTable:
    """A surname (double ones part by part, or only their last part) in the six cases."""
    decline = _feminine if female else _masculine
    parts = word.split("-")
    tables = [decline(part) for part in parts]
    result = {}
    for case in CASES:
        every = "-".join(table[case][0] for table in tables)
        last_only = ["-".join(parts[:-1] + [form]) for form in tables[-1][case]]
        result[case] = tuple(dict.fromkeys([every, *last_only]))
    return result


@lru_cache(maxsize=8192)
def _given_part(part: str, female: bool) -> CaseTable:
    """One part of a given name (Касым of Касым-Жомарт) in the six cases: pymorphy3, else rules."""
    gender = "femn" if female else "masc"
    for parse in morph().parse(part):
        tag = parse.tag
        if ({"Name", "Patr"} & tag.grammemes and tag.case == "nomn" and tag.number == "sing"
                and tag.gender == gender):
            forms = {}
            for case in CASES:
                inflected = parse.inflect({case})
                forms[case] = (_like(inflected.word, part) if inflected else part,)
            return forms
    return _feminine(part) if female and part[-1:].lower() in "ая" else (
        _indeclinable(part) if female else _masculine(part))


def _given(name: str, female: bool) -> CaseTable:
    """A (possibly hyphenated) given name in the six cases: every part declined, or only the last."""
    parts = name.split("-")
    tables = [_given_part(part, female) for part in parts]
    return {case: tuple(dict.fromkeys(["-".join(table[case][0] for table in tables),
                                       "-".join(parts[:-1] + [tables[-1][case][0]])]))
            for case in CASES}


def decline_givens(givens: list[str], female: bool) -> dict[str, list[tuple[str, ...]]]:
    """All given names (name, patronymic…) in the six cases, as token sequences.

    A particle, and the word before it (Гейдар of Гейдар оглы), stay as written.
    """
    declined = []
    for i, word in enumerate(givens):
        fixed = is_particle(word) or (i + 1 < len(givens) and is_particle(givens[i + 1]))
        declined.append(_indeclinable(word) if fixed else _given(word, female))
    result = {}
    for case in CASES:
        sequences = [tuple(table[case][0] for table in declined)]
        sequences.append(tuple(declined[0][case][-1:]) + sequences[0][1:])
        result[case] = list(dict.fromkeys(sequences))
    return result
