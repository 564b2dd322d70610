"""What one word is: Cyrillic or not, a lowercase particle inside a name, and its analysis."""

from __future__ import annotations

from functools import lru_cache

#: Initials written with two letters (Дж. for Джон, Sh. for Shamil).
DIGRAPH_INITIALS = ("Дж", "Ch", "Sh", "Zh", "Kh", "Yu", "Ya")


def is_cyrillic(text: str) -> bool:
    """True if ``text`` has any Cyrillic letter."""
    return any("\u0400" <= char <= "\u04ff" for char in text)


def is_particle(word: str) -> bool:
    """True for a lowercase word inside a name (оглы, van)."""
    return word[:1].islower()


@lru_cache(maxsize=1)
def morph():
    """The pymorphy3 analyser, loaded on first use: it takes a while and not every run needs it."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()
