"""Shared fixtures: the sample volume is built once per test session, for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
SLUG = "kz-az-expert-council"
NO_FONTS = '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig></fontconfig>\n'


@pytest.fixture(scope="session", autouse=True)
def no_system_fonts(tmp_path_factory):
    """The suite runs as on a fresh machine: no font of the system is visible to anything it starts
    (tests/test_fonts.py adds decoy fonts on purpose where it needs them)."""
    config = tmp_path_factory.mktemp("fontconfig") / "fonts.conf"
    config.write_text(NO_FONTS, encoding="utf-8")
    previous = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(config)
    yield
    if previous is None:
        del os.environ["FONTCONFIG_FILE"]
    else:
        os.environ["FONTCONFIG_FILE"] = previous


def run_anthology(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real command line in a child process, as a user would."""
    return subprocess.run([sys.executable, "-m", "anthology", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Path:
    """The sample volume (the repository root) built into a temporary folder."""
    out = tmp_path_factory.mktemp("sample-build")
    result = run_anthology("build", str(ROOT), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def sample_pdf(sample_build) -> PdfReader:
    return PdfReader(sample_build / f"{SLUG}.pdf")


@pytest.fixture(scope="session")
def sample_pdf_text(sample_pdf) -> list[str]:
    return [page.extract_text() or "" for page in sample_pdf.pages]


@pytest.fixture(scope="session")
def sample_epub(sample_build) -> zipfile.ZipFile:
    return zipfile.ZipFile(sample_build / f"{SLUG}.epub")


@pytest.fixture(scope="session")
def outline_pages(sample_pdf) -> dict[str, int]:
    """Outline title → 0-based page index: where each part of the book really starts."""
    pages = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                pages.setdefault(item.title, sample_pdf.get_destination_page_number(item))
    walk(sample_pdf.outline)
    return pages


@pytest.fixture
def mounted(tmp_path):
    """A tmpfs of its own (read-only when asked, or remounted so later), as a read-only or a full
    output folder is on a real machine: root writes into any folder whose mode says read-only."""
    mounts = []

    def mount(name: str, *options: str) -> Path:
        point = tmp_path / name
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(("size=64m", *options)), "tmpfs", str(point)],
                              capture_output=True, text=True)
        if done.returncode:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounts.append(point)
        return point

    yield mount
    for point in reversed(mounts):
        subprocess.run(["umount", "-l", str(point)], check=False)


def small_volume(folder: Path, manifest_extra: str = "") -> Path:
    """`anthology init`'s volume written into `folder` (in this process, for the stage tests), with
    `manifest_extra` appended to its manifest."""
    skeleton = ROOT / "anthology" / "skeleton"
    shutil.copytree(skeleton, folder)
    if manifest_extra:
        manifest = folder / "anthology.yaml"
        manifest.write_text(manifest.read_text(encoding="utf-8") + manifest_extra, encoding="utf-8")
    return folder
