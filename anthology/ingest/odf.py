"""What pandoc's odt reader does not keep of a LibreOffice file, read from its XML: the Title and
Subtitle styles, images linked instead of kept inside, and tracked changes."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import lxml.etree

from .model import Draft, Refused

ODF = {"office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
       "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
       "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
DC = "http://purl.org/dc/elements/1.1/"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"


def odt_titles(path: Path) -> dict[str, str]:
    """The text of each paragraph styled Title or Subtitle in a LibreOffice file → that style
    (pandoc's reader keeps neither style)."""
    try:
        with zipfile.ZipFile(path) as odt:
            content = lxml.etree.fromstring(odt.read("content.xml"))
    except (zipfile.BadZipFile, KeyError, lxml.etree.XMLSyntaxError):
        return {}
    parents = {s.get(f"{{{ODF['style']}}}name"): s.get(f"{{{ODF['style']}}}parent-style-name")
               for s in content.iter(f"{{{ODF['style']}}}style")}
    found = {}
    for p in content.iter(f"{{{ODF['text']}}}p"):
        style = p.get(f"{{{ODF['text']}}}style-name")
        style = parents.get(style) or style
        if style in ("Title", "Subtitle"):
            text = re.sub(r"\s+", " ", "".join(p.itertext())).strip()
            if text:
                found.setdefault(text, style)
    return found


def odt_images_outside(path: Path) -> list[str]:
    """The images a LibreOffice file links to instead of keeping them inside (pandoc, sandboxed, reads none)."""
    try:
        with zipfile.ZipFile(path) as odt:
            names = set(odt.namelist())
            content = lxml.etree.fromstring(odt.read("content.xml"))
    except (zipfile.BadZipFile, KeyError, lxml.etree.XMLSyntaxError):
        return []
    hrefs = [i.get("{http://www.w3.org/1999/xlink}href") or "" for i in content.iter("{%s}image" % DRAW)]
    return [h for h in hrefs if h and h.removeprefix("./") not in names]


def odt_changes(path: Path) -> list[tuple[str, str, str]]:
    """The tracked changes of a LibreOffice file: (insertion/deletion/format-change, author, deleted text)."""
    try:
        with zipfile.ZipFile(path) as odt:
            content = lxml.etree.fromstring(odt.read("content.xml"))
    except (zipfile.BadZipFile, KeyError, lxml.etree.XMLSyntaxError):
        return []
    found = []
    for region in content.iter(f"{{{ODF['text']}}}changed-region"):
        for change in region:
            kind = lxml.etree.QName(change).localname
            creator = change.find(f".//{{{DC}}}creator")
            words = " ".join(t.strip() for p in change.iter(f"{{{ODF['text']}}}p") for t in p.itertext() if t.strip())
            found.append((kind, creator.text if creator is not None and creator.text else "?", words))
    return found


def settle_odt_changes(path: Path, draft: Draft) -> None:
    """pandoc shows a LibreOffice file's tracked changes accepted: so they are refused unless the
    editor chose to accept them, and rejecting them is left to LibreOffice."""
    found = odt_changes(path)
    if not found:
        return
    manage = "LibreOffice (Edit → Track Changes → Manage), save, and import again"
    if draft.changes != "accept":
        shown = "; ".join(f"{kind} by {who}" + (f" «{words[:50]}»" if words else "") for kind, who, words in found[:5])
        how = ("--reject-changes cannot be done for an .odt: reject them in " + manage) if draft.changes == "reject" \
            else "import again with --accept-changes, or settle them in " + manage
        raise Refused(None, f"the document has {len(found)} tracked change(s) ({shown}): {how}", code="tracked-changes")
    for kind, who, words in found:
        draft.mark("the document", f"{kind} by {who}" + (f": «{words}»" if words else ""), "a tracked change, accepted")
    draft.check(f"{len(found)} tracked change(s) were accepted (--accept-changes): they are listed above")


def restore_title_styles(titles: dict[str, str], document) -> None:
    """Style the paragraphs of ``document`` (python-docx) that were Title or Subtitle in the original so again."""
    for paragraph in document.paragraphs:
        if not titles:
            return
        style = titles.pop(re.sub(r"\s+", " ", paragraph.text).strip(), None)
        if style:
            paragraph.style = document.styles[style]
