"""Kazakh and Azerbaijani hyphenation dictionaries for pyphen (and so WeasyPrint).

pyphen ships Russian and English patterns but none for Kazakh or Azerbaijani.
WeasyPrint hyphenates a `hyphens: auto` box by looking its `lang` up with
`pyphen.language_fallback()`, which reads `pyphen.LANGUAGES_LOWERCASE` and then
`pyphen.LANGUAGES`; `register()` adds our dictionaries to both.

Call `register()` once before rendering; calling it again changes nothing.
The dictionaries live in anthology/data/hyphenation/ (see the README there).
"""

from __future__ import annotations

from pathlib import Path

import pyphen

DATA = Path(__file__).resolve().parent.parent / "data" / "hyphenation"

KK_DIC = DATA / "hyph_kk_KZ.dic"
AZ_DIC = DATA / "hyph_az_AZ.dic"

#: pyphen language name -> dictionary file.
DICTIONARIES: dict[str, Path] = {
    "kk": KK_DIC,
    "kk_KZ": KK_DIC,
    "az": AZ_DIC,
    "az_AZ": AZ_DIC,
    "az_Latn": AZ_DIC,
}

#: Shortest part left on a line, and carried to the next (in letters).
LEFT_MIN = 2
RIGHT_MIN = 2


class TurkicHyphDict(pyphen.HyphDict):
    """A HyphDict that lower-cases with Azerbaijani rules.

    pyphen lower-cases with `str.lower()`, which turns «İ» into two code points
    («i» + U+0307), so every break after an «İ» would land one letter late
    («İlh-am»).  Mapping İ→i and I→ı first keeps the word's length.
    """

    def positions(self, word: str) -> list:
        return super().positions(word.replace("İ", "i").replace("I", "ı"))


def merge_patterns(patterns: list[str]) -> list[str]:
    """Merge Liang patterns that share their letters, keeping the highest digit.

    TeX merges such patterns; pyphen keeps only the last one it reads, so the
    generators write each letter sequence once.  Order of first use is kept.
    """
    merged: dict[str, list[int]] = {}
    for pattern in patterns:
        letters = "".join(ch for ch in pattern if not ch.isdigit())
        values = [0] * (len(letters) + 1)
        index = 0
        for ch in pattern:
            if ch.isdigit():
                values[index] = int(ch)
            else:
                index += 1
        old = merged.setdefault(letters, values)
        merged[letters] = [max(a, b) for a, b in zip(old, values)]
    return [_liang(letters, values) for letters, values in merged.items()]


def _liang(letters: str, values: list[int]) -> str:
    digits = [str(v) if v else "" for v in values]
    return "".join(d + ch for d, ch in zip(digits, letters)) + digits[-1]


#: Dictionaries that need a special HyphDict class.
_HYPH_DICT_CLASSES = {AZ_DIC: TurkicHyphDict}


def register() -> None:
    """Make pyphen (and WeasyPrint) know `kk`, `kk_KZ`, `az`, `az_AZ`, `az_Latn`."""
    for name, path in DICTIONARIES.items():
        pyphen.LANGUAGES[name] = path
        pyphen.LANGUAGES_LOWERCASE[name.lower()] = name
    for path, cls in _HYPH_DICT_CLASSES.items():
        # pyphen.Pyphen(lang=...) takes its HyphDict from this cache.
        if not isinstance(pyphen.hdcache.get(path), cls):
            pyphen.hdcache[path] = cls(path)


def hyphenator(lang: str) -> pyphen.Pyphen:
    """A pyphen.Pyphen for a BCP 47 tag (`kk`, `az-Latn-AZ`, `ru`…), minimums 2/2."""
    register()
    name = pyphen.language_fallback(lang)
    if name is None:
        raise LookupError(f"no hyphenation dictionary for {lang!r}")
    return pyphen.Pyphen(lang=name, left=LEFT_MIN, right=RIGHT_MIN)
