"""PDF output profiles (screen, press, archive, accessible), read back from real renders.

A small volume is made with `anthology init` (plus an RGB figure), laid out through the public API
with each profile's CSS appended, written with the profile's options and finished. Each build runs
in its own process, as `anthology build` would, with SOURCE_DATE_EPOCH set.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageCms

from anthology import profiles
from anthology.layout import Renderer, write_pdf
from anthology.layout.fetcher import LocalFetcher
from anthology.load.styles import DEFAULT_STYLES

from conftest import run_anthology

MM = 72 / 25.4
A5 = (148 * MM, 210 * MM)
EPOCH = {"SOURCE_DATE_EPOCH": "1735689600"}
XMP = {"pdfaid": "http://www.aiim.org/pdfa/ns/id/", "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
       "pdfxid": "http://www.npes.org/pdfx/ns/id/"}

# One build as `anthology build` lays it out and writes it (units in files for screen and press, in
# memory for archive and accessible), then finish. argv: volume, profile, output, finish|raw.
BUILD = """
import sys
from pathlib import Path
from anthology import Problems, enrich, layout, profiles

root, name, out, mode = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4]
problems = Problems()
enriched = enrich(root, problems)
chosen = profiles.profile(name, enriched.volume.bleed)
store = None if chosen.whole_document else out.parent / f"units-{name}"
book = layout.lay_out(enriched, chosen, problems, store=store)
book.write(out, chosen.options)
if mode == "finish":
    profiles.finish(out, chosen)
"""


def make_volume(folder: Path, bleed: str | None = None) -> Path:
    """`anthology init`, plus an RGB figure in the first article (and a bleed in the manifest)."""
    result = run_anthology("init", str(folder))
    assert result.returncode == 0, result.stderr
    image = Image.new("RGB", (300, 120), (255, 255, 255))
    for x, colour in enumerate([(122, 31, 31), (11, 110, 138), (200, 180, 40), (128, 128, 128)]):
        image.paste(colour, (20 + 70 * x, 20, 80 + 70 * x, 100))
    (folder / "chapters" / "images").mkdir()
    image.save(folder / "chapters" / "images" / "figure.png")
    article = folder / "chapters" / "01-first.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n\n![Схема маршрута](images/figure.png)\n",
                       encoding="utf-8")
    if bleed:
        manifest = folder / "anthology.yaml"
        manifest.write_text(manifest.read_text(encoding="utf-8") + f"\nbleed: {bleed}\n", encoding="utf-8")
    return folder


def build_pdf(volume: Path, name: str, out: Path, finish: bool = True) -> Path:
    result = subprocess.run([sys.executable, "-c", BUILD, str(volume), name, str(out), "finish" if finish else "raw"],
                            capture_output=True, text=True, env={**os.environ, **EPOCH}, timeout=600)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def volume(tmp_path_factory) -> Path:
    return make_volume(tmp_path_factory.mktemp("profiles") / "volume")


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("profile-pdfs")


@pytest.fixture(scope="module")
def press(volume, out) -> Path:
    return build_pdf(volume, "press", out / "press.pdf")


@pytest.fixture(scope="module")
def archive(volume, out) -> Path:
    return build_pdf(volume, "archive", out / "archive.pdf")


@pytest.fixture(scope="module")
def accessible(volume, out) -> Path:
    return build_pdf(volume, "accessible", out / "accessible.pdf")


@pytest.fixture(scope="module")
def screen(volume, out) -> Path:
    return build_pdf(volume, "screen", out / "screen.pdf")


def boxes(page) -> dict[str, list[float]]:
    return {key: [float(v) for v in page.obj[key]] for key in ("/MediaBox", "/TrimBox", "/BleedBox") if key in page.obj}


def content_streams(pdf: pikepdf.Pdf):
    for page in pdf.pages:
        yield page
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form":
            yield obj


def operators(target) -> list[str]:
    return [str(instruction.operator) for instruction in pikepdf.parse_content_stream(target)]


def xmp_value(pdf: pikepdf.Pdf, prefix: str, name: str):
    return pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False).get(f"{{{XMP[prefix]}}}{name}")


# --- the profiles themselves ----------------------------------------------------------------------


def test_profile_names_options_and_css():
    assert profiles.PROFILES == ("screen", "press", "archive", "accessible")
    screen = profiles.profile("screen", "3mm")
    assert screen.css == "" and screen.options == {}
    assert profiles.profile("press", "3mm").options["pdf_variant"] == "pdf/x-1a"
    assert profiles.profile("archive", "3mm").options["pdf_variant"] == "pdf/a-2b"
    assert profiles.profile("accessible", "3mm").options["pdf_variant"] == "pdf/ua-1"
    css = profiles.profile("press", "3mm").css
    assert "marks: crop cross" in css and "bleed:" in css
    with pytest.raises(ValueError):
        profiles.profile("print", "3mm")
    with pytest.raises(ValueError):
        profiles.profile("press", "three millimetres")


def test_lengths_in_points():
    assert profiles.to_points("3mm") == pytest.approx(8.5039, abs=1e-3)
    assert profiles.to_points("0.125in") == pytest.approx(9.0)
    assert profiles.to_points("1cm") == pytest.approx(28.3465, abs=1e-3)
    assert profiles.to_points("10pt") == 10


def test_bundled_icc_profile_is_cmyk_small_and_licensed():
    icc = profiles.find_icc(profiles.ICC_DIR)
    assert icc.stat().st_size < 2 * 1024 * 1024
    opened = ImageCms.getOpenProfile(str(icc))
    assert opened.profile.xcolor_space.strip() == "CMYK"
    assert "ISO Coated v2" in ImageCms.getProfileDescription(opened)
    licence = (profiles.ICC_DIR / "ISOcoated_v2_300_bas.LICENSE.txt").read_text(encoding="utf-8")
    assert "zlib" in licence and "basICColor" in licence
    readme = (profiles.ICC_DIR / "README.md").read_text(encoding="utf-8")
    assert hashlib.sha256(icc.read_bytes()).hexdigest() in readme
    assert "scribus-data" in readme


# --- press: PDF/X-1a ------------------------------------------------------------------------------


def test_press_trim_and_bleed_boxes_on_every_page(press):
    bleed = 3 * MM
    with pikepdf.open(press) as pdf:
        assert len(pdf.pages) > 5
        for number, page in enumerate(pdf.pages, 1):
            box = boxes(page)
            assert "/TrimBox" in box and "/BleedBox" in box, f"page {number}"
            trim, bleed_box, media = box["/TrimBox"], box["/BleedBox"], box["/MediaBox"]
            assert trim[2] - trim[0] == pytest.approx(A5[0], abs=0.01)  # trim size from the manifest
            assert trim[3] - trim[1] == pytest.approx(A5[1], abs=0.01)
            margins = [trim[0] - bleed_box[0], trim[1] - bleed_box[1], bleed_box[2] - trim[2], bleed_box[3] - trim[3]]
            assert margins == pytest.approx([bleed] * 4, abs=0.01), f"page {number}"
            # the MediaBox holds the marks: at least 6 mm beyond the bleed on every side
            outside = [bleed_box[0] - media[0], bleed_box[1] - media[1],
                       media[2] - bleed_box[2], media[3] - bleed_box[3]]
            assert min(outside) >= 6 * MM - 0.01, f"page {number}"


def test_press_bleed_comes_from_the_manifest(tmp_path):
    folder = make_volume(tmp_path / "wide-bleed", bleed="5mm")
    pdf_path = build_pdf(folder, "press", tmp_path / "wide.pdf")
    with pikepdf.open(pdf_path) as pdf:
        box = boxes(pdf.pages[0])
        assert box["/TrimBox"][0] - box["/BleedBox"][0] == pytest.approx(5 * MM, abs=0.01)
    assert profiles.check(pdf_path, profiles.profile("press", "5mm")) == []


def test_press_output_intent_is_the_bundled_cmyk_profile(press):
    icc = profiles.find_icc(profiles.ICC_DIR).read_bytes()
    with pikepdf.open(press) as pdf:
        intents = list(pdf.Root.OutputIntents)
        assert len(intents) == 1
        intent = intents[0]
        assert intent.S == "/GTS_PDFX"
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert str(intent.RegistryName) == "http://www.color.org"
        assert int(intent.DestOutputProfile.N) == 4
        assert intent.DestOutputProfile.read_bytes() == icc


def test_press_is_identified_as_pdf_x_1a(press):
    with pikepdf.open(press) as pdf:
        assert pdf.pdf_version == "1.4"
        assert str(pdf.docinfo["/GTS_PDFXVersion"]).startswith("PDF/X-1a")
        assert pdf.docinfo["/Trapped"] == "/False"
        assert str(pdf.docinfo["/Title"]) == "Новый сборник"
        assert str(xmp_value(pdf, "pdfxid", "GTS_PDFXVersion")).startswith("PDF/X-1a")


def test_press_has_only_cmyk_and_gray(press):
    with pikepdf.open(press) as pdf:
        ops = [op for target in content_streams(pdf) for op in operators(target)]
        assert "rg" not in ops and "RG" not in ops
        assert "k" in ops and "g" in ops  # the accent colour in CMYK, the text in gray (black ink)
        images = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]
        assert images, "the figure is missing"
        assert {str(image.ColorSpace) for image in images} <= {"/DeviceCMYK", "/DeviceGray"}
        figure = max(images, key=lambda image: int(image.Width))
        assert figure.ColorSpace == "/DeviceCMYK" and int(figure.Width) == 300
        assert all(image.get("/Interpolate") is not True for image in images)


def test_press_has_no_transparency_and_no_annotations(press):
    with pikepdf.open(press) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                assert obj.get("/ca", 1) == 1 and obj.get("/CA", 1) == 1
                group = obj.get("/Group")
                assert not (isinstance(group, pikepdf.Dictionary) and group.get("/S") == "/Transparency")
                if obj.get("/Subtype") == "/Image":
                    assert "/SMask" not in obj
        assert all("/Annots" not in page.obj for page in pdf.pages)


def test_press_marks_are_drawn_on_every_page(press):
    """WeasyPrint draws crop and registration marks as a form on each page; after finishing they
    are stroked only (the SVG's transparent fill is gone)."""
    with pikepdf.open(press) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            forms = [x for x in page.resources.get("/XObject", {}).values() if x.get("/Subtype") == "/Form"]
            marks = [f for f in forms if "S" in operators(f) and not {"f", "B", "b"} & set(operators(f))]
            assert marks, f"page {number} has no marks"


def test_press_embeds_every_font(press):
    with pikepdf.open(press) as pdf:
        fonts = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"]
        assert fonts
        for font in fonts:
            if font.Subtype in ("/Type0", "/Type3"):
                continue
            descriptor = font.FontDescriptor
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")


def test_press_builds_are_byte_identical(press, volume, out):
    again = build_pdf(volume, "press", out / "press-again.pdf")
    assert again.read_bytes() == press.read_bytes()


def test_press_opens_cleanly_and_passes_the_checks(press):
    with pikepdf.open(press) as pdf:
        assert pdf.check_pdf_syntax() == []
    assert profiles.check(press, profiles.profile("press", "3mm")) == []


def test_press_check_catches_an_unfinished_file(volume, out):
    raw = build_pdf(volume, "press", out / "press-raw.pdf", finish=False)
    problems = " | ".join(profiles.check(raw, profiles.profile("press", "3mm")))
    for expected in ("OutputIntent", "BleedBox", "RGB colour operators", "images not in CMYK", "annotations"):
        assert expected in problems


def test_finish_converts_gradients_and_flattens_alpha_and_check_reports_opacity(tmp_path):
    """Beyond the sample: a CSS gradient, a PNG with alpha, and 50 % opacity (which stays a problem)."""
    Image.new("RGBA", (40, 40), (11, 110, 138, 128)).save(tmp_path / "alpha.png")
    chosen = profiles.profile("press", "3mm")
    (tmp_path / "press.css").write_text(chosen.css, encoding="utf-8")
    sheets = [DEFAULT_STYLES / "base.css", DEFAULT_STYLES / "print.css", tmp_path / "press.css"]
    renderer = Renderer(sheets, ("148mm", "210mm"), tmp_path, LocalFetcher([tmp_path, DEFAULT_STYLES]))
    html = ('<html lang="ru"><head><title>Проба</title></head><body>'
            '<div style="height: 2cm; background: linear-gradient(#7a1f1f, #ffffff)"></div>'
            '<p><img src="alpha.png" alt="квадрат"></p>'
            '<p style="opacity: 0.5">Полупрозрачный текст</p></body></html>')
    target = tmp_path / "extras.pdf"
    write_pdf(renderer.render(html).document, target, **chosen.options)
    profiles.finish(target, chosen)
    with pikepdf.open(target) as pdf:
        shadings = [o for o in pdf.objects
                    if isinstance(o, (pikepdf.Dictionary, pikepdf.Stream)) and "/ShadingType" in o]
        assert shadings and all(s.ColorSpace == "/DeviceCMYK" for s in shadings)
        images = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"
                  and int(o.Width) == 40 and "/ColorSpace" in o and o.ColorSpace != "/DeviceGray"]
        assert images and all("/SMask" not in image and image.ColorSpace == "/DeviceCMYK" for image in images)
    problems = profiles.check(target, chosen)
    assert any("opacity below 1" in p for p in problems), problems
    assert not any("RGB" in p or "CMYK" in p for p in problems), problems


# --- archive: PDF/A-2b ----------------------------------------------------------------------------


def test_archive_is_pdf_a_2b_with_an_output_intent(archive):
    with pikepdf.open(archive) as pdf:
        assert str(xmp_value(pdf, "pdfaid", "part")) == "2"
        assert str(xmp_value(pdf, "pdfaid", "conformance")) == "B"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFA1"
        assert int(intent.DestOutputProfile.N) == 3  # sRGB
    assert profiles.check(archive, profiles.profile("archive", "3mm")) == []


# --- accessible: PDF/UA-1 -------------------------------------------------------------------------


def test_accessible_is_tagged_pdf_ua_1(accessible):
    with pikepdf.open(accessible) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root
        assert root.MarkInfo.Marked is True
        assert str(xmp_value(pdf, "pdfuaid", "part")) == "1"
        assert str(root.Lang) == "ru"
        assert str(pdf.docinfo["/Title"]) == "Новый сборник"
        assert root.ViewerPreferences.DisplayDocTitle is True
    assert profiles.check(accessible, profiles.profile("accessible", "3mm")) == []


def test_accessible_figure_has_alternative_text(accessible):
    with pikepdf.open(accessible) as pdf:
        alts, todo = [], [pdf.Root.StructTreeRoot]
        while todo:
            node = todo.pop()
            if not isinstance(node, pikepdf.Dictionary):
                continue
            if node.get("/S") == "/Figure":
                alts.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            todo.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else [])
        assert "Схема маршрута" in alts


# --- screen: the default --------------------------------------------------------------------------


def test_screen_keeps_rgb_links_and_outline_and_finish_changes_nothing(screen):
    before = screen.read_bytes()
    profiles.finish(screen, profiles.profile("screen", "3mm"))
    assert screen.read_bytes() == before
    with pikepdf.open(screen) as pdf:
        assert any("rg" in operators(page) for page in pdf.pages)  # RGB as the stylesheets say
        links = [a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        assert links
        assert "/Outlines" in pdf.Root and "/First" in pdf.Root.Outlines
        assert "/OutputIntents" not in pdf.Root
    assert profiles.check(screen, profiles.profile("screen", "3mm")) == []


def test_check_reports_a_file_that_is_not_a_pdf(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"not a pdf")
    problems = profiles.check(broken, profiles.profile("screen", "3mm"))
    assert len(problems) == 1 and "does not open" in problems[0]
