"""LibreOffice (``.odt``) and RTF files → a draft article, through pandoc's readers.

pandoc (bundled with pypandoc-binary) reads the file's bytes and writes a Word document, in
memory (standard input to standard output: nothing is written on disk); the Word reader then
reads that, so an ``.odt`` or ``.rtf`` gets the same
title, byline, notes, tables and images as a ``.docx`` (see docs/ingest.md for the measurement
that chose this way). A legacy Word ``.doc`` is refused with how to convert it.
"""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

from ..limits import MAX_DOCX_BYTES
from ..problems import Problems
from . import docx
from .model import Draft
from .odf import odt_images_outside, odt_titles, restore_title_styles, settle_odt_changes
from .rtf import rtf_as_unicode

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
