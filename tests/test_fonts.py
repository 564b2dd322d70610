"""The volume's own fonts and nothing from the machine: the same bytes whatever fonts are installed."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from conftest import NO_FONTS, ROOT, SLUG, run_anthology

BUNDLED = ROOT / "styles" / "fonts"


def flowing(text: str) -> str:
    """Page text as one line: words hyphenated at a line end joined again."""
    return " ".join(re.sub(r"[\u2010-]\n", "", text).split())


def bundled_names() -> dict[str, str]:
    """PostScript name → family of every bundled font."""
    names = {}
    for path in BUNDLED.glob("*.ttf"):
        font = TTFont(path, lazy=True)
        names[font["name"].getDebugName(6)] = font["name"].getBestFamilyName()
    return names


def embedded_fonts(pdf_path: Path) -> list[tuple[str, str, bytes]]:
    """(PostScript name, family, program) of every font program the PDF embeds, read from the program."""
    found = []
    with pikepdf.open(pdf_path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in obj:
                        program = obj[key].read_bytes()
                        names = TTFont(io.BytesIO(program), lazy=True)["name"]
                        found.append((names.getDebugName(6), names.getBestFamilyName(), program))
    return found


def decoy_fonts(folder: Path) -> None:
    """'System' fonts that claim the volume's family names but are another typeface (Noto Sans Mono
    renamed): a build that let the system's fonts in would pick them up."""
    folder.mkdir()
    for family, postscript in (("Noto Serif", "DecoySerif-Regular"), ("Noto Sans", "DecoySans-Regular")):
        font = TTFont(BUNDLED / "NotoSansMono-Regular.ttf")
        for record in font["name"].names:
            if record.nameID in (1, 16):
                record.string = family
            elif record.nameID in (4,):
                record.string = f"{family} Regular"
            elif record.nameID == 6:
                record.string = postscript
        font.save(folder / f"{postscript}.ttf")


@pytest.fixture(scope="module")
def font_environments(tmp_path_factory) -> dict[str, Path]:
    """The sample built cold, side by side, with the system's fonts hidden and with decoy fonts installed."""
    base = tmp_path_factory.mktemp("font-environments")
    decoy_fonts(base / "decoys")
    decoys = f"<dir>{base / 'decoys'}</dir><cachedir>{base / 'fc-cache'}</cachedir>"
    configs = {"hidden": NO_FONTS, "decoys": NO_FONTS.replace("<fontconfig>", "<fontconfig>" + decoys)}
    processes = {}
    for name, config in configs.items():
        (base / f"{name}.conf").write_text(config, encoding="utf-8")
        env = {"FONTCONFIG_FILE": str(base / f"{name}.conf")}
        processes[name] = subprocess.Popen(
            [sys.executable, "-m", "anthology", "build", str(ROOT), "--out", str(base / name), "--no-cache"],
            env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for name, process in processes.items():
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr
        assert "font" not in stderr.lower(), stderr  # no fontconfig or WeasyPrint complaint about fonts
    return {name: base / name for name in configs}


def test_same_bytes_with_system_fonts_hidden_or_decoys_installed(font_environments, sample_build):
    for kind in ("pdf", "epub"):
        outputs = {name: (folder / f"{SLUG}.{kind}").read_bytes() for name, folder in font_environments.items()}
        outputs["the suite's"] = (sample_build / f"{SLUG}.{kind}").read_bytes()
        assert len(set(outputs.values())) == 1, f"the {kind} differs between font environments"


def test_the_pdf_embeds_only_bundled_fonts(font_environments):
    bundled = bundled_names()
    bundled_programs = {path.read_bytes() for path in BUNDLED.glob("*.ttf")}
    for environment, folder in font_environments.items():
        embedded = embedded_fonts(folder / f"{SLUG}.pdf")
        assert {"Noto Serif", "Noto Sans"} <= {family for _, family, _ in embedded}
        for postscript, family, program in embedded:
            assert bundled.get(postscript) == family, (environment, postscript, family)
            assert program in bundled_programs, (environment, postscript)  # whole fonts, joined: the very files


def test_the_colophon_names_the_typefaces_the_pdf_embeds(sample_pdf_text, sample_build):
    colophon = next(text for text in reversed(sample_pdf_text) if "Тираж" in text)
    families = dict.fromkeys(family for _, family, _ in embedded_fonts(sample_build / f"{SLUG}.pdf"))
    assert "Гарнитуры Noto Serif, Noto Sans." in flowing(colophon)
    assert set(families) == {"Noto Serif", "Noto Sans"}


@pytest.fixture
def small_volume(tmp_path) -> Path:
    """A copy of `anthology init`'s volume with an imprint, so that it has a colophon."""
    volume = tmp_path / "volume"
    assert run_anthology("init", str(volume)).returncode == 0
    manifest = volume / "anthology.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "imprint:\n  format: 60x84/16\n  print_run: 100\n",
                        encoding="utf-8")
    return volume


def test_the_colophon_follows_a_designers_font(small_volume):
    (small_volume / "styles" / "mono.css").write_text(':root { --font-text: "Noto Sans Mono", monospace; }\n')
    manifest = small_volume / "anthology.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "styles: [styles/mono.css]\n", encoding="utf-8")
    result = run_anthology("build", str(small_volume))
    assert result.returncode == 0, result.stderr
    pages = [page.extract_text() for page in PdfReader(small_volume / "build" / "new-volume.pdf").pages]
    colophon = flowing(next(p for p in reversed(pages) if "Тираж" in p))
    assert "Гарнитуры Noto Sans Mono, Noto Sans." in colophon, colophon


def test_a_character_no_font_covers_is_reported_with_its_place(small_volume):
    article = small_volume / "chapters" / "01-first.md"
    lines = article.read_text(encoding="utf-8").splitlines()
    lines.insert(10, "Улыбка 😀 и иероглиф 中.")
    article.write_text("\n".join(lines) + "\n", encoding="utf-8")
    line = lines.index("Улыбка 😀 и иероглиф 中.") + 1

    checked = run_anthology("check", str(small_volume))
    assert checked.returncode == 0, checked.stderr  # a warning: the editor decides
    for char, name in (("😀", "U+1F600 GRINNING FACE"), ("中", "U+4E2D CJK UNIFIED IDEOGRAPH-4E2D")):
        expected = f"chapters/01-first.md:{line}: warning: '{char}' ({name}) is in none of the volume's fonts"
        assert expected in checked.stderr, checked.stderr
    assert 'font stack "Noto Serif", serif' in checked.stderr

    built = run_anthology("build", str(small_volume))
    assert built.returncode == 0 and "U+1F600" in built.stderr, built.stderr
    assert "Pango" not in built.stderr and "Traceback" not in built.stderr

    strict = run_anthology("build", str(small_volume), "--strict")
    assert strict.returncode == 1
    assert f"chapters/01-first.md:{line}: error: '😀' (U+1F600 GRINNING FACE)" in strict.stderr


def test_a_heading_names_the_display_stack(small_volume):
    article = small_volume / "chapters" / "02-second.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n## Heading ⚧\n", encoding="utf-8")
    checked = run_anthology("check", str(small_volume))
    assert "U+26A7" in checked.stderr and 'font stack "Noto Sans", sans-serif' in checked.stderr, checked.stderr


def test_epub_fonts_are_subset_and_carry_their_licence(sample_build):
    path = sample_build / f"{SLUG}.epub"
    assert path.stat().st_size < 700_000
    with zipfile.ZipFile(path) as epub:
        names = epub.namelist()
        text = "".join(epub.read(n).decode("utf-8") for n in names if n.endswith((".xhtml", ".css")))
        fonts = [n for n in names if n.endswith(".ttf")]
        assert "EPUB/styles/fonts/OFL.txt" in names
        assert "SIL Open Font License" in epub.read("EPUB/styles/fonts/OFL.txt").decode()
        assert {Path(n).name for n in fonts} == {p.name for p in BUNDLED.glob("*.ttf")}
        for name in fonts:
            data = epub.read(name)
            original = (BUNDLED / Path(name).name).stat().st_size
            assert len(data) < original / 4, name
            cmap = TTFont(io.BytesIO(data))["cmap"].getBestCmap()
            needed = {c for c in set(text) if c.isalpha()}
            assert all(ord(c) in cmap for c in needed), (name, sorted(c for c in needed if ord(c) not in cmap)[:10])


def test_imprint_typeface_is_no_longer_typed_by_hand(small_volume):
    manifest = small_volume / "anthology.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "  typeface: Times\n", encoding="utf-8")
    checked = run_anthology("check", str(small_volume))
    assert "'typeface' is not needed: the colophon names the fonts the book is really set in" in checked.stderr


@pytest.mark.parametrize("profile", ["archive", "accessible"])
def test_a_whole_document_profile_embeds_whole_fonts(small_volume, profile):
    """Units written as one document (PDF/A, PDF/UA) embed the font files as they are, as the other
    profiles do: WeasyPrint would otherwise subset them with libharfbuzz-subset where a machine has
    it and with fontTools where not, and the bytes would depend on the machine."""
    result = run_anthology("build", str(small_volume), "--format", "pdf", "--pdf-profile", profile)
    assert result.returncode == 0, result.stderr
    bundled_programs = {path.read_bytes() for path in BUNDLED.glob("*.ttf")}
    embedded = embedded_fonts(small_volume / "build" / "new-volume.pdf")
    assert embedded and all(program in bundled_programs for _, _, program in embedded)
