"""A plain-text copy of a web page (``.txt``) → a draft article.

The title is the first line that is not site furniture; byline and date lines near it are read
into the front matter; menus, counters, share buttons and the comment form at the head and the
tail are removed (and listed). Paragraphs are lines, or blocks of lines between blank lines when
the text is wrapped. Notes written ``[1]`` in the text and ``[1] …`` at its end become footnotes.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..problems import Problems
from . import boilerplate
from .bylines import parse_byline, parse_labelled
from .dates import date_line, find_date
from .mdtext import Body, Seg, escape
from .model import Draft, Found, decode

URL_LINE = re.compile(r"^\s*(?:(?:источник|source|дереккөз|mənbə|url|ссылка)\s*:\s*)?(https?://\S+)\s*$", re.I)
LIST_ITEM = re.compile(r"^\s*(?:([-•*▪◦·])|(\d{1,3})[.)])\s+(\S.*)$")
NOTE_LINE = re.compile(r"^\s*\[(\d{1,3})\]\s+(\S.*)$")
NOTE_CALL = re.compile(r"\[(\d{1,3})\]")
NOTES_HEADING = re.compile(r"(?i)^\s*(примечания|сноски|notes|footnotes|ескертпелер|ескерту|qeydlər|izahlar)\s*:?\s*$")
SENTENCE_END = re.compile(r"[.!?…:;»\")]$")
HEAD_LIMIT = 25
# Words that name a site or a publication: a line of them above the headline is the site's name.
SITE_WORDS = re.compile(r"(?i)\b(?:портал|информационное агентство|агентство|газета|журнал|новости|издание|"
                        r"ақпарат|агенттігі|порталы|xəbər|xəbərlər|agentliyi|qəzet|portal|news|agency|magazine|"
                        r"journal|times|review|daily|\.kz|\.az|\.ru|\.com)\b")


def read(path: Path, draft: Draft, problems: Problems) -> bool:
    """Fill ``draft`` from the text; any text can be read, so ``problems`` gets nothing."""
    text, note = decode(path.read_bytes())
    if note:
        draft.check(note)
    lines = text.split("\n")
    numbered = [(n, line.rstrip()) for n, line in enumerate(lines, 1)]
    content = [(n, line) for n, line in numbered if line.strip()]
    if not content:
        draft.title = Found(path.stem, "the file name (the file is empty)")
        draft.check("the file is empty")
        return True
    start = _head(content, draft)
    end = _tail(content, start, draft)
    body_lines = _middle(content[start:end], draft)
    _site_into_source(draft)
    kept = {n for n, _ in body_lines}
    paragraphs = _paragraphs(numbered, kept, first=body_lines[0][0] if body_lines else 0,
                             last=body_lines[-1][0] if body_lines else 0)
    _render(paragraphs, draft)
    if draft.title is None:
        draft.title = Found(path.stem, "the file name")
        draft.check("no title line was found: the title is the file name")
    return True


def _head(content: list[tuple[int, str]], draft: Draft) -> int:
    """Read the head (title, byline, date, furniture); returns the index where the body starts."""
    title_index = None
    headline = _repeated_headline(content)
    i = 0
    while i < len(content) and i < HEAD_LIMIT:
        n, line = content[i]
        text = line.strip()
        if draft.title is not None and _same(text, draft.title.value):
            draft.remove(f"line {n}", text, "the headline, repeated")
            i += 1
            continue
        if headline is not None and i < headline and draft.title is None and _site_name_line(text):
            draft.extra.setdefault("site", Found(text, f"line {n} (above the headline)"))
            draft.remove(f"line {n}", text, "the site's name (into source)")
            i += 1
            continue
        url = URL_LINE.match(text)
        date = date_line(text)
        byline = parse_byline(text)
        if url:
            if draft.source is None:
                draft.source = Found(url.group(1), f"line {n}")
                draft.use(f"line {n}", text, "source")
            else:
                draft.remove(f"line {n}", text)
        elif date and draft.date is None:
            draft.date = Found(date.date, f'line {n}: "{text}"')
            draft.use(f"line {n}", text, "date")
            if date.ambiguous:
                draft.check(f"the date {text!r} could be read either way (day/month): check {date.date.isoformat()}")
        elif byline and draft.authors is None:
            draft.authors = Found(byline, f'the byline, line {n}: "{text}"')
            draft.use(f"line {n}", text, "authors")
            if draft.date is None and (inside := find_date(text)):
                draft.date = Found(inside.date, f'the byline, line {n}: "{text}"')
        elif draft.title is not None and (labelled := parse_labelled(text)) and getattr(draft, labelled[0]) is None:
            setattr(draft, labelled[0], Found(labelled[1], f"line {n}"))
            draft.use(f"line {n}", text, labelled[0])
        elif len(text) <= 200 and boilerplate.is_furniture(text):
            draft.remove(f"line {n}", text)
        elif draft.title is None and len(text) <= 250:
            draft.title = Found(text, f"line {n}")
            draft.use(f"line {n}", text, "title")
            title_index = i
        elif draft.title is not None and _retitle(content, i, title_index, draft):
            title_index = i
        elif draft.title is not None and draft.authors is None and title_index is not None and i - title_index <= 3 \
                and (unprefixed := parse_byline(text, need_prefix=False)):
            draft.authors = Found(unprefixed, f'line {n}: "{text}" (a line of names after the title)')
            draft.use(f"line {n}", text, "authors")
            draft.check(f'the authors were taken from line {n} ("{text}"), which has no "Автор:"/"By": check them')
        else:
            break
        i += 1
    return i


def _retitle(content, i: int, title_index: int | None, draft: Draft) -> bool:
    """A second short line before the byline/date: the first one was the site's name, this is the title."""
    n, line = content[i]
    text = line.strip()
    if title_index is None or len(text) > 200 or SENTENCE_END.search(text) or parse_byline(text, need_prefix=False):
        return False
    following = [t.strip() for _, t in content[i + 1:i + 3]]
    before_byline = not draft.date and not draft.authors and any(date_line(t) or parse_byline(t) for t in following)
    old = draft.title.value
    after_name = (len(old.split()) <= 3 or SITE_WORDS.search(old)) and len(text.split()) >= 4 and i - title_index <= 3
    if not (before_byline or after_name):
        return False
    old_n = content[title_index][0]
    draft.used = [b for b in draft.used if not (b.why == "title" and b.position == f"line {old_n}")]
    draft.remove(f"line {old_n}", draft.title.value, "the site's name? (into source)")
    draft.extra.setdefault("site", Found(old, f"line {old_n} (a short line above the title)"))
    draft.title = Found(text, f"line {n}" + (" (the line before the byline and date)" if before_byline else ""))
    draft.use(f"line {n}", text, "title")
    draft.check(f'line {old_n} ("{old}") was taken for the site\'s name and line {n} for the title: check the title')
    return True


def _tail(content: list[tuple[int, str]], start: int, draft: Draft) -> int:
    """Cut the end of the page (comment form, related links, share, ©); returns the body's end index."""
    end = len(content)
    if end - start <= 1:
        return end
    midpoint = start + (end - start) // 3
    for i in range(max(start + 1, midpoint), end):
        if boilerplate.is_tail_marker(content[i][1]):
            for n, line in content[i:end]:
                draft.remove(f"line {n}", line.strip(), "boilerplate (page tail)")
            end = i
            break
    dated_at = None   # the index of the date line read at the end, if any
    while end > start + 1:
        n, line = content[end - 1]
        text = line.strip()
        url = URL_LINE.match(text)
        if url and draft.source is None:
            draft.source = Found(url.group(1), f"line {n}")
            draft.use(f"line {n}", text, "source")
        elif (date := date_line(text)) and draft.date is None:
            draft.date = Found(date.date, f'line {n}: "{text}"')
            draft.use(f"line {n}", text, "date")
            dated_at = end - 1
        elif draft.authors is None and _closing_byline(content, end - 1, dated_at, draft):
            pass
        elif url or boilerplate.is_furniture(text):
            draft.remove(f"line {n}", text, "boilerplate (page tail)")
        else:
            break
        end -= 1
    # the removed tail was found backwards: list it in reading order
    tail = [b for b in draft.removed if b.why == "boilerplate (page tail)"]
    others = [b for b in draft.removed if b.why != "boilerplate (page tail)"]
    draft.removed = others + sorted(tail, key=lambda b: int(b.position.split()[-1]))
    return end


def _closing_byline(content, i: int, dated_at: int | None, draft: Draft) -> bool:
    """A byline at the end of the text (``Автор: …``, or a line of names next to the closing date)."""
    n, line = content[i]
    text = line.strip()
    authors = parse_byline(text)
    if authors:
        draft.authors = Found(authors, f'the byline at the end, line {n}: "{text}"')
    else:
        beside_date = dated_at == i + 1 or (i > 0 and date_line(content[i - 1][1].strip()) is not None)
        authors = parse_byline(text, need_prefix=False) if beside_date else None
        if not authors:
            return False
        draft.authors = Found(authors, f'line {n}: "{text}" (a line of names at the end, beside the date)')
        draft.check(f'the authors were taken from line {n} ("{text}") at the end, which has no "Автор:"/"By": check them')
    draft.use(f"line {n}", text, "authors")
    if draft.date is None and (inside := find_date(text)):
        draft.date = Found(inside.date, f'the byline, line {n}: "{text}"')
    return True


def _same(a: str, b: str) -> bool:
    """The same line, but for case, spaces and closing punctuation."""
    def norm(t: str) -> str:
        return re.sub(r"\s+", " ", t).strip(" .").casefold()
    return norm(a) == norm(b)


def _repeated_headline(content: list[tuple[int, str]]) -> int | None:
    """The index of a line that the next few lines repeat (a headline the site printed twice)."""
    for i in range(min(len(content), HEAD_LIMIT)):
        text = content[i][1].strip()
        if len(text) > 250 or len(text.split()) < 2 or boilerplate.is_furniture(text):
            continue
        if any(_same(text, other.strip()) for _, other in content[i + 1:i + 4]):
            return i
    return None


def _site_name_line(text: str) -> bool:
    """A short line above the headline that can be the site's name (not a sentence, not a date)."""
    return len(text) <= 80 and len(text.split()) <= 8 and not boilerplate.is_furniture(text) \
        and not SENTENCE_END.search(text.rstrip("»\"")) \
        and not date_line(text) and not parse_byline(text) and not URL_LINE.match(text)


def _site_into_source(draft: Draft) -> None:
    """``source``: the site's name (a line above the headline) and the page's address."""
    site = draft.extra.pop("site", None)
    if site is None:
        return
    if draft.source is None:
        draft.source = Found(site.value, site.origin)
    elif site.value not in draft.source.value:
        draft.source = Found(f"{site.value}, {draft.source.value}", f"{site.origin} and {draft.source.origin}")


def _middle(lines: list[tuple[int, str]], draft: Draft) -> list[tuple[int, str]]:
    """Drop the site's inserts inside the text ("Читайте также: …", "Реклама")."""
    kept = []
    for n, line in lines:
        text = line.strip()
        if len(text) <= 160 and boilerplate.FURNITURE.match(text) and not text.endswith((".", "!", "?", "…")):
            draft.remove(f"line {n}", text)
        else:
            kept.append((n, line))
    return kept


def _paragraphs(numbered, kept, first: int, last: int) -> list[tuple[int, str]]:
    """(line, text) paragraphs of the lines ``first``..``last`` that are ``kept``: blocks between blank
    lines when the text is wrapped, else lines."""
    body = [(n, line) for n, line in numbered if first <= n <= last]
    texts = [line for n, line in body if n in kept]
    wrapped = bool(texts) and max(len(t) for t in texts) <= 100 and any(not line.strip() for _, line in body)
    paragraphs: list[tuple[int, str]] = []
    current: list[tuple[int, str]] = []

    def flush():
        if current:
            paragraphs.append((current[0][0], " ".join(t.strip() for _, t in current)))
            current.clear()

    for n, line in body:
        if not line.strip() or n not in kept:
            flush()
            continue
        if not wrapped or LIST_ITEM.match(line) or NOTE_LINE.match(line):
            flush()
            paragraphs.append((n, line.strip()))
            continue
        current.append((n, line))
    flush()
    return paragraphs


def _render(paragraphs: list[tuple[int, str]], draft: Draft) -> None:
    body = Body()
    notes: dict[str, str] = {}
    # Notes: a run of "[n] text" lines at the end (after an optional "Примечания" heading).
    k = len(paragraphs)
    while k > 0 and NOTE_LINE.match(paragraphs[k - 1][1]):
        k -= 1
    if k < len(paragraphs):
        calls = {m.group(1) for _, text in paragraphs[:k] for m in NOTE_CALL.finditer(text)}
        candidates = {NOTE_LINE.match(text).group(1): NOTE_LINE.match(text).group(2) for _, text in paragraphs[k:]}
        if calls and set(candidates) <= calls | set(candidates) and calls & set(candidates):
            notes = candidates
            if k > 0 and NOTES_HEADING.match(paragraphs[k - 1][1]):
                draft.use(f"line {paragraphs[k - 1][0]}", paragraphs[k - 1][1], "the heading of the notes")
                k -= 1
            paragraphs = paragraphs[:k]
    numbers: dict[str, str] = {}

    for _, text in paragraphs:
        segs = _with_calls(text, notes, numbers, body)
        item = LIST_ITEM.match(text)
        if item:
            body.list_item(0, item.group(2) is not None, _with_calls(item.group(3), notes, numbers, body))
            draft.counts["list items"] += 1
        else:
            body.paragraph(segs)
            draft.counts["paragraphs"] += 1
    for number, text in notes.items():
        if number not in numbers:
            numbers[number] = body.note([escape(text)])
            draft.check(f"note [{number}] is never called in the text: it was kept at the end")
    draft.counts["footnotes"] += len(notes)
    draft.body = body.markdown()


def _with_calls(text: str, notes: dict[str, str], numbers: dict[str, str], body: Body) -> list[Seg]:
    """Text with ``[n]`` note calls turned into footnote calls (only for notes that exist)."""
    if not notes:
        return [Seg(text)]
    segs: list[Seg] = []
    last = 0
    for m in NOTE_CALL.finditer(text):
        if m.group(1) not in notes:
            continue
        segs.append(Seg(text[last:m.start()]))
        if m.group(1) not in numbers:
            numbers[m.group(1)] = body.note([escape(notes[m.group(1)])])
        segs.append(Seg(raw=numbers[m.group(1)]))
        last = m.end()
    segs.append(Seg(text[last:]))
    return segs
