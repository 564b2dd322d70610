"""Citations and bibliographies: the Markdown syntax, loading references, formatting with
pandoc's citeproc (the real bundled binary, no mocks), sorting, and the problems reported."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import lxml.html
import pypandoc
import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin

from anthology import citations
from anthology.citations import (
    STYLE_DIR,
    CitationTarget,
    cited_keys,
    citations_plugin,
    load_references,
    parse_locator,
    process_article,
    process_volume,
    resolve_style,
    unused_references,
)
from anthology.citations.sources import prepared
from anthology.problems import Problems

FIXTURES = Path(__file__).parent / "fixtures" / "citations"
ARTICLE = Path("chapters/article.md")


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def md() -> MarkdownIt:
    return (MarkdownIt("commonmark").use(footnote_plugin).use(attrs_plugin, spans=True)
            .use(citations_plugin))


@pytest.fixture(scope="module")
def refs() -> dict:
    problems = Problems()
    loaded = load_references([FIXTURES / "references.json", FIXTURES / "references.yaml",
                              FIXTURES / "references.bib"], problems)
    assert not problems.items, [str(p) for p in problems.items]
    return loaded


def cites_of(md: MarkdownIt, text: str) -> list[list[dict]]:
    body = lxml.html.fragment_fromstring(md.render(text), create_parent="div")
    return [json.loads(s.get("data-cites")) for s in body.xpath("//span[@class='citation']")]


def body_of(md: MarkdownIt, text: str):
    """Parse Markdown as markdown.py will: blocks carry data-line (1-based)."""
    tokens = md.parse(text)
    for token in tokens:
        if token.map and token.nesting >= 0:
            token.attrSet("data-line", str(token.map[0] + 1))
    html = md.renderer.render(tokens, md.options, {})
    return lxml.html.fragment_fromstring(html, create_parent="div")


def text(element) -> str:
    """The visible text, white space (no-break spaces too) collapsed; word joiners and break
    opportunities (in URLs, after a range's dash) removed."""
    return " ".join(element.text_content().translate({0x200B: None, 0x2060: None}).split())


def run(md, refs, source, lang="ru", style="gost-r-7.0.5-2008-numeric", article_id="art",
        problems=None, **kwargs):
    problems = problems if problems is not None else Problems()
    style_path = resolve_style(style, lang, Path("."), problems)
    body = body_of(md, source)
    section = process_article(body, article_id, ARTICLE, lang, refs, style_path, problems, **kwargs)
    spans = [text(s) for s in body.xpath("//span[contains(@class, 'citation')][@data-cites]")]
    entries = [text(e) for e in section.xpath("div[contains(@class, 'csl-entry')]")] if section is not None else []
    return body, section, spans, entries, problems


def pandoc_itself(md_source: str, bib: list[dict], style: str, lang: str, tmp_path: Path) -> list[str]:
    """What pandoc alone prints for the same data: the entries of its reference list."""
    (tmp_path / "refs.json").write_text(json.dumps(bib, ensure_ascii=False), encoding="utf-8")
    doc = f"---\nlang: {lang}\n---\n{md_source}\n"
    out = subprocess.run([pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "html", "--citeproc",
                          "--csl", str(STYLE_DIR / style), "--bibliography", str(tmp_path / "refs.json")],
                         input=doc, capture_output=True, text=True, check=True).stdout
    tree = lxml.html.fragment_fromstring(out, create_parent="div")
    return [text(e) for e in tree.xpath("//div[contains(@class, 'csl-entry')]")]


# --------------------------------------------------------------------------- syntax


def one(md, source) -> dict:
    (cites,) = cites_of(md, source)
    (cite,) = cites
    return cite


def test_plain_citation(md):
    assert one(md, "Text [@ivanov2020].") == {
        "id": "ivanov2020", "prefix": "", "suffix": "", "locator": "", "label": "", "mode": "normal"}


@pytest.mark.parametrize("source, locator, label, suffix", [
    ("[@key, p. 45]", "45", "page", ""),
    ("[@key, pp. 33-35, 38]", "33-35, 38", "page", ""),
    ("[@key, с. 45]", "45", "page", ""),
    ("[@key, С. 45–47]", "45–47", "page", ""),
    ("[@key, 45]", "45", "page", ""),
    ("[@key, ch. 2]", "2", "chapter", ""),
    ("[@key, гл. 3]", "3", "chapter", ""),
    ("[@key, т. 2]", "2", "volume", ""),
    ("[@key, §4]", "4", "section", ""),
    ("[@key, 45-бет]", "45", "page", ""),
    ("[@key, s. 12]", "12", "page", ""),
    ("[@key, p. 4, emphasis added]", "4", "page", ", emphasis added"),
    ("[@key, {pp iv, vi-xi}]", "iv, vi-xi", "page", ""),
    ("[@key, emphasis mine]", "", "", ", emphasis mine"),
    ("[@key, 45th anniversary]", "", "", ", 45th anniversary"),
])
def test_locators(md, source, locator, label, suffix):
    cite = one(md, source)
    assert (cite["locator"], cite["label"], cite["suffix"]) == (locator, label, suffix)


def test_several_items_prefix_and_suppress_author(md):
    (cites,) = cites_of(md, "[see @a, p. 4; also -@b, гл. 3]")
    assert cites == [
        {"id": "a", "prefix": "see", "suffix": "", "locator": "4", "label": "page", "mode": "normal"},
        {"id": "b", "prefix": "also", "suffix": "", "locator": "3", "label": "chapter",
         "mode": "suppress-author"},
    ]
    assert one(md, "[-@key]")["mode"] == "suppress-author"
    assert one(md, "[см. @key, гл. 2]")["prefix"] == "см."


def test_narrative_citations(md):
    cite = one(md, "As @smith2004 says.")
    assert cite["id"] == "smith2004" and cite["mode"] == "author-in-text"
    cite = one(md, "As @doe99 [p. 33] says.")
    assert (cite["id"], cite["locator"], cite["mode"]) == ("doe99", "33", "author-in-text")


def test_keys_like_pandoc(md):
    assert one(md, "[@Иванов_2020]")["id"] == "Иванов_2020"
    assert one(md, "[@smith:2004.a-b/c]")["id"] == "smith:2004.a-b/c"
    assert one(md, "As @smith2004. Then")["id"] == "smith2004"  # final punctuation is not in the key
    assert one(md, "[@{odd key}, С. 7]")["id"] == "odd key"
    assert one(md, "[@Əliyev2020]")["id"] == "Əliyev2020"


def test_not_citations(md):
    html = md.render("Mail a@b.com or <c@d.org>, `[@code]`, [no key here], x@y.")
    assert "citation" not in html
    assert cites_of(md, "[text](http://x.org)") == []
    # `[@key](url)` is a link, whose text holds a narrative citation (as in pandoc).
    body = lxml.html.fragment_fromstring(md.render("[@key](http://y.org)"), create_parent="div")
    assert body.xpath("//a[@href='http://y.org']/span[@class='citation']/text()") == ["@key"]


def test_span_text_and_attribute(md):
    html = md.render("[see @key, ch. 2]")
    assert "<span class=\"citation\" data-cites='" in html
    assert ">[see @key, ch. 2]</span>" in html
    assert html.count("'") == 2  # quotes inside the JSON are escaped
    html = md.render("[l'auteur @key]")
    assert "&#39;" in html and cites_of(md, "[l'auteur @key]")[0][0]["prefix"] == "l'auteur"


def test_coexists_with_footnotes_spans_and_links(md):
    source = ("Text[^1] with [@a], [Президент]{.person ref=tokayev}, [a link](http://x.org),\n"
              "[@b]{.x} and [^2].\n\n[^1]: A note citing [@c, p. 3].\n[^2]: Another.\n")
    html = md.render(source)
    body = lxml.html.fragment_fromstring(html, create_parent="div")
    assert len(body.xpath("//sup[@class='footnote-ref']")) == 2
    assert body.xpath("//span[@class='person']/@ref") == ["tokayev"]
    assert body.xpath("//a[@href='http://x.org']/text()") == ["a link"]
    keys = [c[0]["id"] for c in cites_of(md, source)]
    assert keys == ["a", "b", "c"]
    # `[@b]{.x}` is an attribute span holding a narrative citation, as in pandoc.
    assert body.xpath("//span[@class='x']/span[@class='citation']")


def test_parse_locator_function():
    assert parse_locator(", p. 45, emphasis added") == ("45", "page", ", emphasis added")
    assert parse_locator(", vol. 2, p. 4") == ("2", "volume", ", p. 4")
    assert parse_locator("") == ("", "", "")


# --------------------------------------------------------------------------- loading


def test_load_json_yaml_bib_with_lines():
    problems = Problems()
    refs = load_references([FIXTURES / "references.json", FIXTURES / "references.yaml",
                            FIXTURES / "references.bib"], problems)
    assert not problems.items
    assert refs["ivanov2020"].line == 3 and refs["petrova2021"].line == 25
    assert refs["tukumov2023"].line == 3 and refs["council2024"].line == 14
    assert refs["kaliyev2022"].line == 2 and refs["kozyrev2021"].line == 11
    # CSL-YAML shorthands become CSL-JSON dates.
    assert refs["council2024"].data["accessed"] == {"date-parts": [[2024, 4, 1]]}
    assert refs["tukumov2023"].data["issued"] == {"date-parts": [[2023]]}
    # BibLaTeX through pandoc: names split, pages, booktitle → container-title.
    kozyrev = refs["kozyrev2021"].data
    assert kozyrev["type"] == "chapter"
    assert kozyrev["editor"][1] == {"family": "Nurov", "given": "Samat"}
    assert kozyrev["container-title"] == "Turkic world today"
    assert refs["kaliyev2022"].data["author"] == [{"family": "Калиев", "given": "Талгат"}]


@pytest.mark.parametrize("name, line, message", [
    ("bad.json", 3, "invalid JSON: Expecting ',' delimiter"),
    ("bad.yaml", 7, "malformed YAML: mapping values are not allowed here"),
    ("bad.bib", 11, "invalid BibTeX: unexpected '@'"),
])
def test_parse_errors_carry_lines(name, line, message):
    problems = Problems(root=FIXTURES)
    assert load_references([FIXTURES / name], problems) == {}
    (problem,) = problems.items
    assert (problem.path, problem.line, problem.severity) == (name, line, "error")
    assert problem.message.startswith(message)


def test_duplicates_and_missing_ids():
    problems = Problems(root=FIXTURES)
    refs = load_references([FIXTURES / "dup.json"], problems)
    assert list(refs) == ["twice"] and refs["twice"].data["title"] == "First"
    assert [str(p) for p in problems.items] == [
        'dup.json:3: error: reference has no "id"',
        'dup.json:4: error: duplicate reference id "twice" (first defined at dup.json:2)',
    ]


def test_duplicate_across_files_and_missing_file(tmp_path):
    (tmp_path / "a.yaml").write_text("- id: x\n  type: book\n  title: A\n", encoding="utf-8")
    (tmp_path / "b.bib").write_text("@book{y, title={B}}\n\n@book{x,\n title = {C}}\n", encoding="utf-8")
    problems = Problems(root=tmp_path)
    refs = load_references([tmp_path / "a.yaml", tmp_path / "b.bib", tmp_path / "nope.json"], problems)
    assert sorted(refs) == ["x", "y"]
    assert [str(p) for p in problems.items] == [
        'b.bib:3: error: duplicate reference id "x" (first defined at a.yaml:1)',
        "nope.json: error: bibliography file not found",
    ]


def test_unused_references(refs):
    problems = unused_references(refs, {"ivanov2020"} | set(refs) - {"petrova2021", "kaliyev2022"},
                                 root=FIXTURES)
    assert [str(p) for p in problems] == [
        'references.json:25: warning: reference "petrova2021" never cited',
        'references.bib:2: warning: reference "kaliyev2022" never cited',
    ]


# --------------------------------------------------------------------------- styles


def test_resolve_style(tmp_path):
    problems = Problems()
    assert resolve_style(None, "ru", tmp_path, problems).name == "gost-r-7-0-5-2008-numeric.csl"
    assert resolve_style(None, "kk", tmp_path, problems).name == "gost-r-7-0-5-2008-numeric.csl"
    assert resolve_style(None, "az", tmp_path, problems).name == "gost-r-7-0-5-2008-numeric.csl"
    assert resolve_style(None, "en", tmp_path, problems).name == "apa.csl"
    assert resolve_style("gost-r-7.0.5-2008", "ru", tmp_path, problems).name == "gost-r-7-0-5-2008.csl"
    assert resolve_style("chicago-author-date", "en", tmp_path, problems).name == "chicago-author-date.csl"
    assert not problems.items
    (tmp_path / "styles").mkdir()
    custom = tmp_path / "styles" / "mine.csl"
    custom.write_bytes((STYLE_DIR / "apa.csl").read_bytes())
    assert resolve_style("styles/mine.csl", "ru", tmp_path, problems) == custom.resolve()
    assert not problems.items


def test_resolve_style_problems(tmp_path):
    problems = Problems(root=tmp_path)
    default = resolve_style("harvard", "ru", tmp_path, problems)
    assert default.name == "gost-r-7-0-5-2008-numeric.csl"
    resolve_style("../outside.csl", "ru", tmp_path, problems)
    resolve_style("missing.csl", "en", tmp_path, problems)
    (tmp_path / "note.csl").write_text(
        '<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0"><citation/></style>')
    resolve_style("note.csl", "en", tmp_path, problems)
    messages = [str(p) for p in problems.items]
    assert messages[0].startswith('anthology.yaml: error: unknown citation style "harvard"')
    assert "must be a path inside the project" in messages[1]
    assert messages[2] == 'anthology.yaml: error: citation style "missing.csl" not found'
    assert messages[3].startswith("note.csl:1: error: note styles")


# --------------------------------------------------------------------------- GOST numeric, per language


def test_gost_numeric_russian(md, refs):
    _, section, spans, entries, problems = run(
        md, refs, "A [@ivanov2020, с. 45] [@petrova2021] [@orlov2022, гл. 2] [@mid2024] "
                  "[@institute2023] [@ivanov2020; @petrova2021, p. 7]", lang="ru")
    assert not problems.items
    assert spans == ["[1, с. 45]", "[2]", "[3, гл. 2]", "[4]", "[5]", "[1; 2, с. 7]"]
    assert entries == [
        "1. Иванов П. С. Каспийский транзит: история и перспективы. — М.: Наука, 2020. — 312 с.",
        "2. Петрова А. В., Сидоров О. Н. Средний коридор в логистике Евразии // Вестник "
        "евразийских исследований. — 2021. — Т. 12, № 3. — С. 45–67.",
        "3. Орлов Д. А. Энергетический диалог на Каспии // Центральная Азия и Кавказ: сборник "
        "статей / под ред. М. И. Ёлкиной. — СПб.: Восток, 2022. — С. 101–118.",
        "4. Государственный визит в Азербайджан [Электронный ресурс] // Официальный сайт "
        "примерного ведомства. — 2024. — 12 марта. — URL: https://example.org/news/visit-2024 "
        "(дата обращения: 01.04.2024).",
        "5. Институт примерных исследований. Транспортные коридоры Каспийского региона: "
        "Аналитический доклад. — Алматы: ИПИ, 2023.",
    ]


def test_gost_numeric_kazakh(md, refs):
    _, _, spans, entries, problems = run(
        md, refs, "A [@ermekov2019, 45-бет] [@nurlanova2021] [@sarym2022, б. 41] [@kisi2024] "
                  "[@kisi2023]", lang="kk")
    assert not problems.items
    # A Kazakh article cites in Kazakh terms (б. for бет), and Kazakh sources are described in Kazakh.
    assert spans == ["[1, б. 45]", "[2]", "[3, б. 41]", "[4]", "[5]"]
    assert entries == [
        "1. Әбілов Е. Қ. Түркі әлемі және Қазақстан. — Алматы: Атамұра, 2019.",
        "2. Нұрланова А. С. Қазақстан мен Әзербайжан арасындағы ынтымақтастық // Қоғам және "
        "дәуір. — 2021. — № 2. — Б. 12–20.",
        "3. Сарым А. Мәжіліс және халықаралық ынтымақтастық // Қазақстанның сыртқы саясаты: "
        "ұжымдық монография / ред. Б. Омаров. — Астана: Фолиант, 2022. — Б. 40–58.",
        "4. Сарапшылар кеңесінің үшінші отырысы [Электрондық ресурс] // Қазақстан стратегиялық "
        "зерттеулер институты. — 2024. — 14 наурыз. — URL: https://example.org/kisi/council "
        "(қаралған күні: 02.04.2024).",
        "5. Қазақстан стратегиялық зерттеулер институты. Орта дәліз: талдамалық баяндама. — "
        "Астана: ҚСЗИ, 2023.",
    ]


def test_gost_numeric_azerbaijani(md, refs):
    _, _, spans, entries, problems = run(
        md, refs, "A [@aliyev2020, s. 45] [@quliyeva2022] [@shafiyev2023, səh. 16] "
                  "[@aircenter2024] [@airreport2023]", lang="az")
    assert not problems.items
    # An Azerbaijani article cites in Azerbaijani terms (s. for səhifə); its sources in Azerbaijani.
    assert spans == ["[1, s. 45]", "[2]", "[3, s. 16]", "[4]", "[5]"]
    assert entries == [
        "1. Əliyev R. Xəzər regionunda nəqliyyat dəhlizləri. — Bakı: Elm, 2020.",
        "2. Quliyeva S. Türk Dövlətləri Təşkilatının rolu // Beynəlxalq münasibətlər jurnalı. "
        "— 2022. — C. 5, № 1. — S. 33–48.",
        "3. Şəfiyev F. Bakı və Astana: strateji tərəfdaşlıq // Türk dünyası: müasir çağırışlar "
        "/ red. E. Məmmədov. — Bakı: Elm, 2023. — S. 15–29.",
        "4. Qazaxıstan-Azərbaycan ekspert şurasının iclası [Elektron resurs] // AIR Mərkəzi. "
        "— 2024. — 20 mart. — URL: https://example.org/air/az/iclas (müraciət tarixi: 25.03.2024).",
        "5. Beynəlxalq Münasibətlərin Təhlili Mərkəzi. Orta Dəhliz: illik hesabat. — Bakı: "
        "AIR Mərkəzi, 2023.",
    ]


def test_gost_numeric_english(md, refs):
    _, _, spans, entries, problems = run(
        md, refs, "A [@smith2019a, p. 45] [@smith2019b] [@brown2018, ch. 7] [@airweb2024] "
                  "[@oecd2022]", lang="en", style="gost-r-7.0.5-2008-numeric")
    assert not problems.items
    assert spans == ["[1, p. 45]", "[2]", "[3, chap. 7]", "[4]", "[5]"]
    assert entries == [
        "1. Smith J. The Middle Corridor. — Oxford: Example University Press, 2019.",
        "2. Smith J. Caspian pipelines revisited // Journal of Eurasian Studies. — 2019. "
        "— Vol. 10, No. 2. — P. 101–115.",
        "3. Brown E. Energy transit in Central Asia // The Caspian Handbook / ed. by A. Green, "
        "S. White. — L.: Routledge, 2018. — P. 55–80.",
        "4. Expert council meets in Baku [Electronic resource] // AIR Center. — 2024. — 20 Mar. "
        "— URL: https://example.org/air/expert-council (accessed: 01.04.2024).",
        # GOST 7.11: Paris → P.; a report's number is its own element, not a subtitle.
        "5. Example Policy Institute. Trade routes across the Caspian. — P.: EPI, 2022. — No. WP-7.",
    ]


def test_gost_numeric_yaml_and_bibtex_sources(md, refs):
    _, _, spans, entries, _ = run(md, refs, "[@tukumov2023, с. 8] [@council2024] [@kaliyev2022] "
                                            "[@kozyrev2021, p. 15]", lang="ru")
    assert spans == ["[1, с. 8]", "[2]", "[3]", "[4, с. 15]"]
    assert entries == [
        "1. Тукумов Е. Транскаспийский маршрут и экспертное сообщество // Казахстан-Спектр. "
        "— 2023. — № 1. — С. 7–19.",
        "2. Третье заседание казахстанско-азербайджанского экспертного совета [Электронный "
        "ресурс] // Сайт Центра анализа. — 2024. — 15 марта. — URL: https://example.org/council-3 "
        "(дата обращения: 01.04.2024).",
        "3. Калиев Т. Этнополитика и диалог культур. — Алматы: Институт прикладных "
        "этнополитических исследований, 2022.",
        # An English source in a Russian article is described in English.
        "4. Kozyrev T. The Turkic Academy and shared heritage // Turkic world today / ed. by "
        "L. Ahmad, S. Nurov. — Ankara: Example Press, 2021. — P. 12–30.",
    ]


def test_gost_numeric_matches_pandoc_itself(md, refs, tmp_path):
    """The batch, the Lua filter and the post-format step print what pandoc alone prints from the
    same prepared data (editors in the genitive, places abbreviated) for Russian sources."""
    source = "A [@ivanov2020, с. 45] [@petrova2021] [@many2020] [@orlov2022] [@mid2024]"
    _, _, _, entries, _ = run(md, refs, source, lang="ru")
    used = ["ivanov2020", "petrova2021", "many2020", "orlov2022", "mid2024"]
    data = [prepared(refs[k].data, "ru", gost=True) for k in used]
    assert entries == pandoc_itself(source, data, "gost-r-7-0-5-2008-numeric.csl", "ru-RU", tmp_path)
    # et-al in GOST lists: four or more authors → the first one and "и др."
    assert entries[2].startswith("3. Алексеев А. и др. Коллективная статья")


def test_links_ids_and_structure(md, refs):
    body, section, _, _, _ = run(md, refs, "See [@petrova2021; @orlov2022] and @ivanov2020.",
                                 article_id="visit-2024")
    assert section.get("id") == "bib-visit-2024"
    assert section.get("class").split()[0] == "bibliography"
    ids = section.xpath("div/@id")
    assert ids == ["ref-visit-2024-petrova2021", "ref-visit-2024-orlov2022", "ref-visit-2024-ivanov2020"]
    hrefs = body.xpath("//a[@class='citation-link']/@href")
    assert hrefs == ["#ref-visit-2024-petrova2021", "#ref-visit-2024-orlov2022",
                     "#ref-visit-2024-ivanov2020"]
    # The span keeps its class and data; URLs in entries are links.
    span = body.xpath("//span[@class='citation']")[0]
    assert json.loads(span.get("data-cites"))[0]["id"] == "petrova2021"
    # Narrative citation in a numeric style: pandoc prints only "[3]"; the author is added.
    assert text(body.xpath("//span[@class='citation']")[1]) == "Иванов [3]"


def test_numbering_restarts_per_article_and_one_pandoc_run_each(md, refs):
    before = len(citations.TIMINGS)
    _, _, first, _, _ = run(md, refs, "[@orlov2022] [@ivanov2020]", article_id="one")
    _, _, second, _, _ = run(md, refs, "[@ivanov2020] [@orlov2022] [@mid2024]", article_id="two")
    assert first == ["[1]", "[2]"] and second == ["[1]", "[2]", "[3]"]
    assert len(citations.TIMINGS) == before + 2
    assert all(t < 30 for t in citations.TIMINGS)


def test_nocite(md, refs):
    _, _, spans, entries, _ = run(md, refs, "[@orlov2022]", nocite=["ivanov2020"])
    assert spans == ["[1]"]
    assert [e.split(" ")[1] for e in entries] == ["Орлов", "Иванов"]
    _, section, spans, entries, _ = run(md, refs, "No citations here.", nocite=["ivanov2020"])
    assert spans == [] and len(entries) == 1


def test_nothing_cited_returns_none(md, refs):
    _, section, _, _, problems = run(md, refs, "Plain text, a@b.com.")
    assert section is None and not problems.items


# --------------------------------------------------------------------------- author-date


def test_apa_disambiguation_2019a_2019b(md, refs):
    _, _, spans, entries, _ = run(md, refs, "A [@smith2019a, p. 45] [@smith2019b] [-@smith2019b] "
                                            "@smith2019a", lang="en", style="apa")
    assert spans == ["(Smith, 2019b, p. 45)", "(Smith, 2019a)", "(2019a)", "Smith (2019b)"]
    assert entries == [
        "Smith, J. (2019a). Caspian pipelines revisited. Journal of Eurasian Studies, 10(2), 101–115.",
        "Smith, J. (2019b). The Middle Corridor. Example University Press.",
    ]


def test_apa_is_the_english_default_and_localises_nothing_else(md, refs):
    _, _, spans, entries, _ = run(md, refs, "[see @brown2018, ch. 2] [@airweb2024] [@oecd2022]",
                                  lang="en", style=None)
    assert spans == ["(see Brown, 2018, Chapter 2)", "(Expert Council Meets in Baku, 2024)",
                     "(Example Policy Institute, 2022)"]
    assert entries == [
        "Brown, E. (2018). Energy transit in Central Asia. In A. Green & S. White (Eds.), "
        "The Caspian Handbook (pp. 55–80). Routledge.",
        "Example Policy Institute. (2022). Trade routes across the Caspian (WP-7). EPI.",
        "Expert council meets in Baku. (2024, March 20). AIR Center. "
        "https://example.org/air/expert-council",
    ]


def test_gost_author_date(md, refs):
    _, _, spans, entries, _ = run(md, refs, "[@smith2019b] [@smith2019a, с. 4] [@ivanov2020, с. 45]",
                                  style="gost-r-7.0.5-2008")
    assert spans == ["[Smith, 2019a]", "[Smith, 2019b, с. 4]", "[Иванов, 2020, с. 45]"]
    assert entries == [
        "1. Иванов П. С. Каспийский транзит: история и перспективы. М.: Наука, 2020. 312 с.",
        # The author-date GOST style writes its terms in Russian for every source (Т., С.).
        "2. Smith J. Caspian pipelines revisited // Journal of Eurasian Studies. 2019a. Т. 10. "
        "№ 2. С. 101–115.",
        "3. Smith J. The Middle Corridor. Oxford: Example University Press, 2019b.",
    ]


# --------------------------------------------------------------------------- sorting


ORDER_RU = ["Абаев", "Әбілов", "Визит", "Ежов", "Ёлкин", "Жуков", "Яковлев",
            "Brown", "Əliyev", "Smith"]


@pytest.fixture(scope="module")
def ordering_refs():
    return load_references([FIXTURES / "ordering.json", FIXTURES / "azeri.json"], Problems())


def all_cited(refs, keys):
    return " ".join(f"[@{k}]" for k in keys)


def first_word(entry: str) -> str:
    words = entry.split()
    return words[1] if words[0].rstrip(".").isdigit() else words[0].rstrip(",.")


def test_gost_alphabetical_list_cyrillic_before_latin(md, ordering_refs, tmp_path):
    keys = [k for k in ordering_refs if ordering_refs[k].data["language"] != "az" or k == "aliyev"]
    source = all_cited(ordering_refs, keys)
    _, _, _, entries, _ = run(md, ordering_refs, source, style="gost-r-7.0.5-2008")
    assert [first_word(e) for e in entries] == ORDER_RU
    # Numbers follow the new order.
    assert [e.split(".")[0] for e in entries] == [str(i) for i in range(1, 11)]
    # Same entries as pandoc's own, which puts Latin first under ru-RU.
    theirs = pandoc_itself(source, [ordering_refs[k].data for k in keys], "gost-r-7-0-5-2008.csl",
                           "ru-RU", tmp_path)
    strip = [e.split(" ", 1)[1] for e in entries]
    assert sorted(strip) == sorted(e.split(" ", 1)[1] for e in theirs)
    assert first_word(theirs[0]) in ("Brown", "Визит") and theirs != entries


def test_apa_in_a_russian_article_sorts_cyrillic_first(md, ordering_refs):
    keys = ["smith", "zhukov", "brown", "yolkin", "ezhov", "abaev"]
    _, _, _, entries, _ = run(md, ordering_refs, all_cited(ordering_refs, keys), style="apa")
    assert [first_word(e) for e in entries] == ["Абаев", "Ежов", "Ёлкин", "Жуков", "Brown", "Smith"]
    _, _, _, entries, _ = run(md, ordering_refs, all_cited(ordering_refs, keys), lang="en", style="apa")
    assert [first_word(e) for e in entries] == ["Brown", "Smith", "Абаев", "Ежов", "Ёлкин", "Жуков"]


def test_azerbaijani_collation_for_an_azerbaijani_list(md, ordering_refs):
    keys = ["zeynalov", "ismayilov", "xelilov", "ibrahimov", "huseynov", "aliyeva"]
    _, _, _, entries, _ = run(md, ordering_refs, all_cited(ordering_refs, keys), lang="az",
                              style="gost-r-7.0.5-2008")
    # Ə after E, X after H, I (dotless) before İ.
    assert [first_word(e) for e in entries] == ["Əliyeva", "Hüseynov", "Xəlilov", "Ibrahimov",
                                                "İsmayılov", "Zeynalov"]


def test_numeric_list_keeps_citation_order(md, ordering_refs):
    _, _, _, entries, _ = run(md, ordering_refs, "[@smith] [@zhukov] [@abaev]")
    assert [first_word(e) for e in entries] == ["Smith", "Жуков", "Абаев"]


# --------------------------------------------------------------------------- problems


def test_unknown_key_warning(md, refs):
    body, section, spans, entries, problems = run(md, refs, "First line.\n\nSee [@nokey] and "
                                                             "[@ivanov2020; @missing, p. 4].")
    assert spans == ["[?nokey]", "[1] [?missing]"]
    assert [str(p) for p in problems.items] == [
        'chapters/article.md:3: warning: unknown citation key "nokey"',
        'chapters/article.md:3: warning: unknown citation key "missing"',
    ]
    assert body.xpath("//span[@class='citation-unknown']/text()") == ["[?nokey]", "[?missing]"]
    assert len(entries) == 1


def test_unknown_key_error_when_strict(md, refs):
    _, section, spans, _, problems = run(md, refs, "# Title\n\n- item [@nokey]\n", strict=True)
    assert section is None and spans == ["[?nokey]"]
    assert [str(p) for p in problems.items] == [
        'chapters/article.md:3: error: unknown citation key "nokey"']


def test_cited_keys(md):
    body = body_of(md, "[@a; @b] @c [^1]\n\n[^1]: [@d]\n")
    assert cited_keys(body) == {"a", "b", "c", "d"}


# --------------------------------------------------------------------------- whole volume


def test_process_volume_numbers_across_articles(md, refs):
    one_body = body_of(md, "[@orlov2022] [@ivanov2020]")
    two_body = body_of(md, "[@ivanov2020] [@mid2024]")
    problems = Problems()
    style = resolve_style(None, "ru", Path("."), problems)
    section = process_volume([CitationTarget(one_body, "one", Path("one.md")),
                              (two_body, "two", Path("two.md"))], "ru", refs, style, problems)
    assert [text(s) for s in one_body.xpath("//span[@class='citation']")] == ["[1]", "[2]"]
    assert [text(s) for s in two_body.xpath("//span[@class='citation']")] == ["[2]", "[3]"]
    assert section.get("id") == "bib-volume"
    assert section.xpath("div/@id") == ["ref-volume-orlov2022", "ref-volume-ivanov2020",
                                        "ref-volume-mid2024"]
    assert two_body.xpath("//a/@href") == ["#ref-volume-ivanov2020", "#ref-volume-mid2024"]


def test_hand_written_cite_data_with_the_term_in_the_locator(refs):
    """docs/format.md shows `"locator": "ch. 2"` without a label: that works too."""
    body = lxml.html.fragment_fromstring(
        '<div><p data-line="4"><span class="citation" data-cites=\'[{"id": "brown2018", '
        '"prefix": "see", "locator": "ch. 2", "mode": "normal"}]\'>[see @brown2018, ch. 2]</span>'
        '</p></div>')
    problems = Problems()
    process_article(body, "a", ARTICLE, "en", refs, resolve_style("apa", "en", Path("."), problems),
                    problems)
    assert text(body) == "(see Brown, 2018, Chapter 2)" and not problems.items


def test_malformed_cite_data_is_reported(refs):
    body = lxml.html.fragment_fromstring(
        '<div><p data-line="9"><span class="citation" data-cites="not json">x</span></p></div>')
    problems = Problems()
    assert process_article(body, "a", ARTICLE, "ru", refs,
                           resolve_style(None, "ru", Path("."), problems), problems) is None
    assert [str(p) for p in problems.items] == [
        "chapters/article.md:9: error: malformed citation data: not json"]


# --------------------------------------------------------------------------- GOST corpus

# Every CSL type an analytical volume cites, described in Russian, English, Kazakh and
# Azerbaijani, with the entry GOST R 7.0.5-2008 (and GOST 7.0.12, 7.11 for places) wants for
# it, written from the standard's rules: "~" is a no-break space.
GOST_CORPUS = json.loads((FIXTURES / "gost-corpus.json").read_text(encoding="utf-8"))
INVISIBLE = {0x200B: None, 0x2060: None}  # break opportunities and word joiners


@pytest.fixture(scope="module")
def corpus_refs() -> dict:
    return {c["item"]["id"]: citations.Reference(c["item"]["id"], c["item"], FIXTURES / "gost-corpus.json", None)
            for c in GOST_CORPUS}


def entry_bodies(section) -> dict[str, str]:
    """Each entry's description (without its number), no-break spaces shown as "~"."""
    bodies = {}
    for entry in section.xpath("div[contains(@class, 'csl-entry')]"):
        body = entry.xpath("div[contains(@class, 'csl-right-inline')]")[0]
        bodies[entry.get("data-key")] = body.text_content().translate(INVISIBLE).replace("\u00a0", "~")
    return bodies


@pytest.mark.parametrize("lang", ["ru", "kk", "az", "en"])
def test_gost_corpus_each_source_in_its_own_language(md, corpus_refs, lang):
    """The entry of a source is the same in a Russian, Kazakh, Azerbaijani or English article:
    the description follows the source's language, not the volume's."""
    source = " ".join(f"[@{c['item']['id']}]" for c in GOST_CORPUS)
    _, section, _, _, problems = run(md, corpus_refs, source, lang=lang, style="gost-r-7.0.5-2008-numeric")
    assert not problems.items, [str(p) for p in problems.items]
    bodies = entry_bodies(section)
    wrong = {c["item"]["id"]: (bodies.get(c["item"]["id"]), c["expected"]) for c in GOST_CORPUS
             if bodies.get(c["item"]["id"]) != c["expected"]}
    assert not wrong, "\n\n".join(f"{key}:\n  got      {got}\n  expected {want}" for key, (got, want) in wrong.items())
    langs = {e.get("data-key"): e.get("lang") for e in section.xpath("div")}
    assert {key.split("-")[0] for key in langs} == {"ru", "en", "kk", "az"}
    assert all(langs[key] == key.split("-")[0] for key in langs)


def test_gost_corpus_covers_every_type_in_every_language():
    pairs = {(c["item"]["id"].split("-")[0], c["item"]["type"]) for c in GOST_CORPUS}
    types = {"book", "chapter", "article-journal", "article-newspaper", "webpage", "report", "speech",
             "thesis", "dataset"}
    for lang in ("ru", "en", "kk", "az"):
        assert {t for l, t in pairs if l == lang} >= types, lang
        assert {t for l, t in pairs if l == lang} & {"legislation", "treaty"}, lang


def test_gost_in_text_spacing_ranges_and_locators(md, corpus_refs):
    keys = [c["item"]["id"] for c in GOST_CORPUS][:8]
    source = " ".join(f"[@{k}]" for k in keys) + (
        f" [@{keys[6]};@{keys[7]}] [@{keys[0]}; @{keys[1]}; @{keys[2]}; @{keys[4]}] [@{keys[0]}, с. 45]"
        f" [@{keys[1]}, 45-47; @{keys[3]}]")
    body, _, _, _, _ = run(md, corpus_refs, source, lang="ru")
    spans = [s.text_content() for s in body.xpath("//span[@class='citation']")][8:]
    # With a locator, GOST separates the items by «;»: a page is never read as another item's number.
    assert spans == ["[7, 8]", "[1–3, 5]", "[1,\u00a0с.\u00a045]", "[2,\u00a0с.\u00a045–47; 4]"]


def test_gost_urls_break_only_after_a_slash_or_before_a_dot(md, corpus_refs):
    _, section, _, _, _ = run(md, corpus_refs, "[@kk-web]", lang="ru")
    (link,) = section.xpath(".//a[starts-with(@href, 'http')]")
    assert link.get("href") == "https://sayasat-sholuy.kz/kk/analytics/2024/03/memlekettik-sapar"
    assert link.text == ("https://\u2060sayasat-\u2060sholuy\u200b.kz/\u200bkk/\u200banalytics/\u200b2024/\u200b03/"
                         "\u200bmemlekettik-\u2060sapar")


def test_apa_in_a_russian_article_writes_russian_and_cites_in_the_lists_order(md, refs, corpus_refs):
    """APA follows each source's language; its Russian is as a Russian text writes it."""
    both = {**refs, **corpus_refs}
    _, _, spans, entries, _ = run(md, both, "[@smith2019b; @ru-web; @brown2018, p. 4; @ru-chapter, с. 113] "
                                            "[@ru-book]", lang="ru", style="apa")
    # In the text, the items in the order of the list (Cyrillic first in Russian), not pandoc's.
    assert spans[0] == ("(Гасанова, 2023, с. 113; Государственный визит Президента Казахстана в "
                        "Азербайджан, 2024; Brown, 2018, с. 4; Smith, 2019)")
    assert [e.split(" ")[0] for e in entries] == ["Гасанова,", "Государственный", "Иванов,", "Brown,", "Smith,"]
    assert "(с. 112–134)" in entries[0]  # not «сс.»
    assert "(2024, 12 марта)" in entries[1]  # not «(2024, март 12)»
    assert "(2-е изд.)" in entries[2]  # not «2-я изд.»
    assert "In A. Green & S. White (Eds.), The Caspian Handbook (pp. 55–80)" in entries[3]  # English for an English source


def test_source_language_from_the_field_or_else_the_text():
    from anthology.citations.sources import source_language
    assert source_language({"language": "az-Latn-AZ", "title": "Title"}, "ru") == "az"
    assert source_language({"language": "English", "title": "Заглавие"}, "ru") == "en"
    assert source_language({"language": "English (US)", "title": "A title"}, "ru") == "en"  # not a tag: the text decides
    assert source_language({"title": "Қазақ-әзербайжан байланыстары"}, "ru") == "kk"
    assert source_language({"title": "Xəzər regionu"}, "ru") == "az"
    assert source_language({"title": "Средний коридор"}, "en") == "ru"
    assert source_language({}, "kk") == "kk"
