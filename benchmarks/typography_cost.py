"""What the typography stage costs as its input grows: it must grow linearly.

    .venv/bin/python benchmarks/typography_cost.py

Prints the seconds `anthology.enrich.typography.apply` takes on one paragraph of 10,000, 40,000
and 160,000 letters with no space (the input that once made its e-mail pattern backtrack
quadratically), and on a normal article of about 1 MB (the sample volume's articles, repeated),
with the time per 10,000 characters, which should stay about the same from row to row.
"""

from __future__ import annotations

import time
from pathlib import Path

import lxml.html

from anthology.enrich import typography
from anthology.parse import parser

ROOT = Path(__file__).resolve().parent.parent
FRONT_MATTER_END = "\n---\n"


def letters(count: int) -> str:
    return "<p>" + "а" * count + "</p>"


def normal_article(size: int = 1_000_000) -> str:
    """The sample volume's article bodies, repeated to `size` bytes of Markdown, as HTML."""
    bodies = [path.read_text(encoding="utf-8").split(FRONT_MATTER_END, 1)[-1]
              for path in sorted((ROOT / "chapters").glob("*.md"))]
    text = "\n\n".join(bodies)
    copies = size // len(text.encode("utf-8")) + 1
    return parser().render("\n\n".join([text] * copies))


def seconds(html: str) -> float:
    body = lxml.html.fragment_fromstring(html, create_parent="div")
    started = time.perf_counter()
    typography.apply(body, "ru")
    return time.perf_counter() - started


def main() -> None:
    cases = [(f"{n:,} letters, no space", letters(n), n) for n in (10_000, 40_000, 160_000)]
    article = normal_article()
    cases.append(("a normal article, 1 MB", article, len(lxml.html.fromstring(article).text_content())))
    print(f"{'input':<28}{'characters':>12}{'seconds':>10}{'s per 10k':>11}")
    for name, html, characters in cases:
        spent = seconds(html)
        print(f"{name:<28}{characters:>12,}{spent:>10.2f}{spent / characters * 10_000:>11.4f}")


if __name__ == "__main__":
    main()
