"""Packaging the EPUB's documents with ebooklib as a valid EPUB 3 (with an EPUB 2 NCX).

ebooklib writes the package document, the NCX and the zip; the navigation document is our own,
because ebooklib's cannot carry a page-list of our making or an index landmark (RESEARCH.md).
"""

from __future__ import annotations

import datetime as dt
import html
import uuid
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from ebooklib import epub

from ..assemble.templates import environment
from ..labels import labels
from ..model import EpubDocument, TocEntry, Volume
from . import accessibility
from .pages import PageTarget, nav_href

# MARC relator codes for the roles a volume's people have.
RELATORS = {"compiler": "com", "editor-in-chief": "edt", "editor": "edt", "translator": "trl", "reviewer": "rev"}
MEDIA_TYPES = {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2",
               ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml", ".txt": "text/plain"}
NAV = "text/nav.xhtml"


@dataclass
class Landmark:
    type: str
    href: str
    title: str


def identifier(volume: Volume) -> str:
    """The EPUB's unique identifier: its ISBN, else the manifest's UUID, else one derived from the title."""
    ids = volume.identifiers
    if ids.get("isbn_epub"):
        return f"urn:isbn:{ids['isbn_epub'].replace('-', '')}"
    if ids.get("uuid"):
        return ids["uuid"] if ids["uuid"].startswith("urn:") else f"urn:uuid:{ids['uuid']}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, volume.slug + '/' + volume.title)}"


def write_epub(volume: Volume, docs: list[EpubDocument], toc: list[TocEntry], styles: dict[str, bytes],
               images: dict[Path, str], target: Path, modified: dt.datetime, cover: tuple[str, bytes],
               files: dict[str, bytes] | None = None) -> None:
    """Write the EPUB to `target` (the caller makes the write atomic): `docs` in reading order, the
    navigation document among them; `styles` by their name in styles/; `files` are further
    resources (fonts, their licences) by their name in the package."""
    book = epub.EpubBook()
    _metadata(book, volume, modified, docs)
    book.set_cover(cover[0], cover[1], create_page=False)
    for name, content in styles.items():
        book.add_item(_item(f"styles/{name}", Path(name).suffix, content))
    for name, content in sorted((files or {}).items()):
        book.add_item(_item(name, Path(name).suffix, content))
    for path, name in sorted(images.items(), key=lambda item: item[1]):
        book.add_item(_file_item(name, path))
    items = []
    for number, doc in enumerate(docs):
        item = epub.EpubItem(uid="nav" if doc.file_name == NAV else f"doc{number}", file_name=doc.file_name,
                             media_type="application/xhtml+xml", content=doc.xhtml.encode("utf-8"))
        if doc.file_name == NAV:
            item.properties = ["nav"]
        items.append(item)
        book.add_item(item)
    book.add_item(epub.EpubNcx())
    book.toc = _ncx_toc(toc)
    book.spine = items
    book.guide = [{"type": "cover", "href": docs[0].file_name, "title": docs[0].title},
                  {"type": "toc", "href": NAV, "title": labels(volume.lang)["contents"]}]
    epub.write_epub(str(target), book, {"epub3_pages": False, "epub3_landmark": False, "mtime": modified,
                                        "raise_exceptions": True})
    if not target.is_file():
        raise OSError(f"could not write {target}")
    _normalise_zip(target, modified, volume.lang)


def _normalise_zip(path: Path, when: dt.datetime, lang: str) -> None:
    """Rewrite the zip with one fixed date and fixed permissions on every entry, so two builds of
    the same sources give the same bytes (ebooklib stamps the current time); the package document
    gets the book's language, which ebooklib does not write."""
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)).timetuple()[:6]
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    entries = [(name, _with_language(data, lang) if name.endswith(".opf") else data) for name, data in entries]
    with zipfile.ZipFile(path, "w") as target:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info, data, compresslevel=9 if name != "mimetype" else None)


def _with_language(opf: bytes, lang: str) -> bytes:
    return opf.replace(b"<package ", f'<package xml:lang="{lang}" '.encode(), 1)


def _metadata(book: epub.EpubBook, volume: Volume, modified: dt.datetime, docs: list[EpubDocument]) -> None:
    book.set_identifier(identifier(volume))
    book.set_title(volume.title)
    book.set_language(volume.lang)
    for number, editor in enumerate(volume.editors, 1):
        book.add_author(editor.name, role=RELATORS.get(editor.role or "editor", "edt"), uid=f"editor{number}")
    authors = dict.fromkeys(a.name for article in volume.articles() for a in article.authors)
    for number, name in enumerate(authors, 1):
        book.add_metadata("DC", "contributor", name, {"id": f"author{number}"})
        book.add_metadata(None, "meta", "aut", {"refines": f"#author{number}", "property": "role", "scheme": "marc:relators"})
    for key, value in (("publisher", volume.publisher), ("rights", volume.rights), ("description", volume.description),
                       ("date", volume.date)):
        if value:
            book.add_metadata("DC", key, value)
    for word in volume.keywords:
        book.add_metadata("DC", "subject", word)
    if volume.subtitle:
        book.add_metadata("DC", "title", volume.subtitle, {"id": "subtitle"})
        book.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})
    has_pages = any(doc.pages for doc in docs)
    if has_pages:
        book.add_metadata("DC", "source", print_edition(volume), {"id": "print-edition"})
        book.add_metadata(None, "meta", "pagination", {"refines": "#print-edition", "property": "source-of"})
    for prop, value in accessibility.metadata(docs, has_pages):
        book.add_metadata(None, "meta", value, {"property": prop})


def print_edition(volume: Volume) -> str:
    """What names the print edition whose page numbers the EPUB carries: its ISBN, else its imprint."""
    isbn = volume.identifiers.get("isbn_print")
    if isbn:
        return f"urn:isbn:{isbn.replace('-', '')}"
    imprint = ", ".join(p for p in (volume.place, volume.publisher, volume.year) if p)
    return f"{volume.title} ({labels(volume.lang)['print_edition']}{': ' + imprint if imprint else ''})"


def _file_item(file_name: str, path: Path) -> epub.EpubItem:
    return _item(file_name, path.suffix, path.read_bytes())


def _item(file_name: str, suffix: str, content: bytes) -> epub.EpubItem:
    media_type = MEDIA_TYPES.get(suffix.lower(), "application/octet-stream")
    uid = "f-" + file_name.replace("/", "-").replace(".", "-")
    return epub.EpubItem(uid=uid, file_name=file_name, media_type=media_type, content=content)


def nav_document(volume: Volume, docs: list[EpubDocument], toc: list[TocEntry], stylesheets: list[str]) -> EpubDocument:
    """The navigation document: the contents (a page of the book, in the spine) and the landmarks;
    the page-list is added when the pages are marked (`with_page_list`)."""
    lab = labels(volume.lang)
    landmarks = [Landmark(d.landmark, nav_href(d.file_name), d.title) for d in docs if d.landmark]
    landmarks.insert(1, Landmark("toc", "#toc", lab["contents"]))
    xhtml = environment().get_template("epub_nav.xhtml").render(
        lang=volume.lang, labels=lab, toc_tree=_toc_tree(toc), landmarks=landmarks, stylesheets=stylesheets)
    return EpubDocument(NAV, lab["contents"], volume.lang, xhtml, "frontmatter", None)


def with_page_list(nav: EpubDocument, pages: list[PageTarget]) -> EpubDocument:
    if not pages:
        return nav
    page_list = str(environment().get_template("epub_parts.xhtml").module.page_list(pages))
    head, tail = nav.xhtml.rsplit("</body>", 1)
    return replace(nav, xhtml=f"{head}{page_list}\n</body>{tail}")


def _toc_tree(entries: list[TocEntry]) -> str:
    """Nested `<ol>` lists from entries with levels (a level may only go one deeper at a time)."""
    out, depth = [], 0
    for entry in entries:
        level = min(entry.level, depth + 1)
        if level > depth:
            out.append("<ol>")
        else:
            out.append("</li>")
            for _ in range(depth - level):
                out.append("</ol></li>")
        depth = level
        label = html.escape(entry.title)
        if entry.authors:
            label = f'<span class="toc-authors">{html.escape(entry.authors)}</span>. {label}'
        out.append(f'<li><a href="{nav_href(_href(entry))}">{label}</a>')
    for _ in range(depth):
        out.append("</li></ol>")
    return "".join(out)


def _href(entry: TocEntry) -> str:
    return f"text/{entry.id}.xhtml"


def _ncx_toc(entries: list[TocEntry]) -> list:
    """The same hierarchy for the EPUB 2 NCX, as ebooklib wants it: (Section, [children]) tuples."""
    root: list = []
    stack: list[tuple[int, list]] = [(0, root)]
    for entry in entries:
        while stack[-1][0] >= entry.level:
            stack.pop()
        children: list = []
        node = (epub.Section(entry.title, _href(entry)), children)
        stack[-1][1].append(node)
        stack.append((entry.level, children))

    def simplify(nodes):
        return [epub.Link(n[0].href, n[0].title, n[0].href.replace("/", "-")) if not n[1] else (n[0], simplify(n[1]))
                for n in nodes]

    return simplify(root)
