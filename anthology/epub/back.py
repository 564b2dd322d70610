"""The EPUB's back-matter documents: a volume-wide reference list, the contributors, the index."""

from __future__ import annotations

import copy

from ..assemble.templates import render, xhtml_of
from ..labels import labels
from ..model import EpubDocument, Volume
from .documents import _link_back


def epub_bibliography(volume: Volume, bibliography, first_cited: dict[str, tuple[str, str]],
                      stylesheets: list[str]) -> EpubDocument:
    """The volume-wide reference list as its own EPUB document; its entries link back to the first citation."""
    lab = labels(volume.lang)
    element = copy.deepcopy(bibliography)
    _link_back(element, {target: f"{article}.xhtml#{anchor}" for target, (article, anchor) in first_cited.items()})
    content = (f'<section class="volume-bibliography" id="bibliography" epub:type="bibliography" role="doc-bibliography">'
               f'<h1 class="references-title">{lab["references"]}</h1>{xhtml_of(element)}</section>')
    xhtml = render("epub_page.xhtml", title=lab["references"], lang=volume.lang, content=content, matter="backmatter",
                    kind="bibliography", stylesheets=stylesheets)
    return EpubDocument("text/bibliography.xhtml", lab["references"], volume.lang, xhtml, "backmatter", "bibliography")


def epub_contributors(volume: Volume, people: list[dict], stylesheets: list[str]) -> EpubDocument:
    """The list of contributors as an EPUB document, each article a link to it."""
    lab = labels(volume.lang)
    content = render("_contributors.html", volume=volume, people=people, labels=lab, epub=True, href=lambda article_id: f"{article_id}.xhtml")
    xhtml = render("epub_page.xhtml", title=lab["contributors"], lang=volume.lang, content=content, matter="backmatter",
                    kind="contributors", stylesheets=stylesheets)
    return EpubDocument("text/contributors.xhtml", lab["contributors"], volume.lang, xhtml, "backmatter")


def epub_index(volume: Volume, groups: list, article_of: dict[str, str], stylesheets: list[str]) -> EpubDocument:
    """The index of names as an EPUB document (EPUB Indexes vocabulary), each locator a link to its mention."""
    lab = labels(volume.lang)
    content = render("_index.html", volume=volume, groups=groups, labels=lab, epub=True,
                      href=lambda anchor: f"{article_of.get(anchor, '')}.xhtml#{anchor}")
    xhtml = render("epub_page.xhtml", title=lab["index"], lang=volume.lang, content=content, matter="backmatter",
                    kind="index", stylesheets=stylesheets)
    return EpubDocument("text/index.xhtml", lab["index"], volume.lang, xhtml, "backmatter", "index")
