"""Every token sequence that mentions a registered name, in the languages of the volume.

A "Surname, Given names" name gives its surname alone, with the given names or initials before
it, and (in Russian, and in a Latin-script name as written) after it; a name without a comma is
one phrase whose last word is declined. The case forms themselves come from ``russian`` and
``suffixes``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .russian import FEMININE_POSSESSIVE, decline_givens, decline_surname
from .suffixes import azerbaijani_forms, english_forms, kazakh_forms
from .words import DIGRAPH_INITIALS, is_cyrillic, is_particle, morph

if TYPE_CHECKING:
    from .registry import Person

# Flags of a (form, person) pair.
SURNAME_ONLY = 1      # the form is the surname alone
WOMAN_READING = 2     # …and could also be an unregistered woman's surname (Токаева)

_FEMALE_SURNAME_ENDINGS = ("ова", "ева", "ёва", "ина", "ына", "ая", "яя",
                           "ova", "eva", "yeva", "ina", "skaya", "kaya", "qızı", "kyzy", "кызы", "қызы")

Key = tuple[tuple[str, ...], int]


def _initials(givens: list[str]) -> list[tuple[str, ...]]:
    """How the initials of ``givens`` are written: К.-Ж. / К. Ж. / К.; В. В. for name and patronymic."""
    names = [word for word in givens if not is_particle(word)]
    if not names:
        return []
    sequences = _initials_of(names[0])
    if len(names) > 1:
        rest = tuple(_initials_of(name)[0][0] for name in names[1:])
        sequences += [sequence + rest for sequence in sequences]
    return list(dict.fromkeys(sequences))


def _initials_of(name: str) -> list[tuple[str, ...]]:
    """The initials of one given name: (К.-Ж.), (К., Ж.), (К.) for Касым-Жомарт; Дж. or Д. for Джон."""
    letters = [[d + "." for d in DIGRAPH_INITIALS if part.startswith(d)] + [part[0] + "."]
               for part in name.split("-") if part]
    choices = _product(letters)
    return [("-".join(choice),) for choice in choices] + [choice for choice in choices if len(choice) > 1] + \
        [(first,) for first in letters[0]]


def _product(lists: list[list[str]]) -> list[tuple[str, ...]]:
    """The cartesian product of ``lists`` as tuples."""
    result: list[tuple[str, ...]] = [()]
    for options in lists:
        result = [prefix + (option,) for prefix in result for option in options]
    return result


def _is_patronymic(word: str) -> bool:
    """True for a Russian-style patronymic (Владимирович, Ивановна)."""
    return word.lower().endswith(("ич", "вна", "чна"))


def _split_name(name: str) -> tuple[str, list[str]]:
    """"Surname, Given names" → (surname, [given, …]); a name without a comma is one phrase."""
    surname, comma, given = name.partition(",")
    return (surname.strip(), given.split()) if comma else (name.strip(), [])


def is_female(person: Person) -> bool:
    """The gender the registry gives, or the one the surname (or else the given name) suggests."""
    if person.gender:
        return person.gender == "female"
    surname, givens = _split_name(person.heading)
    return name_is_female(surname, givens)


def name_is_female(surname: str, givens: list[str]) -> bool:
    """The gender a surname (or else the first given name) suggests: female or not."""
    if givens and surname.lower().endswith(_FEMALE_SURNAME_ENDINGS):
        return True
    if givens and is_cyrillic(givens[0]):
        for parse in morph().parse(givens[0].split("-")[0]):
            if "Name" in parse.tag and parse.is_known and parse.tag.case == "nomn":
                return parse.tag.gender == "femn"
    return False


def name_keys(name: str, female: bool) -> Iterator[Key]:
    """Every token sequence that mentions ``name``, with its flags."""
    surname, givens = _split_name(name)
    if not givens:
        yield from _phrase_keys(surname, female)
        return
    cyrillic = is_cyrillic(name)
    initials = _initials(givens)
    nominative = list(dict.fromkeys([tuple(givens[:1]), tuple(givens)]))
    if cyrillic:
        declined = decline_givens(givens, female)
        for case, forms in decline_surname(surname, female).items():
            for form in forms:
                reading = not female and case in ("gent", "accs") and form.lower().endswith(FEMININE_POSSESSIVE)
                yield (form,), SURNAME_ONLY | (WOMAN_READING if reading else 0)
                given = list(dict.fromkeys([seq[:1] for seq in declined[case]] + declined[case]))
                yield from _with_given(form, given, initials, inverted=True)
                if len(givens) > 1 and _is_patronymic(givens[1]):
                    yield from ((seq[:2], 0) for seq in declined[case])
    suffixed = kazakh_forms(surname) if cyrillic else [surname, *azerbaijani_forms(surname), *english_forms(surname)]
    for form in suffixed:
        yield (form,), SURNAME_ONLY
        yield from _with_given(form, nominative, initials, inverted=not cyrillic and form == surname)


def _with_given(surname: str, givens: list[tuple[str, ...]], initials: list[tuple[str, ...]], *,
                inverted: bool) -> Iterator[Key]:
    """``surname`` after the given names or initials (and before them, if ``inverted``)."""
    for before in [*givens, *initials]:
        yield (*before, surname), 0
        if inverted:
            yield (surname, *before), 0


def _phrase_keys(phrase: str, female: bool) -> Iterator[Key]:
    """A name without a comma (Курмангазы, Абу Райхан Бируни): its last word declined."""
    words = phrase.split()
    *fixed, last = words
    if is_cyrillic(phrase):
        forms = [form for forms in decline_surname(last, female).values() for form in forms] + kazakh_forms(last)
    else:
        forms = [last, *azerbaijani_forms(last), *english_forms(last)]
    for form in dict.fromkeys(forms):
        yield (*fixed, form), 0


def surname_in_case(surname: str, givens: list[str], case: str) -> str:
    """A Cyrillic surname in one Russian case (``CASES``), its gender guessed from the name:
    Мамедов, Рауф → Мамедова; Нурланова, Айгерим → Нурлановой (genitive). Other scripts,
    surnames that do not decline (Шевченко, Ализаде), and a surname whose form depends on a
    gender the name does not tell (Ким, А.) are returned as they are."""
    if not is_cyrillic(surname) or not surname.strip():
        return surname
    female = name_is_female(surname, givens)
    forms = decline_surname(surname, female)[case][0]
    if forms != decline_surname(surname, not female)[case][0] and not _gender_is_known(surname, givens):
        return surname
    return forms


_MALE_SURNAME_ENDINGS = ("ов", "ев", "ёв", "ин", "ын", "ский", "цкий", "ой", "ый", "ий")


def _gender_is_known(surname: str, givens: list[str]) -> bool:
    """Does the surname's ending, or a given name pymorphy3 knows, tell the bearer's gender?"""
    if surname.lower().endswith(_FEMALE_SURNAME_ENDINGS + _MALE_SURNAME_ENDINGS):
        return True
    first = givens[0].split("-")[0] if givens else ""
    return bool(first) and any("Name" in parse.tag and parse.is_known for parse in morph().parse(first))
