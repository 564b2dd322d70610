"""The EPUB's accessibility metadata (schema.org, EPUB Accessibility 1.1), said from what its
documents really hold, so the summary a library shows is true of this book."""

from __future__ import annotations

import re

from ..model import EpubDocument

IMAGE = re.compile(r"<img\b[^>]*>")
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def metadata(docs: list[EpubDocument], has_pages: bool) -> list[tuple[str, str]]:
    """(property, value) pairs for the package's metadata."""
    has = _features(docs)
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability", "ARIA"]
    features += ["alternativeText"] if has["images"] and has["described"] else []
    features += ["pageBreakMarkers", "pageNavigation"] if has_pages else []
    features += ["index"] if has["index"] else []
    modes = [("schema:accessMode", "textual")] + ([("schema:accessMode", "visual")] if has["images"] else [])
    sufficient = "textual" if has["described"] else "textual,visual"
    return [*modes, ("schema:accessModeSufficient", sufficient),
            *(("schema:accessibilityFeature", feature) for feature in features),
            ("schema:accessibilityHazard", "none"),
            ("schema:accessibilitySummary", summary(has, has_pages)),
            ("dcterms:conformsTo", CONFORMS_TO)]


def summary(has: dict[str, bool], has_pages: bool) -> str:
    parts = ["Reflowable text whose size, font and colours the reader can change, with a table of contents, "
             "headings in reading order and the language of every article marked"]
    if has["notes"]:
        parts.append("notes linked to and from their place in the text")
    if has["images"] and has["described"]:
        parts.append("a text alternative for every image (the cover's included), so the text alone conveys the book")
    elif has["images"]:
        parts.append("some images without a text alternative")
    if has["tables"]:
        parts.append("data tables with header cells and captions")
    if has["index"]:
        parts.append("an index of names whose locators link to each mention")
    if has_pages:
        parts.append("the page numbers of the print edition, as page markers and a page list")
    return "; ".join(parts) + ". No hazards: no sound, no motion, no flashing."


def _features(docs: list[EpubDocument]) -> dict[str, bool]:
    text = "".join(doc.xhtml for doc in docs)
    images = IMAGE.findall(text)
    return {
        "images": bool(images),
        "described": all(re.search(r'\balt="[^"]+"', tag) for tag in images),
        "notes": 'epub:type="footnote"' in text,
        "tables": "<table" in text,
        "index": any(doc.landmark == "index" or doc.file_name.endswith("/index.xhtml") for doc in docs),
    }

