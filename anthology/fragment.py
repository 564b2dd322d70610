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
