"""Which language an article is in, by a small rule over its letters (no model).

Kazakh letters (ә ғ қ ң ө ұ ү һ і) in Cyrillic text → ``kk``; Cyrillic otherwise → ``ru``;
Latin with Azerbaijani letters (ə ğ ı ş ç, and ö ü) → ``az``; Latin otherwise → ``en``. The rule
counts *words*: a Kazakh text has these letters in a good share of its words, a Russian text that
names a Kazakh person (Құнанбайұлы) or an English one that names a town (Şuşa) has them in a few.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KAZAKH = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
AZERI = set("əƏğĞıİşŞçÇöÖüÜ")
_URL = re.compile(r"\(?https?://\S+|\]\([^)]*\)|www\.\S+")
_WORD = re.compile(r"[^\W\d_]{2,}")
SHARE = 0.10   # of words with the language's own letters


@dataclass
class Guess:
    lang: str
    reason: str
    sure: bool


def _cyrillic(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in word)


def detect(text: str) -> Guess | None:
    """The language of ``text``, with the evidence; None when there are too few words."""
    words = _WORD.findall(_URL.sub(" ", text))
    cyrillic = [w for w in words if _cyrillic(w)]
    latin = [w for w in words if not _cyrillic(w) and all(ch.isascii() or ch in AZERI for ch in w)]
    if len(cyrillic) + len(latin) < 4:
        return None
    total = len(cyrillic) + len(latin)
    if len(cyrillic) >= len(latin):
        share = len(cyrillic) / total
        kazakh = sum(1 for w in cyrillic if KAZAKH & set(w))
        sure = share > 0.8
        if kazakh / len(cyrillic) >= SHARE:
            return Guess("kk", f"Cyrillic text, {kazakh} of {len(cyrillic)} words with Kazakh letters", sure)
        return Guess("ru", f"Cyrillic text ({share:.0%} of words), {kazakh} of {len(cyrillic)} words "
                           "with Kazakh letters", sure)
    share = len(latin) / total
    azeri = sum(1 for w in latin if AZERI & set(w))
    schwa = sum(1 for w in latin if "ə" in w.lower())
    sure = share > 0.8
    if azeri / len(latin) >= SHARE:
        if not schwa:
            return Guess("az", f"Latin text, {azeri} of {len(latin)} words with ğ ı ş ç ö ü but none with ə: "
                               "Azerbaijani or Turkish?", False)
        return Guess("az", f"Latin text, {azeri} of {len(latin)} words with Azerbaijani letters", sure)
    return Guess("en", f"Latin text ({share:.0%} of words), {azeri} of {len(latin)} words with "
                       "Azerbaijani letters", sure)
