"""Language-correct sorting and letter groups (ICU), for the index of names and the bibliography.

The rules are CLDR's, as ICU ships them:

- ``ru``: Cyrillic first, then Latin (``[reorder Cyrl]``); Ё sorts with Е (they differ only at the
  second level, so «Ёлкин» falls between «Елисеев» and «Ершов»); Kazakh letters sort right after
  their base letters (Ә after А, Қ after К, …).
- ``kk``: the Kazakh alphabet: А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц
  Ч Ш Щ Ъ Ы І Ь Э Ю Я (CLDR puts І after Ы, as the 2004 alphabet does), Cyrillic before Latin.
- ``az``: A B C Ç D E Ə F G Ğ H X I İ J K Q L M N O Ö P R S Ş T U Ü V Y Z, Latin before
  Cyrillic. Use it only for all-Azerbaijani lists: it also moves X and Q, which would surprise a
  Russian or English reader.
- ``en``: the root order (Latin, then Greek, then Cyrillic).
"""

from __future__ import annotations

from functools import lru_cache

import icu

# Languages whose own script is Cyrillic: their letter groups get Latin ones added after them,
# and the others get Cyrillic ones, so a foreign name still lands under a letter.
_CYRILLIC_LANGS = frozenset({"ru", "kk", "uk", "be", "bg", "sr", "mk", "ky", "tg", "mn", "tt", "ba"})

# Heading of the group for names that start with no letter (digits, symbols).
OTHER_HEADING = "#"


def _base(lang: str) -> str:
    """The ICU language for a BCP 47 tag: ``ru-RU`` → ``ru``; empty → root."""
    return (lang or "").replace("_", "-").split("-")[0].lower()


def collator(lang: str, *, ignore_punctuation: bool = False) -> icu.Collator:
    """The ICU collator for ``lang`` (cached; ICU collators are expensive to create).

    With ``ignore_punctuation``, punctuation and spaces are ignored (ICU's "shifted" alternate
    handling): «Title» sorts under T, as a reference list wants."""
    return _collator(_base(lang), ignore_punctuation)


@lru_cache(maxsize=None)
def _collator(base: str, ignore_punctuation: bool) -> icu.Collator:
    """The ICU collator for an ICU language code."""
    collator = icu.Collator.createInstance(icu.Locale(base))
    if ignore_punctuation:
        collator.setAttribute(icu.UCollAttribute.ALTERNATE_HANDLING, icu.UCollAttributeValue.SHIFTED)
    return collator


def sort_key(text: str, lang: str) -> bytes:
    """The collation key of ``text`` under ``lang``'s rules: compare keys, not strings."""
    return collator(lang).getSortKey(text)


@lru_cache(maxsize=None)
def _letter_groups(base: str) -> icu.ImmutableIndex:
    """ICU's letter groups for an ICU language code, plus those of the other script."""
    index = icu.AlphabeticIndex(icu.Locale(base))
    index.addLabels(icu.Locale("en" if base in _CYRILLIC_LANGS else "ru"))
    return index.buildImmutableIndex()


def _first_letters(text: str) -> str:
    """``text`` without leading punctuation («Ёж» → Ёж»)."""
    for i, char in enumerate(text):
        if char.isalnum():
            return text[i:]
    return ""


def letter_bucket(text: str, lang: str) -> tuple[int, str]:
    """The index letter group of ``text``: (its position among the groups, its heading)."""
    index = _letter_groups(_base(lang))
    number = index.getBucketIndex(_first_letters(text))
    label, label_type = index.getBucket(number)
    return number, (label if label_type == icu.UAlphabeticIndexLabelType.NORMAL else OTHER_HEADING)

