"""Hyphenation as a book wants it, for pyphen (and so WeasyPrint).

pyphen ships Russian and English patterns but none for Kazakh or Azerbaijani. WeasyPrint
hyphenates a `hyphens: auto` box by looking its `lang` up with `pyphen.language_fallback()`,
which reads `pyphen.LANGUAGES_LOWERCASE` and then `pyphen.LANGUAGES`; `register()` adds our
dictionaries to both, makes plain `en` use the US patterns (the British ones break
«engin-eering», «atten-ded»), and puts the book's `Policy` in front of every volume language's
patterns (`BookHyphDict`): the names of the people the book mentions are never broken, and words
the patterns get wrong break where their spelling in breaks.txt or the manifest says.

Call `register()` once before rendering; calling it again changes nothing.
The dictionaries live in anthology/data/hyphenation/ (see the README there).
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from pathlib import Path

import pyphen

DATA = Path(__file__).resolve().parent.parent / "data" / "hyphenation"

KK_DIC = DATA / "hyph_kk_KZ.dic"
AZ_DIC = DATA / "hyph_az_AZ.dic"

PYPHEN_DICS = Path(pyphen.__file__).parent / "dictionaries"
RU_DIC, EN_US_DIC, EN_GB_DIC = (PYPHEN_DICS / f"hyph_{name}.dic" for name in ("ru_RU", "en_US", "en_GB"))

#: pyphen language name -> dictionary file.
DICTIONARIES: dict[str, Path] = {
    "kk": KK_DIC,
    "kk_KZ": KK_DIC,
    "az": AZ_DIC,
    "az_AZ": AZ_DIC,
    "az_Latn": AZ_DIC,
    "en": EN_US_DIC,
}

BREAKS = DATA / "breaks.txt"  # words the patterns break wrongly, spelled with their breaks


class Policy:
    """What the book adds to a language's patterns: words never broken (the names of the people
    it mentions, words the settle stage keeps whole) and words broken only where their spelling
    says («Ka-zakh-stan»: the bundled breaks.txt and the manifest's `hyphenation:`)."""

    def __init__(self, keep_whole: frozenset[str] = frozenset(), spelled: tuple[str, ...] = ()):
        self.keep_whole = frozenset(keep_whole)
        self.breaks = {word.replace("-", "").lower(): _breaks_of(word) for word in (*bundled_breaks(), *spelled)}

    @property
    def key(self) -> str:
        """What a layout under this policy depends on."""
        return "\0".join(sorted(self.keep_whole)) + "\1" + repr(sorted(self.breaks.items()))


def _breaks_of(spelled: str) -> list[pyphen.DataInt]:
    """«Ka-zakh-stan» → [2, 7]: where the word may break."""
    places, letters = [], 0
    for part in spelled.split("-")[:-1]:
        letters += len(part)
        places.append(pyphen.DataInt(letters))
    return places


def bundled_breaks() -> list[str]:
    return [line.strip() for line in BREAKS.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


_policy: ContextVar[Policy] = ContextVar("hyphenation_policy", default=Policy())


@contextlib.contextmanager
def applying(policy: Policy):
    """`policy` holds while the block runs (a render of one unit)."""
    token = _policy.set(policy)
    try:
        yield
    finally:
        _policy.reset(token)


#: Shortest part left on a line, and carried to the next (in letters).
LEFT_MIN = 2
RIGHT_MIN = 2


class BookHyphDict(pyphen.HyphDict):
    """A language's patterns behind the book's `Policy`."""

    def positions(self, word: str) -> list:
        policy = _policy.get()
        if word in policy.keep_whole:
            return []
        spelled = policy.breaks.get(word.lower())
        return list(spelled) if spelled is not None else super().positions(word)


class TurkicHyphDict(BookHyphDict):
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


#: Each dictionary of the volume's languages, with the class that reads it.
_HYPH_DICT_CLASSES = {RU_DIC: BookHyphDict, EN_US_DIC: BookHyphDict, EN_GB_DIC: BookHyphDict,
                      KK_DIC: BookHyphDict, AZ_DIC: TurkicHyphDict}


def register() -> None:
    """Make pyphen (and WeasyPrint) know `kk`, `kk_KZ`, `az`, `az_AZ`, `az_Latn`, read `en` with the US
    patterns, and apply the book's policy to each of these languages."""
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
