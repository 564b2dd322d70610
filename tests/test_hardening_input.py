"""Hostile or broken input, second round (#18): what the user wrote gives `path:line: error: …`, exit
1, no traceback, earlier outputs untouched; and whatever `check` accepts, `build` builds."""

from __future__ import annotations

import lxml.html
import pytest

from anthology.enrich import typography


# --- 9. typography on long runs --------------------------------------------------------------------------


def typeset(text: str, lang: str = "ru") -> str:
    body = lxml.html.fragment_fromstring("<p></p>", create_parent="div")
    body[0].text = text
    typography.apply(body, lang)
    return body[0].text


def test_a_paragraph_of_200_000_letters_is_typeset_correctly():
    word = "а" * 200_000
    assert typeset(word) == word
    text = typeset(f'"{word}" - см. ivan.petrov@mail.example - {word}@x - и т. д.')
    assert text.startswith("«" + word + "»\u00a0— см.")
    assert "ivan.petrov@mail.example" in text  # an address is left as it is
    assert text.endswith(f"{word}@x\u00a0— и\u00a0т.\u00a0д.")


@pytest.mark.parametrize("text, expected", [
    ("§" * 50_000 + " 5", "§" * 50_000 + "\u00a05"),  # a sign before a number keeps it
    ("ISO" + " " * 50_000 + "x - y", "ISO" + " " * 50_000 + "x\u00a0— y"),
    ("ISO-9001 - ISO 9001:2015", "ISO-9001\u00a0— ISO 9001:2015"),  # a standard's number is left alone
    ("Слово" * 20_000 + " А. Б. Иванов", "Слово" * 20_000 + "\u00a0А.\u00a0Б.\u00a0Иванов"),
    ("1" * 50_000 + " - 2", "1" * 50_000 + " - 2"),  # a spaced hyphen between numbers may be a minus
])
def test_long_runs_keep_the_rules(text, expected):
    assert typeset(text) == expected
