"""Mentions in an article: each registered name found is wrapped in a numbered ``span.mention``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import lxml.html

from ..problems import Problems
from .forms import WOMAN_READING
from .registry import Registry, did_you_mean

#: In ``Mention.ambiguous_with``: the form may be the surname of a woman not in the registry.
WOMAN = "?woman"

SKIP_TAGS = frozenset({"code", "pre", "a", "kbd", "samp", "script", "style", "math", "svg"})
SKIP_CLASSES = frozenset({"citation", "noindex", "mention", "person"})


@dataclass
class Mention:
    """One mention of a person in an article, anchored by the id of its ``span.mention``.

    ``ambiguous_with`` is empty for a sure mention. Otherwise it lists the readings an editor
    should choose between: registered ids, and ``WOMAN`` when the form may be an unregistered
    woman's surname. ``person_id`` is then the most likely person, or None if two people fit.
    """

    person_id: str | None
    anchor: str
    article_id: str
    text: str
    line: int | None
    ambiguous_with: tuple[str, ...] = ()


def _classes(element: lxml.html.HtmlElement) -> set[str]:
    """The classes of ``element``."""
    return set((element.get("class") or "").split())


def _is_mark(element: lxml.html.HtmlElement) -> bool:
    """True for an explicit mark ``<span class="person" ref="ID">``."""
    return "person" in _classes(element)


def searchable(element: lxml.html.HtmlElement) -> bool:
    """False inside code, links, citations, marks: no automatic mentions there."""
    return element.tag not in SKIP_TAGS and not (_classes(element) & SKIP_CLASSES)


def line_of(element: lxml.html.HtmlElement, default: int | None = None) -> int | None:
    """The ``data-line`` of ``element``, or ``default``."""
    value = element.get("data-line")
    return int(value) if value and value.isdigit() else default


def start_line(element: lxml.html.HtmlElement) -> int | None:
    """The line of the nearest ancestor-or-self with ``data-line``."""
    for node in element.iterancestors():
        if line_of(node):
            return line_of(element, line_of(node))
    return line_of(element)


def _advance(line: int | None, text: str) -> int | None:
    """The source line after ``text``, which started on ``line``."""
    return line + text.count("\n") if line is not None else None


def _resolve(people: dict[str, int]) -> tuple[str | None, tuple[str, ...]]:
    """(most likely person, readings to confirm) for the people a form fits."""
    if len(people) > 1:
        return None, tuple(sorted(people))
    (person_id, flags), = people.items()
    return person_id, ((person_id, WOMAN) if flags & WOMAN_READING else ())


class _Annotator:
    """Walks one article body in document order, wrapping and numbering mentions."""

    def __init__(self, article_id: str, registry: Registry, problems: Problems | None, path: str | Path | None):
        self.article_id = article_id
        self.registry = registry
        self.problems = problems
        self.path = path or article_id
        self.mentions: list[Mention] = []

    def walk(self, element: lxml.html.HtmlElement, line: int | None, search: bool) -> int | None:
        """Annotate ``element``'s text and children; ``search`` is False where only marks count.

        ``line`` is the source line where the element's text starts; the line after its content
        is returned, so each mention gets its own line (soft line breaks stay as newlines)."""
        line = line_of(element, line)
        children = list(element)  # before the text is wrapped, which inserts spans
        line = self._text(element, False, line, search)
        for child in children:
            if isinstance(child.tag, str) and "noindex" not in _classes(child) and "mention" not in _classes(child):
                if _is_mark(child):
                    self._mark(child, line)
                    line = _advance(line, child.text_content())
                else:
                    line = self.walk(child, line, search and searchable(child))
            elif isinstance(child.tag, str):
                line = _advance(line, child.text_content())
            line = self._text(child, True, line, search)
        return line

    def _text(self, owner: lxml.html.HtmlElement, tail: bool, line: int | None, search: bool) -> int | None:
        """Wrap the mentions in a text or tail; the line after it."""
        text = (owner.tail if tail else owner.text) or ""
        if search and text:
            self._wrap(owner, tail, line)
        return _advance(line, text)

    def _anchor(self) -> str:
        """The id of the next mention."""
        return f"{self.article_id}-m{len(self.mentions) + 1}"

    def _span(self, parent: lxml.html.HtmlElement, person_id: str | None, ambiguous: tuple[str, ...]):
        """A new empty ``span.mention`` with the next id."""
        span = parent.makeelement("span", {"class": "mention", "id": self._anchor()})
        if person_id:
            span.set("data-person", person_id)
        if ambiguous:
            span.set("data-ambiguous", " ".join(ambiguous))
        return span

    def _mark(self, element: lxml.html.HtmlElement, line: int | None) -> None:
        """An explicit ``.person`` mark: its whole content is one mention of ``ref``."""
        ref = element.get("ref") or element.get("data-ref")
        person_id = self.registry.resolve(ref)
        if person_id is None:
            if self.problems is not None:
                why = (f"'{ref}' is not in the registry of people{did_you_mean(ref, self.registry.people)}"
                       if ref else "a .person mark needs ref=ID")
                self.problems.error(self.path, line_of(element, line), f"[{element.text_content()}]"
                                    f"{{.person ref={ref or ''}}}: {why}", "unknown-person")
            return
        text = element.text_content()
        span = self._span(element, person_id, ())
        span.text, element.text = element.text, None
        for child in list(element):
            span.append(child)
        element.append(span)
        self.mentions.append(Mention(person_id, span.get("id"), self.article_id, text, line_of(element, line)))

    def _wrap(self, owner: lxml.html.HtmlElement, tail: bool, line: int | None) -> None:
        """Wrap the mentions in ``owner``'s text (or tail) in spans, in place."""
        text = owner.tail if tail else owner.text
        matcher = self.registry.matcher
        hits = matcher.hits(matcher.tokens(text))
        if not hits:
            return
        parent = owner.getparent() if tail else owner
        index = parent.index(owner) + 1 if tail else 0
        head = text[:hits[0].start] or None
        for n, (hit, after) in enumerate(zip(hits, [*hits[1:], None])):
            person_id, ambiguous = _resolve(hit.people)
            span = self._span(parent, person_id, ambiguous)
            span.text = text[hit.start:hit.end]
            span.tail = text[hit.end:after.start if after else len(text)] or None
            parent.insert(index + n, span)
            self.mentions.append(Mention(person_id, span.get("id"), self.article_id, span.text,
                                         _advance(line, text[:hit.start]), ambiguous))
        if tail:
            owner.tail = head
        else:
            owner.text = head


def annotate(body: lxml.html.HtmlElement, article_id: str, registry: Registry, *, enabled: bool = True,
             problems: Problems | None = None, path: str | Path | None = None) -> list[Mention]:
    """Find, wrap and return the mentions of registered people in one article body, in order.

    Each mention becomes ``<span class="mention" id="{article_id}-m{n}" data-person="{id}">``
    (``data-ambiguous`` lists the readings of an ambiguous one). Nothing is searched inside code,
    links, citations or ``.noindex``; a ``.person`` mark is one sure mention of its ``ref``
    wherever it stands (except inside ``.noindex``). ``enabled=False`` leaves the article out of
    the index altogether. A ``ref`` not in the registry is reported to ``problems`` (at ``path``).
    """
    if not enabled:
        return []
    annotator = _Annotator(article_id, registry, problems, path)
    annotator.walk(body, start_line(body), searchable(body))
    return annotator.mentions


def ambiguity_message(mention: Mention, registry: Registry) -> str:
    """What an editor should be told about an ambiguous mention, and how to settle it."""
    readings = [registry.people[pid].heading if pid in registry.people else "a woman not in the registry"
                for pid in mention.ambiguous_with]
    verdict = (f"indexed to {registry.people[mention.person_id].heading}" if mention.person_id
               else "left out of the index")
    ref = mention.person_id or next((pid for pid in mention.ambiguous_with if pid in registry.people), "ID")
    return (f"«{mention.text}» may be {' or '.join(readings)} ({verdict}); confirm with "
            f"[{mention.text}]{{.person ref={ref}}} or [{mention.text}]{{.noindex}}")
