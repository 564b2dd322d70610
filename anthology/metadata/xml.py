"""Building the XML records: elements with text, in order, skipping what is not known."""

from __future__ import annotations

import lxml.etree as etree

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def add(parent, tag: str, text: str | None = None, **attributes) -> etree._Element:
    """A child element `tag` of `parent` (in its namespace unless `tag` is `{ns}name`) with `text`."""
    namespace = etree.QName(parent).namespace
    name = tag if tag.startswith("{") or namespace is None else f"{{{namespace}}}{tag}"
    element = etree.SubElement(parent, name, {XML_LANG if key == "xml_lang" else key: value
                                              for key, value in attributes.items()})
    if text is not None:
        element.text = text
    return element


def serialised(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
