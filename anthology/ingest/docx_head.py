"""The head of a Word document: its title, and the subtitle, byline, date, abstract and keywords under it.

The title is the ``Title`` paragraph, else the first paragraph if it looks like one, else the
document's properties, else the file name. The lines right under it are read while they are
metadata; the body starts at the first one that is not. A byline (``Автор: …``) or a date line
closing the document, as some authors sign, is metadata too, when the head gave none.
"""

from __future__ import annotations

from .bylines import parse_byline, parse_labelled
from .dates import date_line
from .docx_styles import Styles, paragraph_text, q
from .model import Draft, Found

GENERIC_AUTHORS = {"", "python-docx", "user", "admin", "administrator", "пользователь", "администратор",
                   "windows user", "microsoft office user", "автор", "author", "home", "pc", "owner"}
HEAD_LIMIT = 8   # how many lines under the title may be metadata


def paragraph_number(blocks, index: int) -> int:
    """The number of the paragraph ``blocks[index]`` among the paragraphs, for the report."""
    return sum(1 for b in blocks[: index + 1] if b.tag == q("w:p"))


def read_head(document, blocks, styles: Styles, draft: Draft) -> int:
    """Fill the draft's title and the metadata under it; the index of the first block of the body."""
    start = _title(document, blocks, styles, draft)
    start = _lines_under_title(blocks, start, styles, draft)
    return start


def read_authors_from_properties(document, draft: Draft) -> None:
    """The last resort for the authors: the document's properties."""
    if draft.authors is None:
        _author_from_properties(document, draft)


def _title(document, blocks, styles: Styles, draft: Draft) -> int:
    """Set the title; the index of the block after it (0 when it is not a paragraph of the text)."""
    paragraphs = [(i, b) for i, b in enumerate(blocks) if b.tag == q("w:p")]
    titled = [(i, b) for i, b in paragraphs if styles.kind(b)[0] == "title" and paragraph_text(b)]
    first = next(((i, b) for i, b in paragraphs if paragraph_text(b)), None)
    if titled:
        i, b = titled[0]
        n = paragraph_number(blocks, i)
        draft.title = Found(paragraph_text(b), f"the Title paragraph (paragraph {n})")
        draft.use(f"paragraph {n}", paragraph_text(b), "title")
        for j, _ in titled[1:]:
            draft.check(f"paragraph {paragraph_number(blocks, j)} is also styled Title; it was kept as a heading")
        # what stood before the title (a running head, a heading, a note to the editor) stays listed
        for j, before in paragraphs:
            if j < i and paragraph_text(before):
                draft.remove(f"paragraph {paragraph_number(blocks, j)}", paragraph_text(before), "before the title")
        return i + 1
    if first is not None and _looks_like_title(first[1], styles):
        i, b = first
        n = paragraph_number(blocks, i)
        draft.title = Found(paragraph_text(b), f"the first paragraph (paragraph {n}), which has no Title style")
        draft.use(f"paragraph {n}", paragraph_text(b), "title")
        draft.check("the title was taken from the first paragraph: check it")
        return i + 1
    core = (document.core_properties.title or "").strip()
    if core:
        draft.title = Found(core, "the document's properties (File → Info → Title)")
        draft.check("the title was taken from the document's properties: check it")
    else:
        draft.title = Found(draft.source_path.stem, "the file name")
        draft.check("the document has no title: the file name was used; write the title")
    return 0


def _looks_like_title(p, styles: Styles) -> bool:
    kind = styles.kind(p)[0]
    text = paragraph_text(p)
    if kind in ("heading", "title") and len(text) <= 250:
        return True
    runs = [r for r in p.iter(q("w:r")) if "".join(t.text or "" for t in r.iter(q("w:t"))).strip()]
    bold = runs and all(styles.run_format(r).count("b") for r in runs)
    jc = p.find(f"{q('w:pPr')}/{q('w:jc')}")
    centred = jc is not None and jc.get(q("w:val")) == "center"
    return bool((bold or centred) and len(text) <= 200 and not text.endswith("."))


def _lines_under_title(blocks, start: int, styles: Styles, draft: Draft) -> int:
    """Read subtitle, date, abstract, keywords and byline lines under the title; the index after them."""
    seen = 0
    i = start
    while i < len(blocks) and seen < HEAD_LIMIT:
        b = blocks[i]
        if b.tag != q("w:p"):
            break
        text = paragraph_text(b)
        if not text:
            if b.find(f".//{q('w:drawing')}") is not None:
                break
            i += 1
            continue
        if not _head_line(text, styles.kind(b)[0], paragraph_number(blocks, i), draft):
            break
        seen += 1
        i += 1
    return i


def _head_line(text: str, kind: str, n: int, draft: Draft) -> bool:
    """Take paragraph ``n`` into the metadata if it is a line of it; whether it was."""
    if kind == "subtitle" and draft.subtitle is None:
        draft.subtitle = Found(text, f"the Subtitle paragraph (paragraph {n})")
        draft.use(f"paragraph {n}", text, "subtitle")
    elif kind in ("para", "caption") and (date := date_line(text)) and draft.date is None:
        draft.date = Found(date.date, f'paragraph {n}: "{text}"')
        draft.use(f"paragraph {n}", text, "date")
    elif kind == "para" and (labelled := parse_labelled(text)) and getattr(draft, labelled[0]) is None:
        setattr(draft, labelled[0], Found(labelled[1], f"paragraph {n}"))
        draft.use(f"paragraph {n}", text, labelled[0])
    elif kind in ("para", "subtitle") and draft.authors is None and len(text) <= 200 and \
            (authors := parse_byline(text) or parse_byline(text, need_prefix=False)):
        draft.authors = Found(authors, f'paragraph {n}: "{text}"')
        draft.use(f"paragraph {n}", text, "authors")
    else:
        return False
    return True


def read_closing_lines(blocks, start: int, styles: Styles, draft: Draft) -> int:
    """Take the last paragraphs into the metadata while they are a byline (with its ``Автор:``) or a
    date line the head did not give; the index where the body ends."""
    end = len(blocks)
    taken = 0
    while end > start + 1 and taken < 2:
        b = blocks[end - 1]
        text = paragraph_text(b) if b.tag == q("w:p") else None
        if text == "" and b.find(f".//{q('w:drawing')}") is None and b.find(f".//{q('w:footnoteReference')}") is None:
            end -= 1
            continue
        if text is None or styles.kind(b)[0] != "para" or b.find(f".//{q('w:footnoteReference')}") is not None:
            break
        n = paragraph_number(blocks, end - 1)
        if draft.authors is None and (authors := parse_byline(text)):
            draft.authors = Found(authors, f'the byline at the end, paragraph {n}: "{text}"')
            draft.use(f"paragraph {n}", text, "authors")
        elif draft.date is None and (date := date_line(text)):
            draft.date = Found(date.date, f'paragraph {n}: "{text}" (at the end)')
            draft.use(f"paragraph {n}", text, "date")
        else:
            break
        end -= 1
        taken += 1
    return end


def _author_from_properties(document, draft: Draft) -> None:
    """The author in the document's properties, unless it is a default name (``User``, ``python-docx``)."""
    core = (document.core_properties.author or "").strip()
    if core.casefold() in GENERIC_AUTHORS:
        return
    authors = parse_byline(core, need_prefix=False)
    if authors:
        draft.authors = Found(authors, "the document's properties (File → Info → Author)")
        draft.check("the author was taken from the document's properties, which name whoever "
                    "created the file: check it")
