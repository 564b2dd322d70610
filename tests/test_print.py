"""Print production read back from the sample PDF: imprint, colophon, contributors, typography, blank pages."""

from __future__ import annotations

import re

from pypdf import PdfReader

from anthology.collation import sort_key

from conftest import run_anthology
from test_pdf import flat


def test_imprint_page_carries_cataloguing_data(sample_pdf_text):
    imprint = sample_pdf_text[3]  # the verso of the title page
    for expected in ("УДК 327(574+479.24)", "ББК 66.4(5Каз)", "К14", "ISBN 978-601-7890-12-4", "© Авторы, 2024"):
        assert expected in imprint, expected


def test_imprint_record_in_gost_form(sample_pdf_text):
    """GOST R 7.0.4: the record's own punctuation, the author sign beside it, the page count."""
    imprint = flat(sample_pdf_text[3])
    pages = len(sample_pdf_text)
    assert flat("Казахстан и Азербайджан: стратегическое партнёрство : сборник аналитических материалов / "
                "составитель Айгерим Нурланова ; главный редактор Ербол Сапаров. — Астана : "
                f"Издательство «Евразийский горизонт», 2024. — {pages} с.") in imprint
    assert imprint.startswith("УДК 327(574+479.24) ББК 66.4(5Каз)") and "К14" in imprint


def test_colophon_counts_printed_sheets_from_the_real_page_count(sample_pdf_text):
    last = flat(sample_pdf_text[-1])
    pages = len(sample_pdf_text)
    sheets = f"{pages / 16 * 60 * 84 / (60 * 90):.2f}".replace(".", ",")
    assert f"Усл. печ. л. {sheets}." in last
    assert "Формат 60×84 1/16" in last
    assert "Тираж 300 экз." in last and "экз.." not in last


def test_contributors_are_listed_in_collation_order_with_their_pages(sample_pdf_text, outline_pages):
    start = outline_pages["Сведения об авторах"]
    text = "\n".join(sample_pdf_text[start:start + 3]).split("Указатель имён")[0]
    names = re.findall(r"^([А-ЯЁA-ZƏ][\w-]+ [А-ЯЁA-ZƏ][\w-]+) — ", text, re.M)
    assert len(names) >= 12
    keys = [sort_key(" ".join(reversed(n.split())), "ru") for n in names]
    assert keys == sorted(keys)
    assert re.search(r"«Государственный визит 2024 года: хроника и смыслы» \(с\.\s(\d+)\)", flat(text))


def test_russian_typography_in_the_printed_text(sample_pdf_text):
    text = " ".join(sample_pdf_text)
    assert re.search(r"(?<!\w)в\u00a0\w", text), "no no-break space after a one-letter preposition"
    assert re.search(r"\d\u00a0(марта|млн)", text), "no no-break space between a number and its word"
    assert re.search(r"\w\u00a0— ", text), "no no-break space before a dash"
    assert re.search(r"[А-ЯЁ]\.\u00a0[А-ЯЁ][а-яё]+", text), "no no-break space after an initial"
    assert "«" in text and "»" in text
    assert '"' not in text


def test_english_article_has_english_typography(sample_pdf_text):
    start = next(i for i, page in enumerate(sample_pdf_text) if "Daniel Harper" in page and "A Cable Under" in page
                 and "Содержание" not in page)
    english = " ".join(sample_pdf_text[start:start + 4])
    assert "Tokayev’s" in english  # a typographic apostrophe
    assert "«" not in english


def test_blank_versos_carry_neither_running_head_nor_folio(sample_pdf_text):
    blanks = [i for i, text in enumerate(sample_pdf_text) if not text.strip()]
    assert blanks, "the sample has recto openings, so some versos must be blank"
    for index in blanks:
        assert (index + 1) % 2 == 0, f"page {index + 1} is blank but not a verso"


def test_captions_are_numbered_per_article(sample_pdf_text):
    text = flat(" ".join(sample_pdf_text))
    assert "Таблица 1. Программа государственного визита" in text
    assert "Таблица 1. Направления сотрудничества" in text  # numbering restarts in the next article
    assert re.search(r"Рис\. 1\. Схема", text)


def test_an_english_volume_gets_an_english_copyright_page(tmp_path):
    root = tmp_path / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    manifest = root / "anthology.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("lang: ru", "lang: en"), encoding="utf-8")
    assert run_anthology("build", str(root), "--format", "pdf").returncode == 0
    pages = [p.extract_text() for p in PdfReader(root / "build" / "new-volume.pdf").pages]
    assert "All rights reserved" in flat(pages[3])
    assert "УДК" not in " ".join(pages)
    assert "Contents" in " ".join(pages)


def test_a_long_table_repeats_its_header_row_on_every_page(tmp_path):
    root = tmp_path / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    rows = "".join(f"| {n} | строка {n} |\n" for n in range(1, 121))
    (root / "chapters" / "02-second.md").write_text(
        "---\ntitle: Long table\n---\n\n| Номер | Содержание |\n|---|---|\n" + rows, encoding="utf-8")
    assert run_anthology("build", str(root), "--format", "pdf").returncode == 0
    pages = [p.extract_text() for p in PdfReader(root / "build" / "new-volume.pdf").pages]
    table_pages = [text for text in pages if re.search(r"строка \d+", text)]
    assert len(table_pages) >= 3
    assert all("Номер Содержание" in flat(text) for text in table_pages)
