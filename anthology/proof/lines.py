"""Faults of single lines: spacing, width and hyphenation."""

from __future__ import annotations

import re

from ..model import Line, ProofSettings
from ..names import is_surely_a_name

WORD = re.compile(r"[^\W\d_]+")


def loose(line: Line, settings: ProofSettings) -> str | None:
    """A justified line whose word spaces stretch past the threshold (the last line of a block is
    set ragged, so it never is)."""
    if not (line.justified and not line.last_in_block and line.spaces and line.space):
        return None
    ratio = (line.space + line.extra) / line.space
    if ratio > settings.loose_space:
        return f"word spaces {ratio:.1f}× the normal space (at most {settings.loose_space:g}×)"
    return None


def tight(line: Line, settings: ProofSettings) -> str | None:
    """A line whose word spaces are squeezed below the threshold (by a settled paragraph's
    negative word-spacing, or the designer's): the words run together."""
    if not (line.spaces and line.space):
        return None
    ratio = (line.space + line.extra) / line.space
    if ratio < settings.tight_space:
        return f"word spaces {ratio:.2f}× the normal space (at least {settings.tight_space:g}×)"
    return None


def short(line: Line, settings: ProofSettings) -> str | None:
    """A line of a justified paragraph, not its last, that fills only part of the measure: a word
    broken off alone, so the line cannot be justified."""
    if not (line.justified and not line.last_in_block and line.available):
        return None
    share = line.width / line.available
    if share < settings.short_line:
        return f"fills {share:.0%} of the measure in a justified paragraph"
    return None


def overfull(line: Line, settings: ProofSettings) -> str | None:
    """A line wider than the room it has: it sticks out into the margin."""
    excess = line.width - line.available
    if excess > settings.overfull:
        return f"{excess:.1f} pt wider than the text block"
    return None


CHECKS = {"loose-line": loose, "tight-line": tight, "short-line": short, "overfull-line": overfull}


def broken_word(line: Line, following: Line | None) -> str:
    """The word a hyphenated line breaks, whole, as the hyphenation dictionary is given it (the last
    part of a compound: «Касым-Жомарта» → «Жомарта»)."""
    head = line.text.rstrip("\u2010-").split()[-1] if line.text.split() else ""
    head = "".join(WORD.findall(re.split(r"[-\u2011/]", head)[-1])[-1:])
    tail = WORD.match(following.text.lstrip()) if following is not None and following.text.strip() else None
    return head + (tail.group() if tail else "")


def hyphenated_name(before: Line, after: Line) -> str | None:
    """A person's name broken across two lines: a mention of the index (the build keeps those
    whole, so this finds what slipped through), or a word that surely is a name but no one in the
    registry's (add the person)."""
    word = broken_word(before, after) if before.hyphenated else ""
    if not word:
        return None
    if before.name_at_end and word[:1].isupper():
        return f"the name «{word}» is hyphenated"
    if is_surely_a_name(word):
        return f"«{word}» is surely a person's name and is hyphenated: add the person to the registry"
    return None


SENTENCE_END = re.compile(r"[.!?…][»”’)\]]*$")


def hyphenated_capital(before: Line, after: Line) -> str | None:
    """A capitalised word that does not begin a sentence (the name of a place, a country, an
    organisation) broken across two lines; people's names are `hyphenated_name`'s."""
    word = broken_word(before, after) if before.hyphenated and not before.name_at_end else ""
    words = before.text.split()
    if not word[:1].isupper() or is_surely_a_name(word) or len(words) < 2 or SENTENCE_END.search(words[-2]):
        return None
    return f"the capitalised word «{word}» is hyphenated"
