"""Proof stage: the laid-out pages read as a proofreader and a printer's preflight would.

Its input is what the lay-out stage measured on every page while it still held the boxes (each
line's text, width, word spaces, hyphen and block, each image's place and resolution), so the
proof needs no layout of its own and runs in a fraction of the layout's time. Each kind of fault
and its threshold is described in docs/proof.md; the manifest's `proof:` mapping tunes them.
"""

from __future__ import annotations

from ..model import Enriched, Finding, Line
from . import lines as line_checks
from . import pages, pairs
from .source import Sources

__all__ = ["KINDS", "proof"]

KINDS = (*line_checks.CHECKS, "hyphenated-name", "hyphenated-capital", "hyphen-ladder", "hyphen-at-page-turn", "parted-pair", "widow", "orphan",
         "stranded-heading", "parted-caption", "short-page", "short-end-page", "low-resolution", "image-outside", "rgb-image",
         "page-count", "contents-page")


def proof(book, enriched: Enriched, profile: str) -> list[Finding]:
    """Every fault on the laid-out `book` (a layout.Layout), in page order, by the volume's
    thresholds; those the manifest accepts are marked `accepted`."""
    settings = enriched.volume.proof
    sources = Sources(enriched)
    lines = [line for unit in book.units for line in unit.lines]
    found: list[Finding] = []

    accepted = set(settings.accept)

    def report(kind: str, line: Line | None, message: str, page: int = 0, text: str = "", where=None) -> None:
        if kind in settings.ignore:
            return
        path, source_line = where or (sources.locate(line.anchor, line.text) if line else (sources.manifest, None))
        finding = Finding(kind, line.page if line else page, line.number if line else None,
                          line.text if line else text, path, source_line, message)
        finding.accepted = bool(finding.keys & accepted)
        found.append(finding)

    for line in lines:
        for kind, check in line_checks.CHECKS.items():
            message = check(line, settings)
            if message:
                report(kind, line, message)
    for before, after in zip(lines, lines[1:]):
        what = pairs.parted(before, after)
        if what:
            report("parted-pair", before, f"{what}: «{before.text.split()[-1]} / {after.text.split()[0]}»")
        for kind, check in (("hyphenated-name", line_checks.hyphenated_name),
                            ("hyphenated-capital", line_checks.hyphenated_capital)):
            message = check(before, after)
            if message:
                report(kind, before, message)
    for first, length in pages.ladders(lines, settings):
        report("hyphen-ladder", first, f"{length} hyphenated lines in a row (at most {settings.ladder - 1})")
    for line in pages.page_turns(lines):
        report("hyphen-at-page-turn", line, "the last line of a right-hand page is hyphenated: the word goes on overleaf")
    for kind, line, message in pages.parted_blocks(lines, settings):
        report(kind, line, message)
    pictures = [picture for unit in book.units for picture in unit.pictures]
    body = [line for line in lines if line.page in book.body_pages]  # the front and back matter are sparse by design
    for kind, line, message in pages.underfull_pages(body, pictures, settings):
        report(kind, line, message)
    for line, picture in pages.parted_figures(lines, pictures):
        report("parted-caption", line, f"a figure's caption on page {line.page}, its image on page {picture.page}")
    for kind, picture, message in pages.pictures(pictures, settings, profile):
        report(kind, None, message, picture.page, picture.source, where=sources.locate(picture.block))
    message = pages.page_count(book.page_count, profile, settings)
    if message:
        report("page-count", None, message, book.page_count, f"{book.page_count} pages")
    for line, number, page in pages.contents_pages(lines, book.page_map):
        target = line.anchor[len(pages.TOC_PREFIX):]
        report("contents-page", line, f"the contents gives page {number}, the heading is on page {page}",
               where=sources.locate(target))
    return sorted(found, key=lambda finding: (finding.page, finding.line or 0))
