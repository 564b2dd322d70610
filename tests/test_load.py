"""The load stage alone: the manifest and the articles → a Volume, with every problem located."""

from __future__ import annotations

import datetime as dt

import pytest

from anthology import Problems, load_volume
from anthology.load.yaml import load_yaml

from conftest import ROOT, small_volume


def test_the_reading_order_is_one_walk():
    volume = load_volume(ROOT, Problems())
    stops = [(stop.kind, stop.item.id) for stop in volume.walk()]
    assert stops[0] == ("front", "preface")
    assert [kind for kind, _ in stops].count("part") == len(volume.parts) == 2
    assert stops[-1][0] == "back"
    assert [item for kind, item in stops if kind in ("front", "article", "back")] == [a.id for a in volume.articles()]
    for stop in volume.walk():  # every article knows the part and chapter it stands in
        if stop.kind == "article":
            assert stop.item in stop.chapter.articles and stop.chapter in stop.part.chapters


def test_problems_are_collected_with_their_lines(tmp_path):
    volume_dir = small_volume(tmp_path / "v", "identifiers:\n  isbn_print: 978-5-00000-000-1\nbleed: wide\nbibliografy: volume\n")
    problems = Problems()
    load_volume(volume_dir, problems)
    found = {(p.line, p.severity, p.message.split(";")[0]) for p in problems}
    lines = (volume_dir / "anthology.yaml").read_text(encoding="utf-8").splitlines()
    line = {key: lines.index(next(l for l in lines if l.strip().startswith(key))) + 1 for key in ("isbn_print", "bleed", "bibliografy")}
    assert (line["isbn_print"], "error", "isbn_print '978-5-00000-000-1' is not a valid ISBN (check digit)") in found
    assert (line["bleed"], "error", "'bleed' must be a length such as 3mm") in found
    assert (line["bibliografy"], "warning", "unknown key 'bibliografy' in the manifest") in found


def test_the_build_date_is_decided_once_at_load(tmp_path, monkeypatch):
    volume_dir = small_volume(tmp_path / "v")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert load_volume(volume_dir, Problems()).built == dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert load_volume(volume_dir, Problems()).built == dt.datetime.fromtimestamp(1700000000, dt.timezone.utc)


@pytest.mark.parametrize("text, expected, messages", [
    ("base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  b: 3\n", {"a": 1, "b": 3}, []),  # the mapping's own key wins
    ("one: &one {a: 1}\ntwo: &two {a: 2, c: 3}\nx:\n  <<: [*one, *two]\n", {"a": 1, "c": 3}, []),  # the first merge wins
    ("x:\n  a: 1\n  a: 2\n", {"a": 1}, [(3, "duplicate key 'a' (first at line 2)")]),
    ("x:\n  a: !!int abc\n", {"a": None}, [(2, "malformed YAML: 'abc' is not a valid int (ValueError)")]),
])
def test_one_yaml_reader_for_every_user_file(text, expected, messages):
    problems = Problems()
    data = load_yaml(text, ROOT / "t.yaml", problems)
    assert dict(data["x"]) == expected
    assert [(p.line, p.message) for p in problems] == messages
