"""Case forms made by appending a suffix to an unchanged word: Kazakh, Azerbaijani, English.

Kazakh and Azerbaijani suffixes follow vowel harmony and the last sound of the word; English
has only the possessive. None of them needs the name's gender or a dictionary.
"""

from __future__ import annotations

import re

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

_AZ_VOWELS = "aıoueəiöü"
_AZ_I4 = {"a": "ı", "ı": "ı", "o": "u", "u": "u", "e": "i", "ə": "i", "i": "i", "ö": "ü", "ü": "ü"}


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


def kazakh_forms(word: str) -> list[str]:
    """``word`` with each Kazakh case suffix (Тоқаев → Тоқаевтың, Тоқаевқа, Тоқаевты…)."""
    forms = []
    for sound in _kk_sound(word):
        for harmony in _kk_harmony(word):
            for suffix in _KK_SUFFIXES[sound]:
                forms.append(word + (suffix.translate(_KK_FRONT) if harmony == "front" else suffix))
    return list(dict.fromkeys(forms))


def azerbaijani_forms(word: str) -> list[str]:
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


def english_forms(word: str) -> list[str]:
    """The English possessive of ``word`` (Tokayev's; Jones')."""
    return [word + "'", word + "'s"] if word.endswith("s") else [word + "'s"]
