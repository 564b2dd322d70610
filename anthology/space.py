"""Room on the disk: a file that would not fit is refused before it is written, saying how much it
needs, rather than written in half. QPDF aborts the whole process (SIGABRT) when its own write
fails for want of space (#18), so a PDF is saved into memory first and written here."""

from __future__ import annotations

import errno
import io
import shutil
from pathlib import Path

import pikepdf

from .problems import Problem, VolumeError, shown_folder

MARGIN = 100_000  # left free besides: the checksums, the report, the file system's own blocks
FULL = {errno.ENOSPC, errno.EDQUOT}


def no_space(folder: Path, needed: int) -> VolumeError:
    free = shutil.disk_usage(folder).free
    return VolumeError([Problem(str(shown_folder(folder)), None, f"no space left on this device (needed about "
                                                   f"{needed / 1e6:.1f} MB, {free / 1e6:.1f} MB free)", code="no-space")])


def write_bytes(target: Path, data: bytes | memoryview) -> None:
    """`data` into `target` (a staged or temporary file, removed by its owner on failure)."""
    if shutil.disk_usage(target.parent).free < len(data) + MARGIN:
        raise no_space(target.parent, len(data) + MARGIN)
    try:
        target.write_bytes(data)
    except OSError as exc:
        if exc.errno in FULL:
            raise no_space(target.parent, len(data)) from exc
        raise


def save_pdf(pdf: pikepdf.Pdf, target: Path, **options) -> None:
    """`pdf.save(target, **options)`, checked for room before anything is written."""
    buffer = io.BytesIO()
    pdf.save(buffer, **options)
    write_bytes(target, buffer.getbuffer())
