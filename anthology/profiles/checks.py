"""Reading a written PDF back: what its profile requires and what is wrong with it."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from . import Profile, reading


TOLERANCE = 0.01  # pt, for comparing boxes


XMP_KEYS = {
    "pdfaid:part": ("http://www.aiim.org/pdfa/ns/id/", "part"),
    "pdfaid:conformance": ("http://www.aiim.org/pdfa/ns/id/", "conformance"),
    "pdfuaid:part": ("http://www.aiim.org/pdfua/ns/id/", "part"),
    "pdfxid:GTS_PDFXVersion": ("http://www.npes.org/pdfx/ns/id/", "GTS_PDFXVersion"),
    "dc:title": ("http://purl.org/dc/elements/1.1/", "title"),
}


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
    if any(obj.get("/Interpolate") is True for obj in reading.images(pdf)):
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
    for stream, resources in reading.page_streams(pdf):
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


def transparency_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Transparency, which PDF/X-1a:2003 forbids: alpha below 1, soft masks, blend modes, groups."""
    return [f"{what}: PDF/X-1a allows no transparency" for what in sorted(reading.transparency(pdf))]


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
