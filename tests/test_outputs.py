"""A build's outputs change together or not at all: a build stopped after it wrote the new PDF but
before the EPUB leaves the earlier PDF, EPUB, SHA256SUMS and report as they were, and no staging
folder behind."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_anthology, small_volume


def _state(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir() if p.is_file()}


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_build_stopped_between_its_outputs_changes_none_of_them(tmp_path, signum):
    root = small_volume(tmp_path / "vol")
    assert run_anthology("build", str(root)).returncode == 0
    out = root / "build"
    before = _state(out)
    assert {"new-volume.pdf", "new-volume.epub", "SHA256SUMS", "build-report.json"} <= set(before)
    article = root / "chapters" / "02-second.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more sentence, so the book changes.\n",
                       encoding="utf-8")
    build = subprocess.Popen([sys.executable, "-m", "anthology", "build", str(root)], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list(out.glob(".staging-*/new-volume.pdf")):  # the new PDF is written, the EPUB not yet
        assert build.poll() is None and time.monotonic() < deadline, "the build ended before its PDF was staged"
        time.sleep(0.01)
    build.send_signal(signum)
    _, stderr = build.communicate(timeout=120)
    if build.returncode == 0:
        pytest.skip("the build finished before the signal came (it was already putting its outputs in place)")
    assert build.returncode == 130 and "interrupted" in stderr and "Traceback" not in stderr
    assert _state(out) == before
    assert not list(out.glob(".staging-*"))


def test_an_abandoned_staging_folder_is_removed_by_the_next_build(tmp_path):
    root = small_volume(tmp_path / "vol")
    abandoned = root / "build" / ".staging-999999999-x"  # no such process
    abandoned.mkdir(parents=True)
    (abandoned / "new-volume.pdf").write_bytes(b"half")
    assert run_anthology("build", str(root)).returncode == 0
    assert not abandoned.exists()
