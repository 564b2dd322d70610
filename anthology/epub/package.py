"""Packaging the EPUB's documents with ebooklib as a valid EPUB 3 (with an EPUB 2 NCX).

ebooklib writes the package document, the NCX and the zip; the navigation document is our own,
because ebooklib's cannot carry a page-list of our making or an index landmark (RESEARCH.md).
"""

from __future__ import annotations

import datetime as dt
import html
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ebooklib import epub

from ..assemble.templates import environment
from ..labels import labels
from ..model import EpubDocument, TocEntry, Volume
from .pages import PageTarget, nav_href

# MARC relator codes for the roles a volume's people have.
RELATORS = {"compiler": "com", "editor-in-chief": "edt", "editor": "edt", "translator": "trl", "reviewer": "rev"}
MEDIA_TYPES = {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2",
               ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml", ".txt": "text/plain"}
ACCESSIBILITY = [
    ("schema:accessMode", "textual"),
    ("schema:accessMode", "visual"),
    ("schema:accessModeSufficient", "textual"),
    ("schema:accessibilityFeature", "structuralNavigation"),
    ("schema:accessibilityFeature", "tableOfContents"),
    ("schema:accessibilityFeature", "readingOrder"),
    ("schema:accessibilityFeature", "alternativeText"),
    ("schema:accessibilityFeature", "displayTransformability"),
    ("schema:accessibilityHazard", "none"),
]
ACCESSIBILITY_SUMMARY = ("Reflowable text with a structured table of contents, headings in reading order, "
                         "footnotes as linked notes, text alternatives for images and the language of each part marked.")


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


def write_epub(volume: Volume, docs: list[EpubDocument], toc: list[TocEntry], styles: dict[str, Path],
               images: dict[Path, str], target: Path, modified: dt.datetime,
               extra_features: list[str] = (), pages: list[PageTarget] = (), files: dict[str, bytes] | None = None) -> None:
    """Write the EPUB to `target` (the caller makes the write atomic); `files` are further resources
    (fonts, their licences) by their name in the package."""
    book = epub.EpubBook()
    _metadata(book, volume, modified, extra_features)
    for name, path in styles.items():
        book.add_item(_file_item(f"styles/{name}", path))
    for name, content in sorted((files or {}).items()):
        book.add_item(_item(name, Path(name).suffix, content))
    for path, name in sorted(images.items(), key=lambda item: item[1]):
        book.add_item(_file_item(name, path))
    items = {}
    for number, doc in enumerate(docs):
        item = epub.EpubItem(uid=f"doc{number}", file_name=doc.file_name, media_type="application/xhtml+xml",
                             content=doc.xhtml.encode("utf-8"))
        items[doc.file_name] = item
        book.add_item(item)
    nav = epub.EpubItem(uid="nav", file_name="text/nav.xhtml", media_type="application/xhtml+xml",
                        content=_nav(volume, docs, toc, pages, styles).encode("utf-8"))
    nav.properties = ["nav"]
    book.add_item(nav)
    book.add_item(epub.EpubNcx())
    book.toc = _ncx_toc(toc)
    cover = docs[0]
    book.spine = [items[cover.file_name], nav] + [items[d.file_name] for d in docs[1:]]
    book.guide = [{"type": "cover", "href": cover.file_name, "title": cover.title},
                  {"type": "toc", "href": "text/nav.xhtml", "title": labels(volume.lang)["contents"]}]
    epub.write_epub(str(target), book, {"epub3_pages": False, "epub3_landmark": False, "mtime": modified,
                                        "raise_exceptions": True})
    if not target.is_file():
        raise OSError(f"could not write {target}")
    _normalise_zip(target, modified)


def _normalise_zip(path: Path, when: dt.datetime) -> None:
    """Rewrite the zip with one fixed date and fixed permissions on every entry, so two builds of
    the same sources give the same bytes (ebooklib stamps the current time)."""
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)).timetuple()[:6]
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info, data, compresslevel=9 if name != "mimetype" else None)


def _metadata(book: epub.EpubBook, volume: Volume, modified: dt.datetime, extra_features: list[str]) -> None:
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
    isbn_print = volume.identifiers.get("isbn_print")
    if isbn_print:
        book.add_metadata("DC", "source", f"urn:isbn:{isbn_print.replace('-', '')}")
    for prop, value in ACCESSIBILITY + [("schema:accessibilityFeature", f) for f in extra_features]:
        book.add_metadata(None, "meta", value, {"property": prop})
    book.add_metadata(None, "meta", ACCESSIBILITY_SUMMARY, {"property": "schema:accessibilitySummary"})
    book.add_metadata(None, "meta", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA", {"property": "dcterms:conformsTo"})


def _file_item(file_name: str, path: Path) -> epub.EpubItem:
    return _item(file_name, path.suffix, path.read_bytes())


def _item(file_name: str, suffix: str, content: bytes) -> epub.EpubItem:
    media_type = MEDIA_TYPES.get(suffix.lower(), "application/octet-stream")
    uid = "f-" + file_name.replace("/", "-").replace(".", "-")
    return epub.EpubItem(uid=uid, file_name=file_name, media_type=media_type, content=content)


def _nav(volume: Volume, docs: list[EpubDocument], toc: list[TocEntry], pages: list[PageTarget], styles: dict[str, Path]) -> str:
    landmarks = [Landmark(d.landmark, nav_href(d.file_name), d.title) for d in docs if d.landmark]
    landmarks.insert(1, Landmark("toc", "#toc", labels(volume.lang)["contents"]))
    return environment().get_template("epub_nav.xhtml").render(
        lang=volume.lang, labels=labels(volume.lang), toc_tree=_toc_tree(toc), landmarks=landmarks, pages=pages,
        stylesheets=[f"../styles/{name}" for name in styles if name.endswith('.css')])


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
