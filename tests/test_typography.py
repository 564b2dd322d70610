"""anthology.typography: quotes, dashes, no-break spaces and «…» per language."""

from __future__ import annotations

import lxml.html
import pytest

from anthology.enrich import typography

NB = "\u00a0"  # no-break space
WJ = "\u2060"  # word joiner: a range never breaks after its dash
NN = "\u202f"  # narrow no-break space


def fragment(inner: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(f'<div class="article-body">{inner}</div>')


def typo(inner: str, lang: str) -> lxml.html.HtmlElement:
    body = fragment(inner)
    typography.apply(body, lang)
    return body


def para(text: str, lang: str) -> str:
    """The text of one paragraph after typography."""
    return typo(f'<p data-line="1">{text}</p>', lang).text_content()


# --- quotes ------------------------------------------------------------------

QUOTES = [
    ("ru", 'Он сказал "да".', "Он сказал «да»."),
    ("ru", '"Компания "Газпром" растёт"', "«Компания „Газпром“ растёт»"),
    ("ru", '"Компания "Газпром""', "«Компания „Газпром“»"),
    ("ru", "«Компания «Газпром»»", "«Компания „Газпром“»"),
    ("ru", "“Неправильные” кавычки", "«Неправильные» кавычки"),
    ("ru", "Слово „на лапках“ тоже", "Слово «на лапках» тоже"),
    ("ru", '("на скобках")', "(«на скобках»)"),
    ("kk", '"Орта дәліз" жобасы', "«Орта дәліз» жобасы"),
    ("kk", '"Ол "Астана" деді"', "«Ол „Астана“ деді»"),
    ("az", '"Orta Dəhliz" layihəsi', "«Orta Dəhliz» layihəsi"),
    ("az", '"Şirkət "SOCAR" dedi"', "«Şirkət “SOCAR” dedi»"),
    ("en", 'She said "yes".', "She said “yes”."),
    ("en", '"He said "no" twice"', "“He said ‘no’ twice”"),
    ("en", "\"He said 'hi \"there\"' once\"", "“He said ‘hi “there”’ once”"),
    ("en", "«Wrong» quotes", "“Wrong” quotes"),
    ("en", "don't, O'Neil, the students' union, the '90s", "don’t, O’Neil, the students’ union, the ’90s"),
    ("en", "'single'", "‘single’"),
    ("az", "Qur'an", "Qur’an"),
]


@pytest.mark.parametrize("lang,source,expected", QUOTES)
def test_quotes(lang, source, expected):
    assert para(source, lang) == expected


def test_quotes_across_inline_elements():
    body = typo('<p>"<em>Middle</em> Corridor" and "the <a href="#x">Trans-Caspian</a>"</p>', "en")
    html = lxml.html.tostring(body.find("p"), encoding="unicode")
    assert html == '<p>“<em>Middle</em> Corridor” and “the <a href="#x">Trans-Caspian</a>”</p>'


def test_quote_closed_inside_an_inline_element():
    body = typo('<p>"Средний <em>коридор"</em> и "<strong>Баку</strong>"</p>', "ru")
    assert body.text_content() == "«Средний коридор» и\u00a0«Баку»"
    assert body.find(".//em").text == "коридор»"


def test_nested_quotes_across_inline_elements():
    body = typo('<p>"Проект <em>"Средний коридор"</em> важен"</p>', "ru")
    assert body.text_content() == "«Проект „Средний коридор“ важен»"


def test_quotes_around_code_and_footnote_call():
    body = typo('<p>Ключ "<code>lang</code>" и "цитата"<a class="footnote-ref" href="#fn-a-1">1</a>.</p>', "ru")
    assert body.text_content() == "Ключ «lang» и\u00a0«цитата»1."


def test_quote_state_does_not_leak_between_blocks():
    body = typo('<p>"Начало цитаты</p><p>"Новая" цитата</p>', "ru")
    first, second = body.findall("p")
    assert first.text == "«Начало цитаты"
    assert second.text == "«Новая» цитата"


# --- language overrides ------------------------------------------------------

def test_span_lang_overrides_quotes_and_dashes():
    body = typo('<p>Он сказал: <span lang="en">"Middle Corridor - now"</span> - и "всё".</p>', "ru")
    assert body.find(".//span").text == f"“Middle Corridor{NB}– now”"
    assert body.text_content() == f"Он сказал: “Middle Corridor{NB}– now”{NB}— и{NB}«всё»."


def test_block_lang_overrides_article_lang():
    body = typo('<p>"Текст" - да</p><p lang="en">"Text" - yes</p><p lang="kk-Cyrl">"Мәтін" - иә</p>', "ru")
    assert [p.text for p in body.findall("p")] == [
        f"«Текст»{NB}— да", f"“Text”{NB}– yes", f"«Мәтін»{NB}— иә"]


def test_article_lang_with_region():
    assert para('"text" - more', "en-GB") == f"“text”{NB}– more"
    assert para('"мәтін"', "kk_KZ") == "«мәтін»"


def test_unknown_language_keeps_its_quotes():
    body = typo('<p>Wort <span lang="de">"Zitat" - hier</span></p>', "ru")
    assert body.find(".//span").text == '"Zitat" - hier'


# --- dashes ------------------------------------------------------------------

DASHES = [
    ("ru", "Баку - столица", f"Баку{NB}— столица"),
    ("ru", "Баку -- столица", f"Баку{NB}— столица"),
    ("ru", "Баку – столица", f"Баку{NB}— столица"),
    ("ru", "Привет, - сказал он", f"Привет,{NB}— сказал он"),
    ("kk", "Астана - елорда", f"Астана{NB}— елорда"),
    ("az", "Bakı - paytaxt", f"Bakı{NB}— paytaxt"),
    ("en", "Baku - the capital", f"Baku{NB}– the capital"),
    ("en", "Baku — the capital", f"Baku{NB}– the capital"),
    ("en", "Baku---the capital", "Baku—the capital"),
    ("ru", "1990-2000 годы", f"1990–{WJ}2000{NB}годы"),
    ("ru", "11-12 марта", f"11–{WJ}12{NB}марта"),
    ("en", "pages 45-67", f"pages 45–{WJ}67"),
    ("en", "1990-95", f"1990–{WJ}95"),
    ("en", "10:00-12:00", f"10:00–{WJ}12:00"),
    ("ru", "1,5-2 раза", f"1,5–{WJ}2{NB}раза"),
]


@pytest.mark.parametrize("lang,source,expected", DASHES)
def test_dashes(lang, source, expected):
    assert para(source, lang) == expected


UNTOUCHED = [
    "Касым-Жомарт Токаев",
    "Казахско-азербайджанский форум",
    "из-за",
    "ISBN 978-601-00000-0-0",
    "ISSN 2073-0438",
    "тел. +7 (7172) 74-59-36",
    "+7 701 123-45-67",
    "2024-03-11",
    "https://example.org/a-b--c...d",
    "www.gov.kz/page-1-2",
    "mail to a.b-c@example-site.kz",
    "doi:10.1016/j.respol.2019-12",
    "ГОСТ Р 7.0.5-2008",
    "счёт 3-1",
    "1990 - 2000",
]


@pytest.mark.parametrize("source", UNTOUCHED)
def test_hyphens_left_alone(source):
    assert para(source, "ru") == source


def test_az_ordinal_suffix_keeps_hyphen():
    assert para("2024-cü ildə", "az") == "2024-cü ildə"


def test_dialogue_dash_opens_a_block():
    assert para("- Да, - ответил он.", "ru") == f"—{NB}Да,{NB}— ответил он."


# --- no-break spaces ---------------------------------------------------------

SPACES = [
    ("ru", "А. Байель", f"А.{NB}Байель"),
    ("ru", "К.-Ж. Токаев", f"К.\u2011Ж.{NB}Токаев"),  # a no-break hyphen inside compound initials
    ("ru", "А. Б. Иванов", f"А.{NB}Б.{NB}Иванов"),
    ("ru", "Дж. Смит", f"Дж.{NB}Смит"),
    ("ru", "Иванов И. И., Петров П. П.", f"Иванов{NB}И.{NB}И., Петров{NB}П.{NB}П."),
    ("az", "İ. Əliyev", f"İ.{NB}Əliyev"),
    ("en", "J. R. R. Tolkien", f"J.{NB}R.{NB}R.{NB}Tolkien"),
    ("ru", "в Баку и в Астане", f"в{NB}Баку и{NB}в{NB}Астане"),
    ("ru", "В Баку, а я к нему", f"В{NB}Баку, а{NB}я{NB}к{NB}нему"),
    ("ru", "с ним о нём у дома", f"с{NB}ним о{NB}нём у{NB}дома"),
    ("kk", "Қазақстан мен Әзербайжан", f"Қазақстан мен{NB}Әзербайжан"),
    ("kk", "Астана және Баку", f"Астана және{NB}Баку"),
    ("az", "Azərbaycan və Qazaxıstan", f"Azərbaycan və{NB}Qazaxıstan"),
    ("az", "bu layihə", f"bu{NB}layihə"),
    ("ru", "300 млн долларов", f"300{NB}млн долларов"),
    ("ru", "в 2024 г.", f"в{NB}2024{NB}г."),
    ("ru", "§ 5 и № 3", f"§{NB}5 и{NB}№{NB}3"),
    ("ru", "на 5 %", f"на 5{NB}%"),
    ("ru", "см. с. 45", f"см. с.{NB}45"),
    ("ru", "т. е. так", f"т.{NB}е. так"),
    ("kk", "2024 жылы", f"2024{NB}жылы"),
    ("kk", "11-12 наурыз", f"11–{WJ}12{NB}наурыз"),
    ("az", "300 milyon dollar", f"300{NB}milyon dollar"),
    ("en", "300 million dollars", f"300{NB}million dollars"),
    ("en", "on 12 March 2024", f"on 12{NB}March{NB}2024"),
    ("en", "in 2024 the", "in 2024 the"),
    ("en", "March 12, 2024", f"March{NB}12, 2024"),
    ("en", "5 km away", f"5{NB}km away"),
    ("ru", "5 и 6", f"5 и{NB}6"),
    ("en", "p. 45 and No. 3", f"p.{NB}45 and No.{NB}3"),
]


@pytest.mark.parametrize("lang,source,expected", SPACES)
def test_no_break_spaces(lang, source, expected):
    assert para(source, lang) == expected


def test_soft_line_break_becomes_no_break_space():
    assert para("в\nБаку", "ru") == f"в{NB}Баку"


def test_tie_across_inline_elements():
    body = typo("<p>А. <em>Байель</em> и <strong>в</strong> Баку</p>", "ru")
    assert body.text_content() == f"А.{NB}Байель и{NB}в{NB}Баку"


@pytest.mark.parametrize("lang,source,expected", [
    ("ru", "300 000 человек", f"300{NN}000{NB}человек"),
    ("ru", "1 000 000", f"1{NN}000{NN}000"),
    ("kk", "25 000 тонна", f"25{NN}000{NB}тонна"),
    ("ru", "в 2024 300 раз", f"в{NB}2024 300{NB}раз"),
])
def test_digit_groups(lang, source, expected):
    assert para(source, lang) == expected


# --- ellipsis ----------------------------------------------------------------

@pytest.mark.parametrize("lang", ["ru", "kk", "az", "en"])
def test_ellipsis(lang):
    assert para("и так далее...", lang).endswith("далее…")


def test_ellipsis_deletes_characters_without_leaking_placeholders():
    body = typo("<p>Раз... <em>два...</em> три...</p>", "ru")
    html = lxml.html.tostring(body, encoding="unicode")
    assert "Раз… <em>два…</em> три…" in html
    assert typography.DEL not in html and typography.OPAQUE not in html


# --- what is never touched ---------------------------------------------------

def test_code_pre_kbd_script_style_untouched():
    source = ('<p>Текст <code>"x" - y...</code> и <kbd>a - b</kbd></p>'
              '<pre>"quoted" - 11-12...</pre>'
              '<script>var s = "a - b";</script><style>p::before { content: "- "; }</style>')
    body = typo(source, "ru")
    assert body.find(".//code").text == '"x" - y...'
    assert body.find(".//kbd").text == "a - b"
    assert body.find(".//pre").text == '"quoted" - 11-12...'
    assert body.find(".//script").text == 'var s = "a - b";'
    assert body.find(".//style").text == 'p::before { content: "- "; }'


def test_attribute_values_untouched():
    body = typo('<p title="a - b" data-x=\'"q"\'><a href="/a-b/11-12" title="в Баку...">"ссылка"</a></p>', "ru")
    p, a = body.find("p"), body.find(".//a")
    assert (p.get("title"), p.get("data-x")) == ("a - b", '"q"')
    assert (a.get("href"), a.get("title")) == ("/a-b/11-12", "в Баку...")
    assert a.text == "«ссылка»"


def test_block_structure_and_data_line_kept():
    body = typo('<h2 data-line="3">"Заголовок"</h2><ul><li data-line="5">в Баку</li></ul>'
                '<blockquote data-line="7"><p data-line="7">"Цитата" - да</p></blockquote>', "ru")
    assert body.find("h2").get("data-line") == "3"
    assert body.find("h2").text == "«Заголовок»"
    assert body.find(".//li").text == f"в{NB}Баку"
    assert body.find(".//blockquote/p").text == f"«Цитата»{NB}— да"


def test_idempotent():
    source = ('<p>"Компания "Газпром"" - лидер... А. Б. Иванов в 2024 г., 300 000 т, 11-12 марта. '
              '<span lang="en">"Don\'t" - she said</span></p>')
    once = typo(source, "ru")
    twice = lxml.html.fragment_fromstring(lxml.html.tostring(once, encoding="unicode"))
    typography.apply(twice, "ru")
    assert lxml.html.tostring(twice, encoding="unicode") == lxml.html.tostring(once, encoding="unicode")


def test_language_of():
    assert typography.primary_language("az-Latn-AZ") == "az"
    assert typography.language_of(fragment("x"), "ru") == "ru"
    assert typography.language_of(lxml.html.fragment_fromstring('<p lang="EN_us">x</p>'), "ru") == "en"
