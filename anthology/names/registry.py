"""The registry of people: ``people.yaml`` read, checked and compiled into a matcher.

The file is read by the project's one YAML reader (``anthology/load/yaml.py``), so malformed YAML, duplicate
keys and bad encodings get the same messages as in every other file of the volume. Every other
problem is reported here with its line, and the good entries are kept, so the rest of the volume
can still be checked.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problems
from ..load.fields import as_text
from ..load.yaml import Mapping, Sequence, load_yaml, read_text
from .matcher import Matcher

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
    matcher: Matcher = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.matcher = Matcher(self.people.values())

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
    text = read_text(path, problems)
    root = load_yaml(text, path, problems) if text is not None else None
    if root is None:
        return Registry()
    if not isinstance(root, Sequence):
        problems.error(path, getattr(root, "line", 1),
                       "people.yaml must be a list of entries (each starting with '- id:')", "invalid")
        return Registry()
    people: dict[str, Person] = {}
    for entry, line in zip(root, root.item_lines):
        person = _read_entry(entry, line, path, problems)
        if person is None:
            continue
        if person.id in people:
            problems.error(path, person.line, f"duplicate id '{person.id}' (first defined at line "
                           f"{people[person.id].line})", "duplicate-id")
            continue
        people[person.id] = person
    _check_links(people, path, problems)
    return Registry(people)


def _read_entry(entry: object, line: int, path: Path, problems: Problems) -> Person | None:
    """One entry (starting on ``line``) as a Person, or None if it lacks what an entry needs."""
    if not isinstance(entry, Mapping):
        problems.error(path, line, "each entry must be a mapping with at least 'id' and 'heading'")
        return None
    values: dict[str, object] = {}
    for key, value in entry.items():
        name = str(key)
        if name in KEYS:
            values[name] = _read_value(name, value, entry.line_of(key), path, problems)
        else:
            problems.error(path, entry.line_of(key), f"unknown key '{name}'{did_you_mean(name, KEYS, _KEY_HINTS)}",
                           "unknown-key")
    for key in ("id", "heading"):
        if not values.get(key):
            problems.error(path, line, f"entry has no '{key}'", "missing-key")
    if not values.get("id") or not values.get("heading"):
        return None
    if not _ID_RE.fullmatch(values["id"]):
        problems.error(path, line, f"id '{values['id']}' may contain only letters, digits, '-', '_' and '.'")
        return None
    person = Person(path=str(path), line=line, **values)
    return person if _check_shapes(person, path, problems) else None


def _read_value(key: str, value: object, line: int, path: Path, problems: Problems) -> object:
    """The value of ``key`` (on ``line``) checked for its type: a string, a list of strings, or a gender."""
    if key in ("forms", "see_also"):
        if value is None:
            return []
        if not isinstance(value, Sequence):
            problems.error(path, getattr(value, "line", line), f"'{key}' must be a list, e.g. {key}: [a, b]")
            return []
        items = [_text(item, key, path, problems) for item in value]
        return [item for item in items if item]
    text = _text(value, key, path, problems)
    if key == "gender" and text is not None and text not in GENDERS:
        problems.error(path, line, f"gender must be 'male' or 'female', not '{text}'")
        return None
    return text


def _text(value: object, key: str, path: Path, problems: Problems) -> str | None:
    """A scalar as text (None for an empty value), reporting lists or mappings where text belongs."""
    if isinstance(value, (Mapping, Sequence)):
        problems.error(path, value.line, f"'{key}' must be a single value, not a list or mapping")
        return None
    return as_text(value) or None


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
                               f"{did_you_mean(target, people)}", "unknown-ref")
            elif target == person.id:
                problems.error(path, person.line, f"{key}: '{target}' points at the entry itself", "unknown-ref")
            elif key == "see" and people[target].see:
                problems.error(path, person.line, f"see: '{target}' is itself a cross-reference "
                               f"(see: {people[target].see}); point at the person", "see-chain")


def did_you_mean(word: str, choices: Iterable[str], hints: dict[str, str] | None = None) -> str:
    """" (did you mean 'x'?)" for the closest of ``choices``, or ""."""
    guess = (hints or {}).get(word.lower()) or next(iter(difflib.get_close_matches(word, list(choices), 1, 0.6)), None)
    return f" (did you mean '{guess}'?)" if guess else ""
