"""Bad input: a clear message naming the file and line, exit 1, no traceback, earlier outputs untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_anthology

OLD_OUTPUT = b"%PDF-1.7 an earlier good build"


@pytest.fixture
def volume(tmp_path) -> Path:
    """A fresh small volume (from `anthology init`) with an earlier build's outputs in place."""
    root = tmp_path / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    (root / "build").mkdir()
    (root / "build" / "new-volume.pdf").write_bytes(OLD_OUTPUT)
    (root / "build" / "new-volume.epub").write_bytes(OLD_OUTPUT)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def manifest(root):
    return root / "anthology.yaml"


def first(root):
    return root / "chapters" / "01-first.md"


def second(root):
    return root / "chapters" / "02-second.md"


CASES = {
    "malformed manifest YAML": (lambda r: edit(manifest(r), "title: Новый сборник", "title: [Новый сборник"),
                                r"anthology\.yaml:\d+: error: malformed YAML"),
    "malformed front matter": (lambda r: edit(first(r), "title: Первая статья", "title: Первая: статья: {"),
                               r"chapters/01-first\.md:2: error: malformed YAML"),
    "missing article file": (lambda r: edit(manifest(r), "chapters/02-second.md", "chapters/03-missing.md"),
                             r"anthology\.yaml:22: error: article file 'chapters/03-missing\.md' does not exist"),
    "article listed twice": (lambda r: edit(manifest(r), "chapters/02-second.md", "chapters/01-first.md"),
                             r"anthology\.yaml:22: error: article 'chapters/01-first\.md' is listed twice \(first at line 21\)"),
    "two articles with one id": (lambda r: (edit(first(r), "title: Первая статья", "title: Первая статья\nid: same"),
                                            edit(second(r), "title: A second article", "title: A second article\nid: same")),
                                 r"chapters/02-second\.md:1: error: article id 'same' is already used by chapters/01-first\.md"),
    "missing title": (lambda r: edit(first(r), "title: Первая статья\n", ""),
                      r"chapters/01-first\.md:1: error: the article has no 'title'"),
    "missing image": (lambda r: edit(second(r), "An article in English", "![A map](images/map.png)\n\nAn article in English"),
                      r"chapters/02-second\.md:9: error: image 'images/map\.png' does not exist"),
    "path outside the project": (lambda r: edit(manifest(r), "chapters/02-second.md", "../../etc/passwd"),
                                 r"anthology\.yaml:22: error: article '\.\./\.\./etc/passwd' leaves the project folder"),
    "absolute path": (lambda r: edit(manifest(r), "chapters/02-second.md", "/etc/passwd"),
                      r"anthology\.yaml:22: error: article '/etc/passwd' must be a path relative to the project folder"),
    "not UTF-8": (lambda r: second(r).write_bytes(second(r).read_text().replace("English", "Engl\xe9sh").encode("latin-1")),
                  r"chapters/02-second\.md:9: error: not UTF-8 text"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_reported_and_nothing_is_written(volume, case):
    break_it, expected = CASES[case]
    break_it(volume)
    for command in ("check", "build"):
        result = run_anthology(command, str(volume))
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert re.search(expected, result.stderr), result.stderr
    assert (volume / "build" / "new-volume.pdf").read_bytes() == OLD_OUTPUT
    assert (volume / "build" / "new-volume.epub").read_bytes() == OLD_OUTPUT
    assert not [p for p in (volume / "build").iterdir() if p.name.endswith(".part")]


def test_unknown_manifest_key_is_a_warning_with_a_suggestion(volume):
    edit(manifest(volume), "subtitle:", "subtitel:")
    result = run_anthology("check", str(volume))
    assert result.returncode == 0
    assert re.search(r"anthology\.yaml:3: warning: unknown key 'subtitel' in the manifest; did you mean 'subtitle'\?", result.stderr)


def test_usage_error_exits_2(volume):
    result = run_anthology("build", str(volume), "--format", "docx")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_init_refuses_a_folder_that_is_not_empty(volume):
    result = run_anthology("init", str(volume))
    assert result.returncode == 1
    assert "not empty" in result.stderr


def test_init_makes_a_volume_that_builds(volume):
    result = run_anthology("build", str(volume))
    assert result.returncode == 0, result.stderr
    assert (volume / "build" / "new-volume.pdf").read_bytes().startswith(b"%PDF")
    assert (volume / "build" / "new-volume.epub").stat().st_size > 10_000


def test_an_unknown_theme_is_an_error_naming_the_themes(volume):
    manifest(volume).write_text(manifest(volume).read_text(encoding="utf-8") + "theme: baroque\n", encoding="utf-8")
    result = run_anthology("check", str(volume))
    assert result.returncode == 1
    assert re.search(r"anthology\.yaml:\d+: error: theme 'baroque' does not exist; choose one of: classic, modern",
                     result.stderr), result.stderr


def test_authors_that_are_not_a_list_are_located(volume):
    edit(first(volume), "authors:\n", "authors: 1\nx_authors:\n")
    result = run_anthology("check", str(volume))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "chapters/01-first.md:3: error: 'authors' must be a list" in result.stderr, result.stderr
