"""Language-correct collation and letter groups (ICU/CLDR) for ru, kk, az and en."""

from __future__ import annotations

import random

import pytest

from anthology.collation import collator, letter_bucket, sort_key


def collated(words: list[str], lang: str) -> list[str]:
    shuffled = list(words)
    random.Random(7).shuffle(shuffled)
    return sorted(shuffled, key=lambda word: sort_key(word, lang))


def test_sort_key_is_bytes_and_collator_is_cached():
    assert isinstance(sort_key("Токаев", "ru"), bytes)
    assert collator("ru") is collator("ru-RU") is collator("ru_RU")


def test_russian_sorts_yo_with_ye():
    assert collated(["Ершов", "Ёлкин", "Елисеев", "Жуков", "Дьяков"], "ru") == [
        "Дьяков", "Елисеев", "Ёлкин", "Ершов", "Жуков"]
    # Ё only breaks a tie with Е
    assert collated(["Ёжиков", "Ежиков", "Ежов"], "ru") == ["Ежиков", "Ёжиков", "Ежов"]


def test_russian_puts_latin_after_cyrillic():
    assert collated(["Smith, Adam", "Яковлев, Иван", "Абаев, Руслан", "Aliyev, Ilham"], "ru") == [
        "Абаев, Руслан", "Яковлев, Иван", "Aliyev, Ilham", "Smith, Adam"]


def test_english_puts_latin_before_cyrillic():
    assert collated(["Smith", "Абаев", "aliyev", "Éclair"], "en") == ["aliyev", "Éclair", "Smith", "Абаев"]


def test_russian_keeps_kazakh_letters_after_their_base_letters():
    assert collated(["Бабаев", "Әлиев", "Ахметов", "Қасымов", "Кенесов", "Лаптев"], "ru") == [
        "Ахметов", "Әлиев", "Бабаев", "Кенесов", "Қасымов", "Лаптев"]


# The Kazakh alphabet as CLDR (and the 2004 standard) orders it: Ё a letter of its own, І after Ы.
KAZAKH = "А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я".split()


def test_kazakh_alphabet_order():
    words = [letter + "ба" for letter in KAZAKH]
    assert collated(words, "kk") == words


@pytest.mark.parametrize("base,letter,after", [
    ("А", "Ә", "Б"), ("Г", "Ғ", "Д"), ("К", "Қ", "Л"), ("Н", "Ң", "О"), ("О", "Ө", "П"),
    ("У", "Ұ", "Ү"), ("Ұ", "Ү", "Ф"), ("Х", "Һ", "Ц"), ("И", "І", "Ь"),
])
def test_kazakh_letters_come_right_after_their_base_letter(base, letter, after):
    words = [base + "ян", base + "ә", letter + "а", letter + "ян", after + "а"]
    assert collated(words, "kk") == sorted(words, key=lambda word: (KAZAKH.index(word[0]), sort_key(word, "kk")))
    assert collated([after + "а", letter + "а", base + "яя"], "kk") == [base + "яя", letter + "а", after + "а"]


AZERBAIJANI = "A B C Ç D E Ə F G Ğ H X I İ J K Q L M N O Ö P R S Ş T U Ü V Y Z".split()


def test_azerbaijani_alphabet_order():
    words = [letter + "ab" for letter in AZERBAIJANI]
    assert collated(words, "az") == words
    assert collated(["İsmayılov", "Xəlilov", "Hüseynov", "Ibrahimov", "Qasımov", "Kərimov", "Əliyev", "Eyvazov"],
                    "az") == ["Eyvazov", "Əliyev", "Hüseynov", "Xəlilov", "Ibrahimov", "İsmayılov", "Kərimov",
                              "Qasımov"]


def test_azerbaijani_rules_are_not_used_for_other_languages():
    # Under en (root) rules X stays near the end and Q after P.
    assert collated(["Xəlilov", "Hüseynov", "Qasımov", "Kərimov"], "en") == [
        "Hüseynov", "Kərimov", "Qasımov", "Xəlilov"]


@pytest.mark.parametrize("text,lang,letter", [
    ("Ёлкин", "ru", "Е"), ("ёлкин", "ru", "Е"), ("«Ёлкин»", "ru", "Е"), ("Абаев", "ru", "А"),
    ("Әлиев", "ru", "А"), ("Smith", "ru", "S"), ("Əliyev", "az", "Ə"), ("İsmayılov", "az", "İ"),
    ("Ibrahimov", "az", "I"), ("Xəlilov", "az", "X"), ("Әлиев", "kk", "Ә"), ("Ілияс", "kk", "І"),
    ("Қасымов", "kk", "Қ"), ("Ёлкин", "kk", "Ё"), ("Smith", "en", "S"), ("Абаев", "en", "А"),
    ("1812", "ru", "#"),
])
def test_letter_heading(text, lang, letter):
    assert letter_bucket(text, lang)[1] == letter
