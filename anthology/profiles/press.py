"""The press profile's finish: WeasyPrint 70 writes PDF/X metadata but converts no colours, so
every colour and image is turned into CMYK (or gray) here, transparency flattened, boxes set."""

from __future__ import annotations

import zlib
from pathlib import Path

import pikepdf
from pikepdf import Name
from PIL import Image, ImageChops, ImageCms

from ..space import save_pdf
from . import REGISTERED, REGISTRY, Profile, reading


FILL = {"f", "F", "f*"}


FILL_STROKE = {"B": "S", "B*": "S", "b": "s", "b*": "s"}  # the stroke-only form of each


STROKE_FILL = {"B": "f", "B*": "f*", "b": "f", "b*": "f*"}  # the fill-only form (b closes: f fills closed)


TEXT_SHOW = {"Tj", "TJ"}


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
        save_pdf(pdf, path, deterministic_id=True, force_version="1.4", compress_streams=True, fix_metadata_version=False,
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
    for obj in reading.graphics_states(pdf):
        for key in ("/ca", "/CA"):
            if reading.number(obj.get(key)) == 0:
                obj[key] = 1


def drop_transparency_groups(pdf: pikepdf.Pdf) -> None:
    """Transparency group attributes, where nothing in the file is transparent any more."""
    if reading.transparency(pdf) - {"transparency groups"}:
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
    masks = {obj.SMask.objgen for obj in reading.images(pdf) if isinstance(obj.get("/SMask"), pikepdf.Stream)}
    for obj in reading.images(pdf):
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
