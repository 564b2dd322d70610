"""Each source prepared to be described in its own language, before citeproc formats it.

GOST R 7.0.5-2008 describes a source in the language of the source. Here, for one CSL item:

- `source_language`: the language it is described in (its `language` field, else the script
  and letters of its title and names);
- `prepared`: a copy of the item as a GOST style must see it: in a Russian description the
  editors and translators in the genitive («под ред. Р. Мамедова, А. Нурлановой»), and the
  place of publication abbreviated as GOST 7.0.12 (Russian) and GOST 7.11 (English) do
  («М.», «СПб.», «L.», «N. Y.»).

Both are data steps: what citeproc prints from the prepared item needs no correction afterwards.
"""

from __future__ import annotations

import copy
import re

from ..names.forms import surname_in_case
from .styles import base_lang

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
AZERBAIJANI_LETTERS = set("əƏ")
TURKIC_LATIN_LETTERS = set("ğışçöüĞİŞÇÖÜ")

# The names of languages a `language` field may hold instead of a tag.
_LANGUAGE_NAMES = {
    "russian": "ru", "русский": "ru", "english": "en", "английский": "en", "kazakh": "kk",
    "казахский": "kk", "қазақ": "kk", "azerbaijani": "az", "azərbaycan": "az", "азербайджанский": "az",
}

# GOST 7.0.12-2011 (Russian and Kazakh descriptions) and GOST 7.11-2004 (English ones): the
# places whose names a description abbreviates.
PLACES = {
    "ru": {"Москва": "М.", "Санкт-Петербург": "СПб.", "Ленинград": "Л.",
           "Нижний Новгород": "Н. Новгород", "Ростов-на-Дону": "Ростов н/Д"},
    "en": {"London": "L.", "New York": "N. Y.", "Paris": "P."},
}
PLACES["kk"] = PLACES["ru"]

# The roles a Russian GOST description names after a preposition or a participle («под ред.»,
# «пер.»), so in the genitive.
GENITIVE_ROLES = ("editor", "translator")


def source_language(item: dict, fallback: str) -> str:
    """The base language (`ru`, `kk`, `az`, `en`, …) in which `item` is described."""
    declared = _declared_language(str(item.get("language") or ""))
    if declared:
        return declared
    sample = " ".join([str(item.get("title") or "")] + _family_names(item))
    letters = set(sample)
    if any("\u0400" <= c <= "\u04ff" for c in sample):
        return "kk" if letters & KAZAKH_LETTERS else "ru"
    if letters & AZERBAIJANI_LETTERS:
        return "az"
    if re.search(r"[A-Za-z]", sample):
        return "az" if letters & TURKIC_LATIN_LETTERS and base_lang(fallback) == "az" else "en"
    return base_lang(fallback)


def _declared_language(value: str) -> str:
    """The base language a `language` field names (`ru-RU`, `az-Latn-AZ`, `English`), or ""
    when it names none that a locale could be made of (then the text decides)."""
    value = value.strip()
    if value.lower() in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[value.lower()]
    base = base_lang(value)
    return base if re.fullmatch(r"[a-z]{2,3}", base) else ""


def _family_names(item: dict) -> list[str]:
    names = []
    for var in ("author", "editor"):
        for name in item.get(var) or []:
            if isinstance(name, dict):
                names.append(str(name.get("family") or name.get("literal") or ""))
    return names


def prepared(item: dict, language: str, gost: bool) -> dict:
    """`item` as a style describing it in `language` must see it (a copy; the item is kept).

    Only GOST styles (`gost`) change anything: APA and Chicago name editors in the nominative
    («In R. Mamedov (Ed.)») and print places in full.
    """
    if not gost:
        return item
    item = copy.deepcopy(item)
    if language == "ru":
        for role in GENITIVE_ROLES:
            for name in item.get(role) or []:
                if isinstance(name, dict) and name.get("family") and not name.get("literal"):
                    name["family"] = surname_in_case(str(name["family"]), str(name.get("given") or "").split(), "gent")
    places = PLACES.get(language, {})
    for var in ("publisher-place", "event-place"):
        if item.get(var):
            item[var] = _abbreviated_places(str(item[var]), places)
    return item


def _abbreviated_places(value: str, places: dict[str, str]) -> str:
    """«Москва; Санкт-Петербург» → «М.; СПб.»: each place of a list, as GOST 7.0.12 shortens it."""
    parts = re.split(r"(\s*[;,]\s*)", value)
    return "".join(places.get(part.strip(), part) if i % 2 == 0 else part for i, part in enumerate(parts))
