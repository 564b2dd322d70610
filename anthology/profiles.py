"""PDF output profiles: what a print PDF is for decides how it is written and checked.

- `screen` (default): RGB, links and the outline, as WeasyPrint writes it.
- `press`: PDF/X-1a:2003 for a printing house: every colour and image turned into CMYK (or gray)
  through the bundled ISO Coated v2 300% profile (FOGRA39), that profile as the OutputIntent, a bleed
  with crop and registration marks outside it, TrimBox and BleedBox on every page, no transparency,
  no link annotations, all fonts embedded.
- `archive`: PDF/A-2b for legal deposit libraries (sRGB OutputIntent).
- `accessible`: tagged PDF/UA-1.

The stages: `profile()` gives the extra CSS for the layout and the options for
`Document.write_pdf`; `finish()` post-processes the written file (press only: WeasyPrint 70 writes
PDF/X metadata but converts no colours); `check()` reads the file back and lists what is wrong.
See docs/print-production.md.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from pikepdf import Name
from PIL import Image, ImageChops, ImageCms

PROFILES = ("screen", "press", "archive", "accessible")
DEFAULT_PROFILE = "screen"

ICC_DIR = Path(__file__).parent / "data" / "icc"
ICC_FILE = "ISOcoated_v2_300_bas.icc"
# Output conditions registered with the ICC (https://www.color.org/registry/), by profile file name.
REGISTERED = {
    "ISOcoated_v2_300_bas.icc": (
        "FOGRA39",
        "Offset printing according to ISO 12647-2:2004/Amd 1, paper types 1 and 2 (coated), "
        "screen ruling 60/cm, total area coverage 300%",
    ),
}
REGISTRY = "http://www.color.org"

PRESS_VARIANT = "pdf/x-1a"
ARCHIVE_VARIANT = "pdf/a-2b"
ACCESSIBLE_VARIANT = "pdf/ua-1"

# CSS bleed beyond twice the bleed, in pt: leaves 3 mm between the crop marks and the BleedBox.
MARKS_CLEARANCE = 6 * 72 / 25.4
POINTS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "px": 0.75}
LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(pt|mm|cm|in|px)\s*$")
TOLERANCE = 0.01  # pt, for comparing boxes

FILL = {"f", "F", "f*"}
FILL_STROKE = {"B": "S", "B*": "S", "b": "s", "b*": "s"}  # the stroke-only form of each
STROKE_FILL = {"B": "f", "B*": "f*", "b": "f", "b*": "f*"}  # the fill-only form (b closes: f fills closed)
TEXT_SHOW = {"Tj", "TJ"}
XMP_KEYS = {
    "pdfaid:part": ("http://www.aiim.org/pdfa/ns/id/", "part"),
    "pdfaid:conformance": ("http://www.aiim.org/pdfa/ns/id/", "conformance"),
    "pdfuaid:part": ("http://www.aiim.org/pdfua/ns/id/", "part"),
    "pdfxid:GTS_PDFXVersion": ("http://www.npes.org/pdfx/ns/id/", "GTS_PDFXVersion"),
    "dc:title": ("http://purl.org/dc/elements/1.1/", "title"),
}


@dataclass
class Profile:
    """One output profile: CSS appended after the volume's stylesheets, and write_pdf options.

    `bleed` and `icc` are what `finish()` and `check()` need for `press` (the trim-to-bleed distance
    and the CMYK profile); they are empty for the other profiles."""

    name: str
    css: str = ""
    options: dict = field(default_factory=dict)
    bleed: str | None = None
    icc: Path | None = None

    @property
    def bleed_points(self) -> float:
        return to_points(self.bleed) if self.bleed else 0.0


def profile(name: str, bleed: str, icc_dir: Path | None = None) -> Profile:
    """The profile called `name`; `bleed` is the manifest's CSS length (used by `press` only).

    `icc_dir` is a folder holding the CMYK ICC profile to print with (default: the bundled one)."""
    if name not in PROFILES:
        raise ValueError(f"unknown PDF profile '{name}': choose one of {', '.join(PROFILES)}")
    if name == "press":
        bleed_pt = to_points(bleed)
        return Profile(name, press_css(bleed_pt), {"pdf_variant": PRESS_VARIANT, "pdf_identifier": True},
                       bleed=bleed, icc=find_icc(icc_dir or ICC_DIR))
    if name == "archive":
        return Profile(name, "", {"pdf_variant": ARCHIVE_VARIANT, "pdf_identifier": True})
    if name == "accessible":
        return Profile(name, "", {"pdf_variant": ACCESSIBLE_VARIANT, "pdf_identifier": True})
    return Profile(name)


def to_points(length: str) -> float:
    """A CSS length (pt, mm, cm, in, px) in PDF points."""
    match = LENGTH.match(str(length))
    if not match:
        raise ValueError(f"'{length}' is not a length such as 3mm")
    return float(match.group(1)) * POINTS[match.group(2)]


def press_css(bleed_pt: float) -> str:
    """Bleed plus room for the marks: WeasyPrint draws crop marks across the outer half of its
    `bleed` area, so that area is twice the bleed plus a clearance, and the marks stay outside the
    BleedBox that `finish()` sets. The layout (the page area) does not change."""
    outer = 2 * bleed_pt + MARKS_CLEARANCE
    return f"@page {{ bleed: {outer:.3f}pt; marks: crop cross; }}\n"


def find_icc(folder: Path) -> Path:
    """The CMYK profile in `folder`: the bundled file name if present, else the first *.icc/*.icm."""
    folder = Path(folder)
    if (folder / ICC_FILE).is_file():
        return folder / ICC_FILE
    found = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".icc", ".icm")) if folder.is_dir() else []
    if not found:
        raise FileNotFoundError(f"no ICC profile (*.icc) in {folder}")
    return found[0]


# --- finish ----------------------------------------------------------------------------------------


def finish(path: Path, profile: Profile) -> None:
    """Post-process the written PDF in place; a no-op except for `press`.

    Press: colours and images to CMYK/gray, transparency removed where it is invisible, link
    annotations dropped, BleedBox = TrimBox + bleed on every page, the OutputIntent set. The file is
    saved with a content-derived /ID, so equal inputs give equal bytes."""
    if profile.name != "press":
        return
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        converter = Converter(profile.icc)
        convert_images(pdf, converter)
        convert_shadings(pdf, converter)
        for stream, resources in content_streams(pdf):
            rewrite_content(stream, resources, converter)
        clear_invisible_alpha(pdf)
        drop_transparency_groups(pdf)
        drop_unused_lab(pdf)
        for page in pdf.pages:
            if "/Annots" in page.obj:
                del page.obj["/Annots"]
            set_boxes(page, profile.bleed_points)
        set_output_intent(pdf, profile.icc)
        pdf.save(path, deterministic_id=True, force_version="1.4", compress_streams=True, fix_metadata_version=False,
                 object_stream_mode=pikepdf.ObjectStreamMode.disable)


class Converter:
    """sRGB to the press profile's CMYK (relative colorimetric, black point compensation).

    Neutral colours become gray (printed with black ink alone), not four-colour grays."""

    def __init__(self, icc: Path):
        self.transform = ImageCms.buildTransform(
            ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(icc)), "RGB", "CMYK",
            renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC, flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
        self.cache: dict[tuple, tuple] = {}

    def colour(self, rgb: tuple[float, float, float]) -> tuple[float, ...]:
        """One gray value, or four CMYK values, for an RGB colour (0–1 components)."""
        r, g, b = (min(1.0, max(0.0, float(v))) for v in rgb)
        if abs(r - g) < 1e-4 and abs(g - b) < 1e-4:
            return (round(r, 4),)
        key = tuple(round(v * 255) for v in (r, g, b))
        if key not in self.cache:
            pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), key), self.transform).getpixel((0, 0))
            self.cache[key] = tuple(round(v / 255, 4) for v in pixel)
        return self.cache[key]

    def image(self, image: Image.Image) -> Image.Image:
        """An RGB image as gray (when every pixel is neutral) or CMYK."""
        red, green, blue = image.split()
        if ImageChops.difference(red, green).getbbox() is None and ImageChops.difference(green, blue).getbbox() is None:
            return red
        return ImageCms.applyTransform(image, self.transform)


def content_streams(pdf: pikepdf.Pdf):
    """Every content stream with the resources it draws with: pages, forms, tiling patterns."""
    for page in pdf.pages:
        page.contents_coalesce()
        yield page.obj.Contents, page.resources
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and (obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1):
            yield obj, obj.get("/Resources", pikepdf.Dictionary())


def rewrite_content(stream: pikepdf.Stream, resources, converter: Converter) -> None:
    """RGB colour operators to gray/CMYK; painting under zero alpha (invisible) removed."""
    states = resources.get("/ExtGState", {})
    alpha, stack, out, changed = [1.0, 1.0], [], [], False
    for instruction in pikepdf.parse_content_stream(stream):
        operands, op = list(instruction.operands), str(instruction.operator)
        if op == "q":
            stack.append(list(alpha))
        elif op == "Q":
            alpha = stack.pop() if stack else [1.0, 1.0]
        elif op == "gs" and operands and operands[0] in states:
            state = states[operands[0]]
            alpha = [float(state.get("/ca", alpha[0])), float(state.get("/CA", alpha[1]))]
        new = _recolour(operands, op, converter) if op in ("rg", "RG") else _unpaint(op, alpha)
        if new is not None:
            changed = True
            if new is False:
                continue
            operands, op = new
        out.append((operands, pikepdf.Operator(op)))
    if changed:
        stream.write(pikepdf.unparse_content_stream(out))


def _recolour(operands, op: str, converter: Converter):
    values = converter.colour(operands)
    gray = len(values) == 1
    name = ("g" if gray else "k") if op == "rg" else ("G" if gray else "K")
    return list(values), name


def _unpaint(op: str, alpha: list[float]):
    """Painting that zero alpha makes invisible: dropped (False) or reduced; None: unchanged."""
    fill_off, stroke_off = alpha[0] == 0, alpha[1] == 0
    if not (fill_off or stroke_off):
        return None
    if fill_off and (op in FILL or op in TEXT_SHOW or op in ("Do", "sh")):
        return [], "n" if op in FILL else False
    if op in FILL_STROKE:
        if fill_off and stroke_off:
            return [], "n"
        return [], FILL_STROKE[op] if fill_off else STROKE_FILL[op]
    if stroke_off and op in ("S", "s"):
        return [], "n"
    return None


def clear_invisible_alpha(pdf: pikepdf.Pdf) -> None:
    """Zero-alpha graphics states paint nothing any more (see `_unpaint`): make them opaque."""
    for obj in _graphics_states(pdf):
        for key in ("/ca", "/CA"):
            if _number(obj.get(key)) == 0:
                obj[key] = 1


def drop_transparency_groups(pdf: pikepdf.Pdf) -> None:
    """Transparency group attributes, where nothing in the file is transparent any more."""
    if _transparency(pdf) - {"transparency groups"}:
        return
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form":
            group = obj.get("/Group")
            if group is not None and group.get("/S") == "/Transparency":
                del obj["/Group"]


def drop_unused_lab(pdf: pikepdf.Pdf) -> None:
    """WeasyPrint declares Lab colour spaces on every page; remove them where nothing uses them."""
    used = set()
    for stream, _ in content_streams(pdf):
        for instruction in pikepdf.parse_content_stream(stream, "cs CS"):
            used.add(str(instruction.operands[0]))
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and "/lab-d50" in obj and "/lab-d65" in obj:
            for key in ("/lab-d50", "/lab-d65"):
                if key not in used:
                    del obj[key]


def convert_images(pdf: pikepdf.Pdf, converter: Converter) -> None:
    """RGB images to CMYK or gray; soft masks flattened onto white paper; no interpolation."""
    masks = {obj.SMask.objgen for obj in _images(pdf) if isinstance(obj.get("/SMask"), pikepdf.Stream)}
    for obj in _images(pdf):
        if obj.objgen in masks:
            continue
        if obj.get("/Interpolate") is not None:
            obj.Interpolate = False
        rgb = _is_rgb(obj.get("/ColorSpace"))
        smask = obj.get("/SMask")
        if not rgb and not isinstance(smask, pikepdf.Stream):
            continue
        image = pikepdf.PdfImage(obj).as_pil_image()
        if isinstance(smask, pikepdf.Stream):
            image = _on_white(image, pikepdf.PdfImage(smask).as_pil_image().convert("L"))
            del obj["/SMask"]
        if image.mode in ("RGB", "P", "RGBA"):
            image = converter.image(image.convert("RGB"))
        _replace_image(obj, image)


def _images(pdf: pikepdf.Pdf):
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
            yield obj


def _is_rgb(space) -> bool:
    """DeviceRGB, CalRGB, a 3-component ICC profile, or an Indexed space over one of those."""
    if space is None:
        return False
    if isinstance(space, pikepdf.Name):
        return space in ("/DeviceRGB", "/CalRGB")
    if isinstance(space, pikepdf.Array) and len(space):
        kind = space[0]
        if kind == "/ICCBased":
            return int(space[1].get("/N", 0)) == 3
        if kind == "/Indexed":
            return _is_rgb(space[1])
        return kind == "/CalRGB"
    return False


def _on_white(image: Image.Image, alpha: Image.Image) -> Image.Image:
    """The image composited over white paper, as the page shows it without a background."""
    if alpha.size != image.size:
        alpha = alpha.resize(image.size)
    if image.mode == "CMYK":  # paper is no ink: scale the inks by alpha
        return Image.merge("CMYK", [ImageChops.multiply(band, alpha) for band in image.split()])
    mode = "L" if image.mode in ("L", "LA", "1") else "RGB"
    image = image.convert(mode)
    return Image.composite(image, Image.new(mode, image.size, 255 if mode == "L" else (255, 255, 255)), alpha)


def _replace_image(obj: pikepdf.Stream, image: Image.Image) -> None:
    space = {"L": "/DeviceGray", "CMYK": "/DeviceCMYK", "RGB": "/DeviceRGB"}[image.mode]
    obj.write(zlib.compress(image.tobytes(), 9), filter=Name.FlateDecode)
    for key in ("/DecodeParms", "/Decode"):
        if key in obj:
            del obj[key]
    obj.ColorSpace = Name(space)
    obj.BitsPerComponent = 8
    obj.Width, obj.Height = image.size


def convert_shadings(pdf: pikepdf.Pdf, converter: Converter) -> None:
    """Axial and radial RGB shadings (CSS gradients) to CMYK, through their exponential functions."""
    for obj in pdf.objects:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)) and "/ShadingType" in obj:
            if obj.get("/ColorSpace") == "/DeviceRGB" and _convert_function(obj.get("/Function"), converter):
                obj.ColorSpace = Name.DeviceCMYK


def _convert_function(function, converter: Converter) -> bool:
    if function is None:
        return False
    kind = int(function.get("/FunctionType", -1))
    if kind == 3:
        parts = list(function.Functions)
        return all(_convert_function(part, converter) for part in parts)
    if kind != 2:
        return False
    for key, default in (("/C0", (0, 0, 0)), ("/C1", (1, 1, 1))):
        values = converter.colour(list(function.get(key, default)))
        function[key] = pikepdf.Array(values if len(values) == 4 else (0, 0, 0, round(1 - values[0], 4)))
    return True


def set_boxes(page: pikepdf.Page, bleed: float) -> None:
    """TrimBox kept (WeasyPrint's page box), BleedBox = TrimBox + bleed, within the MediaBox."""
    media = [float(v) for v in page.obj.MediaBox]
    trim = [float(v) for v in page.obj.get("/TrimBox", media)]
    box = [max(media[0], trim[0] - bleed), max(media[1], trim[1] - bleed),
           min(media[2], trim[2] + bleed), min(media[3], trim[3] + bleed)]
    page.obj.TrimBox = pikepdf.Array([round(v, 4) for v in trim])
    page.obj.BleedBox = pikepdf.Array([round(v, 4) for v in box])


def set_output_intent(pdf: pikepdf.Pdf, icc: Path) -> None:
    """The PDF/X OutputIntent: the CMYK profile embedded, with its registered condition name."""
    data = Path(icc).read_bytes()
    description = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(str(icc))).strip()
    identifier, condition = REGISTERED.get(Path(icc).name, (description, description))
    profile_stream = pikepdf.Stream(pdf, data)
    profile_stream.N = 4
    intent = pikepdf.Dictionary(
        Type=Name.OutputIntent, S=Name.GTS_PDFX, OutputConditionIdentifier=identifier,
        OutputCondition=condition, Info=description, DestOutputProfile=pdf.make_indirect(profile_stream))
    if Path(icc).name in REGISTERED:
        intent.RegistryName = REGISTRY
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])


# --- check -----------------------------------------------------------------------------------------


def check(path: Path, profile: Profile) -> list[str]:
    """Structural problems in the written PDF for `profile`, as sentences; empty when it is fine."""
    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as exc:
        return [f"{path}: does not open as a PDF: {exc}"]
    with pdf:
        problems = [f"qpdf: {message}" for message in pdf.check_pdf_syntax()]
        if pdf.is_encrypted:
            problems.append("the PDF is encrypted")
        problems += font_problems(pdf)
        checks = {"press": press_problems, "archive": archive_problems, "accessible": accessible_problems}
        if profile.name in checks:
            problems += checks[profile.name](pdf, profile)
    return problems


def font_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Every font that is not embedded (Type 3 fonts are drawn with PDF operators: always fine)."""
    problems = []
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
            continue
        subtype = obj.get("/Subtype")
        if subtype in ("/Type0", "/Type3"):
            continue
        descriptor = obj.get("/FontDescriptor")
        if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            problems.append(f"font {obj.get('/BaseFont', '?')} ({subtype}) is not embedded")
    return problems


def xmp(pdf: pikepdf.Pdf) -> dict[str, str]:
    """The XMP properties the checks read (pdfaid, pdfuaid, pdfxid, dc:title), by prefixed name."""
    if "/Metadata" not in pdf.Root:
        return {}
    try:
        meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
    except Exception:  # unparsable XMP: report it as missing identification, not as a crash
        return {}
    found = {}
    for key, (namespace, local) in XMP_KEYS.items():
        try:
            value = meta.get(f"{{{namespace}}}{local}")
        except (KeyError, ValueError):
            value = None
        if value:
            found[key] = str(value)
    return found


def output_intent_problems(pdf: pikepdf.Pdf, subtype: str, components: int | None) -> list[str]:
    """An OutputIntent of `subtype` with an embedded ICC profile (of `components` channels if given)."""
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == subtype]
    if not intents:
        return [f"no OutputIntent with /S {subtype}"]
    intent = intents[0]
    problems = []
    if not str(intent.get("/OutputConditionIdentifier", "")).strip():
        problems.append("the OutputIntent has no OutputConditionIdentifier")
    profile_stream = intent.get("/DestOutputProfile")
    if not isinstance(profile_stream, pikepdf.Stream):
        problems.append("the OutputIntent embeds no ICC profile (DestOutputProfile)")
    elif components is not None and int(profile_stream.get("/N", 0)) != components:
        problems.append(f"the OutputIntent's ICC profile has {profile_stream.get('/N')} components, not {components}")
    return problems


def press_problems(pdf: pikepdf.Pdf, profile: Profile) -> list[str]:
    """PDF/X-1a: identification, CMYK OutputIntent, boxes, CMYK/gray only, no transparency, no annotations."""
    problems = []
    info = pdf.docinfo
    version = str(info.get("/GTS_PDFXVersion", ""))
    if not version.startswith("PDF/X-1a"):
        problems.append(f"Info GTS_PDFXVersion is '{version}', not PDF/X-1a")
    if str(info.get("/Trapped", "")) not in ("/True", "/False"):
        problems.append("Info Trapped must be True or False")
    for key in ("/Title", "/CreationDate", "/ModDate"):
        if not str(info.get(key, "")).strip():
            problems.append(f"Info has no {key[1:]}")
    if float(pdf.pdf_version) > 1.4:
        problems.append(f"PDF {pdf.pdf_version}: PDF/X-1a:2003 needs PDF 1.4 at most")
    problems += output_intent_problems(pdf, "/GTS_PDFX", 4)
    problems += box_problems(pdf, profile.bleed_points)
    problems += colour_problems(pdf)
    problems += transparency_problems(pdf)
    if any(obj.get("/Interpolate") is True for obj in _images(pdf)):
        problems.append("images with Interpolate true: PDF/X does not allow it")
    if any("/Annots" in page.obj and len(page.obj.Annots) for page in pdf.pages):
        problems.append("annotations (links) on the pages: PDF/X allows none inside the BleedBox")
    if "/Names" in pdf.Root and "/EmbeddedFiles" in pdf.Root.Names:
        problems.append("embedded files: not allowed in PDF/X-1a")
    return problems


def box_problems(pdf: pikepdf.Pdf, bleed: float) -> list[str]:
    """TrimBox and BleedBox on every page; BleedBox = TrimBox + bleed; both inside the MediaBox."""
    pages: dict[str, list[int]] = {}
    for number, page in enumerate(pdf.pages, 1):
        problem = _page_box_problem(page.obj, bleed)
        if problem:
            pages.setdefault(problem, []).append(number)
    return [f"{problem} on {len(numbers)} page(s), the first page {numbers[0]}" for problem, numbers in pages.items()]


def _page_box_problem(obj: pikepdf.Dictionary, bleed: float) -> str | None:
    missing = [key[1:] for key in ("/TrimBox", "/BleedBox") if key not in obj]
    if missing:
        return f"no {' and no '.join(missing)}"
    media, trim, bleed_box = ([float(v) for v in obj[key]] for key in ("/MediaBox", "/TrimBox", "/BleedBox"))
    if not _inside(trim, bleed_box) or not _inside(bleed_box, media):
        return "boxes not nested as TrimBox ⊆ BleedBox ⊆ MediaBox"
    margins = [trim[0] - bleed_box[0], trim[1] - bleed_box[1], bleed_box[2] - trim[2], bleed_box[3] - trim[3]]
    if any(abs(m - bleed) > TOLERANCE for m in margins):
        return (f"BleedBox {min(margins):.3f}–{max(margins):.3f} pt outside the TrimBox, "
                f"not the bleed of {bleed:.3f} pt")
    return None


def _inside(inner: list[float], outer: list[float]) -> bool:
    return (inner[0] >= outer[0] - TOLERANCE and inner[1] >= outer[1] - TOLERANCE
            and inner[2] <= outer[2] + TOLERANCE and inner[3] <= outer[3] + TOLERANCE)


def colour_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Anything not CMYK or gray: RGB operators, other colour spaces in use, RGB images and shadings."""
    found: dict[str, int] = {}
    for stream, resources in _streams_for_check(pdf):
        spaces = resources.get("/ColorSpace", {})
        for instruction in pikepdf.parse_content_stream(stream, "rg RG cs CS"):
            op = str(instruction.operator)
            if op in ("rg", "RG"):
                found["RGB colour operators"] = found.get("RGB colour operators", 0) + 1
            else:
                name = instruction.operands[0]
                space = spaces.get(name, name)
                if not _device_cmyk_or_gray(space):
                    label = f"colour space {name}"
                    found[label] = found.get(label, 0) + 1
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image" and not obj.get("/ImageMask"):
            if not _device_cmyk_or_gray(obj.get("/ColorSpace")):
                found["images not in CMYK or gray"] = found.get("images not in CMYK or gray", 0) + 1
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)) and "/ShadingType" in obj:
            if not _device_cmyk_or_gray(obj.get("/ColorSpace")):
                found["shadings not in CMYK or gray"] = found.get("shadings not in CMYK or gray", 0) + 1
    return [f"{what} ({count}×): PDF/X-1a allows CMYK and gray only" for what, count in found.items()]


def _device_cmyk_or_gray(space) -> bool:
    if isinstance(space, pikepdf.Name):
        return space in ("/DeviceCMYK", "/DeviceGray", "/Pattern")
    if isinstance(space, pikepdf.Array) and len(space):
        if space[0] == "/Indexed":
            return _device_cmyk_or_gray(space[1])
        if space[0] in ("/Separation", "/DeviceN"):
            return _device_cmyk_or_gray(space[2])
        if space[0] == "/Pattern":
            return True
    return False


def _streams_for_check(pdf: pikepdf.Pdf):
    """Like `content_streams`, without changing the file: pages are given whole (parsers accept them)."""
    for page in pdf.pages:
        yield page, page.resources
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and (obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1):
            yield obj, obj.get("/Resources", pikepdf.Dictionary())


def transparency_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Transparency, which PDF/X-1a:2003 forbids: alpha below 1, soft masks, blend modes, groups."""
    return [f"{what}: PDF/X-1a allows no transparency" for what in sorted(_transparency(pdf))]


def _transparency(pdf: pikepdf.Pdf) -> set[str]:
    found = set()
    for obj in _images(pdf):
        if isinstance(obj.get("/SMask"), pikepdf.Stream):
            found.add("images with a soft mask (alpha)")
    for obj in _graphics_states(pdf):
        if any(_number(obj.get(key)) not in (None, 1) for key in ("/ca", "/CA")):
            found.add("opacity below 1 (ca/CA)")
        if obj.get("/SMask") not in (None, "/None"):
            found.add("soft masks in graphics states")
        if obj.get("/BM") not in (None, "/Normal", "/Compatible"):
            found.add("blend modes")
    for obj in pdf.objects:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            group = obj.get("/Group")
            if isinstance(group, pikepdf.Dictionary) and group.get("/S") == "/Transparency":
                found.add("transparency groups")
    return found


def _graphics_states(pdf: pikepdf.Pdf):
    """Every ExtGState dictionary the pages and forms name (direct or indirect)."""
    seen = set()
    for _, resources in _streams_for_check(pdf):
        for state in resources.get("/ExtGState", {}).values():
            if not isinstance(state, pikepdf.Dictionary):
                continue
            if state.is_indirect:
                if state.objgen in seen:
                    continue
                seen.add(state.objgen)
            yield state


def _number(value) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def archive_problems(pdf: pikepdf.Pdf, profile: Profile) -> list[str]:
    """PDF/A-2 or -3: identification in XMP, an OutputIntent /GTS_PDFA1 with its ICC profile."""
    problems = []
    meta = xmp(pdf)
    if meta.get("pdfaid:part") not in ("2", "3"):
        problems.append(f"XMP pdfaid:part is {meta.get('pdfaid:part')!r}, not 2 or 3")
    if meta.get("pdfaid:conformance", "").upper() not in ("A", "B", "U"):
        problems.append(f"XMP pdfaid:conformance is {meta.get('pdfaid:conformance')!r}")
    problems += output_intent_problems(pdf, "/GTS_PDFA1", None)
    if "/Metadata" not in pdf.Root:
        problems.append("no XMP metadata stream")
    return problems


def accessible_problems(pdf: pikepdf.Pdf, profile: Profile) -> list[str]:
    """PDF/UA-1: tagged, marked, identified in XMP, a language, a title shown as the window title."""
    problems = []
    root = pdf.Root
    if "/StructTreeRoot" not in root:
        problems.append("not tagged: no StructTreeRoot")
    if root.get("/MarkInfo", {}).get("/Marked") is not True:
        problems.append("MarkInfo Marked is not true")
    meta = xmp(pdf)
    if meta.get("pdfuaid:part") != "1":
        problems.append(f"XMP pdfuaid:part is {meta.get('pdfuaid:part')!r}, not 1")
    if not str(root.get("/Lang", "")).strip():
        problems.append("no document language (Lang)")
    if not meta.get("dc:title") and not str(pdf.docinfo.get("/Title", "")).strip():
        problems.append("no document title (dc:title)")
    if root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") is not True:
        problems.append("ViewerPreferences DisplayDocTitle is not true")
    if "/StructTreeRoot" in root:
        problems += figure_problems(root.StructTreeRoot)
    return problems


def figure_problems(tree: pikepdf.Dictionary) -> list[str]:
    """Figures without alternative text (Alt or ActualText)."""
    missing, todo, seen = 0, [tree], set()
    while todo:
        node = todo.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        if node.get("/S") == "/Figure" and "/Alt" not in node and "/ActualText" not in node:
            missing += 1
        kids = node.get("/K")
        todo.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else [])
    return [f"{missing} figure(s) without alternative text"] if missing else []
