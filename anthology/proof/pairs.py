"""What a line break must not part: a number from its unit or sign, an initial from its surname,
the two ends of a range, a citation's brackets."""

from __future__ import annotations

import re

from ..model import Line

UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁӘҒҚҢӨҰҮҺІƏĞİŞÇ"
SIGNS = r"(?:№|§|[СсТтPpVv]\.|[Pp]p\.|[Vv]ol\.|[Сс]т\.|[Рр]ис\.|[Тт]абл\.|[Гг]л\.|[Пп]\.|No\.)"
UNITS = r"(?:[сc]\.|стр\.|[гр]\.|гг\.|вв?\.|млн|млрд|тыс\.|трлн|экз\.|%|‰|°|[кмc]?м\b|км|кг|т\b|pp?\.|bn\b|mln\b|km\b|kg\b)"
RULES = [
    ("a number parted from its unit", re.compile(r"\d$"), re.compile(rf"^{UNITS}")),
    ("a sign parted from its number", re.compile(rf"(?:^|\s){SIGNS}$"), re.compile(r"^\d")),
    ("an initial parted from the name", re.compile(rf"(?:^|[\s(])(?:Дж|Sh|Ch|Zh|Kh|[{UPPER}])\.$"), re.compile(rf"^[{UPPER}]")),
    ("a range broken after its dash", re.compile(r"\d\s?[–—-]$"), re.compile(r"^\d")),
    ("a citation broken inside its brackets", re.compile(r"\[[^\]]*$"), re.compile(r"^[^\[]*\]")),
]


def parted(before: Line, after: Line) -> str | None:
    """What the break between two lines of one block parts, if anything."""
    if before.hyphenated or before.block != after.block:
        return None
    end, start = before.text.rstrip(), after.text.lstrip()
    for what, ends, starts in RULES:
        if ends.search(end) and starts.search(start):
            return what
    return None
