"""The imprint (выходные сведения): what Russian-language publishing prints about a book's
production, with the printed sheets computed from the real page count and format."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..problems import Problems
from ..model import Volume

# The reference printed sheet is 60×90 cm; a format's sheet converts to it by area.
REFERENCE_SHEET = 60 * 90
FORMAT = re.compile(r"^\s*(\d+)\s*[x×]\s*(\d+)\s*(?:/|1/)\s*(\d+)\s*$")


@dataclass
class PaperFormat:
    """A sheet of `width`×`height` cm cut into `fraction` leaves (e.g. 60×84/16)."""

    width: int
    height: int
    fraction: int

    @property
    def label(self) -> str:
        return f"{self.width}×{self.height}\u00a01/{self.fraction}"

    def printed_sheets(self, pages: int) -> float:
        """Conventional printed sheets (усл. печ. л.): physical sheets (one side holds `fraction`
        pages) converted to the 60×90 reference sheet."""
        return pages / self.fraction * (self.width * self.height) / REFERENCE_SHEET


def paper_format(volume: Volume, problems: Problems) -> PaperFormat | None:
    """The format from `imprint.format` (e.g. "60x84/16"), or from a page size named that way."""
    text = volume.imprint.get("format") or (volume.page_size_name if "/" in (volume.page_size_name or "") else None)
    if not text:
        return None
    match = FORMAT.match(str(text))
    if not match:
        problems.error(volume.root / "anthology.yaml", None, f"imprint format '{text}' must look like 60x84/16")
        return None
    return PaperFormat(*(int(n) for n in match.groups()))


def format_sheets(value: float, lang: str) -> str:
    """`9.33` → `9,33` in a Russian-style language."""
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang.split("-")[0] in ("ru", "kk", "az") else text
