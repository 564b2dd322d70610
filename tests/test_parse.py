"""The parse stage alone: an article's Markdown → the HTML fragment later stages rely on (docs/format.md)."""

from __future__ import annotations

from anthology import Problems
from anthology.load import load_article
from anthology.parse import parse_article

from conftest import small_volume

ARTICLE = """---
title: Проба
---

Первый абзац со ссылкой [@example2024, с. 5] и примечанием[^n].

![Схема маршрута](images/map.png)

| a | b |
|---|---|
| 1 | 2 |

<p onclick="x()">Сырой HTML</p>

[^n]: Текст примечания.
"""


def parsed(tmp_path, text=ARTICLE):
    root = small_volume(tmp_path / "v")
    (root / "chapters" / "images").mkdir()
    from PIL import Image
    Image.new("RGB", (40, 20), "white").save(root / "chapters" / "images" / "map.png")
    path = root / "chapters" / "03-probe.md"
    path.write_text(text, encoding="utf-8")
    problems = Problems(root=root)
    article = load_article(path, root, "ru", problems)
    return parse_article(article, root, problems), problems


def test_blocks_carry_their_source_lines_and_ids(tmp_path):
    result, _ = parsed(tmp_path)
    body = result.body
    first = body.find("p")
    assert first.get("data-line") == "5" and first.get("id") == "a03-probe-b1"
    assert body.find(".//table").get("data-line") == "9"


def test_citations_footnotes_and_figures_follow_the_conventions(tmp_path):
    result, _ = parsed(tmp_path)
    body = result.body
    citation = body.find(".//span[@class='citation']")
    assert citation is not None and "example2024" in citation.get("data-cites")
    call = body.find(".//a[@class='footnote-ref']")
    assert call.get("href") == "#fn-a03-probe-1"
    assert body.find(".//section[@class='footnotes']//li").get("id") == "fn-a03-probe-1"
    figure = body.find(".//figure")
    assert figure.find(".//img").get("alt") == "Схема маршрута" and figure.find("figcaption") is not None
    assert set(result.images) == {"images/map.png"}


def test_raw_html_is_sanitized_with_a_located_warning(tmp_path):
    result, problems = parsed(tmp_path)
    assert result.body.find(".//p[@onclick]") is None
    assert [(p.line, p.severity) for p in problems if "onclick" in p.message] == [(13, "warning")]
