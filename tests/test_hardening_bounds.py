"""Hardening, third round (issue #18): the unit cache is sealed, a manifest that leads out is
refused, a full disk is a clear error, and costs are bounded before the work.

Volumes are made with `anthology init` and run through the command line, as a user would.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import run_anthology


@pytest.fixture
def volume(tmp_path) -> Path:
    root = tmp_path / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    return root


def assert_refused(result, *expected: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


# --- 1. the unit cache holds only what this code stored ----------------------------------------------

def tampered_pdf(path: Path) -> None:
    """A one-page PDF saying TAMPERED, in place of a unit's pages."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(420, 595))
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(b"BT /F1 24 Tf 50 400 Td (TAMPERED) Tj ET")
    pdf.save(path)


def tamper_entry(entry: Path) -> None:
    """Every outline label in a unit's entry renamed TAMPERED, the entry's digest (if any) kept."""
    stored = json.loads(entry.read_text(encoding="utf-8"))
    data = json.loads(stored["entry"]) if "entry" in stored else stored
    data["bookmarks"] = [[level, "TAMPERED", page] for level, _, page in data.get("bookmarks", [])]
    if "entry" in stored:
        stored["entry"] = json.dumps(data, ensure_ascii=False)
    entry.write_text(json.dumps(stored if "entry" in stored else data, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("how", ["pdf replaced", "entry edited"])
def test_an_edited_unit_in_the_cache_is_laid_out_again(volume, how):
    assert run_anthology("build", str(volume), "--format", "pdf").returncode == 0
    units = sorted((volume / "build" / ".cache" / "units").rglob("*.pdf"))
    assert units
    for unit in units:
        if how == "pdf replaced":
            tampered_pdf(unit)
        elif unit.with_suffix(".json").is_file():
            tamper_entry(unit.with_suffix(".json"))
    result = run_anthology("build", str(volume), "--format", "pdf")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    book = volume / "build" / "new-volume.pdf"
    assert "TAMPERED" not in pdf_text(book)
    with pikepdf.open(book) as pdf:
        assert all("TAMPERED" not in str(item.title) for item in pdf.open_outline().root)
    assert all("TAMPERED" not in pdf_text(unit) for unit in units)  # laid out and stored anew


# --- 2. a manifest that leads out of the project -----------------------------------------------------

@pytest.mark.parametrize("command", ["check", "build"])
def test_a_manifest_that_links_out_of_the_project_is_refused(volume, tmp_path, command):
    outside = tmp_path / "outside.yaml"
    manifest = volume / "anthology.yaml"
    outside.write_text(manifest.read_text(encoding="utf-8").replace("Новый сборник", "SECRET"), encoding="utf-8")
    manifest.unlink()
    manifest.symlink_to(outside)
    result = run_anthology(command, str(volume))
    assert_refused(result, f"anthology.yaml: error: it links to {outside}, which leaves the project folder")
    assert "SECRET" not in result.stdout + result.stderr
    assert not (volume / "build").exists()


# --- 3. a full disk -------------------------------------------------------------------------------

def fill(disk: Path, leave: int) -> None:
    """Fill the file system of `disk` but for `leave` bytes."""
    (disk / "filler").unlink(missing_ok=True)
    free = shutil.disk_usage(disk).free
    with (disk / "filler").open("wb") as filler:
        filler.truncate(0)
        for _ in range((free - leave) // 65536):
            filler.write(b"\0" * 65536)
    assert abs(shutil.disk_usage(disk).free - leave) < 200_000


# Room left: for no part of the PDF; for part of the PDF (QPDF aborted here, #18); for the PDF and
# part of the EPUB.
@pytest.mark.parametrize("leave", [300_000, 1_000_000, 1_450_000])
def test_a_full_disk_is_a_clear_error_and_leaves_the_earlier_build(volume, mounted, leave):
    disk = mounted("disk")
    out = disk / "out"
    assert run_anthology("build", str(volume), "--out", str(out)).returncode == 0
    before = {path.name: path.read_bytes() if path.is_file() else None for path in out.iterdir()}
    fill(disk, leave)
    result = run_anthology("build", str(volume), "--out", str(out))
    assert_refused(result, f"{out}: error: no space left on this device", "nothing was written")
    if leave < 1_200_000:  # the PDF itself does not fit: said before it is written, with its size
        assert re.search(r"needed about \d+\.\d MB, \d+\.\d MB free", result.stderr), result.stderr
    assert {path.name for path in out.iterdir()} == set(before)  # no staging folder, no .part file
    assert all(path.read_bytes() == before[path.name] for path in out.iterdir() if path.is_file())
    assert subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=out).returncode == 0
    (disk / "filler").unlink()
    assert run_anthology("build", str(volume), "--out", str(out)).returncode == 0  # room again, a build again
