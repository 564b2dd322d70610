"""The index of names: the registry of people, their mentions in articles, and the index itself.

Three steps, each a plain function:

1. ``load_registry`` reads ``people.yaml``, reports every problem with its line, and compiles
   every form of every name (Russian cases, Kazakh and Azerbaijani case suffixes, English
   possessives, initials) into one lookup table of token sequences, once per volume;
2. ``annotate`` finds the mentions in one article body and wraps each in
   ``<span class="mention" id="ARTICLE-mN" data-person="ID">``, honouring ``.person`` and
   ``.noindex`` marks;
3. ``build_index`` turns the mentions (and, for print, the page map) into letter groups of entries
   with locators and cross-references.

How mentions are found: the text is cut into tokens (capitalised words, initials such as ``А.``
or ``К.-Ж.``, and the lowercase particles that occur in registered names, e.g. ``оглы``); tokens
separated only by white space (or nothing, after an initial's dot) form a run; at each token the
longest registered sequence that starts there wins. Tokens are whole words, so a name is never
found inside another word (``Калиевский`` is not ``Калиев``), and matching is case-sensitive.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from pathlib import Path

import lxml.html
import yaml

from .collation import letter_bucket, sort_key
from .load.yaml import read_text
from .problems import Problems

# --------------------------------------------------------------------------------------------
# The registry
# --------------------------------------------------------------------------------------------

KEYS = ("id", "heading", "forms", "note", "sort", "gender", "see", "see_also")
GENDERS = ("male", "female")
_KEY_HINTS = {"name": "heading", "aliases": "forms", "variants": "forms", "spellings": "forms",
              "seealso": "see_also", "also": "see_also", "sex": "gender"}
_ID_RE = re.compile(r"[\w.-]+")


@dataclass
class Person:
    """One entry of ``people.yaml``: a person, or (with ``see``) a pure cross-reference."""

    id: str
    heading: str                      # index form: "Surname, Given names"
    forms: list[str] = field(default_factory=list)   # other spellings, same shape
    note: str | None = None
    sort: str | None = None           # collation text, when the heading would sort wrongly
    gender: str | None = None         # "male" | "female"; guessed from the name when absent
    see: str | None = None            # id of the entry this one points to
    see_also: list[str] = field(default_factory=list)
    path: str | None = None
    line: int | None = None

    @property
    def is_cross_reference(self) -> bool:
        """True for an entry that only says "see …" and is never matched in text."""
        return self.see is not None

    @property
    def names(self) -> list[str]:
        """The heading and the other forms: every "Surname, Given" this person is known by."""
        return [self.heading, *self.forms]


@dataclass
class Registry:
    """The people of a volume, plus the lookup table of their forms, compiled once."""

    people: dict[str, Person] = field(default_factory=dict)
    matcher: _Matcher = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.matcher = _Matcher(self.people.values())

    def resolve(self, person_id: str | None) -> str | None:
        """Follow ``see`` links from ``person_id`` to a real person's id (None if there is none)."""
        seen: set[str] = set()
        while person_id in self.people and person_id not in seen:
            seen.add(person_id)
            target = self.people[person_id].see
            if target is None:
                return person_id
            person_id = target
        return None


def load_registry(path: Path, problems: Problems) -> Registry:
    """Read and check ``people.yaml``; every problem goes to ``problems`` with its line, in line order."""
    found = Problems(root=problems.root)
    registry = _load(Path(path), found)
    problems.extend(sorted(found.items, key=lambda problem: problem.line or 0))
    return registry


def _load(path: Path, problems: Problems) -> Registry:
    """The registry in ``path``, reporting to ``problems``."""
    root = _compose(path, problems)
    if root is None:
        return Registry()
    if not isinstance(root, yaml.SequenceNode):
        problems.error(path, _line(root), "people.yaml must be a list of entries (each starting with '- id:')",
                       "invalid")
        return Registry()
    people: dict[str, Person] = {}
    for node in root.value:
        person = _read_entry(node, path, problems)
        if person is None:
            continue
        if person.id in people:
            problems.error(path, person.line, f"duplicate id '{person.id}' (first defined at line "
                           f"{people[person.id].line})", "duplicate-id")
            continue
        people[person.id] = person
    _check_links(people, path, problems)
    return Registry(people)


def _compose(path: Path, problems: Problems) -> yaml.Node | None:
    """The YAML node tree of ``path`` (with lines), or None after reporting why not."""
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.reader.ReaderError as error:  # a control character the YAML reader refuses outright
        line = text[: error.position].count("\n") + 1
        problems.error(path, line, f"malformed YAML: character {error.character!r} is not allowed", "yaml")
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        message = getattr(error, "problem", None) or str(error)
        context, start = getattr(error, "context", None), getattr(error, "context_mark", None)
        if context and start and start is not mark:
            message += f" ({context}, line {start.line + 1})"
        problems.error(path, mark.line + 1 if mark else None, f"malformed YAML: {message}", "yaml")
        return None


def _line(node: yaml.Node) -> int:
    """The 1-based line where ``node`` starts."""
    return node.start_mark.line + 1


def _read_entry(node: yaml.Node, path: Path, problems: Problems) -> Person | None:
    """One entry as a Person, or None if it lacks what an entry needs (problems reported)."""
    if not isinstance(node, yaml.MappingNode):
        problems.error(path, _line(node), "each entry must be a mapping with at least 'id' and 'heading'")
        return None
    values: dict[str, object] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
        if key not in KEYS:
            problems.error(path, _line(key_node), f"unknown key '{key}'{_did_you_mean(key, KEYS, _KEY_HINTS)}",
                           "unknown-key")
        elif key in values:
            problems.error(path, _line(key_node), f"key '{key}' is given twice in this entry", "duplicate-key")
        else:
            values[key] = _read_value(key, value_node, path, problems)
    for key in ("id", "heading"):
        if not values.get(key):
            problems.error(path, _line(node), f"entry has no '{key}'", "missing-key")
    if not values.get("id") or not values.get("heading"):
        return None
    if not _ID_RE.fullmatch(values["id"]):
        problems.error(path, _line(node), f"id '{values['id']}' may contain only letters, digits, '-', '_' and '.'")
        return None
    person = Person(path=str(path), line=_line(node), **values)
    return person if _check_shapes(person, path, problems) else None


def _read_value(key: str, node: yaml.Node, path: Path, problems: Problems) -> object:
    """The value of ``key`` checked for its type: a string, a list of strings, or a gender."""
    if key in ("forms", "see_also"):
        if node.tag == "tag:yaml.org,2002:null":
            return []
        if not isinstance(node, yaml.SequenceNode):
            problems.error(path, _line(node), f"'{key}' must be a list, e.g. {key}: [a, b]")
            return []
        items = [_scalar(item, key, path, problems) for item in node.value]
        return [item for item in items if item]
    value = _scalar(node, key, path, problems)
    if key == "gender" and value is not None and value not in GENDERS:
        problems.error(path, _line(node), f"gender must be 'male' or 'female', not '{value}'")
        return None
    return value


def _scalar(node: yaml.Node, key: str, path: Path, problems: Problems) -> str | None:
    """A scalar's text (None for an empty value), reporting lists or mappings where text belongs."""
    if not isinstance(node, yaml.ScalarNode):
        problems.error(path, _line(node), f"'{key}' must be a single value, not a list or mapping")
        return None
    if node.tag == "tag:yaml.org,2002:null":
        return None
    return node.value.strip() or None


def _check_shapes(person: Person, path: Path, problems: Problems) -> bool:
    """Report names that do not have the "Surname, Given names" shape; False if the heading hasn't.

    A bad form is dropped; the entry is kept if its heading is good.
    """
    bad = [name for name in person.names if not _well_formed(name)]
    for name in bad:
        problems.error(path, person.line, f"'{name}' must look like 'Surname, Given names' (or be a "
                       "single name without a comma), in letters")
    person.forms = [form for form in person.forms if form not in bad]
    if "," in person.heading:
        for form in person.forms:
            if "," not in form:
                problems.warning(path, person.line, f"form '{form}' has no comma: it is matched only as "
                                 "written; write 'Surname, Given names' to match its parts too", "form-shape")
    if person.see and (person.forms or person.gender):
        problems.warning(path, person.line, f"'{person.id}' is a cross-reference (see: {person.see}); "
                         "its forms and gender are not used", "cross-reference")
    return person.heading not in bad


def _well_formed(name: str) -> bool:
    """True for "Surname, Given names" or a name without a comma, each part with letters in it."""
    parts = name.split(",")
    return len(parts) <= 2 and all(any(char.isalpha() for char in part) for part in parts)


def _check_links(people: dict[str, Person], path: Path, problems: Problems) -> None:
    """Report ``see`` and ``see_also`` that point nowhere, at themselves, or at another "see"."""
    for person in people.values():
        targets = [("see", person.see)] if person.see else []
        targets += [("see_also", target) for target in person.see_also]
        for key, target in targets:
            if target not in people:
                problems.error(path, person.line, f"{key}: '{target}' is not an id in this registry"
                               f"{_did_you_mean(target, people)}", "unknown-ref")
            elif target == person.id:
                problems.error(path, person.line, f"{key}: '{target}' points at the entry itself", "unknown-ref")
            elif key == "see" and people[target].see:
                problems.error(path, person.line, f"see: '{target}' is itself a cross-reference "
                               f"(see: {people[target].see}); point at the person", "see-chain")


def _did_you_mean(word: str, choices: Iterable[str], hints: dict[str, str] | None = None) -> str:
    """" (did you mean 'x'?)" for the closest of ``choices``, or ""."""
    guess = (hints or {}).get(word.lower()) or next(iter(difflib.get_close_matches(word, list(choices), 1, 0.6)), None)
    return f" (did you mean '{guess}'?)" if guess else ""


# --------------------------------------------------------------------------------------------
# Forms of a name, generated by rule
# --------------------------------------------------------------------------------------------

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_RU_VOWELS = "аеёиоуыэюя"
_HUSHING = "жшчщц"
_FEMALE_SURNAME_ENDINGS = ("ова", "ева", "ёва", "ина", "ына", "ая", "яя",
                           "ova", "eva", "yeva", "ina", "skaya", "kaya", "qızı", "kyzy", "кызы", "қызы")
_PARTICLES = ("оглы", "кызы", "улы", "ұлы", "қызы", "oğlu", "qızı", "uly", "kyzy",
              "van", "von", "der", "de", "ibn", "bin", "ибн", "фон", "ван")
_DIGRAPH_INITIALS = ("Дж", "Ch", "Sh", "Zh", "Kh", "Yu", "Ya")

# Flags of a (form, person) pair.
SURNAME_ONLY = 1      # the form is the surname alone
WOMAN_READING = 2     # …and could also be an unregistered woman's surname (Токаева)

#: In ``Mention.ambiguous_with``: the form may be the surname of a woman not in the registry.
WOMAN = "?woman"


def _is_cyrillic(text: str) -> bool:
    """True if ``text`` has any Cyrillic letter."""
    return any("\u0400" <= char <= "\u04ff" for char in text)


def _like(word: str, model: str) -> str:
    """``word`` (lowercase, from pymorphy3) capitalised like ``model``."""
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def _table(nomn: str, gent: Iterable[str] | str, datv: Iterable[str] | str, accs: Iterable[str] | str,
           ablt: Iterable[str] | str, loct: Iterable[str] | str) -> dict[str, tuple[str, ...]]:
    """A case → forms table from one or more forms per case."""
    cells = (nomn, gent, datv, accs, ablt, loct)
    return {case: (cell,) if isinstance(cell, str) else tuple(cell) for case, cell in zip(CASES, cells)}


def _indeclinable(word: str) -> dict[str, tuple[str, ...]]:
    """The same form in every case (Шевченко, Черных, Байель for a woman)."""
    return {case: (word,) for case in CASES}


def _ru_noun_a(word: str) -> dict[str, tuple[str, ...]]:
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
    return sum(char in _RU_VOWELS for char in word.lower())


def _ru_masculine(word: str) -> dict[str, tuple[str, ...]]:
    """A man's surname in the six cases, by the rules of Russian grammar."""
    low = word.lower()
    if not low or low.endswith(("ых", "их")) or (low[-1] in _RU_VOWELS and low[-1] not in "ая"):
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
        return _ru_noun_a(word)
    instr = [word + "ом", word + "ем"] if low[-1] in _HUSHING else [word + "ом"]
    return _table(word, word + "а", word + "у", word + "а", instr, word + "е")


def _ru_feminine(word: str) -> dict[str, tuple[str, ...]]:
    """A woman's surname in the six cases."""
    low = word.lower()
    if low.endswith(("ова", "ева", "ёва", "ина", "ына")):
        stem = word[:-1]
        return _table(word, stem + "ой", stem + "ой", stem + "у", stem + "ой", stem + "ой")
    if low.endswith("ая") and len(low) > 3:
        stem = word[:-2]
        return _table(word, stem + "ой", stem + "ой", stem + "ую", stem + "ой", stem + "ой")
    if low.endswith(("а", "я")):
        return _ru_noun_a(word)
    return _indeclinable(word)


def _ru_surname(word: str, female: bool) -> dict[str, tuple[str, ...]]:
    """A surname (double ones part by part, or only their last part) in the six cases."""
    decline = _ru_feminine if female else _ru_masculine
    parts = word.split("-")
    tables = [decline(part) for part in parts]
    result = {}
    for case in CASES:
        every = "-".join(table[case][0] for table in tables)
        last_only = ["-".join(parts[:-1] + [form]) for form in tables[-1][case]]
        result[case] = tuple(dict.fromkeys([every, *last_only]))
    return result


@lru_cache(maxsize=1)
def _morph():
    """The pymorphy3 analyser (loaded once)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=8192)
def _given_part(part: str, female: bool) -> dict[str, tuple[str, ...]]:
    """One part of a given name (Касым of Касым-Жомарт) in the six cases: pymorphy3, else rules."""
    gender = "femn" if female else "masc"
    for parse in _morph().parse(part):
        tag = parse.tag
        if ({"Name", "Patr"} & tag.grammemes and tag.case == "nomn" and tag.number == "sing"
                and tag.gender == gender):
            forms = {}
            for case in CASES:
                inflected = parse.inflect({case})
                forms[case] = (_like(inflected.word, part) if inflected else part,)
            return forms
    return _ru_feminine(part) if female and part[-1:].lower() in "ая" else (
        _indeclinable(part) if female else _ru_masculine(part))


def _ru_given(name: str, female: bool) -> dict[str, tuple[str, ...]]:
    """A (possibly hyphenated) given name in the six cases: every part declined, or only the last."""
    parts = name.split("-")
    tables = [_given_part(part, female) for part in parts]
    return {case: tuple(dict.fromkeys(["-".join(table[case][0] for table in tables),
                                       "-".join(parts[:-1] + [tables[-1][case][0]])]))
            for case in CASES}


def _is_particle(word: str) -> bool:
    """True for a lowercase word inside a name (оглы, van)."""
    return word[:1].islower()


def _ru_givens(givens: list[str], female: bool) -> dict[str, list[tuple[str, ...]]]:
    """All given names (name, patronymic…) in the six cases, as token sequences."""
    declined = []
    for i, word in enumerate(givens):
        fixed = _is_particle(word) or (i + 1 < len(givens) and _is_particle(givens[i + 1]))
        declined.append(_indeclinable(word) if fixed else _ru_given(word, female))
    result = {}
    for case in CASES:
        sequences = [tuple(table[case][0] for table in declined)]
        sequences.append(tuple(declined[0][case][-1:]) + sequences[0][1:])
        result[case] = list(dict.fromkeys(sequences))
    return result


# Kazakh case suffixes (genitive, dative, accusative, locative, ablative, instrumental) in their
# back-vowel form, by the last sound of the stem.
_KK_SUFFIXES = {
    "vowel": ("ның", "ға", "ны", "да", "дан", "мен"),
    "nasal": ("ның", "ға", "ды", "да", "нан", "мен", "бен"),
    "voiced": ("дың", "ға", "ды", "да", "дан", "бен", "мен"),
    "sonorant": ("дың", "ға", "ды", "да", "дан", "мен"),
    "voiceless": ("тың", "қа", "ты", "та", "тан", "пен"),
}
_KK_FRONT = str.maketrans("ыағқ", "іегк")
_KK_BACK_VOWELS, _KK_FRONT_VOWELS = "аоұыяё", "әөүіеэ"
_KK_ALL_VOWELS = "аәеёиоөуұүыіэюя"


def _kk_harmony(word: str) -> set[str]:
    """{"back"}, {"front"} or both: the vowel harmony a Kazakh suffix takes after ``word``.

    The last decisive vowel decides; in -аев/-оев the "е" is a glide and the vowel before it
    decides (Тоқаев → Тоқаевтың). и, у, ю can go either way, so both are generated.
    """
    low = word.lower()
    if re.search(f"[{_KK_ALL_VOWELS}][её]в$", low):
        low = low[:-2]
    vowels = [char for char in low if char in _KK_ALL_VOWELS]
    if vowels and vowels[-1] in _KK_BACK_VOWELS:
        return {"back"}
    if vowels and vowels[-1] in _KK_FRONT_VOWELS:
        return {"front"}
    return {"back", "front"}


def _kk_sound(word: str) -> list[str]:
    """The class(es) of the last sound of ``word``, which pick the suffix's first consonant."""
    last = word.lower().rstrip("ьъ")[-1:]
    if last in "иу":
        return ["vowel", "sonorant"]
    if last in _KK_ALL_VOWELS:
        return ["vowel"]
    if last in "мнң":
        return ["nasal"]
    if last in "жз":
        return ["voiced"]
    if last in "лрй":
        return ["sonorant"]
    return ["voiceless"]


def _kk_forms(word: str) -> list[str]:
    """``word`` with each Kazakh case suffix (Тоқаев → Тоқаевтың, Тоқаевқа, Тоқаевты…)."""
    forms = []
    for sound in _kk_sound(word):
        for harmony in _kk_harmony(word):
            for suffix in _KK_SUFFIXES[sound]:
                forms.append(word + (suffix.translate(_KK_FRONT) if harmony == "front" else suffix))
    return list(dict.fromkeys(forms))


_AZ_VOWELS = "aıoueəiöü"
_AZ_I4 = {"a": "ı", "ı": "ı", "o": "u", "u": "u", "e": "i", "ə": "i", "i": "i", "ö": "ü", "ü": "ü"}


def _az_forms(word: str) -> list[str]:
    """``word`` with each Azerbaijani case suffix (Əliyev → Əliyevin, Əliyevə, Əliyevi…)."""
    vowels = [char for char in word.lower() if char in _AZ_VOWELS]
    forms = []
    for last in vowels[-1:] or ["a", "e"]:
        i, a = _AZ_I4[last], ("a" if last in "aıou" else "ə")
        if word[-1:].lower() in _AZ_VOWELS:
            suffixes = ("n" + i + "n", "y" + a, "n" + i, "d" + a, "d" + a + "n", "yl" + a)
        else:
            suffixes = (i + "n", a, i, "d" + a, "d" + a + "n", "l" + a)
        forms += [word + suffix for suffix in suffixes]
    return forms


def _en_forms(word: str) -> list[str]:
    """The English possessive of ``word`` (Tokayev's; Jones')."""
    return [word + "'", word + "'s"] if word.endswith("s") else [word + "'s"]


def _initials(givens: list[str]) -> list[tuple[str, ...]]:
    """How the initials of ``givens`` are written: К.-Ж. / К. Ж. / К.; В. В. for name and patronymic."""
    names = [word for word in givens if not _is_particle(word)]
    if not names:
        return []
    sequences = _initials_of(names[0])
    if len(names) > 1:
        rest = tuple(_initials_of(name)[0][0] for name in names[1:])
        sequences += [sequence + rest for sequence in sequences]
    return list(dict.fromkeys(sequences))


def _initials_of(name: str) -> list[tuple[str, ...]]:
    """The initials of one given name: (К.-Ж.), (К., Ж.), (К.) for Касым-Жомарт; Дж. or Д. for Джон."""
    letters = [[d + "." for d in _DIGRAPH_INITIALS if part.startswith(d)] + [part[0] + "."]
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


def _is_female(person: Person) -> bool:
    """The gender the registry gives, or the one the surname (or else the given name) suggests."""
    if person.gender:
        return person.gender == "female"
    surname, givens = _split_name(person.heading)
    if givens and surname.lower().endswith(_FEMALE_SURNAME_ENDINGS):
        return True
    if givens and _is_cyrillic(givens[0]):
        for parse in _morph().parse(givens[0].split("-")[0]):
            if "Name" in parse.tag and parse.is_known and parse.tag.case == "nomn":
                return parse.tag.gender == "femn"
    return False


def _name_keys(name: str, female: bool) -> Iterator[tuple[tuple[str, ...], int]]:
    """Every token sequence that mentions ``name``, with its flags."""
    surname, givens = _split_name(name)
    if not givens:
        yield from _phrase_keys(surname, female)
        return
    cyrillic = _is_cyrillic(name)
    initials = _initials(givens)
    nominative = list(dict.fromkeys([tuple(givens[:1]), tuple(givens)]))
    if cyrillic:
        declined = _ru_givens(givens, female)
        for case, forms in _ru_surname(surname, female).items():
            for form in forms:
                reading = not female and case in ("gent", "accs") and form.lower().endswith(
                    ("ова", "ева", "ёва", "ина", "ына"))
                yield (form,), SURNAME_ONLY | (WOMAN_READING if reading else 0)
                given = list(dict.fromkeys([seq[:1] for seq in declined[case]] + declined[case]))
                yield from _with_given(form, given, initials, inverted=True)
                if len(givens) > 1 and _is_patronymic(givens[1]):
                    yield from ((seq[:2], 0) for seq in declined[case])
    suffixed = _kk_forms(surname) if cyrillic else [surname, *_az_forms(surname), *_en_forms(surname)]
    for form in suffixed:
        yield (form,), SURNAME_ONLY
        yield from _with_given(form, nominative, initials, inverted=not cyrillic and form == surname)


def _with_given(surname: str, givens: list[tuple[str, ...]], initials: list[tuple[str, ...]], *,
                inverted: bool) -> Iterator[tuple[tuple[str, ...], int]]:
    """``surname`` after the given names or initials (and before them, if ``inverted``)."""
    for before in [*givens, *initials]:
        yield (*before, surname), 0
        if inverted:
            yield (surname, *before), 0


def _phrase_keys(phrase: str, female: bool) -> Iterator[tuple[tuple[str, ...], int]]:
    """A name without a comma (Курмангазы, Абу Райхан Бируни): its last word declined."""
    words = phrase.split()
    *fixed, last = words
    if _is_cyrillic(phrase):
        forms = [form for forms in _ru_surname(last, female).values() for form in forms] + _kk_forms(last)
    else:
        forms = [last, *_az_forms(last), *_en_forms(last)]
    for form in dict.fromkeys(forms):
        yield (*fixed, form), 0


# --------------------------------------------------------------------------------------------
# Tokens and the matcher
# --------------------------------------------------------------------------------------------

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
_INITIAL = "(?:" + "|".join(_DIGRAPH_INITIALS) + f"|{_UPPER})\\."
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
class _Token:
    """A word or initial in a text: where it is, its lookup form, and whether it joins the next."""

    start: int
    end: int
    key: str
    initial: bool
    linked: bool = False        # the next token follows after white space only (part of one name)


@dataclass
class _Hit:
    """A registered form found in a text: token span, character span, and who it may be."""

    first: int
    last: int
    start: int
    end: int
    people: dict[str, int]


class _Matcher:
    """Every form of every person as token sequences, compiled once for a whole volume."""

    def __init__(self, people: Iterable[Person]):
        people = [person for person in people if not person.is_cross_reference]
        particles = {word for person in people for name in person.names
                     for word in name.replace(",", " ").split() if _is_particle(word)}
        self.regex = _token_regex(particles | set(_PARTICLES))
        self.forms: dict[tuple[str, ...], dict[str, int]] = {}
        for person in people:
            self._add(person)
        self.first = {key[0] for key in self.forms}
        self.longest = max(map(len, self.forms), default=0)

    def _add(self, person: Person) -> None:
        """Add every form of ``person``; a flag stays only if every way to the form has it."""
        female = _is_female(person)
        for name in person.names:
            for words, flags in _name_keys(name, female):
                key = self.key(" ".join(words))
                if key:
                    owners = self.forms.setdefault(key, {})
                    owners[person.id] = owners.get(person.id, flags) & flags

    def key(self, text: str) -> tuple[str, ...] | None:
        """The lookup key of a whole name as text finds it, or None if text could never hold it."""
        tokens = self.tokens(text)
        whole = tokens and tokens[0].start == 0 and tokens[-1].end == len(text) and \
            all(token.linked for token in tokens[:-1])
        return tuple(token.key for token in tokens) if whole else None

    def tokens(self, text: str) -> list[_Token]:
        """The tokens of ``text``, each marked whether it runs on into the next."""
        tokens = [_Token(m.start(), m.end(), _canon(m.group()), m.group("init") is not None)
                  for m in self.regex.finditer(text)]
        for token, after in zip(tokens, tokens[1:]):
            gap = text[token.end:after.start]
            token.linked = gap.isspace() or (gap == "" and token.initial)
        return tokens

    def hits(self, text: str, tokens: list[_Token]) -> list[_Hit]:
        """The registered forms in ``text``, leftmost first, the longest at each place."""
        found: list[_Hit] = []
        i = 0
        while i < len(tokens):
            hit = self._longest(tokens, i) if tokens[i].key in self.first else None
            if hit is None or self._someone_else(tokens, hit, found):
                i += 1
                continue
            found.append(hit)
            i = hit.last + 1
        return found

    def _longest(self, tokens: list[_Token], i: int) -> _Hit | None:
        """The longest registered sequence that starts at token ``i``."""
        reach = i
        while reach + 1 < len(tokens) and tokens[reach].linked and reach + 1 - i < self.longest:
            reach += 1
        for last in range(reach, i - 1, -1):
            people = self.forms.get(tuple(token.key for token in tokens[i:last + 1]))
            if people:
                return _Hit(i, last, tokens[i].start, tokens[last].end, people)
        return None

    @staticmethod
    def _someone_else(tokens: list[_Token], hit: _Hit, found: list[_Hit]) -> bool:
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
    if not _is_cyrillic(word) or not word[:1].isupper():
        return False
    return any("Name" in parse.tag and parse.is_known for parse in _morph().parse(word))


# --------------------------------------------------------------------------------------------
# Finding and marking mentions in an article
# --------------------------------------------------------------------------------------------

@dataclass
class Mention:
    """One mention of a person in an article, anchored by the id of its ``span.mention``.

    ``ambiguous_with`` is empty for a sure mention. Otherwise it lists the readings an editor
    should choose between: registered ids, and ``WOMAN`` when the form may be an unregistered
    woman's surname. ``person_id`` is then the most likely person, or None if two people fit.
    """

    person_id: str | None
    anchor: str
    article_id: str
    text: str
    line: int | None
    ambiguous_with: tuple[str, ...] = ()


SKIP_TAGS = frozenset({"code", "pre", "a", "kbd", "samp", "script", "style", "math", "svg"})
SKIP_CLASSES = frozenset({"citation", "noindex", "mention", "person"})


def _classes(element: lxml.html.HtmlElement) -> set[str]:
    """The classes of ``element``."""
    return set((element.get("class") or "").split())


def _is_mark(element: lxml.html.HtmlElement) -> bool:
    """True for an explicit mark ``<span class="person" ref="ID">``."""
    return "person" in _classes(element)


def _searchable(element: lxml.html.HtmlElement) -> bool:
    """False inside code, links, citations, marks: no automatic mentions there."""
    return element.tag not in SKIP_TAGS and not (_classes(element) & SKIP_CLASSES)


def _line_of(element: lxml.html.HtmlElement, default: int | None = None) -> int | None:
    """The ``data-line`` of ``element``, or ``default``."""
    value = element.get("data-line")
    return int(value) if value and value.isdigit() else default


def _start_line(element: lxml.html.HtmlElement) -> int | None:
    """The line of the nearest ancestor-or-self with ``data-line``."""
    for node in element.iterancestors():
        if _line_of(node):
            return _line_of(element, _line_of(node))
    return _line_of(element)


def _advance(line: int | None, text: str) -> int | None:
    """The source line after ``text``, which started on ``line``."""
    return line + text.count("\n") if line is not None else None


def _resolve(people: dict[str, int]) -> tuple[str | None, tuple[str, ...]]:
    """(most likely person, readings to confirm) for the people a form fits."""
    if len(people) > 1:
        return None, tuple(sorted(people))
    (person_id, flags), = people.items()
    return person_id, ((person_id, WOMAN) if flags & WOMAN_READING else ())


class _Annotator:
    """Walks one article body in document order, wrapping and numbering mentions."""

    def __init__(self, article_id: str, registry: Registry, problems: Problems | None, path: str | Path | None):
        self.article_id = article_id
        self.registry = registry
        self.problems = problems
        self.path = path or article_id
        self.mentions: list[Mention] = []

    def walk(self, element: lxml.html.HtmlElement, line: int | None, search: bool) -> int | None:
        """Annotate ``element``'s text and children; ``search`` is False where only marks count.

        ``line`` is the source line where the element's text starts; the line after its content
        is returned, so each mention gets its own line (soft line breaks stay as newlines)."""
        line = _line_of(element, line)
        children = list(element)
        line = self._text(element, False, line, search)
        for child in children:
            if isinstance(child.tag, str) and "noindex" not in _classes(child) and "mention" not in _classes(child):
                if _is_mark(child):
                    self._mark(child, line)
                    line = _advance(line, child.text_content())
                else:
                    line = self.walk(child, line, search and _searchable(child))
            elif isinstance(child.tag, str):
                line = _advance(line, child.text_content())
            line = self._text(child, True, line, search)
        return line

    def _text(self, owner: lxml.html.HtmlElement, tail: bool, line: int | None, search: bool) -> int | None:
        """Wrap the mentions in a text or tail; the line after it."""
        text = (owner.tail if tail else owner.text) or ""
        if search and text:
            self._wrap(owner, tail, line)
        return _advance(line, text)

    def _anchor(self) -> str:
        """The id of the next mention."""
        return f"{self.article_id}-m{len(self.mentions) + 1}"

    def _span(self, parent: lxml.html.HtmlElement, person_id: str | None, ambiguous: tuple[str, ...]):
        """A new empty ``span.mention`` with the next id."""
        span = parent.makeelement("span", {"class": "mention", "id": self._anchor()})
        if person_id:
            span.set("data-person", person_id)
        if ambiguous:
            span.set("data-ambiguous", " ".join(ambiguous))
        return span

    def _mark(self, element: lxml.html.HtmlElement, line: int | None) -> None:
        """An explicit ``.person`` mark: its whole content is one mention of ``ref``."""
        ref = element.get("ref") or element.get("data-ref")
        person_id = self.registry.resolve(ref)
        if person_id is None:
            if self.problems is not None:
                why = (f"'{ref}' is not in the registry of people{_did_you_mean(ref, self.registry.people)}"
                       if ref else "a .person mark needs ref=ID")
                self.problems.error(self.path, _line_of(element, line), f"[{element.text_content()}]"
                                    f"{{.person ref={ref or ''}}}: {why}", "unknown-person")
            return
        text = element.text_content()
        span = self._span(element, person_id, ())
        span.text, element.text = element.text, None
        for child in list(element):
            span.append(child)
        element.append(span)
        self.mentions.append(Mention(person_id, span.get("id"), self.article_id, text, _line_of(element, line)))

    def _wrap(self, owner: lxml.html.HtmlElement, tail: bool, line: int | None) -> None:
        """Wrap the mentions in ``owner``'s text (or tail) in spans, in place."""
        text = owner.tail if tail else owner.text
        matcher = self.registry.matcher
        hits = matcher.hits(text, matcher.tokens(text))
        if not hits:
            return
        parent = owner.getparent() if tail else owner
        index = parent.index(owner) + 1 if tail else 0
        head = text[:hits[0].start] or None
        for n, (hit, after) in enumerate(zip(hits, [*hits[1:], None])):
            person_id, ambiguous = _resolve(hit.people)
            span = self._span(parent, person_id, ambiguous)
            span.text = text[hit.start:hit.end]
            span.tail = text[hit.end:after.start if after else len(text)] or None
            parent.insert(index + n, span)
            self.mentions.append(Mention(person_id, span.get("id"), self.article_id, span.text,
                                         _advance(line, text[:hit.start]), ambiguous))
        if tail:
            owner.tail = head
        else:
            owner.text = head


def annotate(body: lxml.html.HtmlElement, article_id: str, registry: Registry, *, enabled: bool = True,
             problems: Problems | None = None, path: str | Path | None = None) -> list[Mention]:
    """Find, wrap and return the mentions of registered people in one article body, in order.

    Each mention becomes ``<span class="mention" id="{article_id}-m{n}" data-person="{id}">``
    (``data-ambiguous`` lists the readings of an ambiguous one). Nothing is searched inside code,
    links, citations or ``.noindex``; a ``.person`` mark is one sure mention of its ``ref``
    wherever it stands (except inside ``.noindex``). ``enabled=False`` leaves the article out of
    the index altogether. A ``ref`` not in the registry is reported to ``problems`` (at ``path``).
    """
    if not enabled:
        return []
    annotator = _Annotator(article_id, registry, problems, path)
    annotator.walk(body, _start_line(body), _searchable(body))
    return annotator.mentions


def ambiguity_message(mention: Mention, registry: Registry) -> str:
    """What an editor should be told about an ambiguous mention, and how to settle it."""
    readings = [registry.people[pid].heading if pid in registry.people else "a woman not in the registry"
                for pid in mention.ambiguous_with]
    verdict = (f"indexed to {registry.people[mention.person_id].heading}" if mention.person_id
               else "left out of the index")
    ref = mention.person_id or next((pid for pid in mention.ambiguous_with if pid in registry.people), "ID")
    return (f"«{mention.text}» may be {' or '.join(readings)} ({verdict}); confirm with "
            f"[{mention.text}]{{.person ref={ref}}} or [{mention.text}]{{.noindex}}")


# --------------------------------------------------------------------------------------------
# Unregistered names
# --------------------------------------------------------------------------------------------

def candidates(body: lxml.html.HtmlElement, article_id: str, registry: Registry) -> list[tuple[str, int | None]]:
    """Name-like sequences that no registered form covers, with their lines, in document order.

    Two or more capitalised words that look like names (pymorphy3 knows them as names or
    surnames, or does not know them at all), or initials with a surname. For
    ``anthology names --unregistered``; the body is not changed.
    """
    found: list[tuple[str, int | None]] = []
    _collect(body, _start_line(body), registry.matcher, found)
    return found


def _collect(element: lxml.html.HtmlElement, line: int | None, matcher: _Matcher,
             found: list[tuple[str, int | None]]) -> None:
    """Add the candidates in ``element``'s searchable text to ``found``."""
    line = _line_of(element, line)
    if element.text:
        found += [(name, line) for name in _unregistered(element.text, matcher)]
    for child in element:
        if isinstance(child.tag, str) and _searchable(child):
            _collect(child, line, matcher, found)
        if child.tail:
            found += [(name, line) for name in _unregistered(child.tail, matcher)]


def _unregistered(text: str, matcher: _Matcher) -> list[str]:
    """The name-like runs of ``text`` outside registered mentions."""
    tokens = matcher.tokens(text)
    taken = {i for hit in matcher.hits(text, tokens) for i in range(hit.first, hit.last + 1)}
    names: list[str] = []
    run: list[_Token] = []
    for i, token in enumerate(tokens):
        if i in taken or not (token.initial or _is_particle(token.key) or _looks_like_name(token.key)):
            names += _name_in(text, run)
            run = []
            continue
        if run and _is_cyrillic(token.key) != _is_cyrillic(run[-1].key):  # "AIR Center Фарид Шафиев": two names
            names += _name_in(text, run)
            run = []
        run.append(token)
        if not token.linked:
            names += _name_in(text, run)
            run = []
    return names + _name_in(text, run)


def _name_in(text: str, run: list[_Token]) -> list[str]:
    """``run`` as one name: two or three name words, or initials next to a name word.

    Titles and function words that start sentences (President, The, Bu) are dropped from the
    front, particles from both ends; longer runs are taken for names of organisations.
    """
    while run and (_is_particle(run[0].key) or run[0].key in _NOT_NAMES):
        run = run[1:]
    while run and _is_particle(run[-1].key):
        run = run[:-1]
    words = [token for token in run if not token.initial and not _is_particle(token.key)]
    initials = sum(token.initial for token in run)
    if 2 <= len(words) <= 3 or (len(words) == 1 and initials and (run[0].initial or run[-1].initial)):
        return [text[run[0].start:run[-1].end]]
    return []


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


@lru_cache(maxsize=16384)
def _looks_like_name(word: str) -> bool:
    """A capitalised word that could be a name: not an acronym, and a name or unknown to pymorphy3."""
    if len(word) < 2 or not word[0].isupper() or word.isupper() or _is_particle(word):
        return False
    if not _is_cyrillic(word):
        return True
    if re.search(_SURNAME_LIKE, word):
        return True
    morph = _morph()
    return any({"Name", "Surn", "Patr"} & parse.tag.grammemes for parse in morph.parse(word)) or \
        not morph.word_is_known(word.lower())


# --------------------------------------------------------------------------------------------
# The index
# --------------------------------------------------------------------------------------------

@dataclass
class Locator:
    """Where to find a person: a printed page or range ("12", "12–14"), or a running number."""

    label: str
    anchor: str


@dataclass
class IndexEntry:
    """One heading of the index with its locators and cross-references (by heading)."""

    heading: str
    note: str | None
    sort: str
    letter: str
    locators: list[Locator] = field(default_factory=list)
    see: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    id: str = ""


def build_index(mentions: list[Mention], registry: Registry, lang: str, page_of: Callable[[str], int | None] | None,
                *, label_of: Callable[[Mention], str] | None = None) -> list[tuple[str, list[IndexEntry]]]:
    """The index of names: (letter, entries) groups, collated for ``lang``.

    With ``page_of`` (anchor id → printed page; None for an anchor on no page) each page is
    listed once and consecutive pages become a range "12–14" whose anchor is the run's first
    mention. Without it (EPUB) each mention is a locator labelled by ``label_of(mention)`` or a
    running number. People never mentioned are left out; a cross-reference entry stays when its
    target is in the index.
    """
    by_person: dict[str, list[Mention]] = {}
    for mention in mentions:
        person_id = registry.resolve(mention.person_id)
        if person_id is not None:
            by_person.setdefault(person_id, []).append(mention)
    shown = set(by_person) | {pid for pid, person in registry.people.items()
                              if person.see and registry.resolve(pid) in by_person}
    rows = []
    for person_id in shown:
        entry = _entry(registry, person_id, by_person.get(person_id, []), shown, lang, page_of, label_of)
        bucket = letter_bucket(entry.sort, lang)[0]
        rows.append(((bucket, sort_key(entry.sort, lang), sort_key(entry.heading, lang), person_id), entry))
    rows.sort(key=lambda row: row[0])
    return [(letter, [entry for _, entry in group])
            for letter, group in groupby(rows, key=lambda row: row[1].letter)]


def _entry(registry: Registry, person_id: str, mentions: list[Mention], shown: set[str], lang: str,
           page_of: Callable[[str], int | None] | None, label_of: Callable[[Mention], str] | None) -> IndexEntry:
    """The index entry of one person (or cross-reference)."""
    person = registry.people[person_id]
    sort = person.sort or person.heading
    target = registry.resolve(person.see) if person.see else None
    see_also = [registry.people[other].heading for other in person.see_also if other in shown]
    return IndexEntry(
        heading=person.heading, note=person.note, sort=sort, letter=letter_bucket(sort, lang)[1],
        locators=_page_locators(mentions, page_of) if page_of else _mention_locators(mentions, label_of),
        see=[registry.people[target].heading] if target else [],
        see_also=sorted(see_also, key=lambda heading: sort_key(heading, lang)), id=person_id)


def _page_locators(mentions: list[Mention], page_of: Callable[[str], int | None]) -> list[Locator]:
    """Each page once, consecutive pages as one range, anchored at the run's first mention."""
    first_on: dict[int, str] = {}
    for mention in mentions:
        page = page_of(mention.anchor)
        if page is not None:
            first_on.setdefault(page, mention.anchor)
    locators: list[Locator] = []
    pages = sorted(first_on)
    for _, run in groupby(enumerate(pages), key=lambda pair: pair[1] - pair[0]):
        run_pages = [page for _, page in run]
        label = str(run_pages[0]) if len(run_pages) == 1 else f"{run_pages[0]}\u2013{run_pages[-1]}"
        locators.append(Locator(label, first_on[run_pages[0]]))
    return locators


def _mention_locators(mentions: list[Mention], label_of: Callable[[Mention], str] | None) -> list[Locator]:
    """One locator per mention (EPUB), labelled by ``label_of`` or by a running number."""
    return [Locator(label_of(mention) if label_of else str(n), mention.anchor)
            for n, mention in enumerate(mentions, 1)]
