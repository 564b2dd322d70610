"""Offprints: one PDF per article, made of the built book's own pages (never laid out again, so
the page numbers and folios are the volume's), after a leading page that names the volume, the
full citation, the rights and the ISBN; with its own metadata (title, authors, the citation as
subject) and outline. Links that lead out of the article's pages are removed."""

from __future__ import annotations

import warnings
from pathlib import Path

import pikepdf

from .. import assemble, layout
from ..layout.join import share_fonts
from ..metadata.crossref import chapter_doi
from ..metadata.records import ArticleRecord
from ..model import Volume
from ..space import save_pdf

FOLDER = "offprints"


def offprint(book_pdf: Path, leading: Path, record: ArticleRecord, citation: str, volume: Volume, target: Path) -> None:
    """`target`: the leading page (a blank after it when the article opens on a right-hand page,
    so every page keeps its side), then the book's pages of the article."""
    with pikepdf.open(book_pdf) as book, pikepdf.open(leading) as lead, pikepdf.new() as out:
        out.pages.extend(lead.pages)
        if record.first_page % 2:
            box = lead.pages[0].mediabox
            out.add_blank_page(page_size=(float(box[2]) - float(box[0]), float(box[3]) - float(box[1])))
        opening = len(out.pages)
        wanted = range(record.first_page - 1, record.last_page)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)  # the destinations are rebuilt below
            out.pages.extend([book.pages[number] for number in wanted])
        _keep_links(book, out, wanted, opening)
        share_fonts(out)
        _describe(out, record, citation, volume)
        with out.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem(record.article.title, opening))
        save_pdf(out, target, deterministic_id=True)


def _keep_links(book: pikepdf.Pdf, out: pikepdf.Pdf, wanted: range, opening: int) -> None:
    """The named destinations that lie on the article's pages, moved to the offprint's copies of
    them; a link to anywhere else (the contents, the index, another article) is taken away."""
    index_of = {page.objgen: number for number, page in enumerate(book.pages)}
    kept: dict[str, pikepdf.Array] = {}
    names = book.Root.get("/Names")
    if names is not None and "/Dests" in names:
        for name, dest in pikepdf.NameTree(names.Dests).items():
            number = index_of.get(dest[0].objgen)
            if number in wanted:
                kept[name] = pikepdf.Array([out.pages[opening + number - wanted.start].obj, *list(dest)[1:]])
    for page in out.pages[opening:]:
        annotations = page.obj.get("/Annots")
        if annotations is None:
            continue
        staying = [a for a in annotations if _target(a) is None or str(_target(a)) in kept]
        page.obj.Annots = pikepdf.Array(staying)
    tree = pikepdf.NameTree.new(out)
    for name in sorted(kept):
        tree[name] = kept[name]
    out.Root.Names = out.make_indirect(pikepdf.Dictionary(Dests=tree.obj))


def _target(annotation):
    """The named destination an internal link goes to (None for a link to the web)."""
    if "/Dest" in annotation:
        return annotation.Dest
    action = annotation.get("/A")
    if action is not None and action.get("/S") == "/GoTo":
        return action.get("/D")
    return None


INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\u00ad"))  # break hints the printed citation carries


def _plain(text: str) -> str:
    """A citation as metadata: without the invisible break hints, which would stop a search for it."""
    return text.translate(INVISIBLE)


def _describe(out: pikepdf.Pdf, record: ArticleRecord, citation: str, volume: Volume) -> None:
    article = record.article
    stamp = volume.built.strftime("D:%Y%m%d%H%M%SZ")
    out.docinfo = out.make_indirect(pikepdf.Dictionary(
        Title=pikepdf.String(article.title), Author=pikepdf.String(", ".join(a.name for a in article.authors)),
        Subject=pikepdf.String(_plain(citation)), Keywords=pikepdf.String(", ".join(article.keywords)),
        Creator=pikepdf.String("anthology"), CreationDate=pikepdf.String(stamp), ModDate=pikepdf.String(stamp)))
    out.Root.Lang = pikepdf.String(article.lang)
    out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)


def write_offprints(folder: Path, book_pdf: Path, enriched, chosen, records: list[ArticleRecord],
                    citations: dict[str, str]) -> list[Path]:
    """`folder/<article-id>.pdf` for each record, from the book PDF `book_pdf` (both staged)."""
    volume = enriched.volume
    folder.mkdir(parents=True, exist_ok=True)
    leaves = [(assemble.print_offprint(volume, record.article, citations.get(record.article.id, record.article.title),
                                       chapter_doi(volume, record)), folder / f".{record.article.id}.lead.pdf")
              for record in records]
    layout.lay_out_leaves(enriched, chosen, leaves)
    written = []
    for record, (_, leading) in zip(records, leaves):
        target = folder / f"{record.article.id}.pdf"
        offprint(book_pdf, leading, record, citations.get(record.article.id, record.article.title), volume, target)
        leading.unlink()
        written.append(target)
    return written
