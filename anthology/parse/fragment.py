"""Conventions of the article fragment shared by the stages (docs/format.md)."""

from __future__ import annotations


def line_of(element) -> int | None:
    """The source line of an element: its own `data-line`, its nearest ancestor's, or (for raw HTML
    the parser moved out of its paragraph) the line of the nearest block before it."""
    for node in [element, *element.iterancestors()]:
        line = node.get("data-line")
        if line:
            return int(line)
    before = element.xpath("preceding::*[@data-line][1]")
    return int(before[0].get("data-line")) if before else None


def text_pieces(root, line: int | None = None):
    """Every text and tail under `root` in document order, as (element that holds it, text, source
    line where it starts): soft line breaks stay newlines in the fragment, so lines can be counted."""
    line = _own_line(root, line)
    if root.text:
        yield root, root.text, line
        line = _after(line, root.text)
    for child in root:
        if isinstance(child.tag, str):
            for piece in text_pieces(child, line):
                yield piece
                line = _after(piece[2], piece[1])
        if child.tail:
            yield root, child.tail, line
            line = _after(line, child.tail)


def _own_line(element, default: int | None) -> int | None:
    value = element.get("data-line")
    return int(value) if value and value.isdigit() else default


def _after(line: int | None, text: str) -> int | None:
    return line + text.count("\n") if line is not None else None
