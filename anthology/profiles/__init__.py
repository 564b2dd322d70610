"""PDF output profiles: what a print PDF is for decides how it is written and checked.

- `screen` (default): RGB, links and the outline, as WeasyPrint writes it.
- `press`: PDF/X-1a:2003 for a printing house: every colour and image turned into CMYK (or gray)
  through the bundled ISO Coated v2 300% profile (FOGRA39), that profile as the OutputIntent, a bleed
  with crop and registration marks outside it, TrimBox and BleedBox on every page, no transparency,
  no link annotations, all fonts embedded.
- `archive`: PDF/A-2b for legal deposit libraries (sRGB OutputIntent).
- `accessible`: tagged PDF/UA-1.

`profile()` gives the extra CSS for the layout and the options for `Document.write_pdf`;
`finish()` (press.py) post-processes the written file (press only: WeasyPrint 70 writes PDF/X
metadata but converts no colours); `check()` (checks.py) reads the file back and lists what is
wrong. See docs/print-production.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

PROFILES = ("screen", "press", "archive", "accessible")
DEFAULT_PROFILE = "screen"

ICC_DIR = Path(__file__).parent.parent / "data" / "icc"
ICC_FILE = "ISOcoated_v2_300_bas.icc"
# Output conditions registered with the ICC (https://www.color.org/registry/), by profile file name.
REGISTERED = {
    "ISOcoated_v2_300_bas.icc": (
        "FOGRA39",
        "Offset printing according to ISO 12647-2:2004/Amd 1, paper types 1 and 2 (coated), "
        "screen ruling 60/cm, total area coverage 300%",
    ),
}
REGISTRY = "http://www.color.org"

PRESS_VARIANT = "pdf/x-1a"
ARCHIVE_VARIANT = "pdf/a-2b"
ACCESSIBLE_VARIANT = "pdf/ua-1"

# CSS bleed beyond twice the bleed, in pt: leaves 3 mm between the crop marks and the BleedBox.
MARKS_CLEARANCE = 6 * 72 / 25.4
POINTS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "px": 0.75}
LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(pt|mm|cm|in|px)\s*$")


@dataclass
class Profile:
    """One output profile: CSS appended after the volume's stylesheets, and write_pdf options.

    `bleed` and `icc` are what `finish()` and `check()` need for `press` (the trim-to-bleed distance
    and the CMYK profile); they are empty for the other profiles. A `whole_document` profile (PDF/A,
    PDF/UA: one structure tree, one set of metadata) is written by WeasyPrint as one document, so
    its units stay in memory rather than being written to files and joined."""

    name: str
    css: str = ""
    options: dict = field(default_factory=dict)
    bleed: str | None = None
    icc: Path | None = None
    whole_document: bool = False

    @property
    def bleed_points(self) -> float:
        return to_points(self.bleed) if self.bleed else 0.0


def whole_document(name: str) -> bool:
    """Whether the profile called `name` has WeasyPrint write the book as one document."""
    return name in ("archive", "accessible")


def profile(name: str, bleed: str, icc_dir: Path | None = None) -> Profile:
    """The profile called `name`; `bleed` is the manifest's CSS length (used by `press` only).

    `icc_dir` is a folder holding the CMYK ICC profile to print with (default: the bundled one)."""
    if name not in PROFILES:
        raise ValueError(f"unknown PDF profile '{name}': choose one of {', '.join(PROFILES)}")
    if name == "press":
        bleed_pt = to_points(bleed)
        return Profile(name, press_css(bleed_pt), {"pdf_variant": PRESS_VARIANT, "pdf_identifier": True},
                       bleed=bleed, icc=find_icc(icc_dir or ICC_DIR))
    if name == "archive":
        return Profile(name, "", {"pdf_variant": ARCHIVE_VARIANT, "pdf_identifier": True}, whole_document=whole_document(name))
    if name == "accessible":
        return Profile(name, "", {"pdf_variant": ACCESSIBLE_VARIANT, "pdf_identifier": True}, whole_document=whole_document(name))
    return Profile(name)


def to_points(length: str) -> float:
    """A CSS length (pt, mm, cm, in, px) in PDF points."""
    match = LENGTH.match(str(length))
    if not match:
        raise ValueError(f"'{length}' is not a length such as 3mm")
    return float(match.group(1)) * POINTS[match.group(2)]


def press_css(bleed_pt: float) -> str:
    """Bleed plus room for the marks: WeasyPrint draws crop marks across the outer half of its
    `bleed` area, so that area is twice the bleed plus a clearance, and the marks stay outside the
    BleedBox that `finish()` sets. The layout (the page area) does not change."""
    outer = 2 * bleed_pt + MARKS_CLEARANCE
    return f"@page {{ bleed: {outer:.3f}pt; marks: crop cross; }}\n"


def find_icc(folder: Path) -> Path:
    """The CMYK profile in `folder`: the bundled file name if present, else the first *.icc/*.icm."""
    folder = Path(folder)
    if (folder / ICC_FILE).is_file():
        return folder / ICC_FILE
    found = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".icc", ".icm")) if folder.is_dir() else []
    if not found:
        raise FileNotFoundError(f"no ICC profile (*.icc) in {folder}")
    return found[0]


# --- finish ----------------------------------------------------------------------------------------


# --- check -----------------------------------------------------------------------------------------


from .checks import check  # noqa: E402  (after Profile, which they use)
from .press import finish  # noqa: E402

__all__ = ["DEFAULT_PROFILE", "PROFILES", "Profile", "check", "finish", "profile", "to_points"]
