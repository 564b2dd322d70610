"""LibreOffice (``.odt``) and RTF files → a draft article, through pandoc's readers.

pandoc (bundled with pypandoc-binary) reads the file's bytes and writes a Word document, in
memory (standard input to standard output: nothing is written on disk); the Word reader then
reads that, so an ``.odt`` or ``.rtf`` gets the same
title, byline, notes, tables and images as a ``.docx`` (see docs/ingest.md for the measurement
that chose this way). A legacy Word ``.doc`` is refused with how to convert it.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import lxml.etree

from ..limits import MAX_DOCX_BYTES
from ..problems import Problems
from . import docx
from .model import Draft, Refused

FORMATS = {".odt": "odt", ".rtf": "rtf"}
PANDOC_SECONDS = 120
DOC_ADVICE = ("a Word 97–2003 .doc file cannot be read: open it in Word or LibreOffice and save it as "
              ".docx (or .odt), or convert it with `soffice --headless --convert-to docx FILE.doc`, "
              "then import that file")


def read(path: Path, draft: Draft, problems: Problems) -> bool:
    """Fill ``draft`` from the file; False, with the reason in ``problems``, when pandoc cannot read it.

    Nothing is written anywhere: pandoc reads the file's bytes from its standard input and writes
    the Word document to its standard output."""
    if path.suffix.lower() == ".doc":
        problems.error(path, None, DOC_ADVICE, code="unsupported")
        return False
    kind = kind_of(path)
    if kind == "odt" and zipfile.is_zipfile(path):
        docx.check_part_sizes(path)   # pandoc holds the unpacked file in memory
    if path.stat().st_size > MAX_DOCX_BYTES:
        problems.error(path, None, f"the file is {path.stat().st_size / 1e6:.0f} MB; it may be at most "
                                   f"{MAX_DOCX_BYTES / 1e6:.0f} MB", code="too-large")
        return False
    if kind == "odt":
        settle_odt_changes(path, draft)
    data = path.read_bytes()
    if kind == "rtf":  # pandoc garbles 8-bit Cyrillic (\'xx): give it every letter as \uN
        data = rtf_as_unicode(data).encode("ascii")
    converted, error = convert(data, kind)
    if converted is None:
        problems.error(path, None, f"not a readable {kind} file: {error}", code="unreadable")
        return False
    document = docx.open_converted(converted, path, problems)
    if document is None:
        return False
    if kind == "odt":
        restore_title_styles(odt_titles(path), document)
        for href in odt_images_outside(path):
            draft.check(f"the image '{href}' is not kept inside {path.name}; it was not read: "
                        "insert it into the document (not as a link) and import again")
    draft.check(f"read with pandoc's {kind} reader: compare the article with the file")
    docx.read_document(document, draft)
    return True


def kind_of(path: Path) -> str:
    return FORMATS.get(path.suffix.lower(), "")


def convert(data: bytes, kind: str) -> tuple[bytes | None, str]:
    """The bytes of a Word document pandoc makes of ``data``, or None and pandoc's message (its last line)."""
    import pypandoc

    command = [pypandoc.get_pandoc_path(), "--from", kind, "--to", "docx", "--output", "-",
               "--sandbox", "--quiet"]   # --sandbox: pandoc reads its input and nothing else
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=PANDOC_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"pandoc could not convert it ({exc.__class__.__name__})"
    if done.returncode != 0 or not done.stdout:
        lines = [line for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
        return None, lines[-1][:200] if lines else f"pandoc stopped (exit {done.returncode})"
    return done.stdout, ""


_RTF_CHARACTER = re.compile(rb"\\u(-?\d+) ?(?:\\'[0-9a-fA-F]{2}|[^\\{}\s])?|\\'([0-9a-fA-F]{2})")
_RTF_CODEPAGE = re.compile(rb"\\ansicpg(\d+)")


def rtf_as_unicode(raw: bytes) -> str:
    """The RTF with every non-ASCII letter written ``\\uN\\'3f``: 8-bit ``\\'xx`` letters decoded by
    the file's code page (``\\ansicpg1251``), and Unicode letters given the fallback pandoc reads well."""
    found = _RTF_CODEPAGE.search(raw[:2000])
    codepage = f"cp{found.group(1).decode()}" if found else "cp1252"

    def letter(match: re.Match) -> bytes:
        if match.group(1) is not None:
            return b"\\u" + match.group(1) + b"\\'3f"
        try:
            char = bytes([int(match.group(2), 16)]).decode(codepage)
        except (UnicodeDecodeError, LookupError):
            return match.group(0)
        code = ord(char)
        return f"\\u{code if code < 32768 else code - 65536}\\'3f".encode("ascii")

    return _RTF_CHARACTER.sub(letter, raw).decode("ascii", errors="replace")


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
