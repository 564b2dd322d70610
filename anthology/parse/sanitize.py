"""An allow-list sanitizer for the HTML an article's Markdown produces (raw HTML included).

Raw HTML stays available for layout needs, but scripts, event handlers, frames, objects, forms and
anything that would load a resource from outside or link to a file are removed, each removal a
warning at its line. What cannot be removed without changing the text is an error at its line: a
character no book can hold (a character reference such as `&#1;` makes one) and a `lang` that is
not a language tag.
"""

from __future__ import annotations

import re
from pathlib import Path

import tinycss2

from ..load.styles import resources, walk
from ..load.languages import language_problem
from ..load.yaml import UNSAFE_CHARACTER, unsafe_character
from ..problems import Problems
from .fragment import line_of

# Elements removed with their content: they run code, embed other documents, or take input.
DANGEROUS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button",
    "select", "textarea", "option", "link", "meta", "base", "noscript", "template", "svg", "math", "audio",
    "video", "source", "track", "canvas", "portal", "dialog", "param",
}
# Elements kept as they are; any other element is unwrapped (its text kept) with a warning.
ALLOWED = {
    "div", "p", "span", "a", "em", "strong", "b", "i", "u", "s", "sub", "sup", "small", "mark", "q", "cite",
    "abbr", "dfn", "time", "code", "kbd", "samp", "var", "br", "wbr", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "figure", "figcaption", "img", "table", "caption",
    "thead", "tbody", "tfoot", "tr", "th", "td", "col", "colgroup", "section", "aside", "header", "footer",
    "nav", "article", "address", "bdi", "bdo", "ruby", "rt", "rp", "del", "ins", "details", "summary",
}
GLOBAL_ATTRIBUTES = {"id", "class", "lang", "dir", "title", "role", "style"}
ATTRIBUTES = {
    "a": {"href"}, "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"}, "ol": {"start", "reversed", "type"},
    "li": {"value"}, "blockquote": {"cite"}, "q": {"cite"}, "time": {"datetime"}, "del": {"datetime", "cite"},
    "ins": {"datetime", "cite"}, "col": {"span"}, "colgroup": {"span"}, "span": {"ref"},
}
# A link leaves the book for the web or an address, or goes to a place in the book: a path to a file
# (`/etc/passwd`, `other.md`, `file:`) would point outside the EPUB's container, which EPUBCheck refuses.
SAFE_LINK = re.compile(r"^(?:https?://|mailto:|#)", re.I)
LINK_ATTRIBUTES = {"href", "cite"}
RUNS_CODE = {"expression", "behavior", "-moz-binding"}  # what old browsers ran from a style


def clean(body, path: Path, problems: Problems) -> None:
    """Remove, in place, everything outside the allow-list, with a warning for each removal."""
    for element in list(body.iter()):
        if not isinstance(element.tag, str):  # comments and processing instructions
            if element.getparent() is not None:
                element.drop_tree()
            continue
        if element is body:
            continue
        if element.getparent() is None:  # already removed with a dangerous ancestor
            continue
        tag = element.tag.lower()
        if tag in DANGEROUS:
            _warn(problems, path, element, f"removed <{tag}> from the article (not allowed in a book)")
            element.drop_tree()
        elif tag not in ALLOWED:
            _warn(problems, path, element, f"<{tag}> is not an HTML element a book can use; kept its text only")
            element.drop_tag()
        else:
            _clean_attributes(element, tag, path, problems)
            _check_text(element, path, problems)


def _clean_attributes(element, tag: str, path: Path, problems: Problems) -> None:
    for name, value in list(element.attrib.items()):
        allowed = name in GLOBAL_ATTRIBUTES or name in ATTRIBUTES.get(tag, ()) or name.startswith(("data-", "aria-"))
        if not allowed:
            reason = "an event handler" if name.lower().startswith("on") else "not allowed here"
            _warn(problems, path, element, f"removed attribute {name}=\"{value[:40]}\" from <{tag}> ({reason})")
            del element.attrib[name]
        elif name in LINK_ATTRIBUTES and not SAFE_LINK.match(value.strip()):
            _warn(problems, path, element, f"removed link '{value[:60]}' (only http, https, mailto and links to a "
                                           f"place in the book, #…, are kept)")
            del element.attrib[name]
        elif name == "lang" and (problem := language_problem(value.strip())):
            problems.error(path, line_of(element), f"lang=\"{value[:40]}\": {problem}", code="bad-language")
        elif name == "style" and _unsafe_style(value):
            _warn(problems, path, element, f"removed style=\"{value[:60]}\" (it would load or run something)")
            del element.attrib[name]


def _unsafe_style(value: str) -> bool:
    """Whether a style attribute would load or run something: a resource it names, an at-rule,
    expression(), behavior or -moz-binding. Read as CSS tokens (tinycss2), so escapes such as
    `u\\72l(` are decoded as a browser decodes them, and nested functions are searched too."""
    tokens = tinycss2.parse_component_value_list(value, skip_comments=True)
    return next(resources(tokens), None) is not None or any(_runs_code(token) for token in walk(tokens))


def _runs_code(token) -> bool:
    if token.type == "at-keyword":
        return True
    if token.type == "function":
        return token.lower_name in RUNS_CODE
    return token.type == "ident" and token.lower_value in RUNS_CODE


def _check_text(element, path: Path, problems: Problems) -> None:
    """An error for the first character in the element's own text, tail or attributes that no book
    can hold; each made U+FFFD, as the later stages, writing the text back, would fail on it."""
    found = [unsafe_character(text) for text in (element.text, element.tail, *element.attrib.values()) if text]
    if not any(found):
        return
    problems.error(path, line_of(element), f"character {next(f for f in found if f)[1]}", code="bad-character")
    element.text, element.tail = _harmless(element.text), _harmless(element.tail)
    for name, value in element.attrib.items():
        element.set(name, _harmless(value))


def _harmless(text: str | None) -> str | None:
    return UNSAFE_CHARACTER.sub("\ufffd", text) if text else text


def _warn(problems: Problems, path: Path, element, message: str) -> None:
    problems.warning(path, line_of(element), message, code="sanitized")
