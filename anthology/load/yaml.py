"""The one YAML reader for every user file: values that remember where they stood, so every
problem can name `path:line`."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .. import limits
from ..problems import Problems

# Characters no book can hold: C0 controls but tab and newline, DEL, C1 controls, lone surrogates
# (only an escape such as YAML's "\ud800" makes one) and the non-characters U+FFFE, U+FFFF. lxml
# refuses most of them in a tree, and WeasyPrint cannot encode a surrogate.
UNSAFE_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def unsafe_character(text: str) -> tuple[int, str] | None:
    """(offset, description) of the first character of `text` no book can hold, or None."""
    found = UNSAFE_CHARACTER.search(text)
    if found is None:
        return None
    code = ord(found.group())
    if 0xD800 <= code <= 0xDFFF:
        kind = "half of a surrogate pair, not a character"
    elif code in (0xFFFE, 0xFFFF):
        kind = "not a character"
    else:
        kind = "a control character"
    return found.start(), f"U+{code:04X} ({kind}) cannot stand in a book: remove it"


class Refused(yaml.YAMLError):
    """YAML that is well formed but refused: an alias loop, too many repeated values, too deep."""

    def __init__(self, problem: str, mark):
        super().__init__(problem)
        self.problem, self.problem_mark = problem, mark


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, its aliases bounded as it composes: no alias may stand inside the value
    it names (a loop), all together may repeat at most MAX_YAML_ALIAS_VALUES values (against a
    "billion laughs"), and no value may nest deeper than MAX_YAML_NESTING."""

    def __init__(self, text: str):
        super().__init__(text)
        self.composing: list[str | None] = []  # the anchors of the values being composed, outermost first
        self.repeated = 0
        self.sizes: dict[int, int] = {}

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._count_alias(event)
            return super().compose_node(parent, index)
        if len(self.composing) >= limits.MAX_YAML_NESTING:
            raise Refused(f"YAML values nest more than {limits.MAX_YAML_NESTING} deep here", event.start_mark)
        self.composing.append(event.anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self.composing.pop()

    def _count_alias(self, event) -> None:
        if event.anchor in self.composing:
            raise Refused(f"YAML alias '*{event.anchor}' stands inside the value it names (a loop)", event.start_mark)
        node = self.anchors.get(event.anchor)
        self.repeated += self._size(node) if node is not None else 0
        if self.repeated > limits.MAX_YAML_ALIAS_VALUES:
            raise Refused(f"YAML aliases here repeat more than {limits.MAX_YAML_ALIAS_VALUES:,} values in all: "
                          f"write the values out", event.start_mark)

    def _size(self, node: yaml.Node) -> int:
        """How many values `node` stands for, its aliases expanded (each node counted once)."""
        if id(node) not in self.sizes:
            if isinstance(node, yaml.MappingNode):
                children = [child for pair in node.value for child in pair]
            else:
                children = node.value if isinstance(node, yaml.SequenceNode) else []
            self.sizes[id(node)] = 1 + sum(self._size(child) for child in children)
        return self.sizes[id(node)]


class Mapping(dict):
    """A YAML mapping; `line` is where it starts, `key_lines[key]` where each key stands."""

    line: int = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_lines: dict = {}

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(list):
    """A YAML sequence; `item_lines[i]` is where item i stands."""

    line: int = 0

    def __init__(self, *args):
        super().__init__(*args)
        self.item_lines: list[int] = []


def _convert(node: yaml.Node, loader: yaml.SafeLoader, path: Path, problems: Problems, first: int):
    line = node.start_mark.line + first
    if isinstance(node, yaml.MappingNode):
        own = sum(1 for key_node, _ in node.value if key_node.tag != "tag:yaml.org,2002:merge")
        loader.flatten_mapping(node)  # `<<: *anchor` pairs come first, so the mapping's own keys override them
        merged = set()
        result = Mapping()
        result.line = line
        for number, (key_node, value_node) in enumerate(node.value):
            key = _scalar(key_node, loader, path, problems, first)
            key_line = key_node.start_mark.line + first
            if not isinstance(key, (str, int, float, bool)) or key is None:
                problems.error(path, key_line, "a key must be a plain word")
                continue
            if key in result and key not in merged:
                problems.error(path, key_line, f"duplicate key '{key}' (first at line {result.key_lines[key]})")
                continue
            merged.discard(key)
            if number < len(node.value) - own:
                merged.add(key)
            result[key] = _convert(value_node, loader, path, problems, first)
            result.key_lines[key] = key_line
        return result
    if isinstance(node, yaml.SequenceNode):
        result = Sequence()
        result.line = line
        for item in node.value:
            result.append(_convert(item, loader, path, problems, first))
            result.item_lines.append(item.start_mark.line + first)
        return result
    return _scalar(node, loader, path, problems, first)


def _scalar(node: yaml.Node, loader: yaml.SafeLoader, path: Path, problems: Problems, first: int):
    """A scalar's value; None, with a located problem, for a tagged value that is not of its type
    (`!!int abc`, `!!float x`, a date such as 2024-02-30), which PyYAML's constructors raise as
    bare Python errors; and a located problem for a character no book can hold."""
    line = node.start_mark.line + first
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        tag = node.tag.rsplit(":", 1)[-1]
        if tag == "timestamp":  # 2024-02-30: shaped like a date, not a day of the calendar
            problems.error(path, line, f"{node.value!r} is not a date of the calendar", code="bad-date")
        else:
            problems.error(path, line, f"malformed YAML: {node.value!r} is not a valid {tag} ({type(exc).__name__})",
                           code="yaml")
        return None
    unsafe = unsafe_character(value) if isinstance(value, str) else None
    if unsafe:  # refused; the value is kept, made harmless, so that no "missing value" error follows
        problems.error(path, line, f"character {unsafe[1]}", code="bad-character")
        return UNSAFE_CHARACTER.sub("\ufffd", value)
    return value


def load_yaml(text: str, path: Path, problems: Problems, first_line: int = 1):
    """Parse `text` (read from `path`, starting at `first_line` of it) into Mapping/Sequence/scalars.

    Returns None, with a problem recorded, when the YAML is malformed.
    """
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a control character the YAML reader refuses outright
        line = text[: exc.position].count("\n") + first_line
        problems.error(path, line, f"malformed YAML: character {exc.character!r} is not allowed", code="yaml")
        return None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        data = _convert(node, loader, path, problems, first_line)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + first_line if mark else first_line
        reason = getattr(exc, "problem", None) or str(exc)
        if isinstance(exc, Refused):
            problems.error(path, line, reason, code="yaml-refused")
        else:
            problems.error(path, line, f"malformed YAML: {reason}", code="yaml")
        return None
    finally:
        loader.dispose()
    return data



def read_text(path: Path, problems: Problems) -> str | None:
    """Read a UTF-8 text file; a problem (with the line of the bad byte) when it is not UTF-8."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(path, None, f"cannot read file: {exc.strerror or exc}", code="io")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.error(path, line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", code="encoding")
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
