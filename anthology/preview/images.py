"""The preview's page images: JPEGs of one PDF's pages, made by poppler's `pdftoppm`.

The pages on view are made with the PDF, before the preview is published; the others when the
browser first asks for them or, meanwhile, in the background, so that a refresh waits for the
pages a designer looks at and not for all the others."""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
import threading
from pathlib import Path

from PIL import Image

PAGE_DPI = 110
BATCH = 8  # pages made in the background between two looks at whether a new build has begun


class PageImages:
    """The page images of one PDF, by page number (from 1), each made once."""

    def __init__(self, rasteriser: str, pdf: bytes, count: int, made: dict[int, bytes]):
        self.rasteriser, self.pdf, self.count = rasteriser, pdf, count
        self._made = dict(made)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self.count

    def get(self, number: int) -> bytes | None:
        """Page `number`'s image, made now if it was not yet; None for no such page (or a failure)."""
        if not 1 <= number <= self.count:
            return None
        with self._lock:
            image = self._made.get(number)
        if image is None:
            image = rasterise(self.rasteriser, self.pdf, range(number, number + 1)).get(number)
            if image is not None:
                with self._lock:
                    self._made.setdefault(number, image)
        return image

    def missing(self) -> int:
        """How many pages have no image yet."""
        with self._lock:
            return self.count - len(self._made)

    def with_pages(self, pages: dict[int, bytes]) -> PageImages:
        """These images with some pages shown new (laid out before the rest of the book)."""
        with self._lock:
            return PageImages(self.rasteriser, self.pdf, self.count, {**self._made, **pages})

    def size(self) -> tuple[int, int]:
        """The width and height of a page image: every page's box has its shape before its image comes."""
        with self._lock:
            image = next(iter(self._made.values()))
        with Image.open(io.BytesIO(image)) as opened:
            return opened.size

    def fill(self, stop: threading.Event) -> None:
        """Make every page not yet made, a few at a time, until done or `stop` is set."""
        while not stop.is_set() and self.missing():
            with self._lock:
                missing = [n for n in range(1, self.count + 1) if n not in self._made]
            batch = range(missing[0], min(missing[0] + BATCH, self.count + 1))
            made = rasterise(self.rasteriser, self.pdf, batch)
            if not made:
                return  # pdftoppm failed: each page is tried again when asked for
            with self._lock:
                for number, image in made.items():
                    self._made.setdefault(number, image)


def first_images(rasteriser: str | None, pdf: bytes, count: int, wanted: range, log) -> PageImages | None:
    """The page images of `pdf` with the pages `wanted` made; None without pdftoppm, or when it fails."""
    if not rasteriser or count == 0:
        return None
    wanted = range(max(1, wanted.start), min(count + 1, wanted.stop)) or range(1, 2)
    made = rasterise(rasteriser, pdf, wanted, log)
    return PageImages(rasteriser, pdf, count, made) if made else None


def rasterise(rasteriser: str, pdf: bytes, wanted: range, log=None) -> dict[int, bytes]:
    """The pages `wanted` as JPEGs, with pdftoppm in a few processes at once ({} when it fails)."""
    with tempfile.TemporaryDirectory(prefix="anthology-preview-") as folder:
        source = Path(folder) / "preview.pdf"
        source.write_bytes(pdf)
        jobs = max(1, min(os.cpu_count() or 1, 4, len(wanted)))
        step = -(-len(wanted) // jobs)
        processes = [
            subprocess.Popen([rasteriser, "-r", str(PAGE_DPI), "-jpeg", "-jpegopt", "quality=90", "-forcenum",
                              "-f", str(first), "-l", str(min(first + step - 1, wanted.stop - 1)), str(source),
                              str(Path(folder) / "page")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for first in range(wanted.start, wanted.stop, step)
        ]
        errors = [process.communicate()[1] for process in processes]
        if any(process.returncode for process in processes):
            if log is not None:
                message = b" ".join(errors).decode(errors="replace").strip()
                log(f"pdftoppm failed ({message}): showing the PDF instead of its pages")
            return {}
        return {int(path.stem.rsplit("-", 1)[1]): path.read_bytes() for path in Path(folder).glob("page-*.jpg")}
