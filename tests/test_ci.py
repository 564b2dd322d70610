"""What CI relies on: byte-identical rebuilds, strict and JSON checks, --validate, checksums, a report."""

from __future__ import annotations

import hashlib
import json
import os
import shutil

import pytest

from conftest import ROOT, SLUG, run_anthology


@pytest.fixture
def volume(tmp_path):
    root = tmp_path / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    return root


def test_two_builds_of_the_same_sources_are_byte_identical(volume, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    for out in ("one", "two"):
        result = run_anthology("build", str(volume), "--out", str(tmp_path / out), env=env)
        assert result.returncode == 0, result.stderr
    for name in ("new-volume.pdf", "new-volume.epub", "SHA256SUMS"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_the_same_sources_in_another_folder_give_the_same_bytes(sample_build, tmp_path):
    """A CI machine checks the volume out wherever it likes: no byte may depend on that path (the
    sample has a figure, whose name in the PDF WeasyPrint derives from its URL)."""
    copy = tmp_path / "checked out" / "elsewhere"
    copy.mkdir(parents=True)
    for name in ("anthology.yaml", "people.yaml", "references.json", "chapters", "styles"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, copy / name)
    result = run_anthology("build", str(copy))
    assert result.returncode == 0, result.stderr
    for name in (f"{SLUG}.pdf", f"{SLUG}.epub", "SHA256SUMS"):
        assert (copy / "build" / name).read_bytes() == (sample_build / name).read_bytes(), name


def test_source_date_epoch_sets_the_dates(volume, tmp_path):
    result = run_anthology("build", str(volume), "--out", str(tmp_path / "o"), env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.returncode == 0
    epub = (tmp_path / "o" / "new-volume.epub").read_bytes()
    assert b"2023-11-14T22:13:20Z" in __import__("zipfile").ZipFile(tmp_path / "o" / "new-volume.epub").read("EPUB/content.opf")
    assert epub


def test_checksums_and_build_report(volume):
    assert run_anthology("build", str(volume)).returncode == 0
    out = volume / "build"
    sums = dict(line.split("  ")[::-1] for line in (out / "SHA256SUMS").read_text().splitlines())
    for name, digest in sums.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert set(sums) == {"new-volume.pdf", "new-volume.epub"} | {
        f"metadata/new-volume.{kind}" for kind in ("csl.json", "bib", "crossref.xml", "onix.xml")}
    report = json.loads((out / "build-report.json").read_text())
    assert report["pages"] > 4 and report["articles"] == 2 and report["words"] > 20
    assert report["index_entries"] == 1 and report["references"] == 1
    assert {"prepare", "layout", "pdf", "epub"} <= set(report["seconds"])


def test_check_strict_fails_on_warnings_and_json_lists_problems(volume):
    manifest = volume / "anthology.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("subtitle:", "subtitel:"), encoding="utf-8")
    assert run_anthology("check", str(volume)).returncode == 0
    assert run_anthology("check", str(volume), "--strict").returncode == 1
    result = run_anthology("check", str(volume), "--format", "json")
    problems = json.loads(result.stdout)
    assert problems == [{"file": "anthology.yaml", "line": 3, "severity": "warning", "code": "unknown-key",
                         "message": "unknown key 'subtitel' in the manifest; did you mean 'subtitle'?"}]


def test_validate_fails_on_a_broken_epub(volume):
    article = volume / "chapters" / "02-second.md"
    article.write_text(article.read_text(encoding="utf-8") + '\nRaw <span id="twice">one</span> <span id="twice">two</span>.\n',
                       encoding="utf-8")
    assert run_anthology("build", str(volume)).returncode == 0  # without --validate nothing checks the EPUB
    result = run_anthology("build", str(volume), "--validate")
    assert result.returncode == 1
    assert 'new-volume.epub: RSC-005 ERROR: Error while parsing file: Duplicate ID "twice"' in result.stderr


def test_validate_passes_a_good_volume_in_every_profile(volume):
    # An 11-page book is off the press signature: the editor lets the printer add the blank pages.
    manifest = volume / "anthology.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + 'proof:\n  accept: ["anthology.yaml page-count"]\n',
                        encoding="utf-8")
    for profile in ("screen", "press", "archive", "accessible"):
        result = run_anthology("build", str(volume), "--validate", "--pdf-profile", profile,
                               *(["--format", "pdf"] if profile != "screen" else []))
        assert result.returncode == 0, (profile, result.stderr)
