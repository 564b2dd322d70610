"""Parse stage: an article's Markdown → an HTML fragment (`<div class="article-body">`).

The fragment follows the conventions in docs/format.md: `data-line` on blocks, citations as
`span.citation`, footnotes as `a.footnote-ref` + `section.footnotes`, figures with captions.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

import lxml.html
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .. import limits
from ..confine import confined
from ..citations.syntax import citations_plugin
from . import sanitize
from .fragment import line_of
from ..problems import Problems
from ..model import Article, ParsedArticle

URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


RAW_TAG = re.compile(r"(<[a-zA-Z][\w-]*)(?=[\s/>])")  # an opening tag in a raw HTML block


def _line_numbers(state) -> None:
    """Core rule: `data-line` on every block that has a source position; on each tag of raw HTML,
    in a block or inside a paragraph, so what the sanitizer (or the proof) says about one names its
    own line."""
    offset = state.env.get("line_offset", 0)
    for token in state.tokens:
        if not token.map:
            continue
        line = str(token.map[0] + 1 + offset)
        if token.nesting == 1 and token.type != "footnote_reference_open":
            token.attrSet("data-line", line)
        elif token.type == "html_block":
            token.content = _raw_lines(token.content, token.map[0] + 1 + offset)
        elif token.type == "inline" and token.children:
            _inline_raw_lines(token.children, token.map[0] + 1 + offset)


def _inline_raw_lines(children, line: int) -> None:
    """The raw HTML tags inside a paragraph given their lines, counted along its line breaks (a code
    span across lines, whose breaks markdown-it makes spaces, leaves the count short)."""
    for child in children:
        if child.type == "html_inline":
            child.content = _raw_lines(child.content, line)
        line += 1 if child.type in ("softbreak", "hardbreak") else child.content.count("\n")


def _raw_lines(html: str, first: int) -> str:
    """Every opening tag of a raw HTML block given the source line it is on (the lines counted
    from one tag to the next, so a block of many tags costs no more than its length)."""
    counted = {"line": first, "at": 0}

    def tagged(match: re.Match) -> str:
        counted["line"] += html.count("\n", counted["at"], match.start())
        counted["at"] = match.start()
        return f'{match.group(1)} data-line="{counted["line"]}"'
    return RAW_TAG.sub(tagged, html)


def _figures(state) -> None:
    """Core rule: a paragraph holding one image alone becomes a figure with a caption."""
    tokens = state.tokens
    for i in range(len(tokens) - 2):
        opening, inline, closing = tokens[i : i + 3]
        if opening.type != "paragraph_open" or inline.type != "inline" or closing.type != "paragraph_close":
            continue
        children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
        if len(children) == 1 and children[0].type == "image":
            opening.tag = closing.tag = "figure"
            children[0].meta["figure"] = True


def _render_image(self, tokens, idx, options, env):
    """An image with its attributes (`![alt](src){.wide}`), and its caption when it is a figure."""
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    src = escapeHtml(token.attrGet("src") or "")
    extra = "".join(f' {name}="{escapeHtml(str(value))}"' for name, value in token.attrs.items() if name not in ("src", "alt"))
    img = f'<img src="{src}" alt="{escapeHtml(alt)}"{extra} />'
    if not token.meta.get("figure"):
        return img
    caption = self.renderInline(token.children or [], options, env)
    return f"{img}<figcaption>{caption}</figcaption>"


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = (
        # markdown-it silently drops the rest of an article where blocks nest deeper than its
        # maxNesting; one level past our own bound, that is always where limits.check_body reports.
        MarkdownIt("commonmark", {"typographer": False, "maxNesting": limits.MAX_NESTING + 1})
        .enable("table")
        .use(footnote_plugin)
        .use(deflist_plugin)
        .use(attrs_plugin, spans=True)
        .use(attrs_block_plugin)
        .use(citations_plugin)
    )
    md.core.ruler.push("figures", _figures)
    md.core.ruler.push("line_numbers", _line_numbers)
    md.add_render_rule("image", _render_image)
    return md


def parse_article(article: Article, root: Path, problems: Problems) -> ParsedArticle:
    """Markdown → `<div class="article-body">`, footnotes renamed per article, images checked."""
    env = {"line_offset": article.body_line - 1}
    html = parser().render(article.body, env)
    body = lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")
    body.set("class", "article-body")
    sanitize.clean(body, article.path, problems)
    limits.check_body(body, article.path, problems)
    _normalise_footnotes(body, article.id)
    _table_captions(body)
    _block_ids(body, article.id)
    images = _check_images(body, article, root, problems)
    return ParsedArticle(article=article, body=body, images=images)


CAPTION = re.compile(r"^\s*(?:(?:Table|Таблица|Кесте|Cədvəl)\s*)?:\s+")  # one way to match spaces: linear


def _table_captions(body) -> None:
    """Pandoc's table captions: a paragraph `Table: …` (or `: …`) right after or before a table."""
    for table in body.iter("table"):
        for paragraph in (table.getnext(), table.getprevious()):
            if paragraph is not None and paragraph.tag == "p" and CAPTION.match(paragraph.text or ""):
                caption = lxml.html.Element("caption")
                caption.text = CAPTION.sub("", paragraph.text, count=1)
                for child in paragraph:
                    caption.append(child)
                table.insert(0, caption)
                paragraph.drop_tree()
                break


FLOW_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "table", "blockquote", "pre", "ul", "ol", "dl")


def _block_ids(body, article_id: str) -> None:
    """An id on every flow block, so the layout can tell on which page each one starts
    (the EPUB's print page markers go before them)."""
    for number, block in enumerate(body.iter(*FLOW_BLOCKS), 1):
        if not block.get("id"):
            block.set("id", f"{article_id}-b{number}")


def _normalise_footnotes(body, article_id: str) -> None:
    """Give footnotes per-article ids and drop the plugin's separator and back-links."""
    for hr in body.xpath(".//hr[contains(@class, 'footnotes-sep')]"):
        hr.drop_tree()
    for backref in body.xpath(".//a[contains(@class, 'footnote-backref')]"):
        backref.drop_tree()
    numbers: dict[str, int] = {}
    calls: dict[int, int] = {}
    for sup in body.xpath(".//sup[contains(@class, 'footnote-ref')]"):
        link = sup.find("a")
        number = numbers.setdefault(link.get("href", "").lstrip("#"), len(numbers) + 1)
        calls[number] = calls.get(number, 0) + 1
        suffix = "" if calls[number] == 1 else f"-{calls[number]}"
        link.attrib.update({"class": "footnote-ref", "href": f"#fn-{article_id}-{number}", "id": f"fnref-{article_id}-{number}{suffix}"})
        link.text = str(number)
        sup.drop_tag()
    for item in body.xpath(".//li[contains(@class, 'footnote-item')]"):
        number = numbers.get(item.get("id"))
        if number is None:  # a note that is never called: keep it, numbered after the others
            number = numbers.setdefault(item.get("id"), len(numbers) + 1)
        item.set("id", f"fn-{article_id}-{number}")
        item.attrib.pop("class", None)


def _check_images(body, article: Article, root: Path, problems: Problems) -> dict[str, Path]:
    """Every image must be a file inside the project; returns src → file."""
    found: dict[str, Path] = {}
    for img in body.iter("img"):
        src = img.get("src", "")
        name, line = unquote(src), line_of(img)  # markdown-it percent-encodes Cyrillic, spaces and '%'
        if URL_SCHEME.match(src):
            problems.error(article.path, line, f"image '{name}' is not a local file: save it into the project folder", code="remote-image")
            continue
        path = confined(article.path.parent / name, [root], problems, article.path, line, f"image '{name}'")
        if path is not None and not path.is_file():
            problems.error(article.path, line, f"image '{name}' does not exist", code="missing-image")
        elif path is not None and limits.check_image(path, article.path, line, problems):
            found[src] = path
    return found
