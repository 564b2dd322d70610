"""The index of names: registry checks, mentions in every form, marks, ambiguity, the index."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from anthology.names import (
    WOMAN,
    Mention,
    ambiguity_message,
    Registry,
    annotate,
    build_index,
    candidates,
    load_registry,
)
from anthology.problems import Problems

FIXTURES = Path(__file__).parent / "fixtures" / "names"
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def registry() -> Registry:
    problems = Problems()
    registry = load_registry(FIXTURES / "people.yaml", problems)
    assert problems.items == []
    return registry


def body(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(f'<div class="article-body">{html}</div>')


def found(registry: Registry, text: str) -> list[tuple[str | None, str]]:
    """(person, matched text) for each mention in one paragraph of plain text."""
    mentions = annotate(body(f'<p data-line="1">{text}</p>'), "a", registry)
    return [(mention.person_id, mention.text) for mention in mentions]


def registry_from(tmp_path: Path, text: str) -> tuple[Registry, Problems]:
    path = tmp_path / "people.yaml"
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    return load_registry(path, problems), problems


# ---------------------------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------------------------

def test_registry_loads_people_with_their_lines(registry):
    tokayev = registry.people["tokayev"]
    assert tokayev.heading == "Токаев, Касым-Жомарт"
    assert tokayev.forms == ["Tokayev, Kassym-Jomart", "Тоқаев, Қасым-Жомарт"]
    assert tokayev.see_also == ["aliyev"] and tokayev.gender == "male" and tokayev.line == 2
    assert registry.people["tokaev-kk"].is_cross_reference
    assert registry.resolve("tokaev-kk") == "tokayev"


def test_every_registry_problem_is_reported_with_its_line():
    problems = Problems()
    registry = load_registry(FIXTURES / "invalid.yaml", problems)
    got = {(p.line, p.code, p.message) for p in problems.items}
    expected = [
        (3, "unknown-key", "unknown key 'heding' (did you mean 'heading'?)"),
        (4, "missing-key", "entry has no 'id'"),
        (5, "missing-key", "entry has no 'heading'"),
        (6, "duplicate-id", "duplicate id 'tokayev' (first defined at line 1)"),
        (8, "unknown-ref", "see_also: 'tokayv' is not an id in this registry (did you mean 'tokayev'?)"),
        (11, "unknown-ref", "see: 'nobody-here' is not an id in this registry"),
        (16, "invalid", "gender must be 'male' or 'female', not 'm'"),
        (19, "invalid", "'forms' must be a list, e.g. forms: [a, b]"),
        (21, "unknown-key", "unknown key 'name' (did you mean 'heading'?)"),
        (22, "unknown-ref", "see: 'self' points at the entry itself"),
        (25, "see-chain", "see: 'xref' is itself a cross-reference (see: nobody-here); point at the person"),
        (30, "invalid", "each entry must be a mapping with at least 'id' and 'heading'"),
        (31, "invalid", "id 'bad id!' may contain only letters, digits, '-', '_' and '.'"),
        (35, "invalid", "duplicate key 'heading' (first at line 34)"),
    ]
    for item in expected:
        assert item in got, item
    assert any(line == 28 and "must look like 'Surname, Given names'" in message for line, _, message in got)
    assert all(p.severity == "error" and p.path.endswith("invalid.yaml") for p in problems.items)
    assert [p.line for p in problems.items] == sorted(p.line for p in problems.items)
    # The good entries are still there, so the rest of the volume can be checked too.
    assert registry.people["tokayev"].heading == "Токаев, Касым-Жомарт"
    assert "half" not in registry.people and "alias" not in registry.people


def test_malformed_yaml_is_one_problem_with_a_line():
    problems = Problems()
    registry = load_registry(FIXTURES / "malformed.yaml", problems)
    assert registry.people == {}
    [problem] = problems.items
    assert problem.code == "yaml" and problem.line == 4
    assert problem.message == "malformed YAML: expected ',' or ']', but got ':'"


def test_registry_must_be_a_list(tmp_path):
    registry, problems = registry_from(tmp_path, "tokayev:\n  heading: Токаев, Касым-Жомарт\n")
    assert registry.people == {}
    assert [(p.line, "must be a list" in p.message) for p in problems.items] == [(1, True)]


def test_missing_registry_file_is_a_problem(tmp_path):
    problems = Problems()
    assert load_registry(tmp_path / "nope.yaml", problems).people == {}
    assert problems.errors and problems.errors[0].code == "io"


def test_cross_reference_with_forms_is_warned(tmp_path):
    _, problems = registry_from(tmp_path, "- id: a\n  heading: А, Б\n- id: b\n  heading: В, Г\n"
                                          "  see: a\n  forms: [\"Д, Е\"]\n")
    assert [(p.severity, p.line, p.code) for p in problems.items] == [("warning", 3, "cross-reference")]


# ---------------------------------------------------------------------------------------------
# Mentions in every form
# ---------------------------------------------------------------------------------------------

FORMS = {
    "tokayev": [
        "Токаев", "Токаева", "Токаеву", "Токаевым", "Токаеве",
        "Касым-Жомарт Токаев", "Касым-Жомарта Токаева", "Касыма-Жомарта Токаева", "Касым-Жомарту Токаеву",
        "Касымом-Жомартом Токаевым", "Касым-Жомартом Токаевым", "Касым-Жомарте Токаеве",
        "К.-Ж. Токаев", f"К.-Ж.{NBSP}Токаеву", "К.-Ж.Токаева", "К. Токаев", f"К.{NBSP}Токаевым", "К.Токаеве",
        "Токаев К.-Ж.", "Токаева К.-Ж.",
        # Kazakh, from the registry's Kazakh form, and suffixes on the Russian spelling too
        "Тоқаев", "Тоқаевтың", "Тоқаевқа", "Тоқаевты", "Тоқаевпен", "Тоқаевта", "Тоқаевтан",
        "Қасым-Жомарт Тоқаевтың", "Қ.-Ж. Тоқаевқа", "Токаевтың",
        # Azerbaijani and English, from the Latin form
        "Tokayev", "Tokayevin", "Tokayevə", "Tokayevi", "Tokayevdə", "Tokayevdən", "Tokayevlə",
        "Tokayev's", "Tokayev\u2019s", "Kassym-Jomart Tokayev", "Kassym-Jomart Tokayev's", "K.-J. Tokayev",
    ],
    "bayel": [
        "Байель", "Байеля", "Байелю", "Байелем", "Байеле", "Алим Байель", "Алима Байеля",
        "Алимом Байелем", "А. Байель", f"А.{NBSP}Байелю", "А.Байеле", "Байельдің", "Байельге",
    ],
    "sarym": ["Сарым", "Сарыма", "Сарыму", "Сарымом", "Сарыме", "Айдос Сарым", "Айдоса Сарыма", "А. Сарымом",
              "Сарымның", "Сарымға", "Сарымды", "Сарымда", "Сарымнан", "Сарыммен"],
    "shafiyev": ["Шафиев", "Шафиева", "Шафиеву", "Шафиевым", "Шафиеве", "Фарид Шафиев", "Фариду Шафиеву",
                 "Ф. Шафиевым", "Şəfiyev", "Şəfiyevin", "Şəfiyevə", "Fərid Şəfiyevlə", "Shafiyev's"],
    "kaliyev": ["Калиев", "Калиева", "Калиеву", "Калиевым", "Калиеве", "Талгат Калиев", "Талгатом Калиевым",
                "Т. Калиеве"],
    "tukumov": ["Тукумов", "Тукумова", "Тукумову", "Тукумовым", "Тукумове", "Еркина Тукумова", "Е. Тукумову",
                "Тукумовтың", "Тукумовқа"],
    "kozyrev": ["Козырев", "Козырева", "Козыреву", "Козыревым", "Козыреве", "Тимуру Козыреву", "Т. Козырев"],
    "aliyev": ["Алиев", "Алиева", "Алиеву", "Алиевым", "Алиеве", "Ильхам Алиев", "Ильхамом Алиевым", "И. Алиеве",
               "Əliyev", "Əliyevin", "Əliyevə", "Əliyevi", "Əliyevdə", "Əliyevdən", "Əliyevlə", "İlham Əliyevin",
               "Aliyev's", "Ilham Aliyev"],
    "nurlanova": ["Нурланова", "Нурлановой", "Нурланову", "Айгерим Нурланова", "Айгерим Нурлановой",
                  "А. Нурлановой", "Нурлановаға", "Нурлановамен"],
    "shevchenko": ["Шевченко", "Ольга Шевченко", "Ольги Шевченко", "Ольгой Шевченко", "О. Шевченко"],
    "chernykh": ["Черных", "Ивана Черных", "Иваном Черных", "И. Черных"],
    "kurmangazy": ["Курмангазы"],
    "yolkin": ["Ёлкин", "Елкин", "Ёлкиным", "Петра Ёлкина", "Петром Елкиным", "П. Ёлкину"],
}


@pytest.mark.parametrize("person,form", [(person, form) for person, forms in FORMS.items() for form in forms])
def test_every_form_is_one_mention(registry, person, form):
    assert found(registry, f"Слова ({form}) в тексте.") == [(person, form)]


# Names that exercise the other rules: patronymics, particles, double, adjectival, indeclinable
# and -а/-я surnames, names without a comma.
RULE_FORMS = {
    "putin": ["Путин", "Путиным", "Владимир Путин", "Владимира Путина", "Владимиром Владимировичем Путиным",
              "В. В. Путину", "В.В. Путина", "Путина В. В.", "Владимир Владимирович", "Владимира Владимировича",
              "Путинге", "Путинде"],
    "heydar": ["Гейдар Алиев", "Гейдара Алиева", "Гейдаром Ализа оглы Алиевым", "Г. А. Алиеву", "Алиевтің"],
    "rimsky": ["Римский-Корсаков", "Римского-Корсакова", "Николаем Римским-Корсаковым", "Н. Римскому-Корсакову"],
    "dolgikh": ["Долгих", "Марии Долгих", "Марией Долгих", "М. Долгих"],
    "kovalevskaya": ["Ковалевская", "Ковалевской", "Ковалевскую", "Софьей Ковалевской", "С. Ковалевской"],
    "okudzhava": ["Окуджава", "Окуджавы", "Окуджаве", "Окуджаву", "Окуджавой", "Булата Окуджавы"],
    "tsoi": ["Цой", "Цоя", "Цою", "Цоем", "Цое", "Виктора Цоя"],
    "tolstoy": ["Толстой", "Толстого", "Толстому", "Толстым", "Толстом", "Льва Толстого", "Л. Толстым"],
    "gorky": ["Горький", "Горького", "Горькому", "Горьким", "Горьком", "Максима Горького"],
    "beria": ["Берия", "Берии", "Берию", "Берией", "Лаврентия Берии"],
    "gaulle": ["де Голль", "де Голля", "Шарля де Голля", "Ш. де Голлем"],
    "bush": ["Буш", "Буша", "Бушем", "Дж. Буш", "Джорджа Буша", "Д. Бушу"],
    "biruni": ["Абу Райхан Бируни", "Абу Райхан Бирунидің"],
    "gogh": ["Vincent van Gogh", "van Gogh's", "V. van Gogh"],
    "sharipova": ["Şərifova", "Şərifovanın", "Şərifovaya", "Aynur Şərifovayla"],
}


@pytest.fixture(scope="module")
def rules_registry() -> Registry:
    problems = Problems()
    registry = load_registry(FIXTURES / "rules.yaml", problems)
    assert problems.items == []
    return registry


@pytest.mark.parametrize("person,form", [(p, form) for p, forms in RULE_FORMS.items() for form in forms])
def test_every_rule_gives_its_forms(rules_registry, person, form):
    assert found(rules_registry, f"Слова ({form}) в тексте.") == [(person, form)]


def test_genitive_in_ina_of_a_man_is_also_reported(rules_registry):
    assert annotate(body("<p>Визит Путина</p>"), "a", rules_registry)[0].ambiguous_with == ("putin", WOMAN)
    # a woman's -ая surname and an indeclinable one give no such doubt
    assert [m.ambiguous_with for m in annotate(body("<p>Ковалевской и Долгих</p>"), "a", rules_registry)] == [(), ()]


def test_kazakh_suffixes_follow_vowel_harmony_and_the_last_sound(registry):
    # back vowel after a voiceless stem; back vowel after a nasal; front after a sonorant
    assert found(registry, "Тоқаевке Сарымтың Байельдың") == []


@pytest.mark.parametrize("text", [
    "Калиевский район", "Токаевщина", "токаев", "ТОКАЕВ", "Сарымов", "Байельский", "Tokayevsky",
    "Касым-Жомартов", "1Токаев",
])
def test_names_inside_other_words_or_lowercase_are_not_mentions(registry, text):
    assert found(registry, text) == []


def test_longest_form_wins(registry):
    assert found(registry, "Касым-Жомарт Токаев и Алим Байель") == [
        ("tokayev", "Касым-Жомарт Токаев"), ("bayel", "Алим Байель")]
    assert found(registry, "Касым-Жомарт\nТокаев") == [("tokayev", "Касым-Жомарт\nТокаев")]


def test_names_split_by_punctuation_are_separate(registry):
    assert found(registry, "Алим, Байель и Токаев: Сарым") == [
        ("bayel", "Байель"), ("tokayev", "Токаев"), ("sarym", "Сарым")]


def test_someone_else_with_a_registered_surname_is_not_indexed(registry):
    # Other initials, or another given name, mean another person of the same surname.
    assert found(registry, "С. Токаев и Ильхам Токаев, но Президент Токаев") == [("tokayev", "Токаев")]


# ---------------------------------------------------------------------------------------------
# Where mentions are not looked for, and explicit marks
# ---------------------------------------------------------------------------------------------

def test_no_mentions_in_code_links_citations_or_noindex(registry):
    html = ('<p data-line="2"><code>Токаев</code> <a href="#x">Токаева</a> '
            '<span class="citation" data-cites="[]">[@tokayev, Токаев]</span> '
            '<span class="noindex">Токаев</span> <em>Токаеву</em></p><pre>Токаев</pre>')
    mentions = annotate(body(html), "a", registry)
    assert [(m.text, m.line) for m in mentions] == [("Токаеву", 2)]


def test_explicit_mark_indexes_what_no_rule_can_see(registry):
    tree = body('<p data-line="7">Сказал <span class="person" ref="tokayev">Президент</span>.</p>')
    [mention] = annotate(tree, "visit", registry)
    assert mention == Mention("tokayev", "visit-m1", "visit", "Президент", 7, ())
    span = tree.get_element_by_id("visit-m1")
    assert span.text == "Президент" and span.get("data-person") == "tokayev"
    assert span.getparent().get("class") == "person"


def test_explicit_mark_is_never_ambiguous_and_wins_over_rules(registry):
    tree = body('<p><span class="person" ref="tokayev">Токаева</span> и '
                '<span class="person" ref="tokaev-kk"><em>Касым-Жомарт</em> Токаев</span></p>')
    mentions = annotate(tree, "a", registry)
    assert [(m.person_id, m.text, m.ambiguous_with) for m in mentions] == [
        ("tokayev", "Токаева", ()), ("tokayev", "Касым-Жомарт Токаев", ())]
    assert tree.xpath("string(//span[@id='a-m2'])") == "Касым-Жомарт Токаев"


def test_explicit_mark_inside_a_link_counts_but_not_inside_noindex(registry):
    tree = body('<p><a href="#"><span class="person" ref="bayel">посол</span></a>'
                '<span class="noindex"><span class="person" ref="bayel">посол</span></span></p>')
    assert [(m.person_id, m.text) for m in annotate(tree, "a", registry)] == [("bayel", "посол")]


def test_mark_with_an_unknown_ref_is_a_problem(registry):
    problems = Problems()
    tree = body('<p data-line="9">X <span class="person" ref="tokaev">Президент</span></p>')
    assert annotate(tree, "a", registry, problems=problems, path="chapters/01.md") == []
    [problem] = problems.items
    assert (problem.path, problem.line, problem.code) == ("chapters/01.md", 9, "unknown-person")
    assert problem.message == ("[Президент]{.person ref=tokaev}: 'tokaev' is not in the registry of people "
                               "(did you mean 'tokayev'?)")
    problems = Problems()
    annotate(body('<p data-line="3"><span class="person">он</span></p>'), "a", registry, problems=problems)
    assert [(p.line, p.message) for p in problems.items] == [(3, "[он]{.person ref=}: a .person mark needs ref=ID")]


def test_disabled_article_is_left_alone(registry):
    html = '<p>Токаев и <span class="person" ref="bayel">посол</span></p>'
    tree = body(html)
    before = lxml.html.tostring(tree)
    assert annotate(tree, "a", registry, enabled=False) == []
    assert lxml.html.tostring(tree) == before


def test_mentions_are_wrapped_in_place_with_unique_ids_in_document_order(registry):
    tree = body('<h2 data-line="3">Токаев</h2>'
                '<p data-line="5">Алим Байель <em>и Сарым</em> с Калиевым<a class="footnote-ref" href="#fn">1</a>'
                ' и Козыревым.</p>'
                '<ul><li data-line="8">Тукумов</li></ul>'
                '<section class="footnotes"><ol><li id="fn" data-line="12">Шафиев</li></ol></section>')
    mentions = annotate(tree, "visit", registry)
    assert [(m.anchor, m.person_id, m.line) for m in mentions] == [
        ("visit-m1", "tokayev", 3), ("visit-m2", "bayel", 5), ("visit-m3", "sarym", 5),
        ("visit-m4", "kaliyev", 5), ("visit-m5", "kozyrev", 5), ("visit-m6", "tukumov", 8),
        ("visit-m7", "shafiyev", 12)]
    spans = tree.xpath("//span[@class='mention']")
    assert [span.get("id") for span in spans] == [f"visit-m{n}" for n in range(1, 8)]
    assert [span.text for span in spans] == [m.text for m in mentions]
    # The text around the mentions is untouched.
    assert tree.text_content() == "ТокаевАлим Байель и Сарым с Калиевым1 и Козыревым.ТукумовШафиев"
    assert lxml.html.tostring(tree.xpath("//p")[0], encoding="unicode") == (
        '<p data-line="5"><span class="mention" id="visit-m2" data-person="bayel">Алим Байель</span> '
        '<em>и <span class="mention" id="visit-m3" data-person="sarym">Сарым</span></em> с '
        '<span class="mention" id="visit-m4" data-person="kaliyev">Калиевым</span>'
        '<a class="footnote-ref" href="#fn">1</a> и '
        '<span class="mention" id="visit-m5" data-person="kozyrev">Козыревым</span>.</p>')


# ---------------------------------------------------------------------------------------------
# Ambiguity
# ---------------------------------------------------------------------------------------------

def test_genitive_that_may_be_a_womans_surname_is_reported(registry):
    tree = body('<p data-line="4">Визит Токаева и Касым-Жомарта Токаева, Нурланова.</p>')
    mentions = annotate(tree, "a", registry)
    assert [(m.person_id, m.text, m.ambiguous_with) for m in mentions] == [
        ("tokayev", "Токаева", ("tokayev", WOMAN)),
        ("tokayev", "Касым-Жомарта Токаева", ()),
        ("nurlanova", "Нурланова", ()),
    ]
    assert tree.get_element_by_id("a-m1").get("data-ambiguous") == f"tokayev {WOMAN}"


def test_ambiguity_message_tells_the_editor_what_to_do(registry):
    [mention] = annotate(body("<p>Визит Токаева</p>"), "a", registry)
    assert ambiguity_message(mention, registry) == (
        "«Токаева» may be Токаев, Касым-Жомарт or a woman not in the registry (indexed to Токаев, "
        "Касым-Жомарт); confirm with [Токаева]{.person ref=tokayev} or [Токаева]{.noindex}")


def test_form_that_fits_two_people_is_indexed_to_neither(tmp_path):
    registry, problems = registry_from(tmp_path, """\
- id: ilham
  heading: Алиев, Ильхам
- id: heydar
  heading: Алиев, Гейдар
- id: tokayeva
  heading: Токаева, Айгуль
- id: tokayev
  heading: Токаев, Касым-Жомарт
""")
    assert problems.items == []
    mentions = annotate(body("<p>Алиеву, Ильхаму Алиеву, Г. Алиеву, Токаева, Токаевой</p>"), "a", registry)
    assert [(m.person_id, m.text, m.ambiguous_with) for m in mentions] == [
        (None, "Алиеву", ("heydar", "ilham")),
        ("ilham", "Ильхаму Алиеву", ()),
        ("heydar", "Г. Алиеву", ()),
        (None, "Токаева", ("tokayev", "tokayeva")),
        ("tokayeva", "Токаевой", ()),
    ]
    assert "left out of the index" in ambiguity_message(mentions[0], registry)
    assert build_index(mentions, registry, "ru", None)[0][1][0].id == "heydar"
    assert {entry.id for _, entries in build_index(mentions, registry, "ru", None) for entry in entries} == {
        "heydar", "ilham", "tokayeva"}


# ---------------------------------------------------------------------------------------------
# Unregistered names
# ---------------------------------------------------------------------------------------------

def test_candidates_are_unregistered_names_with_lines(registry):
    tree = body('<p data-line="2">Гейдар Алиев встретился с Ильхамом Алиевым и С. Токаевым.</p>'
                '<p data-line="4">Затем Организация Тюркских Государств, США и Мадина Жакупова. '
                'Ambassador Daniel Harper <code>Иван Петров</code></p>'
                '<p data-line="6"><span class="noindex">Сергей Ёлкин</span>Касым-Жомарт Токаев</p>')
    before = lxml.html.tostring(tree)
    assert candidates(tree, "a", registry) == [
        ("Гейдар Алиев", 2), ("С. Токаевым", 2), ("Мадина Жакупова", 4), ("Daniel Harper", 4)]
    assert lxml.html.tostring(tree) == before


# ---------------------------------------------------------------------------------------------
# The index
# ---------------------------------------------------------------------------------------------

def mentions_of(person_ids: list[str]) -> list[Mention]:
    return [Mention(pid, f"a-m{n}", "a", "…", None) for n, pid in enumerate(person_ids, 1)]


def test_printed_locators_list_each_page_once_and_merge_runs(registry):
    mentions = mentions_of(["tokayev"] * 7)
    pages = {"a-m1": 3, "a-m2": 3, "a-m3": 4, "a-m4": 5, "a-m5": 7, "a-m6": 7, "a-m7": 12}
    [(letter, [entry, cross_reference])] = build_index(mentions, registry, "ru", pages.get)
    assert letter == "Т" and entry.heading == "Токаев, Касым-Жомарт" and cross_reference.id == "tokaev-kk"
    assert [(loc.label, loc.anchor) for loc in entry.locators] == [("3–5", "a-m1"), ("7", "a-m5"), ("12", "a-m7")]
    assert ", ".join(loc.label for loc in entry.locators) == "3\u20135, 7, 12"


def test_pages_out_of_document_order_and_unplaced_anchors(registry):
    mentions = mentions_of(["bayel"] * 4)
    pages = {"a-m1": 9, "a-m2": 8, "a-m3": 10}
    [(_, [entry])] = build_index(mentions, registry, "ru", pages.get)
    assert [(loc.label, loc.anchor) for loc in entry.locators] == [("8–10", "a-m2")]


def test_epub_locators_are_one_per_mention(registry):
    mentions = mentions_of(["sarym", "sarym", "bayel"])
    index = dict(build_index(mentions, registry, "ru", None))
    assert [(loc.label, loc.anchor) for loc in index["С"][0].locators] == [("1", "a-m1"), ("2", "a-m2")]
    labelled = dict(build_index(mentions, registry, "ru", None, label_of=lambda m: m.article_id.upper()))
    assert [loc.label for loc in labelled["С"][0].locators] == ["A", "A"]


def test_index_is_collated_grouped_and_cross_referenced(registry):
    mentions = mentions_of(["tokayev", "aliyev", "yolkin", "bayel", "kurmangazy", None, "shevchenko",
                            "tokaev-kk"])
    index = build_index(mentions, registry, "ru", lambda anchor: 1)
    assert [(letter, [entry.heading for entry in entries]) for letter, entries in index] == [
        ("А", ["Алиев, Ильхам"]),
        ("Б", ["Байель, Алим"]),
        ("Е", ["Ёлкин, Пётр"]),
        ("К", ["Курмангазы"]),
        ("Т", ["Токаев, Касым-Жомарт", "Тоқаев, Қасым-Жомарт"]),
        ("Ш", ["Шевченко, Ольга"]),
    ]
    entries = {entry.id: entry for _, group in index for entry in group}
    assert entries["tokayev"].see_also == ["Алиев, Ильхам"] and entries["tokayev"].see == []
    assert entries["tokayev"].note == "президент Казахстана"
    assert entries["tokaev-kk"].see == ["Токаев, Касым-Жомарт"] and entries["tokaev-kk"].locators == []
    # The mark that named the cross-reference counts for its target.
    assert [loc.label for loc in entries["tokayev"].locators] == ["1"]


def test_people_never_mentioned_and_dangling_cross_references_are_left_out(registry):
    index = build_index(mentions_of(["bayel"]), registry, "ru", None)
    assert [entry.id for _, entries in index for entry in entries] == ["bayel"]
    # tokayev is not in the index: its see_also target is not shown either
    index = build_index(mentions_of(["aliyev"]), registry, "ru", None)
    assert index[0][1][0].see_also == []


def test_sort_key_of_the_registry_orders_the_entry(tmp_path):
    registry, _ = registry_from(tmp_path, """\
- id: mc
  heading: McDonald, John
  sort: MacDonald, John
- id: mad
  heading: Madison, James
- id: smith
  heading: Smith, Adam
- id: abaev
  heading: Абаев, Руслан
""")
    index = build_index(mentions_of(["smith", "mad", "mc", "abaev"]), registry, "ru", None)
    assert [(letter, [e.heading for e in entries]) for letter, entries in index] == [
        ("А", ["Абаев, Руслан"]), ("M", ["McDonald, John", "Madison, James"]), ("S", ["Smith, Adam"])]
    index = build_index(mentions_of(["smith", "mad", "mc", "abaev"]), registry, "en", None)
    assert [letter for letter, _ in index] == ["M", "S", "А"]


# ---------------------------------------------------------------------------------------------
# The real sample volume's registry, if there is one
# ---------------------------------------------------------------------------------------------

def test_sample_registry_loads_cleanly():
    path = Path(__file__).parent.parent / "people.yaml"
    if not path.exists():
        pytest.skip("the sample volume has no people.yaml")
    problems = Problems()
    registry = load_registry(path, problems)
    assert problems.errors == [] and registry.people


def test_a_name_after_a_word_in_another_script_is_a_name_of_its_own():
    body = lxml.html.fragment_fromstring(
        '<div><p data-line="3">hosted by the AIR Center Фарид Шафиев and Иван Петров with John Smith.</p></div>')
    assert candidates(body, "a", Registry({})) == [("Фарид Шафиев", 3), ("Иван Петров", 3), ("John Smith", 3)]
