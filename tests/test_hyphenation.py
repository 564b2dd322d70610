"""anthology.layout.hyphenation: Kazakh and Azerbaijani dictionaries for pyphen and WeasyPrint."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import re
from pathlib import Path

import pyphen
import pytest

from anthology.layout import hyphenation

DATA = hyphenation.DATA
FONT = Path(hyphenation.__file__).resolve().parents[2] / "styles" / "fonts" / "NotoSerif-Regular.ttf"
KK_TEX_SHA256 = "4846fa228f1d6d62f5d6cac81475e0c8d90b65b98040c6ae33e7ef86618ac3a6"

KK_VOWELS = set("аоұыуюяеәіүөёиэ")
AZ_VOWELS = set("aıoueəiöü")


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, DATA / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def turkic_lower(word: str) -> str:
    return word.replace("İ", "i").replace("I", "ı").lower()


def breaks(syllabified: str) -> set[int]:
    """'ha-ly-qa' -> {2, 4}: the allowed break positions in the bare word."""
    positions, count = set(), 0
    for part in syllabified.split("-")[:-1]:
        count += len(part)
        positions.add(count)
    return positions


# --- registration ------------------------------------------------------------

def test_register_adds_languages_to_both_tables_and_is_idempotent():
    hyphenation.register()
    snapshot = (dict(pyphen.LANGUAGES), dict(pyphen.LANGUAGES_LOWERCASE))
    hyphenation.register()
    assert (dict(pyphen.LANGUAGES), dict(pyphen.LANGUAGES_LOWERCASE)) == snapshot
    for name in ("kk", "kk_KZ", "az", "az_AZ", "az_Latn"):
        assert pyphen.LANGUAGES[name].is_file()
        assert pyphen.LANGUAGES_LOWERCASE[name.lower()] == name
    assert pyphen.LANGUAGES["kk"].name == "hyph_kk_KZ.dic"
    assert pyphen.LANGUAGES["az_Latn"].name == "hyph_az_AZ.dic"
    # Russian and English still come from pyphen itself.
    assert pyphen.LANGUAGES["ru"].name == "hyph_ru_RU.dic"


@pytest.mark.parametrize("tag,name", [
    ("kk", "kk"), ("kk-KZ", "kk_KZ"), ("kk-Cyrl-KZ", "kk"),
    ("az", "az"), ("az-AZ", "az_AZ"), ("az-Latn", "az_Latn"), ("az-Latn-AZ", "az_Latn"),
])
def test_language_fallback_finds_our_dictionaries(tag, name):
    hyphenation.register()
    assert pyphen.language_fallback(tag) == name


def test_hyphenator_minimums_and_unknown_language():
    dictionary = hyphenation.hyphenator("az")
    assert (dictionary.left, dictionary.right) == (2, 2)
    with pytest.raises(LookupError):
        hyphenation.hyphenator("xx-unknown")


# --- break points ------------------------------------------------------------

KK_WORDS = {
    "ынтымақтастық": "ын-ты-мақ-тас-тық",
    "мемлекеттік": "мем-ле-кет-тік",
    "ынтымақтастығы": "ын-ты-мақ-тас-ты-ғы",
    "халықаралық": "ха-лы-қа-ра-лық",
    "бағдарлама": "бағ-дар-ла-ма",
    "серіктестік": "се-рік-тес-тік",
    "мүмкіндіктерін": "мүм-кін-дік-те-рін",
    "республикасы": "рес-пуб-ли-ка-сы",
    "Президенті": "Пре-зи-ден-ті",
    "оқушы": "оқу-шы",
    "тасымалдау": "та-сы-мал-дау",
    "артты": "арт-ты",
    "миллион": "мил-лион",
    "структура": "струк-ту-ра",
    "министр": "ми-нистр",
    "текст": "текст",
    "таудың": "тау-дың",
}

AZ_WORDS = {
    "əməkdaşlıq": "əmək-daş-lıq",
    "Azərbaycan": "Azər-bay-can",
    "nəqliyyat": "nəq-liy-yat",
    "iqtisadiyyat": "iq-ti-sa-diy-yat",
    "İqtisadiyyat": "İq-ti-sa-diy-yat",
    "İlham": "İl-ham",
    "ISTANBUL": "IS-TAN-BUL",
    "müəllim": "mü-əl-lim",
    "saat": "sa-at",
    "ailə": "ai-lə",
    "radio": "ra-dio",
    "türklər": "türk-lər",
    "beynəlxalq": "bey-nəl-xalq",
    "prezident": "pre-zi-dent",
    "struktur": "struk-tur",
    "Qazaxıstan": "Qa-za-xıs-tan",
    "genişləndirilməsi": "ge-niş-lən-di-ril-mə-si",
}


@pytest.mark.parametrize("word,expected", KK_WORDS.items())
def test_kazakh_break_points(word, expected):
    assert hyphenation.hyphenator("kk").inserted(word) == expected


@pytest.mark.parametrize("word,expected", AZ_WORDS.items())
def test_azerbaijani_break_points(word, expected):
    assert hyphenation.hyphenator("az").inserted(word) == expected


def test_dotted_capital_i_through_plain_pyphen():
    """WeasyPrint builds pyphen.Pyphen(lang=...) itself: the İ fix must work there too."""
    hyphenation.register()
    assert pyphen.Pyphen(lang="az_Latn").inserted("İqtisadiyyat") == "İq-ti-sa-diy-yat"
    assert isinstance(pyphen.hdcache[hyphenation.AZ_DIC], hyphenation.TurkicHyphDict)


KK_TEXT = ("Қазақстан Республикасы мен Әзербайжан Республикасы арасындағы стратегиялық "
           "серіктестік туралы шартқа сәйкес үкіметаралық комиссия көлік, энергетика, "
           "ауыл шаруашылығы және цифрландыру салаларындағы бірлескен жобаларды қарады")
AZ_TEXT = ("Azərbaycan Respublikası ilə Qazaxıstan Respublikası arasında strateji tərəfdaşlıq "
           "haqqında müqaviləyə uyğun olaraq hökumətlərarası komissiya nəqliyyat, energetika, "
           "kənd təsərrüfatı və rəqəmsallaşdırma sahələrində birgə layihələri nəzərdən keçirdi")


@pytest.mark.parametrize("lang,text,vowels", [("kk", KK_TEXT, KK_VOWELS), ("az", AZ_TEXT, AZ_VOWELS)])
def test_every_break_leaves_a_vowel_on_both_sides(lang, text, vowels):
    dictionary = hyphenation.hyphenator(lang)
    checked = 0
    for word in re.findall(r"\w+", text):
        for head, tail in dictionary.iterate(word):
            lower = turkic_lower(head), turkic_lower(tail)
            assert set(lower[0]) & vowels and set(lower[1]) & vowels, (word, head, tail)
            checked += 1
    assert checked > 50


def test_merge_patterns_keeps_the_highest_digit():
    merged = hyphenation.merge_patterns(["у2т1ш", "у2тш", "т1т", "2тт", ".ab2", "a1b"])
    assert merged == ["у2т1ш", "2т1т", ".ab2", "a1b"]


# --- the files ---------------------------------------------------------------

def test_kazakh_source_is_the_published_file():
    source = DATA / "hyph-kk.tex"
    assert hashlib.sha256(source.read_bytes()).hexdigest() == KK_TEX_SHA256
    text = source.read_text(encoding="utf-8")
    assert "licence:\n%     name: Public domain" in text
    assert KK_TEX_SHA256 in (DATA / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("script,dic", [("make_kk", "hyph_kk_KZ.dic"), ("make_az", "hyph_az_AZ.dic")])
def test_dictionaries_are_what_their_scripts_write(script, dic):
    content = (DATA / dic).read_text(encoding="utf-8")
    assert content == load_script(script).build()
    lines = content.splitlines()
    assert lines[:3] == ["UTF-8", "LEFTHYPHENMIN 2", "RIGHTHYPHENMIN 2"]
    patterns = [line for line in lines[3:] if not line.startswith("%")]
    letters = [re.sub(r"\d", "", p) for p in patterns]
    assert len(letters) == len(set(letters)), "pyphen keeps only the last of two equal patterns"


def digits(pattern: str) -> tuple[str, list[int]]:
    """'у2т1ш' -> ('утш', [0, 2, 1, 0])."""
    letters = re.sub(r"\d", "", pattern)
    values, index = [0] * (len(letters) + 1), 0
    for char in pattern:
        if char.isdigit():
            values[index] = int(char)
        else:
            index += 1
    return letters, values


def test_kazakh_dictionary_keeps_every_published_pattern():
    """The supplement may raise a published digit (forbid a break), never drop a pattern."""
    make_kk = load_script("make_kk")
    published = make_kk.published_patterns((DATA / "hyph-kk.tex").read_text(encoding="utf-8"))
    assert len(published) > 5000 and "1-4" in published and "с1т2р" in published
    lines = (DATA / "hyph_kk_KZ.dic").read_text(encoding="utf-8").splitlines()[3:]
    dic = dict(digits(line) for line in lines if not line.startswith("%"))
    for pattern in published:
        letters, values = digits(pattern)
        assert letters in dic, pattern
        assert all(new >= old for new, old in zip(dic[letters], values)), pattern


# --- WeasyPrint ----------------------------------------------------------------

KK_PARAGRAPH = ("Халықаралық ынтымақтастық мемлекеттік бағдарлама арқылы дамып келеді. "
                "Көлік дәлізі арқылы тасымалдау айналымы жылдан жылға артып, "
                "серіктестік мүмкіндіктерін кеңейтеді.")
KK_GOLD = {w.replace("-", ""): w for w in [
    "ха-лы-қа-ра-лық", "ын-ты-мақ-тас-тық", "мем-ле-кет-тік", "бағ-дар-ла-ма", "ар-қы-лы",
    "да-мып", "ке-ле-ді", "кө-лік", "дә-лі-зі", "та-сы-мал-дау", "ай-на-лы-мы", "жыл-дан",
    "жыл-ға", "ар-тып", "се-рік-тес-тік", "мүм-кін-дік-те-рін", "ке-ңей-те-ді"]}

AZ_PARAGRAPH = ("Azərbaycan və Qazaxıstan arasında əməkdaşlıq nəqliyyat sahəsində genişlənir. "
                "İqtisadiyyat nazirliyi beynəlxalq layihələri dəstəkləyir, müəllim isə "
                "tələbələrə dərs deyir.")
AZ_GOLD = {w.replace("-", ""): w for w in [
    "a-zər-bay-can", "qa-za-xıs-tan", "a-ra-sın-da", "ə-mək-daş-lıq", "nəq-liy-yat",
    "sa-hə-sin-də", "ge-niş-lə-nir", "iq-ti-sa-diy-yat", "na-zir-li-yi", "bey-nəl-xalq",
    "la-yi-hə-lə-ri", "dəs-tək-lə-yir", "mü-əl-lim", "tə-lə-bə-lə-rə", "de-yir"]}

HYPHENS = ("\u2010", "-", "\u00ad")


def render_lines(lang: str, text: str, width: str) -> list[str]:
    from pypdf import PdfReader
    from weasyprint import HTML

    hyphenation.register()
    html = f"""<html><head><style>
      @font-face {{ font-family: Serif; src: url("{FONT.as_uri()}"); }}
      @page {{ size: 70mm 300mm; margin: 5mm; }}
      p {{ font: 10pt Serif; width: {width}; hyphens: auto; text-align: justify; }}
    </style></head><body><p lang="{lang}">{text}</p></body></html>"""
    pdf = HTML(string=html).write_pdf()
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()


def hyphenated_breaks(lines: list[str]) -> list[tuple[str, str]]:
    """(head, tail) for every line that ends in a hyphen."""
    found = []
    for line, following in zip(lines, lines[1:]):
        line = line.rstrip()
        if line.endswith(HYPHENS) and line.split():
            head = line.split()[-1].rstrip("".join(HYPHENS))
            tail = re.match(r"\w+", following.split()[0]).group()
            found.append((head, tail))
    return found


@pytest.mark.parametrize("lang,text,gold", [("kk", KK_PARAGRAPH, KK_GOLD), ("az", AZ_PARAGRAPH, AZ_GOLD)])
def test_weasyprint_hyphenates_at_valid_points_only(lang, text, gold):
    found = []
    for width in ("26mm", "31mm", "37mm"):
        lines = render_lines(lang, text, width)
        assert "".join(lines).replace(" ", "").replace("\u2010", "") != ""
        found += hyphenated_breaks(lines)
    assert len(found) >= 4, found  # the dictionary is used at all
    for head, tail in found:
        word = turkic_lower(head + tail)
        assert word in gold, f"{head}-{tail}: a word the paragraph does not have"
        assert len(head) in breaks(gold[word]), f"{head}-{tail} is not a syllable break of {gold[word]}"


def test_weasyprint_without_a_dictionary_does_not_hyphenate():
    """The control: the same kk paragraph marked as an unknown language gets no hyphens."""
    lines = render_lines("x-none", KK_PARAGRAPH, "26mm")
    assert hyphenated_breaks(lines) == []
