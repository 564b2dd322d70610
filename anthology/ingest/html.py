"""A saved web page (``.html``) → a draft article.

The metadata comes from the page itself: ``<h1>``, Open Graph and other meta tags, JSON-LD,
``<time datetime>``, bylines (``itemprop=author``, ``.byline``, ``rel=author``). The article is
the element with the most running text (an ``<article>``, ``itemprop=articleBody``, ``<main>``,
or the densest block); what stands around it, and the furniture inside it — navigation, share
buttons, counters, "related" lists, comment forms, cookie notices — is removed and listed.
Images saved with the page (``page_files/…``) are copied next to the article; links to notes
(``<sup><a href="#fn1">``) become Markdown footnotes.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import lxml.html

from . import boilerplate
from .bylines import parse_byline
from .dates import date_line, parse_date
from .mdtext import Body, Seg, inline
from ..problems import Problems
from .model import Draft, Found, decode

ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                 "opinionnewsarticle", "scholarlyarticle", "report", "webpage", "creativework"}
BLOCK_TAGS = {"p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
              "ul", "ol", "li", "blockquote", "table", "figure", "figcaption", "pre", "hr", "dl", "dt", "dd",
              "address", "details", "summary", "center", "body", "html", "br"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
IMAGE_TYPES = {"png", "jpg", "jpeg", "gif", "svg", "webp"}
NOTE_HEADING = re.compile(r"(?i)^\s*(примечания|сноски|notes|footnotes|endnotes|ескертпелер|ескерту|qeydlər|izahlar)\s*:?\s*$")
NOTE_LABEL = re.compile(r"^\s*\[?\(?\d{1,3}\)?\]?[.)]?\s*")
BACKLINK_TEXT = re.compile(r"^\s*(↩︎?|↑|\^|⤴|назад|back)\s*$", re.I)


def read(path: Path, draft: Draft, problems: Problems) -> bool:
    """Fill ``draft`` from the page; False, with the reason in ``problems``, when it is not one."""
    raw = path.read_bytes()
    declared = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", raw[:4096], re.I)
    text, note = decode(raw, declared.group(1).decode("ascii") if declared else None)
    if note:
        draft.check(note)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if not text.strip():
        problems.error(path, None, "the file is empty", code="empty")
        return False
    try:
        doc = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        problems.error(path, None, f"not a readable HTML page: {exc}", code="unreadable")
        return False
    saved_from = re.search(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", text[:2000])
    _Page(path, draft, doc, saved_from.group(1) if saved_from else None).run()
    return True


def _text(element) -> str:
    return re.sub(r"\s+", " ", element.text_content() if isinstance(element.tag, str) else "").strip()


def _words(element) -> str:
    """An element's text for the report: its pieces joined by spaces (so list items stay apart)."""
    return re.sub(r"\s+", " ", " ".join(element.itertext()) if isinstance(element.tag, str) else "").strip()


def _line(element) -> str:
    return f"line {element.sourceline}" if getattr(element, "sourceline", None) else "the page"


class _Page:
    def __init__(self, path: Path, draft: Draft, doc, saved_from: str | None):
        self.path, self.draft, self.doc, self.saved_from = path, draft, doc, saved_from
        self.skip: dict = {}          # element → why it is not rendered (title, byline, note, …)
        self.notes: dict = {}         # note element → its call ("[^n]") once called
        self.note_of_link: dict = {}  # <a> → note element
        self.body = Body()
        self.heading_base = 2
        self.pending: list[tuple[str, list[Seg]]] = []

    # -- the whole page ---------------------------------------------------------------------
    def run(self) -> None:
        ld = self._json_ld()
        for element in self.doc.xpath("//script|//style|//noscript|//template|//svg|//comment()"):
            _drop_keeping_tail(element)
        root = self._main()
        self.root = root
        self._metadata(ld, root)
        self._head_lines(root)
        self._outside(root)
        self._find_notes(root)
        self._heading_levels(root)
        self._blocks(root)
        self.draft.body = self.body.markdown()
        for element, call in self.notes.items():
            if call is None:
                self.draft.remove(_line(element), _words(element), "a note that is never called")

    # -- metadata ---------------------------------------------------------------------------
    def _meta(self, *keys: str) -> tuple[str, str] | None:
        for key in keys:
            for element in self.doc.xpath("//meta[@property=$k or @name=$k or @itemprop=$k]", k=key):
                value = (element.get("content") or "").strip()
                if value:
                    return value, f'<meta {"property" if element.get("property") else "name"}="{key}">'
        return None

    def _json_ld(self) -> dict:
        found: dict = {}
        for script in self.doc.xpath('//script[@type="application/ld+json"]'):
            try:
                data = json.loads(script.text or "")
            except ValueError:
                continue
            stack = [data]
            while stack:
                item = stack.pop()
                if isinstance(item, list):
                    stack.extend(item)
                elif isinstance(item, dict):
                    types = item.get("@type") or []
                    types = {t.lower() for t in ([types] if isinstance(types, str) else types) if isinstance(t, str)}
                    if types & ARTICLE_TYPES and not found.get("headline"):
                        found.update({k: v for k, v in item.items() if k in
                                      ("headline", "name", "author", "datePublished", "dateCreated", "publisher", "url", "inLanguage")})
                    stack.extend(v for v in item.values() if isinstance(v, (list, dict)))
        return found

    def _metadata(self, ld: dict, root) -> None:
        draft = self.draft
        # title
        h1 = self._title_heading(root)
        site = self._meta("og:site_name")
        og = self._meta("og:title", "twitter:title", "title")
        if h1 is not None and _text(h1):
            draft.title = Found(_text(h1), f"<h1>, {_line(h1)}")
            self.skip[h1] = "title"
            draft.use(_line(h1), _text(h1), "title")
        elif og:
            value = og[0]
            if site:  # "Title — Site" or "Site | Title"
                value = re.sub(r"\s+[|—–-]\s+" + re.escape(site[0]) + r"\s*$", "", value)
                value = re.sub(r"^\s*" + re.escape(site[0]) + r"\s+[|—–-]\s+", "", value)
            draft.title = Found(value.strip(), og[1])
        elif isinstance(ld.get("headline"), str):
            draft.title = Found(ld["headline"].strip(), "JSON-LD headline")
        else:
            title = self.doc.findtext(".//title") or ""
            parts = re.split(r"\s+[|—–-]\s+", title.strip())
            if len(parts) > 1:
                parts = [p for p in parts if not site or p.strip() != site[0]] or parts
            headings = [_text(h) for h in root.iter("h2", "h3") if _text(h)]
            repeated = next((h for h in headings[:1] if h in [p.strip() for p in parts]), None)
            if repeated:
                draft.title = Found(repeated, "<title> and the first heading of the article")
            elif parts and parts[0].strip():
                draft.title = Found(parts[0].strip(), "<title>")
                if len(parts) > 1:
                    draft.check(f'the title was cut from the page\'s <title> "{title.strip()}": check it')
        # authors
        self._authors(ld, root)
        # date
        self._date(ld, root)
        # source
        url = None
        for xpath, origin in (('//link[@rel="canonical"]/@href', '<link rel="canonical">'),):
            values = [v.strip() for v in self.doc.xpath(xpath) if v.strip().startswith("http")]
            if values:
                url = (values[0], origin)
        url = url or self._meta("og:url") or ((self.saved_from, "the 'saved from url' comment") if self.saved_from else None)
        if url is None and isinstance(ld.get("url"), str):
            url = (ld["url"], "JSON-LD url")
        site = self._meta("og:site_name", "application-name")
        if site is None and isinstance(ld.get("publisher"), dict) and isinstance(ld["publisher"].get("name"), str):
            site = (ld["publisher"]["name"], "JSON-LD publisher")
        if url or site:
            value = ", ".join(v for v in ((site or ("", ""))[0], (url or ("", ""))[0]) if v)
            origins = " and ".join(o for o in ((site or ("", ""))[1], (url or ("", ""))[1]) if o)
            draft.source = Found(value, origins)
        # language the page declares
        lang = self.doc.get("lang") or self.doc.get("{http://www.w3.org/XML/1998/namespace}lang")
        meta_lang = self._meta("og:locale", "language", "content-language")
        if lang:
            draft.lang_hint = Found(lang.split("-")[0].split("_")[0].lower(), "<html lang>")
        elif meta_lang:
            draft.lang_hint = Found(meta_lang[0].split("-")[0].split("_")[0].lower(), meta_lang[1])

    def _title_heading(self, root):
        """The article's <h1>: inside the article, else the last one before it, else the only one."""
        inside = [h for h in root.iter("h1") if _text(h) and not _under_furniture(h, root)]
        if inside:
            return inside[0]
        order = {element: n for n, element in enumerate(self.doc.iter())}
        others = [h for h in self.doc.iter("h1") if _text(h) and not _under_furniture(h, None)]
        before = [h for h in others if order[h] < order[root]]
        if before:
            return before[-1]
        return others[0] if len(others) == 1 else None

    def _authors(self, ld: dict, root) -> None:
        draft = self.draft
        candidates = self.doc.xpath('//*[@itemprop="author"] | //*[@rel="author"] | //*[@class or @id]')
        for element in candidates:
            tokens = boilerplate.class_tokens(element)
            if not (element.get("itemprop") == "author" or element.get("rel") == "author"
                    or tokens & {"author", "authors", "byline", "writer", "avtor"}):
                continue
            if any(a in self.skip for a in element.iterancestors()) or _under_furniture(element, None):
                continue
            name_el = next(iter(element.xpath('.//*[@itemprop="name"]')), None)
            text = (name_el.get("content") or _text(name_el)) if name_el is not None else _text(element)
            if not text or len(text) > 200:
                continue
            authors = parse_byline(text) or parse_byline(text, need_prefix=False)
            if authors:
                draft.authors = Found(authors, f'the byline, {_line(element)}: "{text}"')
                self.skip[element] = "authors"
                draft.use(_line(element), _text(element), "authors")
                return
        people = ld.get("author")
        people = people if isinstance(people, list) else [people] if people else []
        names = [p.get("name") if isinstance(p, dict) else p for p in people]
        names = [n.strip() for n in names if isinstance(n, str) and n.strip()]
        if names:
            draft.authors = Found([{"name": n} for n in names], "JSON-LD author")
            return
        meta = self._meta("author", "article:author", "byl", "dc.creator", "DC.creator")
        if meta and not meta[0].startswith("http"):
            authors = parse_byline(meta[0]) or parse_byline(meta[0], need_prefix=False)
            if authors:
                draft.authors = Found(authors, meta[1])
            else:
                draft.check(f'{meta[1]} says "{meta[0]}", which does not look like a person\'s name: '
                            "the authors were left empty")

    def _date(self, ld: dict, root) -> None:
        draft = self.draft
        meta = self._meta("article:published_time", "og:published_time", "datePublished", "pubdate",
                          "publishdate", "date", "DC.date.issued", "dcterms.date", "dc.date")
        sources: list[tuple] = []
        if meta:
            sources.append(meta)
        for key in ("datePublished", "dateCreated"):
            if isinstance(ld.get(key), str):
                sources.append((ld[key], f"JSON-LD {key}"))
        for element in root.xpath(".//time[@datetime]") + self.doc.xpath("//time[@datetime]"):
            if not _under_furniture(element, None):
                sources.append((element.get("datetime"), f"<time datetime>, {_line(element)}", element))
        for element in self.doc.xpath("//*[@class or @id]"):
            if boilerplate.class_tokens(element) & {"date", "time", "published", "pubdate", "datetime"} \
                    and len(_text(element)) < 80 and not _under_furniture(element, None):
                sources.append((_text(element), f'"{_text(element)}", {_line(element)}', element))
        for value, origin, *element in sources:
            date = parse_date(value)
            if not date:
                continue
            draft.date = Found(date, origin)
            shown = [e for e in root.xpath(".//time") if parse_date(e.get("datetime") or _text(e)) == date] + element
            for e in shown:
                if (e is root or root in e.iterancestors()) and e not in self.skip \
                        and not any(a in self.skip for a in e.iterancestors()):
                    self.skip[e] = "date"
                    draft.use(_line(e), _text(e), "date")
            return

    def _head_lines(self, root) -> None:
        """A date or byline written as a line of text at the top of the article."""
        draft = self.draft
        if draft.date is not None and draft.authors is not None:
            return
        seen = 0
        for element in root.iter("p", "div", "span", "time", "address", "h2", "h3", "h4", "h5", "h6", "small"):
            if element in self.skip or any(a in self.skip for a in element.iterancestors()) \
                    or element.xpath("./p|./div|./ul|./ol|./table"):
                continue
            text = _text(element)
            if not text:
                continue
            if len(text) > 200 or seen >= 6:
                return
            seen += 1
            if draft.date is None and (found := date_line(text)):
                draft.date = Found(found.date, f'{_line(element)}: "{text}"')
                self.skip[element] = "date"
                draft.use(_line(element), text, "date")
            elif draft.authors is None and (authors := parse_byline(text)):
                draft.authors = Found(authors, f'the byline, {_line(element)}: "{text}"')
                self.skip[element] = "authors"
                draft.use(_line(element), text, "authors")

    # -- where the article is ---------------------------------------------------------------
    def _content_length(self, element) -> int:
        """How much running text ``element`` holds outside furniture."""
        total = 0
        for block in element.iter("p", "li", "blockquote", "td", "h2", "h3", "pre", "dd"):
            if _under_furniture(block, element) or block.tag == "li" and block.xpath(".//p"):
                continue
            total += len(_text(block))
        return total

    def _main(self):
        body = self.doc.body if self.doc.find("body") is not None else self.doc
        markers = self.doc.xpath('//*[@itemprop="articleBody"] | //article | //main | //*[@role="main"]')
        markers += [e for e in self.doc.xpath("//*[@class or @id]")
                    if boilerplate.class_tokens(e) & {"article", "post", "entry", "story", "content", "text", "body"}
                    and not boilerplate.furniture_reason(e) and e.tag in ("div", "section", "article", "main")]
        scored = [(self._content_length(e), e) for e in markers if not boilerplate.furniture_reason(e)]
        scored = [(n, e) for n, e in scored if n >= 200]
        if scored:
            best = max(n for n, _ in scored)
            # the deepest element that still holds nearly all of the best one's text
            good = [(n, e) for n, e in scored if n >= 0.85 * best]
            chosen = max(good, key=lambda pair: (len(list(pair[1].iterancestors())), pair[0]))[1]
            # but keep the article's own header (h1, byline) if it stands just outside
            article = chosen if chosen.tag == "article" else next((a for a in chosen.iterancestors() if a.tag == "article"), None)
            if article is not None and self._content_length(article) >= 0.85 * best:
                return article
            return chosen
        # the densest block: each paragraph's text counts for its parent and half for the grandparent
        scores: dict = {}
        for p in body.iter("p", "br"):
            parent = p.getparent()
            length = len(_text(parent if p.tag == "br" else p))
            if parent is None or length < 40:
                continue
            scores[parent] = scores.get(parent, 0) + length
            grand = parent.getparent()
            if grand is not None:
                scores[grand] = scores.get(grand, 0) + length / 2
        if scores:
            return max(scores, key=scores.get)
        return body

    def _outside(self, root) -> None:
        """List every block with text that stands outside the article."""
        node = root
        found = []
        while node.getparent() is not None and node.tag != "html":
            parent = node.getparent()
            if parent.text and parent.text.strip():
                found.append((parent.sourceline or 0, _line(parent), parent.text.strip(), "outside the article"))
            for sibling in parent:
                if sibling is node:
                    pass
                elif isinstance(sibling.tag, str) and sibling.tag not in boilerplate.INVISIBLE_TAGS:
                    text = _words(sibling)
                    if text:
                        reason = boilerplate.furniture_reason(sibling) or f"<{sibling.tag}>"
                        held = [why for el, why in self.skip.items() if el is sibling or sibling in el.iterancestors()]
                        why = f"outside the article ({reason})" + (f"; holds the {', '.join(held)}" if held else "")
                        found.append((sibling.sourceline or 0, _line(sibling), text, why))
                if sibling.tail and sibling.tail.strip():
                    found.append((sibling.sourceline or 0, _line(sibling), sibling.tail.strip(), "outside the article"))
            node = parent
        for _, position, text, why in sorted(found, key=lambda item: item[0]):
            self.draft.remove(position, text, why)

    # -- notes ------------------------------------------------------------------------------
    def _find_notes(self, root) -> None:
        order = {element: n for n, element in enumerate(self.doc.iter())}
        for link in root.xpath('.//a[starts-with(@href, "#")]'):
            target_id = link.get("href")[1:]
            if not target_id:
                continue
            targets = self.doc.xpath("//*[@id=$i] | //a[@name=$i]", i=target_id)
            if not targets:
                continue
            target = targets[0]
            if target is link or link in target.iterancestors() or order.get(target, 0) < order.get(link, 0):
                continue
            parent = link.getparent()
            tokens = boilerplate.class_tokens(link) | boilerplate.class_tokens(target)
            if not (parent is not None and parent.tag == "sup" or tokens & {"footnote", "fn", "fnref", "note",
                                                                            "footnoteref", "endnote", "ref"}
                    or re.fullmatch(r"\[?\*?\d{1,3}\]?", _text(link))):
                continue
            note = target
            if note.tag == "a" or note.tag in ("span", "sup"):
                note = next((a for a in note.iterancestors() if a.tag in ("li", "p", "div", "dd")), note)
            self.note_of_link[link] = note
            self.notes.setdefault(note, None)
            self.skip[note] = "footnote"
        # a container of notes only, and its heading, are not body text
        containers = {n.getparent() for n in self.notes if n.getparent() is not None}
        for container in containers:
            children = [c for c in container if isinstance(c.tag, str)]
            if children and all(c in self.notes for c in children):
                self.skip[container] = "footnotes"
                previous = container.getprevious()
                while previous is not None and not isinstance(previous.tag, str):
                    previous = previous.getprevious()
                if previous is not None and NOTE_HEADING.match(_text(previous)):
                    self.skip[previous] = "the heading of the notes"
                    self.draft.use(_line(previous), _text(previous), "the heading of the notes")

    def _call(self, link) -> Seg:
        note = self.note_of_link[link]
        if self.notes.get(note) is None:
            segs = self._inline_children(note, "", None, note=True)
            if segs and segs[0].raw is None and segs[0].text:
                segs[0] = Seg(NOTE_LABEL.sub("", segs[0].text, count=1), segs[0].fmt, segs[0].link)
            self.notes[note] = self.body.note([inline(segs, breaks=" ")])
            self.draft.counts["footnotes"] += 1
        return Seg(raw=self.notes[note])

    # -- the body ---------------------------------------------------------------------------
    def _heading_levels(self, root) -> None:
        levels = [int(h.tag[1]) for h in root.iter(*HEADINGS) if h not in self.skip]
        self.heading_base = min(levels) if levels else 2

    def _drop(self, element, why: str) -> None:
        self.draft.remove(_line(element), _words(element), why)

    def _blocks(self, element) -> None:
        buffer: list[Seg] = []

        def flush():
            for paragraph in _split_on_double_breaks(buffer):
                if any((s.text or "").strip() or s.raw for s in paragraph):
                    self.body.paragraph(paragraph)
                    self.draft.counts["paragraphs"] += 1
            buffer.clear()
            self._flush_images()

        if element.text:
            buffer.append(Seg(element.text))
        for child in element:
            if not isinstance(child.tag, str) or child.tag in boilerplate.INVISIBLE_TAGS:
                pass
            elif child in self.skip:
                pass
            elif reason := self._furniture(child):
                flush()
                self._drop(child, f"boilerplate ({reason})")
            elif child.tag == "br":
                buffer.append(Seg(br=True))
            elif child.tag in BLOCK_TAGS:
                flush()
                self._block(child)
            elif child.tag == "img":
                flush()
                self._image(child, [])
            else:
                buffer.extend(self._inline(child, "", None))
            if child.tail:
                buffer.append(Seg(child.tail))
        flush()

    def _furniture(self, element) -> str | None:
        reason = boilerplate.furniture_reason(element)
        if reason:
            return reason
        text = _text(element)
        if element.tag in ("p", "div", "section", "li", "h2", "h3", "h4", "h5", "h6", "span", "a", "ul", "header", "footer") \
                and text and len(text) <= 160 and boilerplate.FURNITURE.match(text) and not text.endswith((".", "!", "?", "…")) \
                and not element.xpath(".//img"):
            return "its words"
        return None

    def _flush_images(self) -> None:
        pending, self.pending = self.pending, []
        for path, caption in pending:
            self.body.image(path, caption)

    def _block(self, element) -> None:
        self._block_inner(element)
        self._flush_images()

    def _block_inner(self, element) -> None:
        tag = element.tag
        draft = self.draft
        if tag in HEADINGS:
            text = _text(element)
            if draft.title and text == draft.title.value:
                self.skip[element] = "title"
                draft.use(_line(element), text, "title")
                return
            level = 2 + int(tag[1]) - self.heading_base
            self.body.heading(level, self._inline_children(element, "", None))
            draft.counts["headings"] += 1
        elif tag in ("ul", "ol"):
            self._list(element, 0)
        elif tag == "blockquote":
            paragraphs = [self._inline_children(p, "", None) for p in element.xpath("./p")] or \
                [self._inline_children(element, "", None)]
            self.body.quote(paragraphs)
            draft.counts["quotes"] += 1
        elif tag == "table":
            self._table(element)
        elif tag == "figure":
            images = element.xpath(".//img")
            caption = next(iter(element.xpath(".//figcaption")), None)
            caption_segs = self._inline_children(caption, "", None) if caption is not None else []
            if images:
                for n, image in enumerate(images):
                    self._image(image, caption_segs if n == len(images) - 1 else [])
            else:
                self._blocks(element)
        elif tag == "pre":
            self.body.code(element.text_content())
        elif tag == "hr" or tag == "br":
            pass
        elif tag == "dl":
            for item in element:
                if item.tag == "dt":
                    self.body.paragraph([Seg(_text(item), "b")])
                elif item.tag == "dd":
                    self.body.paragraph(self._inline_children(item, "", None))
        elif tag == "p" and element.xpath("./img") and not _text(element):
            for image in element.xpath(".//img"):
                self._image(image, [])
        else:
            self._blocks(element)

    def _list(self, element, level: int) -> None:
        ordered = element.tag == "ol"
        for item in element:
            if not isinstance(item.tag, str):
                continue
            if item in self.skip:
                continue
            if reason := self._furniture(item):
                self._drop(item, f"boilerplate ({reason})")
                continue
            if item.tag in ("ul", "ol"):
                self._list(item, level + 1)
                continue
            nested = [c for c in item if isinstance(c.tag, str) and c.tag in ("ul", "ol")]
            segs = self._inline_children(item, "", None, exclude=set(nested))
            self.body.list_item(level, ordered, segs)
            self.draft.counts["list items"] += 1
            for sub in nested:
                self._list(sub, level + 1)

    def _table(self, table) -> None:
        rows = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
        if table.xpath(".//table") or all(len(r.xpath("./td|./th")) <= 1 for r in rows):
            for cell in table.xpath(".//td|.//th"):   # a layout table: its cells are blocks
                if not cell.xpath(".//table"):
                    self._blocks(cell)
            return
        caption = table.find("caption")
        if caption is not None:
            self.body.paragraph(self._inline_children(caption, "", None))
        out = []
        for row in rows:
            cells = []
            for cell in row.xpath("./td|./th"):
                cells.append(inline(self._inline_children(cell, "", None), breaks=" ").replace("\n", " "))
                cells += [""] * (max(int(cell.get("colspan", "1") or 1), 1) - 1 if (cell.get("colspan") or "1").isdigit() else 0)
            out.append(cells)
        self.body.table(out)
        self.draft.counts["tables"] += 1
        if not table.xpath(".//th"):
            self.draft.check(f"table at {_line(table)}: its first row was taken as the header row")

    # -- inline -----------------------------------------------------------------------------
    def _inline_children(self, element, fmt: str, link: str | None, exclude=frozenset(), note: bool = False) -> list[Seg]:
        segs: list[Seg] = []
        if element.text:
            segs.append(Seg(element.text, fmt, link))
        for child in element:
            if child not in exclude:
                segs.extend(self._inline(child, fmt, link, note))
            if child.tail:
                segs.append(Seg(child.tail, fmt, link))
        return segs

    def _inline(self, element, fmt: str, link: str | None, note: bool = False) -> list[Seg]:
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag in boilerplate.INVISIBLE_TAGS or (element in self.skip and not note):
            return []
        if element in self.note_of_link:
            return [self._call(element)]
        if note and tag == "a" and (BACKLINK_TEXT.match(_text(element)) or (element.get("href") or "").startswith("#fnref")):
            return []
        if tag != "a" and boilerplate.furniture_reason(element):
            self._drop(element, f"boilerplate ({boilerplate.furniture_reason(element)})")
            return []
        if tag == "br":
            return [Seg(br=True)]
        if tag == "img":
            self._image(element, [], pending=True)
            return []
        if tag in ("strong", "b"):
            fmt = fmt + "b" if "b" not in fmt else fmt
        elif tag in ("em", "i", "cite", "dfn", "var"):
            fmt = fmt + "i" if "i" not in fmt else fmt
        elif tag == "sup":
            fmt = fmt + "^"
        elif tag == "sub":
            fmt = fmt + "_"
        elif tag == "code":
            text = element.text_content()
            fence = "``" if "`" in text else "`"
            return [Seg(raw=f"{fence}{text}{fence}")] if text.strip() else []
        elif tag == "a":
            href = (element.get("href") or "").strip()
            if re.match(r"(?i)^(https?:|mailto:)", href):
                link = href
        segs = self._inline_children(element, fmt, link, note=note)
        if tag in BLOCK_TAGS and tag != "br":
            segs = [Seg(" "), *segs, Seg(" ")]
        return segs

    # -- images -----------------------------------------------------------------------------
    def _image(self, element, caption: list[Seg], pending: bool = False) -> None:
        src = (element.get("src") or element.get("data-src") or "").strip()
        alt = (element.get("alt") or element.get("title") or "").strip()
        width, height = element.get("width", ""), element.get("height", "")
        if width.isdigit() and height.isdigit() and int(width) <= 2 and int(height) <= 2:
            return  # a tracking pixel
        data, ext = self._image_data(src)
        caption = caption or ([Seg(alt)] if alt else [])
        if data is None:
            self.draft.remove(_line(element), f"image {src or '(no src)'}" + (f" — {alt}" if alt else ""),
                              "an image that was not saved with the page")
            self.draft.check(f"the image {src[:80]} ({_line(element)}) was not saved with the page: "
                             "save it into the project and add it by hand")
            return
        if ext not in IMAGE_TYPES:
            self.draft.check(f"image {src[:80]} is .{ext}: convert it to PNG or JPEG for the book")
        path = self.draft.add_image(data, ext)
        if pending:
            self.pending.append((path, caption))
        else:
            self.body.image(path, caption)
        if not caption:
            self.draft.check(f"the image {path} has no caption: write one (it is the figure's caption and its alt text)")

    def _image_data(self, src: str) -> tuple[bytes | None, str]:
        if src.startswith("data:"):
            match = re.match(r"data:image/([\w+.-]+);base64,(.*)", src, re.S)
            if match:
                try:
                    return base64.b64decode(match.group(2)), match.group(1).replace("svg+xml", "svg").replace("jpeg", "jpg")
                except ValueError:
                    return None, ""
            return None, ""
        if not src or re.match(r"(?i)^([a-z][a-z0-9+.-]*:|//)", src):
            return None, ""
        local = (self.path.parent / unquote(urlparse(src).path)).resolve()
        if not local.is_file():
            return None, ""
        return local.read_bytes(), local.suffix.lstrip(".").lower() or "png"


def _split_on_double_breaks(segs: list[Seg]) -> list[list[Seg]]:
    """``text<br><br>text`` is two paragraphs; a single ``<br>`` stays a line break."""
    paragraphs: list[list[Seg]] = [[]]
    breaks = 0
    for seg in segs:
        if seg.br:
            breaks += 1
            continue
        if seg.raw is None and not (seg.text or "").strip():
            if breaks == 0:
                paragraphs[-1].append(seg)
            continue
        if breaks >= 2:
            paragraphs.append([])
        elif breaks == 1 and paragraphs[-1]:
            paragraphs[-1].append(Seg(br=True))
        breaks = 0
        paragraphs[-1].append(seg)
    return [p for p in paragraphs if p]


def _under_furniture(element, stop) -> bool:
    """True if ``element`` or an ancestor below ``stop`` is site furniture."""
    node = element
    while node is not None and node is not stop:
        if boilerplate.furniture_reason(node):
            return True
        node = node.getparent()
    return False


def _drop_keeping_tail(element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
