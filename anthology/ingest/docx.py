"""A Word document (``.docx``) → a draft article.

Tracked changes are settled first (``docx_review``: refused unless the editor chose to accept or
reject them). Read with python-docx, and below it the document's XML where python-docx has no API (footnotes,
endnotes, numbering, drawings), in three steps: ``docx_styles`` tells what each paragraph is by
its style (title, heading N, list item, quote); ``docx_head`` reads the title and the byline,
date, abstract and keywords under it; ``docx_body`` turns the rest into Markdown. Page headers
and footers and reviewers' comments are not article text: they are listed in the report, each comment with
its place.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import lxml.etree

from ..limits import MAX_DOCX_BYTES, MAX_IMAGE_BYTES
from ..problems import Problems
from .docx_body import BodyReader, related_part
from .docx_head import read_authors_from_properties, read_closing_lines, read_head
from .docx_review import anchors, review
from .docx_styles import Styles, q
from .model import Draft, Found, Refused

PAGE_FURNITURE = ("header", "first_page_header", "even_page_header", "footer", "first_page_footer", "even_page_footer")


def read(path: Path, draft: Draft, problems: Problems) -> bool:
    """Fill ``draft`` from the document; False, with the reason in ``problems``, when it is not one."""
    import docx  # python-docx

    try:
        check_part_sizes(path)
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        problems.error(path, None, f"not a Word .docx file ({exc.__class__.__name__}: {exc}); "
                                   "a .doc file must be saved as .docx first", code="unreadable")
        return False
    except Refused:
        raise  # a located refusal of its own, not a file python-docx cannot read
    except Exception as exc:  # python-docx raises its own PackageNotFoundError and friends
        problems.error(path, None, f"not a readable Word .docx file: {exc}", code="unreadable")
        return False
    read_document(document, draft)
    return True


def open_converted(data: bytes, original: Path, problems: Problems):
    """The python-docx document pandoc made of ``original`` (an .odt, an .rtf); None, said at ``original``,
    when it cannot be opened."""
    import docx  # python-docx

    try:
        check_part_sizes(io.BytesIO(data))
        return docx.Document(io.BytesIO(data))
    except Refused:
        raise
    except Exception as exc:  # what pandoc wrote is not readable: say so at the user's file
        problems.error(original, None, f"cannot be read after conversion: {exc}", code="unreadable")
        return None


def check_part_sizes(path) -> None:
    """Refused when a part of the package (an image above all) is larger than an image may be:
    python-docx reads every part into memory when it opens the file, so the sizes the package
    declares are checked first (zipfile never inflates a part beyond its declared size)."""
    if not zipfile.is_zipfile(path):
        return  # python-docx tells what it is not
    with zipfile.ZipFile(path) as package:
        parts = package.infolist()
    for info in parts:
        if info.file_size > MAX_IMAGE_BYTES:
            raise Refused(None, f"'{info.filename}' in the document is {info.file_size / 1e6:.0f} MB; an image "
                                f"(or any part of a .docx) may be at most {MAX_IMAGE_BYTES / 1e6:.0f} MB: "
                                f"reduce it in Word and import again", code="too-large")
    total = sum(info.file_size for info in parts)
    if total > MAX_DOCX_BYTES:  # many parts each within the bound are as much memory as one huge one
        raise Refused(None, f"the document is {total / 1e6:.0f} MB unpacked; a .docx may be at most "
                            f"{MAX_DOCX_BYTES / 1e6:.0f} MB: reduce its images in Word or split it", code="too-large")


def read_document(document, draft: Draft) -> None:
    review(document.element.body, draft, draft.changes)
    styles = Styles(document)
    if styles.default_lang:
        draft.lang_hint = Found(styles.default_lang, "the document's default language")
    reader = BodyReader(document.part, styles, draft)
    blocks = list(_blocks(document.element.body))
    start = read_head(document, blocks, styles, draft)
    end = read_closing_lines(blocks, start, styles, draft)
    read_authors_from_properties(document, draft)
    reader.read(blocks[:end], start)
    _list_page_headers_and_footers(document, draft)
    _list_comments(document.part, anchors(document.element.body), draft)
    reader.list_what_was_left()
    draft.body = reader.body.markdown()


def _blocks(container):
    """Paragraphs and tables in reading order, inside content controls too."""
    for child in container:
        if child.tag in (q("w:p"), q("w:tbl")):
            yield child
        elif child.tag in (q("w:sdt"), q("w:customXml"), q("w:sdtContent")):
            content = child.find(q("w:sdtContent")) if child.tag == q("w:sdt") else None
            yield from _blocks(content if content is not None else child)


def _list_page_headers_and_footers(document, draft: Draft) -> None:
    seen: set[str] = set()
    for section in document.sections:
        for name in PAGE_FURNITURE:
            try:
                part = getattr(section, name)
                if part.is_linked_to_previous:
                    continue
                text = " ".join(p.text for p in part.paragraphs).strip()
            except Exception:  # python-docx cannot read this one: there is nothing to list
                continue
            if text and text not in seen:
                seen.add(text)
                draft.remove(f"page {name.replace('_', ' ')}", text, "the page header or footer")


def _list_comments(part, places: dict, draft: Draft) -> None:
    """Each comment, with the paragraph and the words it is anchored to."""
    comments = related_part(part, "comments")
    if comments is None:
        return
    try:
        root = lxml.etree.fromstring(comments.blob)
    except lxml.etree.XMLSyntaxError:
        return
    for comment in root.iter(q("w:comment")):
        text = " ".join("".join(t.text or "" for t in p.iter(q("w:t"))) for p in comment.iter(q("w:p"))).strip()
        who = comment.get(q("w:author")) or "?"
        paragraph, words = places.get(comment.get(q("w:id")), (0, ""))
        where = f"paragraph {paragraph}" if paragraph else "a note or a header"
        on = f" on «{words}»" if words else ""
        draft.mark(where, f"{who}{on}: {text}", f"comment {comment.get(q('w:id'))}, not imported")
