"""Reading what a written PDF holds, for the press finish and for the checks alike."""

from __future__ import annotations

import pikepdf


def images(pdf: pikepdf.Pdf):
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
            yield obj


def transparency(pdf: pikepdf.Pdf) -> set[str]:
    found = set()
    for obj in images(pdf):
        if isinstance(obj.get("/SMask"), pikepdf.Stream):
            found.add("images with a soft mask (alpha)")
    for obj in graphics_states(pdf):
        if any(number(obj.get(key)) not in (None, 1) for key in ("/ca", "/CA")):
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


def graphics_states(pdf: pikepdf.Pdf):
    """Every ExtGState dictionary the pages and forms name (direct or indirect)."""
    seen = set()
    for _, resources in page_streams(pdf):
        for state in resources.get("/ExtGState", {}).values():
            if not isinstance(state, pikepdf.Dictionary):
                continue
            if state.is_indirect:
                if state.objgen in seen:
                    continue
                seen.add(state.objgen)
            yield state


def number(value) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def page_streams(pdf: pikepdf.Pdf):
    """Like `press.content_streams`, without changing the file: pages are given whole (parsers accept them)."""
    for page in pdf.pages:
        yield page, page.resources
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and (obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1):
            yield obj, obj.get("/Resources", pikepdf.Dictionary())
