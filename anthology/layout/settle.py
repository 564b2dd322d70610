"""Settling a unit's pages: what a typesetter does after the first pass.

WeasyPrint breaks lines greedily and one at a time, so some lines gape, hyphens stack into
ladders, a word is hyphenated across a page turn, or (a fault of its own) a line is cut short
after its first word. A paragraph's line breaks are its own affair, so each paragraph at fault is
tried again in a few variants, side by side in one small trial document:

- set a little tighter, and tighter still (`data-settle`: a few thousandths of an em less between
  letters, a few hundredths less between words; print.css has the figures);
- with the words hyphenated where it goes wrong kept whole (`span.keep-whole`), alone and tight.

Each paragraph takes the variant whose lines are best — or stays as it is, scored as the first
layout found it — and the unit is laid out once more with them. A variant is scored by its own
lines alone, and a footnote's variants (which WeasyPrint sets at the foot of whatever page their
call falls on) each have a trial page to themselves: so a paragraph's scores depend on its copy in
the trial (`trial_fragments`) and on nothing else, and are kept by it (store.Remembered), for the
next settling of a unit in which that paragraph is unchanged. A paragraph copied into the trial
keeps its ancestors, so it has the same width, indent and type as in the book; its footnotes are
left empty (their calls stay), since laying out their text costs a third of the trial and tells
nothing of the paragraph's lines. A hyphen at a page turn depends on the page, not the paragraph,
so its word is simply kept whole. Settling costs a trial and a layout for each unit at fault;
`ProofSettings.settle` turns it off (0), and the settled unit is what the unit cache keeps.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, replace

import lxml.html

from ..model import Line, ProofSettings
from ..proof import lines as line_checks
from ..proof import pages as page_checks

VARIANT = "--settle-"  # appended to the ids of a paragraph's copies in the trial
ALONE = "data-settle-trial"  # marks a copy laid out on trial pages of its own (render.TRIAL_CSS)


@dataclass(frozen=True)
class Treatment:
    """What a paragraph is given: how tight it is set, and which of its words are kept whole."""

    tight: str | None = None
    keep_whole: tuple[str, ...] = ()

    @property
    def strength(self) -> int:
        return (self.tight is not None) + (self.tight == "tighter") + len(self.keep_whole)


def faults(lines: list[Line], settings: ProofSettings) -> dict[str, float]:
    """How bad each block's lines are (blocks with nothing wrong are left out)."""
    found: dict[str, float] = {}

    def add(block: str, weight: float) -> None:
        found[block] = found.get(block, 0.0) + weight

    for line in lines:
        if line_checks.loose(line, settings):
            add(line.block, 1 + (line.space + line.extra) / line.space - settings.loose_space)
        if line_checks.short(line, settings):
            add(line.block, 5)
    for first, _ in page_checks.ladders(lines, settings):
        add(first.block, 3)
    for before, after in zip(lines, lines[1:]):
        if line_checks.hyphenated_name(before, after) or line_checks.hyphenated_capital(before, after):
            add(before.block, 2)
    return found


def page_turn_words(lines: list[Line]) -> dict[str, str]:
    """Block → the word hyphenated across a right-hand page's turn, to keep whole."""
    return {line.block: line_checks.broken_word(line, _after(lines, line)) for line in page_checks.page_turns(lines)}


def variants(block: str, lines: list[Line], settings: ProofSettings) -> list[Treatment]:
    """The treatments worth trying for a paragraph at fault (as it is, it was scored by the first layout)."""
    mine = [line for line in lines if line.block == block]
    broken = set()
    for first, length in page_checks.ladders(mine, settings):
        start = mine.index(first)
        broken |= {line_checks.broken_word(mine[start + i], mine[start + i + 1]) for i in range(1, length - 1, 2)}
    for previous, line in zip(mine, mine[1:]):
        if previous.hyphenated and (line_checks.short(line, settings) or line_checks.loose(line, settings)
                                    or line_checks.hyphenated_capital(previous, line)):
            broken.add(line_checks.broken_word(previous, line))
    broken.discard("")
    keep = tuple(sorted(broken))
    found = [Treatment("tight"), Treatment("tighter"), Treatment("looser")]
    if keep:
        found += [Treatment(None, keep), Treatment("tight", keep), Treatment("tighter", keep)]
    return found


def trial_document(html: str, treatments: dict[str, list[Treatment]]) -> str:
    """Every variant of every paragraph at fault, each in a copy of its ancestors, as one document."""
    page = lxml.html.document_fromstring(html)
    chains = []
    for block, options in treatments.items():
        element = find_block(page, block)
        if element is None:
            continue
        for number, treatment in enumerate(options):
            chains.append(_chain(element, f"{block}{VARIANT}{number}", treatment))
    body = _emptied_body(page)
    for chain in chains:
        body.append(chain)
    return lxml.html.tostring(page, encoding="unicode")


def trial_fragments(html: str, treatments: dict[str, list[Treatment]]) -> dict[str, str]:
    """Block → all its trial's lines depend on besides the styles: the document around it, its
    copy in the trial (named alike whatever its block), and the variants tried."""
    page = lxml.html.document_fromstring(html)
    found = {block: find_block(page, block) for block in treatments}
    copies = {block: lxml.html.tostring(_chain(element, VARIANT, Treatment()), encoding="unicode")
              for block, element in found.items() if element is not None}
    _emptied_body(page)
    around = lxml.html.tostring(page, encoding="unicode")
    return {block: f"{around}\0{copy}\0{treatments[block]!r}" for block, copy in copies.items()}


def trial_scores(lines: list[Line], settings: ProofSettings) -> dict[str, float]:
    """How bad each variant's lines in a trial are, by its lines alone (never a ladder or a pair
    of lines running into the next variant's), read as if on one page (a trial's page turns are
    not the book's), rounded so that the last bits of where a copy sat never tell."""
    by_block: dict[str, list[Line]] = {}
    for line in lines:
        by_block.setdefault(line.block, []).append(replace(line, page=0))
    return {block: round(faults(mine, settings).get(block, 0.0), 9) for block, mine in by_block.items()}


def choose(options: list[Treatment], scores: list[float], as_it_is: float) -> Treatment:
    """The variant with the best lines, or none if none is better than the paragraph as it is; of
    equals, the lightest."""
    options, scores = [Treatment(), *options], [as_it_is, *scores]
    return options[min(range(len(options)), key=lambda i: (scores[i], options[i].strength))]


def as_data(chosen: dict[str, Treatment]) -> dict[str, list]:
    """Treatments as JSON can hold them (the unit store keeps them)."""
    return {block: [treatment.tight, list(treatment.keep_whole)] for block, treatment in chosen.items()}


def from_data(data: dict[str, list]) -> dict[str, Treatment]:
    return {block: Treatment(tight, tuple(words)) for block, (tight, words) in data.items()}


def with_kept(treatment: Treatment, word: str) -> Treatment:
    return Treatment(treatment.tight, tuple(sorted(set(treatment.keep_whole) | {word})))


def apply(html: str, chosen: dict[str, Treatment]) -> str:
    """The unit's HTML with each paragraph given its treatment."""
    if not any(chosen.values()):
        return html
    page = lxml.html.document_fromstring(html)
    for block, treatment in chosen.items():
        element = find_block(page, block)
        if element is not None:
            _treat(element, treatment)
    return lxml.html.tostring(page, encoding="unicode", doctype="<!DOCTYPE html>")


def find_block(page, key: str):
    """The element a line's block key names (boxes.py): by its id, or by «tag#place» among the
    elements of its tag (the same in lxml's tree and WeasyPrint's, which differ only in the
    elements they imply, such as tbody)."""
    tag, _, place = key.rpartition("#")
    if tag and place.isdigit():
        found = list(page.iter(tag))
        return found[int(place) - 1] if int(place) <= len(found) else None
    return page.get_element_by_id(key, None)


def _chain(element, new_id: str, treatment: Treatment):
    """A copy of `element` (ids renamed) inside shallow copies of its ancestors up to the body,
    after an empty sibling like the one before it (so `p + p` rules match as in the book)."""
    duplicate = copy.deepcopy(element)
    for node in duplicate.iter():
        if node.get("id"):
            node.set("id", f"{node.get('id')}--in-{new_id}")  # never another block's variant
    duplicate.set("id", new_id)
    _treat(duplicate, treatment)
    for note in duplicate.find_class("footnote"):
        if note is not duplicate:
            _empty(note)
    previous = element.getprevious()
    outer = [lxml.html.Element(previous.tag, dict(previous.attrib, id=""))] if previous is not None else []
    inner = outer + [duplicate]
    for ancestor in element.iterancestors():
        if ancestor.tag == "body":
            break
        shell = lxml.html.Element(ancestor.tag, {k: v for k, v in ancestor.attrib.items() if k != "id"})
        shell.extend(inner)
        inner = [shell]
    if _in_footnote(element):
        inner[0].set(ALONE, "alone")
    return inner[0]


def _in_footnote(element) -> bool:
    return any("footnote" in (node.get("class") or "").split() for node in (element, *element.iterancestors()))


def _emptied_body(page):
    body = page.find("body")
    for child in list(body):
        body.remove(child)
    body.text = None
    return body


def _empty(element) -> None:
    for child in list(element):
        element.remove(child)
    element.text = None


def _treat(element, treatment: Treatment) -> None:
    if treatment.tight:
        element.set("data-settle", treatment.tight)
    for word in treatment.keep_whole:
        _keep_whole(element, word)


def _keep_whole(element, word: str) -> None:
    """Wrap the first occurrence of `word` in the element's text in `span.keep-whole`."""
    pattern = re.compile(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])")
    for node in element.iter():
        for attribute in ("text", "tail"):
            if node is element and attribute == "tail":
                continue
            value = getattr(node, attribute)
            found = pattern.search(value or "")
            if found:
                span = lxml.html.Element("span", {"class": "keep-whole"})
                span.text = found.group()
                span.tail = value[found.end():]
                setattr(node, attribute, value[:found.start()])
                if attribute == "text":
                    node.insert(0, span)
                else:
                    node.addnext(span)
                return


def _after(lines: list[Line], line: Line) -> Line | None:
    number = lines.index(line)
    return lines[number + 1] if number + 1 < len(lines) else None
