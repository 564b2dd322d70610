"""Hardening, third round (issue #18): the unit cache is sealed, a manifest that leads out is
refused, a full disk is a clear error, and costs are bounded before the work.

Volumes are made with `anthology init` and run through the command line, as a user would.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
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


# --- 4. what a thing costs, bounded before the work ----------------------------------------------

def second_article(root: Path, body: str) -> Path:
    """The second article with `body`, which begins on line 6."""
    path = root / "chapters" / "02-second.md"
    path.write_text("---\ntitle: A second article\nlang: en\n---\n\n" + body, encoding="utf-8")
    return path


def test_a_table_of_too_many_cells_is_refused_before_it_is_laid_out(volume):
    columns = 40
    rows = "\n".join("| " + " | ".join("x" for _ in range(columns)) + " |" for _ in range(1_300))  # 52,000 cells
    second_article(volume, "Text.\n\n| " + " | ".join(f"c{i}" for i in range(columns)) + " |\n|"
                   + "---|" * columns + "\n" + rows + "\n")
    for command in ("check", "build"):
        result = run_anthology(command, str(volume))
        assert_refused(result, "chapters/02-second.md:8: error: this table has 52,040 cells; a table may have at most 50,000")
    assert not (volume / "build" / "new-volume.pdf").exists()


def fan_out(levels: int = 8, fan: int = 10) -> str:
    """An SVG of a few hundred bytes that draws fan**levels rectangles (1e8 here)."""
    groups = '<g id="l0"><rect width="1" height="1"/></g>' + "".join(
        f'<g id="l{i}">' + f'<use xlink:href="#l{i - 1}"/>' * fan + "</g>" for i in range(1, levels + 1))
    return ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
            f'<defs>{groups}</defs><use xlink:href="#l{levels}"/></svg>')


@pytest.mark.parametrize("where", ["figure", "background"])
def test_an_svg_that_fans_out_is_refused_before_it_is_drawn(volume, where):
    images = volume / "chapters" / "images"
    images.mkdir()
    (images / "fan.svg").write_text(fan_out(), encoding="utf-8")
    if where == "figure":
        second_article(volume, "Text.\n\n![A figure](images/fan.svg)\n")
        expected = "chapters/02-second.md:8: error: image 'fan.svg' draws more than 100,000 elements"
    else:
        (volume / "styles" / "print.css").write_text("body {\n  background: url(../chapters/images/fan.svg);\n}\n",
                                                     encoding="utf-8")
        expected = "styles/print.css:2: error: image 'fan.svg' draws more than 100,000 elements"
    for command in ("check", "build"):
        assert_refused(run_anthology(command, str(volume)), expected)


def test_an_svg_whose_use_refers_to_itself_is_refused(volume):
    images = volume / "chapters" / "images"
    images.mkdir()
    (images / "loop.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><use href="#a"/></g></svg>',
                                     encoding="utf-8")
    second_article(volume, "Text.\n\n![A figure](images/loop.svg)\n")
    assert_refused(run_anthology("check", str(volume)), "image 'loop.svg' has a <use> that refers to itself")


def test_a_docx_of_many_large_images_is_refused_before_it_is_unpacked(volume, tmp_path):
    import docx

    small = tmp_path / "small.docx"
    document = docx.Document()
    document.add_paragraph("Текст статьи о визите в Баку.")
    document.save(small)
    source = tmp_path / "many.docx"
    with zipfile.ZipFile(small) as package, zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as many:
        for info in package.infolist():
            many.writestr(info, package.read(info))
        for number in range(6):  # each within the 20 MB an image may have, 115 MB in all with the text
            many.writestr(f"word/media/image{number}.png", bytes(19_000_000))
    before = sorted((volume / "chapters").rglob("*"))
    result = run_anthology("import", "--project", str(volume), str(source))
    assert_refused(result, f"{source}: error: the document is 115 MB unpacked; a .docx may be at most 100 MB")
    assert sorted((volume / "chapters").rglob("*")) == before
