"""Writing Markdown for an imported article: escaped text, inline formatting, blocks, notes.

Readers describe inline content as *segments* — ``Seg("text", "bi", link)`` for text that must
be escaped, ``Seg(raw="[^1]")`` for Markdown made here, ``Seg(br=True)`` for a line break — and
blocks through a :class:`Body`. Nothing a reader passes as text can turn into Markdown syntax:
``*``, ``_``, ``[``, ``<``, a citation-like ``@word`` and friends are escaped.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import yaml

_ESCAPE = re.compile(r"([\\`*_\[\]<{}|])")
_CITATION_AT = re.compile(r"(?<![\w@\\])@")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def escape(text: str) -> str:
    """Plain text → Markdown that shows exactly that text."""
    text = _ESCAPE.sub(r"\\\1", text)
    text = _CITATION_AT.sub(r"\\@", text)
    return _ENTITY.sub(r"\\&", text)


def escape_line_starts(text: str) -> str:
    """Escape what would make a line a heading, a list item, a quote, a rule or a definition."""
    lines = []
    for line in text.split("\n"):
        line = line.lstrip(" \t")
        number = re.match(r"(\d{1,9})([.)])(\s|$)", line)
        if number:
            line = number.group(1) + "\\" + line[len(number.group(1)):]
        elif re.match(r">|(#{1,6}|[+-])(\s|$)|(=+|-+)\s*$|[:~](\s|$)|~~~", line):
            line = "\\" + line
        lines.append(line)
    return "\n".join(lines)


@dataclass
class Seg:
    """One piece of inline content."""

    text: str = ""
    fmt: str = ""          # any of: b (bold), i (italic), ^ (superscript), _ (subscript)
    link: str | None = None
    raw: str | None = None  # Markdown made by the importer, passed through
    br: bool = False


_PUNCT = lambda ch: bool(ch) and unicodedata.category(ch)[0] in "PS"  # noqa: E731


def _wrap(fmt: str) -> tuple[str, str, str, str]:
    """(markdown open, markdown close, html open, html close) for a run of formatting."""
    md_open = md_close = html_open = html_close = ""
    if "b" in fmt:
        md_open, md_close, html_open, html_close = "**", "**", "<strong>", "</strong>"
    if "i" in fmt:
        md_open, md_close = md_open + "*", "*" + md_close
        html_open, html_close = html_open + "<em>", "</em>" + html_close
    if "^" in fmt:
        md_open, md_close = "<sup>" + md_open, md_close + "</sup>"
        html_open, html_close = "<sup>" + html_open, html_close + "</sup>"
    elif "_" in fmt:
        md_open, md_close = "<sub>" + md_open, md_close + "</sub>"
        html_open, html_close = "<sub>" + html_open, html_close + "</sub>"
    return md_open, md_close, html_open, html_close


def inline(segs: list[Seg], breaks: str = "\\\n") -> str:
    """Segments → one line (or lines joined by hard breaks) of Markdown.

    Neighbouring text segments with the same formatting and link are merged first (Word cuts
    text into runs at random places); white space is moved outside emphasis markers, and where
    CommonMark would not see a marker (``слово**«x»**``) the HTML tag is used instead.
    """
    groups: list[list] = []   # [fmt, link, text] or ["raw", markdown]
    for seg in segs:
        if seg.br:
            groups.append(["raw", breaks])
        elif seg.raw is not None:
            groups.append(["raw", seg.raw])
        elif seg.text:
            text = re.sub(r"[\t\r\n ]+", " ", seg.text)
            if groups and groups[-1][0] != "raw" and groups[-1][0] == seg.fmt and groups[-1][1] == seg.link:
                groups[-1][2] += text
            else:
                groups.append([seg.fmt, seg.link, text])
    pieces: list[list] = []   # [before-space, open, inner, close, after-space, html_open, html_close] or [raw]
    for group in groups:
        if group[0] == "raw":
            pieces.append([group[1]])
            continue
        fmt, link, text = group
        core = text.strip(" ")
        lead, trail = text[: len(text) - len(text.lstrip(" "))], text[len(text.rstrip(" ")):]
        if not core:
            pieces.append([text])
            continue
        body = escape(core)
        if link:
            dest = link if not re.search(r"[\s()<>]", link) else "<" + link.replace("<", "%3C").replace(">", "%3E") + ">"
            body = f"[{body}]({dest})"
        md_open, md_close, html_open, html_close = _wrap(fmt)
        pieces.append([lead, md_open, body, md_close, trail, html_open, html_close])
    out = []
    for n, piece in enumerate(pieces):
        if len(piece) == 1:
            out.append(piece[0])
            continue
        lead, md_open, body, md_close, trail, html_open, html_close = piece
        if md_open:
            before = lead[-1:] or _last_char(pieces, n)
            after = trail[:1] or _first_char(pieces, n)
            first, last = _visible(body, 0), _visible(body, -1)
            left_ok = not (_PUNCT(first) and before and before.isalnum())
            right_ok = not (_PUNCT(last) and after and after.isalnum())
            if not (left_ok and right_ok):
                md_open, md_close = html_open, html_close
        out.append(f"{lead}{md_open}{body}{md_close}{trail}")
    return re.sub(r"(?<=\S) {2,}(?=\S)", " ", "".join(out)).strip(" ")


def _visible(body: str, index: int) -> str:
    text = re.sub(r"\\(.)", r"\1", body)
    return text[index] if text else ""


def _last_char(pieces, n) -> str:
    for piece in reversed(pieces[:n]):
        text = piece[0] if len(piece) == 1 else "".join(piece[:5])
        if text:
            return text[-1]
    return ""


def _first_char(pieces, n) -> str:
    for piece in pieces[n + 1:]:
        text = piece[0] if len(piece) == 1 else "".join(piece[:5])
        if text:
            return text[0]
    return ""


class Body:
    """The article body as Markdown blocks, plus its footnotes."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.notes: list[str] = []
        self._list: list[tuple[int, bool, str]] = []

    # -- notes -------------------------------------------------------------------------------
    def note(self, paragraphs: list[str]) -> str:
        """Add a footnote (its paragraphs as Markdown); returns the call ``[^n]``."""
        self.notes.append("\n\n    ".join(p for p in paragraphs if p.strip()) or "…")
        return f"[^{len(self.notes)}]"

    # -- blocks ------------------------------------------------------------------------------
    def _add(self, block: str) -> None:
        self._flush_list()
        if block.strip():
            self.blocks.append(block)

    def heading(self, level: int, segs: list[Seg]) -> None:
        text = inline(segs, breaks=" ")
        if not text:
            return
        if text.endswith("#"):
            text = text[:-1] + "\\#"
        self._add("#" * max(2, min(level, 6)) + " " + text)

    def paragraph(self, segs: list[Seg]) -> None:
        text = re.sub(r"^(\s*\\\n)+|(\\\n\s*)+$", "", inline(segs)).strip()
        self._add(escape_line_starts(text))

    def quote(self, paragraphs: list[list[Seg]]) -> None:
        texts = [escape_line_starts(inline(p)) for p in paragraphs]
        texts = [t for t in texts if t.strip()]
        if texts:
            self._add("\n>\n".join("\n".join("> " + line for line in t.split("\n")) for t in texts))

    def list_item(self, level: int, ordered: bool, segs: list[Seg]) -> None:
        text = escape_line_starts(inline(segs, breaks=" "))
        if text:
            self._list.append((level, ordered, text))

    def _flush_list(self) -> None:
        if not self._list:
            return
        items, self._list = self._list, []
        lines: list[str] = []
        stack: list[list] = []   # [ordered, counter, width]
        for level, ordered, text in items:
            level = min(level, len(stack))
            if level < len(stack) and stack[level][0] != ordered:
                del stack[level:]
                if level == 0 and lines:
                    lines.append("")  # a new list of the other kind
            del stack[level + 1:]
            if level == len(stack):
                stack.append([ordered, 0, 0])
            entry = stack[level]
            entry[1] += 1
            marker = f"{entry[1]}." if ordered else "-"
            entry[2] = len(marker) + 1
            indent = " " * sum(e[2] for e in stack[:level])
            lines.append(f"{indent}{marker} {text}")
        self.blocks.append("\n".join(lines))

    def table(self, rows: list[list[str]]) -> None:
        """A pipe table; the first row is the header. Cells are Markdown already (one line each)."""
        rows = [[c.replace("\n", " ").strip() for c in row] for row in rows if any(c.strip() for c in row)]
        if not rows:
            return
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join(["---"] * width) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        self._add("\n".join(lines))

    def image(self, src: str, caption: list[Seg]) -> None:
        text = inline(caption, breaks=" ")
        self._add(f"![{text}]({src})")

    def code(self, text: str) -> None:
        fence = "```"
        while fence in text:
            fence += "`"
        self._add(f"{fence}\n{text.rstrip()}\n{fence}")

    def markdown(self) -> str:
        self._flush_list()
        parts = ["\n\n".join(self.blocks)]
        if self.notes:
            parts.append("\n".join(f"[^{n}]: {text}" if "\n" not in text else f"[^{n}]: {text}\n"
                                   for n, text in enumerate(self.notes, 1)).rstrip())
        return "\n\n".join(p for p in parts if p.strip()) + "\n"


class _Dumper(yaml.SafeDumper):
    """Block lists indented under their key, as in docs/format.md."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def dump_yaml(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000,
                     default_flow_style=False)


def front_matter(fields: dict, comment: str | None = None) -> str:
    """``---`` + YAML + ``---``; values that are None or empty are left out."""
    data = {k: v for k, v in fields.items() if v not in (None, "", [], {})}
    head = f"# {comment}\n" if comment else ""
    return f"---\n{head}{dump_yaml(data)}---\n"


def today() -> str:
    return dt.date.today().isoformat()
