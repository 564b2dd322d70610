"""The imprint (выходные сведения): what Russian-language publishing prints about a book's
production, with the printed sheets computed from the real page count and format."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..enrich import typography
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


def catalogue_record(volume: Volume, lab: dict, pages: int | None) -> Markup:
    """The book's bibliographic record as GOST R 7.0.4 prints it on the title's verso:
    «Title : subtitle / составитель A ; главный редактор B. — Place : Publisher, 2024. — 62 с.»

    The prescribed punctuation is bound to the element before it by a no-break space, so no line
    begins with «:», «/», «;» or «—»; each name is kept on one line (`.imprint-name`). `pages` is
    the printed page count (None in the EPUB, which has no pages)."""
    record = escape(typography.typeset(volume.title, volume.lang))
    if volume.subtitle:
        record += NBSP + ": " + escape(typography.typeset(_subtitle_case(volume.subtitle), volume.lang))
    for number, (role, names) in enumerate(_editors_by_role(volume)):
        record += NBSP + ("/ " if number == 0 else "; ") + escape(_role_label(lab, role, len(names))) + " "
        record += Markup(", ").join(Markup('<span class="imprint-name">{}</span>').format(name) for name in names)
    record = _closed(record)
    published = Markup(NBSP + ": ").join(escape(part) for part in (volume.place, volume.publisher) if part)
    if volume.year:
        published = published + ", " + escape(volume.year) if published else escape(volume.year)
    for part in (published, f"{pages}{NBSP}{lab['page_abbr']}" if pages else ""):
        if part:
            record = _closed(record + NBSP + "— " + part)
    return record


NBSP = "\u00a0"


def _subtitle_case(subtitle: str) -> str:
    """Information other than the title begins in lower case (GOST 7.0.100), unless its first word
    is an abbreviation (written in capitals)."""
    first = subtitle.split()[0]
    return subtitle if first[1:2].isupper() else subtitle[:1].lower() + subtitle[1:]


def _editors_by_role(volume: Volume) -> list[tuple[str, list[str]]]:
    groups: list[tuple[str, list[str]]] = []
    for editor in volume.editors:
        role = editor.role or "editor"
        if groups and groups[-1][0] == role:
            groups[-1][1].append(editor.name)
        else:
            groups.append((role, [editor.name]))
    return groups


def _role_label(lab: dict, role: str, count: int) -> str:
    label = (lab["editors_plural"] if count > 1 else lab["editors"]).get(role, "")
    return label[:1].lower() + label[1:]


def _closed(text: Markup) -> Markup:
    """An area of the record ends with a full stop, unless it already ends with a sign of its own."""
    return text if str(text).rstrip().endswith((".", "?", "!", "…")) else text + "."


def production_items(volume: Volume, lab: dict, paper: PaperFormat | None, sheets: str | None,
                     typefaces: list[str]) -> list[str]:
    """The colophon's production data (выпускные данные, GOST R 7.0.4), one item each, every item
    closed by a full stop: «Формат 60×84 1/16.», «Тираж 300 экз.»."""
    imprint = volume.imprint
    typeface_label = lab["typeface"] if len(typefaces) == 1 else lab["typefaces"]
    items = [
        (imprint.get("signed"), lambda: f"{lab['signed']} {imprint['signed']}"),
        (paper, lambda: f"{lab['format']} {paper.label}"),
        (imprint.get("paper"), lambda: f"{lab['paper']} {imprint['paper']}"),
        (typefaces, lambda: f"{typeface_label} {', '.join(typefaces)}"),
        (sheets, lambda: f"{lab['sheets']} {sheets}"),
        (imprint.get("print_run"), lambda: f"{lab['print_run']} {imprint['print_run']}{NBSP}{lab['copies']}"),
        (imprint.get("order"), lambda: f"{lab['order']}{NBSP}{imprint['order']}"),
    ]
    return [str(_closed(Markup(text()))) for present, text in items if present]
