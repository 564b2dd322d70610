"""Language tags as the user writes them (`lang:` in YAML, `lang="…"` in an article): BCP 47, well
formed and naming a language ICU knows, since the EPUB declares them and hyphenation, collation and
typography follow them. ICU (PyICU, already used for collation) parses the tag."""

from __future__ import annotations

from functools import lru_cache

import icu

# Country codes written where a language was meant, for the ones that are not languages themselves.
COUNTRY_NOT_LANGUAGE = {
    "kz": "kk", "ua": "uk", "by": "be", "cz": "cs", "dk": "da", "gr": "el", "jp": "ja", "cn": "zh",
    "ir": "fa", "il": "he", "vn": "vi", "rs": "sr", "tj": "tg", "gb": "en", "us": "en",
}


@lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    return frozenset(icu.Locale.getISOLanguages())


def language_problem(tag: str) -> str | None:
    """What is wrong with `tag` as the language of a text (`kz`: did you mean 'kk'?), or None."""
    try:
        builder = icu.LocaleBuilder()
        builder.setLanguageTag(tag)
        language = builder.build().getLanguage()  # canonical: `kaz` and `aze` become `kk` and `az`
    except icu.ICUError:
        return f"'{tag}' is not a language tag (BCP 47, such as ru, kk, az-Latn, en-GB)"
    primary = tag.split("-")[0].lower()
    if language in _languages() and language == primary:
        return None
    if language in _languages():  # the stages read the first subtag, so it must be the canonical one
        return f"'{tag}': write the language as '{language}'"
    close = COUNTRY_NOT_LANGUAGE.get(primary)
    hint = f"; did you mean '{close}'?" if close else ""
    return f"'{tag}' does not name a known language{hint}"
