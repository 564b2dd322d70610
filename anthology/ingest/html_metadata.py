"""The metadata of a saved page: title, authors, date, source and the language it declares.

Each comes from the first place that gives it: the ``<h1>``, Open Graph and other meta tags,
JSON-LD, ``<time datetime>``, bylines (``itemprop=author``, ``.byline``, ``rel=author``), or a
date or byline line at the top of the article. An element the metadata was taken from goes into
``skip`` (element → why), so that the body does not repeat it.
"""

from __future__ import annotations

import json
import re

from . import boilerplate
from .bylines import parse_byline
from .dates import date_line, find_date, parse_date
from .html_nodes import inside_skipped, position, text_of, under_furniture
from .model import Draft, Found

SUBTITLE_TOKENS = {"subtitle", "subheadline", "subhead", "standfirst", "dek", "deck", "subheading", "strapline"}
TITLE_SEPARATORS = re.compile(r"\s+(?:[|—–»/-]|::)\s+")
ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                 "opinionnewsarticle", "scholarlyarticle", "report", "webpage", "creativework"}
JSON_LD_KEYS = ("headline", "name", "author", "datePublished", "dateCreated", "publisher", "url", "inLanguage")
HEAD_LINES = 6   # how many short lines at the top of the article may hold a byline or a date


def json_ld(doc) -> dict:
    """What the page's JSON-LD says about its article (read before the scripts are dropped)."""
    found: dict = {}
    for script in doc.xpath('//script[@type="application/ld+json"]'):
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
                    found.update({k: v for k, v in item.items() if k in JSON_LD_KEYS})
                stack.extend(v for v in item.values() if isinstance(v, (list, dict)))
    return found


def read_metadata(doc, root, ld: dict, saved_from: str | None, draft: Draft, skip: dict) -> None:
    """Fill the draft's metadata from the page ``doc`` whose article is ``root``."""
    _Metadata(doc, root, draft, skip).read(ld, saved_from)


class _Metadata:
    def __init__(self, doc, root, draft: Draft, skip: dict):
        self.doc, self.root, self.draft, self.skip = doc, root, draft, skip

    def read(self, ld: dict, saved_from: str | None) -> None:
        self.title(ld)
        self.authors(ld)
        self.date(ld)
        self.source(ld, saved_from)
        self.lang_hint()
        self.head_lines()

    def meta(self, *keys: str) -> tuple[str, str] | None:
        """The first of these meta tags with a value: (value, which tag)."""
        for key in keys:
            for element in self.doc.xpath("//meta[@property=$k or @name=$k or @itemprop=$k]", k=key):
                value = (element.get("content") or "").strip()
                if value:
                    return value, f'<meta {"property" if element.get("property") else "name"}="{key}">'
        return None

    def take(self, element, why: str, text: str | None = None) -> None:
        """The metadata ``why`` was taken from ``element``: the body leaves it out, the report lists it."""
        self.skip[element] = why
        self.draft.use(position(element), text_of(element) if text is None else text, why)

    # -- title --------------------------------------------------------------------------------
    def title(self, ld: dict) -> None:
        """The article's <h1>, else Open Graph's title, else JSON-LD's headline, else <title>."""
        draft = self.draft
        h1 = self.title_heading()
        site = self.meta("og:site_name")
        og = self.meta("og:title", "twitter:title", "title")
        if h1 is not None and text_of(h1):
            draft.title = Found(text_of(h1), f"<h1>, {position(h1)}")
            self.take(h1, "title")
            self.subtitle(h1)
        elif og:
            draft.title = Found(_without_site_name(og[0], site).strip(), og[1])
        elif isinstance(ld.get("headline"), str):
            draft.title = Found(ld["headline"].strip(), "JSON-LD headline")
        else:
            self.title_from_title_tag(site)

    def subtitle(self, h1) -> None:
        """The line that stands right after the <h1> as its subtitle: classed so (``subtitle``,
        ``standfirst``, ``dek``…), or the <h2> or <p> of an <hgroup>."""
        following = h1.getnext()
        while following is not None and not isinstance(following.tag, str):
            following = following.getnext()
        if following is None or following.tag not in ("h2", "h3", "p", "div"):
            return
        text = text_of(following)
        marked = boilerplate.class_tokens(following) & SUBTITLE_TOKENS or h1.getparent().tag == "hgroup"
        if marked and text and len(text) <= 250 and not following.xpath(".//p|.//img"):
            self.draft.subtitle = Found(text, f"<{following.tag}> after the <h1>, {position(following)}")
            self.take(following, "subtitle")

    def title_heading(self):
        """The article's <h1>: inside the article, else the last one before it, else the only one."""
        inside = [h for h in self.root.iter("h1") if text_of(h) and not under_furniture(h, self.root)]
        if inside:
            return inside[0]
        order = {element: n for n, element in enumerate(self.doc.iter())}
        others = [h for h in self.doc.iter("h1") if text_of(h) and not under_furniture(h, None)]
        before = [h for h in others if order[h] < order[self.root]]
        if before:
            return before[-1]
        return others[0] if len(others) == 1 else None

    def repeated_in_article(self, parts: list[str]):
        """The first lines of the article: the one that is a part of <title> (a heading, a bold line), or None."""
        seen = 0
        for element in self.root.iter("h2", "h3", "h4", "p", "b", "strong", "font", "div", "span"):
            text = text_of(element)
            if not text or element.xpath("./p|./div|./table|./ul"):
                continue
            if text in parts:
                return element
            seen += 1
            if seen >= HEAD_LINES:
                return None
        return None

    def site_from_title_tag(self, parts: list[str], title: str, site: tuple[str, str] | None) -> None:
        """``Site :: Section :: Title`` (or ``Title | Site``): the site's name, for ``source``."""
        if site or len(parts) < 2 or title not in parts:
            return
        name = parts[0] if parts[-1] == title else parts[-1] if parts[0] == title else None
        if name and not boilerplate.is_menu(name):
            self.draft.extra["site"] = Found(name, "<title>, beside the title")

    def title_from_title_tag(self, site: tuple[str, str] | None) -> None:
        """<title> without the site's name; the first heading of the article if <title> repeats it."""
        draft = self.draft
        title = self.doc.findtext(".//title") or ""
        parts = [p.strip() for p in TITLE_SEPARATORS.split(title.strip()) if p.strip()]
        if len(parts) > 1:
            parts = [p for p in parts if not site or p != site[0]] or parts
        repeated = self.repeated_in_article(parts)
        if repeated is not None:
            draft.title = Found(text_of(repeated), f"<title> and {position(repeated)} of the article, which repeats it")
            self.take(repeated, "title")
            self.site_from_title_tag(parts, text_of(repeated), site)
        elif parts and parts[0].strip():
            draft.title = Found(parts[0].strip(), "<title>")
            if len(parts) > 1:
                draft.check(f'the title was cut from the page\'s <title> "{title.strip()}": check it')

    # -- authors ------------------------------------------------------------------------------
    def authors(self, ld: dict) -> None:
        """The byline's names, else JSON-LD's authors, else the author meta tag's."""
        if self.byline():
            return
        names = _json_ld_names(ld.get("author"))
        if names:
            self.draft.authors = Found([{"name": n} for n in names], "JSON-LD author")
            return
        self.meta_authors()

    def byline(self) -> bool:
        candidates = self.doc.xpath('//*[@itemprop="author"] | //*[@rel="author"] | //*[@class or @id]')
        for element in candidates:
            tokens = boilerplate.class_tokens(element)
            if not (element.get("itemprop") == "author" or element.get("rel") == "author"
                    or tokens & {"author", "authors", "byline", "writer", "avtor"}):
                continue
            if inside_skipped(element, self.skip) or under_furniture(element, None):
                continue
            name_el = next(iter(element.xpath('.//*[@itemprop="name"]')), None)
            text = (name_el.get("content") or text_of(name_el)) if name_el is not None else text_of(element)
            if not text or len(text) > 200:
                continue
            authors = parse_byline(text) or parse_byline(text, need_prefix=False)
            if authors:
                self.draft.authors = Found(authors, f'the byline, {position(element)}: "{text}"')
                self.take(element, "authors")
                return True
        return False

    def meta_authors(self) -> None:
        meta = self.meta("author", "article:author", "byl", "dc.creator", "DC.creator")
        if not meta or meta[0].startswith("http"):
            return
        authors = parse_byline(meta[0]) or parse_byline(meta[0], need_prefix=False)
        if authors:
            self.draft.authors = Found(authors, meta[1])
        else:
            self.draft.check(f'{meta[1]} says "{meta[0]}", which does not look like a person\'s name: '
                             "the authors were left empty")

    # -- date ---------------------------------------------------------------------------------
    def date(self, ld: dict) -> None:
        """The first readable date of: meta tags, JSON-LD, <time datetime>, an element classed as a date."""
        for value, origin, *element in self.date_sources(ld):
            date = parse_date(value)
            if not date:
                continue
            self.draft.date = Found(date, origin)
            shown = [e for e in self.root.xpath(".//time") if parse_date(e.get("datetime") or text_of(e)) == date]
            for e in shown + element:
                if (e is self.root or self.root in e.iterancestors()) and e not in self.skip \
                        and not inside_skipped(e, self.skip):
                    self.take(e, "date")
            return

    def date_sources(self, ld: dict) -> list[tuple]:
        """(value, origin) or (value, origin, element) for every place that may give the date, best first."""
        meta = self.meta("article:published_time", "og:published_time", "datePublished", "pubdate",
                         "publishdate", "date", "DC.date.issued", "dcterms.date", "dc.date")
        sources: list[tuple] = [meta] if meta else []
        for key in ("datePublished", "dateCreated"):
            if isinstance(ld.get(key), str):
                sources.append((ld[key], f"JSON-LD {key}"))
        for element in self.root.xpath(".//time[@datetime]") + self.doc.xpath("//time[@datetime]"):
            if not under_furniture(element, None):
                sources.append((element.get("datetime"), f"<time datetime>, {position(element)}", element))
        for element in self.doc.xpath("//*[@class or @id]"):
            if boilerplate.class_tokens(element) & {"date", "time", "published", "pubdate", "datetime"} \
                    and len(text_of(element)) < 80 and not under_furniture(element, None):
                sources.append((text_of(element), f'"{text_of(element)}", {position(element)}', element))
        return sources

    # -- source and language ------------------------------------------------------------------
    def source(self, ld: dict, saved_from: str | None) -> None:
        """The site's name and the page's address, each from the first place that gives it."""
        canonical = [v.strip() for v in self.doc.xpath('//link[@rel="canonical"]/@href') if v.strip().startswith("http")]
        url = (canonical[0], '<link rel="canonical">') if canonical else None
        url = url or self.meta("og:url") or ((saved_from, "the 'saved from url' comment") if saved_from else None)
        if url is None and isinstance(ld.get("url"), str):
            url = (ld["url"], "JSON-LD url")
        site = self.meta("og:site_name", "application-name")
        if site is None and isinstance(ld.get("publisher"), dict) and isinstance(ld["publisher"].get("name"), str):
            site = (ld["publisher"]["name"], "JSON-LD publisher")
        if site is None and "site" in self.draft.extra:
            found = self.draft.extra.pop("site")
            site = (found.value, found.origin)
        if url or site:
            value = ", ".join(v for v in ((site or ("", ""))[0], (url or ("", ""))[0]) if v)
            origins = " and ".join(o for o in ((site or ("", ""))[1], (url or ("", ""))[1]) if o)
            self.draft.source = Found(value, origins)

    def lang_hint(self) -> None:
        lang = self.doc.get("lang") or self.doc.get("{http://www.w3.org/XML/1998/namespace}lang")
        meta_lang = self.meta("og:locale", "language", "content-language")
        if lang:
            self.draft.lang_hint = Found(_language_code(lang), "<html lang>")
        elif meta_lang:
            self.draft.lang_hint = Found(_language_code(meta_lang[0]), meta_lang[1])

    # -- lines at the top of the article ------------------------------------------------------
    def head_lines(self) -> None:
        """A date or byline written as a line of text at the top of the article."""
        draft = self.draft
        if draft.date is not None and draft.authors is not None:
            return
        seen = 0
        for element in self.root.iter("p", "div", "span", "time", "address", "h2", "h3", "h4", "h5", "h6", "small", "font"):
            if element in self.skip or inside_skipped(element, self.skip) \
                    or element.xpath("./p|./div|./ul|./ol|./table"):
                continue
            text = text_of(element)
            if not text:
                continue
            if len(text) > 200 or seen >= HEAD_LINES:
                return
            seen += 1
            if draft.date is None and (found := date_line(text)):
                draft.date = Found(found.date, f'{position(element)}: "{text}"')
                self.take(element, "date", text)
            elif draft.authors is None and (authors := parse_byline(text)):
                draft.authors = Found(authors, f'the byline, {position(element)}: "{text}"')
                self.take(element, "authors", text)
                if draft.date is None and (inside := find_date(text)):
                    draft.date = Found(inside.date, f'the byline, {position(element)}: "{text}"')


def _without_site_name(title: str, site: tuple[str, str] | None) -> str:
    """``Title — Site`` or ``Site | Title`` → ``Title``."""
    if not site:
        return title
    title = re.sub(r"\s+[|—–-]\s+" + re.escape(site[0]) + r"\s*$", "", title)
    return re.sub(r"^\s*" + re.escape(site[0]) + r"\s+[|—–-]\s+", "", title)


def _json_ld_names(people) -> list[str]:
    people = people if isinstance(people, list) else [people] if people else []
    names = [p.get("name") if isinstance(p, dict) else p for p in people]
    return [n.strip() for n in names if isinstance(n, str) and n.strip()]


def _language_code(tag: str) -> str:
    """``en-GB``, ``ru_RU`` → ``en``, ``ru``."""
    return tag.split("-")[0].split("_")[0].lower()
