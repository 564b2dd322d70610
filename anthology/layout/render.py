"""Laying out one unit of the book with WeasyPrint: the volume's stylesheets, its fonts alone, its
local-only fetcher. A unit starts on a right-hand page with its number set by
`@page :first { counter-reset: page N }`, and reports where each anchor fell (its page map).
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import fonts  # noqa: I001  (first: it decides which fonts WeasyPrint can see)
from . import boxes, folios, hyphenation, settle
from .. import stopping
from ..model import Line, Picture, ProofSettings
from .fetcher import LocalFetcher

import tinycss2  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402  (after fonts, see above)
from weasyprint.document import Document  # noqa: E402


@dataclass
class Unit:
    """A rendered piece of the book: where each anchor fell, its outline entries, and its pages,
    either in memory (`document`) or written to `file`."""

    first_page: int
    page_count: int
    page_map: dict[str, int] = field(default_factory=dict)
    page_ends: dict[str, int] = field(default_factory=dict)  # anchor → the last page it spans, where it spans several
    bookmarks: list[tuple[int, str, int]] = field(default_factory=list)  # (level, label, page index in unit)
    document: Document | None = None
    file: Path | None = None
    phantoms: list[str] = field(default_factory=list)  # anchors added only to keep links to other units
    typefaces: dict[str, int] = field(default_factory=dict)  # typeface → glyphs set in it
    lines: list[Line] = field(default_factory=list)          # every line measured, for the proof
    pictures: list[Picture] = field(default_factory=list)
    folios: folios.Slots = field(default_factory=list)  # page numbers lifted out, to be drawn from `folio_file`
    folio_file: Path | None = None
    treatments: dict[str, settle.Treatment] = field(default_factory=dict)  # what settling gave its paragraphs

    @property
    def next_page(self) -> int:
        return self.first_page + self.page_count

    def starting_at(self, first_page: int) -> Unit:
        """The unit, laid out as if from page 1, placed in the book at `first_page` (an odd page,
        so every page keeps its side): its anchors, lines and pictures numbered from there."""
        shift = first_page - self.first_page
        return replace(self, first_page=first_page,
                       page_map={anchor: page + shift for anchor, page in self.page_map.items()},
                       page_ends={anchor: page + shift for anchor, page in self.page_ends.items()},
                       lines=[replace(line, page=line.page + shift) for line in self.lines],
                       pictures=[replace(picture, page=picture.page + shift) for picture in self.pictures])


# A trial of paragraph variants: one after the other, never a page break between them, but
# around a footnote's (settle.ALONE).
TRIAL_CSS = ("* { break-before: auto !important; break-after: auto !important; } .running-head { display: none; }"
             f" [{settle.ALONE}] {{ break-before: page !important; break-after: page !important; }}")


class Renderer:
    """Renders HTML units with the volume's stylesheets, its fonts alone and its local-only fetcher."""

    def __init__(self, stylesheets: list[Path], page_size: tuple[str, str], base_url: Path, fetcher: LocalFetcher,
                 extra_css: str = "", policy: hyphenation.Policy | None = None, settings: ProofSettings | None = None):
        hyphenation.register()  # Kazakh and Azerbaijani dictionaries for `hyphens: auto`
        self._recipe = pickle.dumps((stylesheets, page_size, base_url, fetcher.roots, extra_css, policy, settings))
        self.fetcher = fetcher
        self.base_url = fetcher.url_of(base_url) + "/"
        folders = self.font_folders = fonts.font_folders(base_url)
        self.font_config = fonts.font_configuration(folders)
        page_css = f"@page {{ size: {page_size[0]} {page_size[1]}; }}"
        self.stylesheets = [self._css(string=page_css)] + [self._css(url=fetcher.url_of(path)) for path in stylesheets]
        if extra_css:  # the PDF profile's rules (bleed, marks) come last
            self.stylesheets.append(self._css(string=extra_css, base_url=self.base_url))
        self.policy = policy or hyphenation.Policy()  # names never hyphenated, words broken as spelled
        self.settings = settings or ProofSettings()  # the proof's thresholds, which settling aims at
        layout_settings = replace(self.settings, ignore=[], accept=[])  # what reporting alone reads
        sheets = [page_css, extra_css] + [path.read_bytes().decode("utf-8", "replace") for path in stylesheets]
        rest = "".join(f"{font}{font.stat().st_size}{font.stat().st_mtime_ns}" for font in fonts.font_files(folders))
        rest += self.policy.key + repr(layout_settings)
        self.key = _digest(sheets, rest)  # what the look of a unit depends on besides its HTML
        self.geometry = _digest([_without_colours(sheet) for sheet in sheets], rest)  # …and where its lines fall

    def __reduce__(self):
        """A renderer sent to a layout worker (parallel.py) is made there, once, from what made this one."""
        return _remade, (self._recipe,)

    def _css(self, **source) -> CSS:
        """A stylesheet whose @font-face rules load into the one font configuration."""
        return CSS(**source, url_fetcher=self.fetcher, font_config=self.font_config)

    def render(self, html: str, first_page: int = 1, memory=None,
               treatments: dict[str, settle.Treatment] | None = None) -> Unit:
        """Lay out one unit whose first page is numbered `first_page`, and settle its pages
        (layout/settle.py): its paragraphs at fault tried in variants, then laid out with the best.

        `memory` (store.Remembered) holds the treatments chosen when this unit was last settled
        with its lines falling where they fall now: after a change of colours alone it is laid out
        once, with them. `treatments` settles it as another unit was settled, one whose HTML
        differs only in a few numbers (the contents before and after its page numbers are known):
        laid out once, with them."""
        if treatments is None and self.settings.settle:
            treatments = memory.recall() if memory is not None else None
            if treatments is None:
                unit, chosen = self._settled(html, first_page, memory)
                if memory is not None:
                    memory.keep(chosen)
                unit.treatments = chosen
                return unit
        unit = self._lay_out(settle.apply(html, treatments or {}), first_page)
        unit.treatments = dict(treatments or {})
        return unit

    def _settled(self, html: str, first_page: int, memory=None) -> tuple[Unit, dict[str, settle.Treatment]]:
        """The unit settled, and the treatments it was given (none when it is best as it is)."""
        unit = self._lay_out(html, first_page, typefaces=False)  # counted only if this layout is kept
        found = settle.faults(unit.lines, self.settings)
        options = {block: settle.variants(block, unit.lines, self.settings) for block in found}
        chosen = {}
        if options:
            unit.document = None  # a layout and its trial at once would be most of a worker's peak memory
            chosen = self._try(html, options, found, memory)
        turns = settle.page_turn_words(unit.lines)
        for block, word in turns.items():
            if word:
                chosen[block] = settle.with_kept(chosen.get(block, settle.Treatment()), word)
        chosen = {block: treatment for block, treatment in chosen.items() if treatment.strength}
        if not chosen:
            return self._as_it_is(unit, html), {}
        unit.document = None
        settled = self._lay_out(settle.apply(html, chosen), first_page)
        before = sum(found.values()) + len(turns)
        after = sum(settle.faults(settled.lines, self.settings).values()) + len(settle.page_turn_words(settled.lines))
        return (settled, chosen) if after < before else (self._as_it_is(unit, html), {})

    def _as_it_is(self, unit: Unit, html: str) -> Unit:
        """The unit's first layout, kept: its glyphs counted, or laid out again if it was let go
        (a unit that settling could not mend is rare)."""
        return self._count_typefaces(unit) if unit.document is not None else self._lay_out(html, unit.first_page)

    def _count_typefaces(self, unit: Unit) -> Unit:
        unit.typefaces = boxes.read_pages(unit.document.pages, unit.first_page, self.font_folders).typefaces
        return unit

    def render_page_independent(self, html: str, memory=None) -> Unit:
        """Lay out a unit that starts on a right-hand page as if it began on page 1, its page
        numbers lifted out (folios.py): the same pages wherever it falls in the book."""
        unit = self.render(html, 1, memory)
        unit.folios = folios.lift(unit.document)
        return unit

    def render_folios(self, slots: folios.Slots, first_page: int, texts: dict[int, str] | None = None) -> Unit:
        """The page numbers of a unit laid out by `render_page_independent`, on pages of their
        own, for the unit placed at `first_page`; `texts` (page index → HTML) the running
        elements that carry page numbers, such as the cite lines (folios.layer_html)."""
        unit = self._lay_out(folios.layer_html(slots, texts), first_page, folios.LAYER_CSS, read=False)
        folios.keep(unit.document, slots)
        return unit

    def print_page_elements(self, unit: Unit, texts: dict[int, str]) -> None:
        """A unit laid out in memory with its numbers in place gets its cite lines (`texts`, page
        index → HTML) the way a placed chunk does: laid out on a layer, drawn over its pages."""
        if texts:  # no box is lifted: the unit's pages have their numbers, and no cite line of their own
            slots = folios.lift(unit.document, lambda box: False)
            folios.graft(unit.document, self.render_folios(slots, unit.first_page, texts).document)

    def _try(self, html: str, options: dict[str, list[settle.Treatment]], as_they_are: dict[str, float],
             memory=None) -> dict[str, settle.Treatment]:
        """Each paragraph's best treatment, from one layout of all their variants side by side;
        with `memory`, only of the paragraphs whose variants it has not scored before."""
        fragments = settle.trial_fragments(html, options) if memory is not None else {}
        scores = {block: memory.scores(fragments[block]) for block in fragments}
        untried = {block: treatments for block, treatments in options.items() if scores.get(block) is None}
        if untried:
            trial = self._lay_out(settle.trial_document(html, untried), 1, TRIAL_CSS, typefaces=False)
            found = settle.trial_scores(trial.lines, self.settings)
            for block, treatments in untried.items():
                scores[block] = [found.get(f"{block}{settle.VARIANT}{n}", 0.0) for n in range(len(treatments))]
                if block in fragments:
                    memory.keep_scores(fragments[block], scores[block])
        return {block: settle.choose(treatments, scores[block], as_they_are[block])
                for block, treatments in options.items()}

    def _lay_out(self, html: str, first_page: int, extra_css: str = "", read: bool = True,
                 typefaces: bool = True) -> Unit:
        sheets = list(self.stylesheets)
        if first_page != 1:
            sheets.append(self._css(string=f"@page :first {{ counter-reset: page {first_page} }}"))
        if first_page % 2 == 0:  # a unit that begins on a left-hand page (the colophon after the index)
            sheets.append(self._css(string="html { break-before: left }"))
        if extra_css:
            sheets.append(self._css(string=extra_css))
        with _quiet_weasyprint(), hyphenation.applying(self.policy):
            document = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
                stylesheets=sheets, font_config=self.font_config)
        stopping.check()  # layout may have swallowed a Ctrl-C
        unit = Unit(first_page, len(document.pages), document=document)
        if read:
            reading = boxes.read_pages(document.pages, first_page, self.font_folders, typefaces)
            unit.typefaces, unit.lines, unit.pictures = reading.typefaces, reading.lines, reading.pictures
        for number, page in enumerate(document.pages, first_page):
            for anchor in page.anchors:  # a block spanning pages lists its id on each of them
                if unit.page_map.setdefault(anchor, number) != number:
                    unit.page_ends[anchor] = number
            unit.bookmarks.extend((level, label, number - first_page) for level, label, _, _ in page.bookmarks)
        return unit


COLOUR_FUNCTIONS = {"rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color", "device-cmyk"}


def _without_colours(css: str) -> str:
    """The stylesheet with each colour in a declaration (a hash, a colour function) made one
    placeholder: what decides where its lines fall. A named colour is kept, so changing one
    costs a settling, never a page settled for other lines."""
    return "".join(_rule_without_colours(rule) for rule in tinycss2.parse_stylesheet(css, True, True))


def _rule_without_colours(node) -> str:
    if node.type == "declaration":
        value = ["COLOUR" if token.type == "hash" or (token.type == "function" and token.lower_name in COLOUR_FUNCTIONS)
                 else tinycss2.serialize([token]) for token in node.value]
        return f"{node.name}:{''.join(value)}{'!important' if node.important else ''};"
    if node.type not in ("qualified-rule", "at-rule"):
        return tinycss2.serialize([node])
    head = ("@" + node.at_keyword if node.type == "at-rule" else "") + tinycss2.serialize(node.prelude)
    if node.content is None:
        return head + ";"
    inner = tinycss2.parse_blocks_contents(node.content, True, True)
    return head + "{" + "".join(_rule_without_colours(item) for item in inner) + "}"


def _digest(sheets: list[str], rest: str) -> str:
    digest = hashlib.sha256()
    for sheet in sheets:
        digest.update(sheet.encode() + b"\0")
    return hashlib.sha256(digest.digest() + rest.encode()).hexdigest()


def write_pdf(document: Document, target: Path, **options) -> None:
    """Write the PDF (the caller makes this atomic)."""
    with _quiet_weasyprint():
        document.write_pdf(target, **options)


class _quiet_weasyprint:
    """WeasyPrint logs every CSS property it does not know; the build reports problems itself."""

    def __enter__(self):
        self.logger = logging.getLogger("weasyprint")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)


_made: dict[bytes, Renderer] = {}  # in a layout worker: the renderer it was last sent


def _remade(recipe: bytes) -> Renderer:
    """The renderer `recipe` (Renderer._recipe) makes, made once in this process."""
    if recipe not in _made:
        _made.clear()
        stylesheets, page_size, base_url, roots, extra_css, policy, settings = pickle.loads(recipe)
        _made[recipe] = Renderer(stylesheets, page_size, base_url, LocalFetcher(roots), extra_css, policy, settings)
    return _made[recipe]
