"""The enrich stage alone: names, citations and typography on each article, with its cache."""

from __future__ import annotations

import json

from lxml.etree import tostring

from anthology import Problems, load_volume
from anthology.enrich import cache, enrich_volume
from anthology.provenance import seal

from conftest import small_volume


def test_mentions_citations_and_typography(tmp_path):
    volume = load_volume(small_volume(tmp_path / "v"), Problems())
    enriched = enrich_volume(volume, Problems())
    first = enriched.articles["a01-first"]
    assert {m.person_id for m in enriched.mentions} == {"abai"}
    assert len(enriched.mentions) == 2  # «Абай Кунанбаев» and, in another case, «Абая Кунанбаева»
    assert first.bibliography is not None and "Петров" in first.bibliography.text_content()
    text = first.parsed.body.text_content()
    assert "\u00a0— " in text  # typography: a no-break space before the dash


def test_unchanged_articles_come_from_the_cache(tmp_path):
    volume = load_volume(small_volume(tmp_path / "v"), Problems())
    folder = tmp_path / "cache"
    cold = enrich_volume(volume, Problems(), folder=folder)
    entries = sorted(folder.glob("*.json"))
    assert len(entries) == 2
    for entry in entries:  # a hit is read from the entry: change one, sealed as the cache seals it, to see it used
        sealed = json.loads(entry.read_text(encoding="utf-8"))
        sealed["entry"] = sealed["entry"].replace("Петров", "Сидоров")
        sealed["digest"] = seal(cache.CACHE, entry.stem, sealed["entry"])
        entry.write_text(json.dumps(sealed), encoding="utf-8")
    warm = enrich_volume(volume, Problems(), folder=folder)
    assert "Сидоров" in warm.articles["a01-first"].bibliography.text_content()
    article = volume.articles()[0]
    article.path.write_text(article.path.read_text(encoding="utf-8") + "\nЕщё абзац.\n", encoding="utf-8")
    edited = enrich_volume(load_volume(volume.root, Problems()), Problems(), folder=folder)
    assert "Петров" in edited.articles["a01-first"].bibliography.text_content()  # enriched again
    assert cold.articles.keys() == edited.articles.keys()


def test_an_article_from_the_cache_is_the_article_enriched_again(tmp_path):
    """Every element as it was, to its white space: an empty list item (a line «2022.» that
    Markdown makes a list) once came back from the cache with the line break after it as its text,
    so the chunk holding it differed from a build from nothing and was laid out again."""
    root = small_volume(tmp_path / "v")
    article = load_volume(root, Problems()).articles()[0]
    article.path.write_text(article.path.read_text(encoding="utf-8") + "\n2022.\n\n1.\n  - \n\nКонец.\n",
                            encoding="utf-8")
    volume = load_volume(root, Problems())
    folder = tmp_path / "cache"
    fresh = enrich_volume(volume, Problems(), folder=folder)
    cached = enrich_volume(volume, Problems(), folder=folder)
    for key, enriched in fresh.articles.items():
        assert tostring(cached.articles[key].parsed.body) == tostring(enriched.parsed.body)
        assert type(cached.articles[key].parsed.body) is type(enriched.parsed.body)
        cached.articles[key].parsed.body.set("epub:type", "chapter")  # an HTML tree, as the EPUB stage needs
    assert b"<li" in tostring(fresh.articles[article.id].parsed.body)


def test_the_cache_key_covers_the_code(tmp_path, monkeypatch):
    volume = load_volume(small_volume(tmp_path / "v"), Problems())
    before = cache.inputs_key(volume, False)
    assert cache.inputs_key(volume, True) != before
    monkeypatch.setattr(cache, "code_digest", lambda: "other code")
    assert cache.inputs_key(volume, False) != before  # other code, another key
