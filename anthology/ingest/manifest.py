"""Adding an imported article to a chapter of ``anthology.yaml``, keeping the file as it was written.

The manifest is edited as text — one line ``- chapters/new.md`` inserted after the chapter's last
article, with the same indentation — so its comments, order, quoting and blank lines stay. The
result is loaded with :func:`anthology.load.load_volume`; if that finds an error the old text is
put back. Both writes are atomic (a temporary file renamed over the manifest). The manifest is
composed with PyYAML itself, not :func:`anthology.load.yaml.load_yaml`: the edit needs the nodes'
columns, end marks and flow style, which ``load_yaml`` does not keep.

Every refusal is a located problem in the collector given; the functions then return None.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import NamedTuple
from pathlib import Path

import yaml

from ..write.atomic import atomic_output
from ..problems import Problems
from ..load import MANIFEST, load_volume


NO_MANIFEST = "no manifest here; --add-to-manifest needs a volume folder (see --project)"
PART_AND_CHAPTER = re.compile(r"(?i)(?:part\s*)?(\d+)\s*/\s*(\d+)")


@dataclass
class Target:
    """Where an article goes: a chapter (or the front or back matter) and its articles node."""

    label: str
    node: yaml.Node | None      # the articles sequence (None when the key has no value)
    key: yaml.Node | None       # the 'articles' key node


class _Chapter(NamedTuple):
    position: str               # '2', or '1/2' in a volume with parts
    number: str                 # its number among all chapters
    title: str
    node: yaml.MappingNode


def check_target(root: Path, into: Path, spec: str, problems: Problems) -> bool:
    """Whether articles written ``into`` can be added to the chapter ``spec`` (asked before anything is written)."""
    path = root / MANIFEST
    if not path.is_file():
        problems.error(path, None, NO_MANIFEST, code="no-manifest")
        return False
    if not into.resolve().is_relative_to(root):
        problems.error(into, None, f"outside the project folder {root}; an article added to the manifest must be "
                                   "inside it", code="path-outside")
        return False
    read = _read(path, problems)
    return read is not None and find_target(read[1], path, spec, problems) is not None


def add_to_manifest(root: Path, article: Path, spec: str, problems: Problems) -> str | None:
    """Append ``article`` to the chapter named by ``spec``; returns what was done.

    None (the manifest left exactly as it was) when the chapter cannot be found, the list cannot
    be edited, or the volume would gain an error.
    """
    root = root.resolve()
    path = root / MANIFEST
    if not path.is_file():
        problems.error(path, None, NO_MANIFEST, code="no-manifest")
        return None
    article = article.resolve()
    if not article.is_relative_to(root):
        problems.error(article, None, f"the article is outside the project folder {root}; import it --into a "
                                      "folder inside the project to add it to the manifest", code="path-outside")
        return None
    rel = article.relative_to(root).as_posix()
    read = _read(path, problems)
    if read is None:
        return None
    original, text = read
    target = find_target(text, path, spec, problems)
    new_text = insert_article(text, target, rel, path, problems) if target else None
    if new_text is None or not _write_unless_it_breaks(root, path, original, new_text, rel, problems):
        return None
    line = new_text[: new_text.find(_yaml_path(rel), _offset(target))].count("\n") + 1
    return f"added {rel} to {target.label} in {MANIFEST} (line {line})"


def _read(path: Path, problems: Problems) -> tuple[bytes, str] | None:
    """The manifest's bytes and its text exactly as written (line endings too, for the edit)."""
    try:
        original = path.read_bytes()
    except OSError as exc:
        problems.error(path, None, f"cannot read file: {exc.strerror or exc}", code="io")
        return None
    try:
        return original, original.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = original[: exc.start].count(b"\n") + 1
        problems.error(path, line, f"not UTF-8 text (byte 0x{original[exc.start]:02x}); save the file as UTF-8",
                       code="encoding")
        return None


def _write_unless_it_breaks(root: Path, path: Path, original: bytes, new_text: str, rel: str,
                            problems: Problems) -> bool:
    """Write the new manifest; put the old one back if the volume gains an error by it."""
    before = {_key(p) for p in _errors(root)}
    _write(path, new_text.encode("utf-8"))
    try:
        new = [p for p in _errors(root) if _key(p) not in before]
    except BaseException:
        _write(path, original)
        raise
    if not new:
        return True
    _write(path, original)
    problems.error(path, None, f"adding {rel} would make the volume invalid ({len(new)} new error(s), below), "
                               "so the manifest was left as it was", code="manifest")
    problems.extend(new)
    return False


def find_target(text: str, path: Path, spec: str, problems: Problems) -> Target | None:
    """The chapter that ``spec`` names: its title, its position (``2``, ``part1/2``, ``1/2``), or front/back."""
    root = _compose(text, path, problems)
    if root is None:
        return None
    chapters = _chapters(root)
    wanted = spec.strip()
    matches = _matching(chapters, wanted)
    if len(matches) > 1:
        listing = "; ".join(f"{c.position}: {c.title}" for c in matches)
        problems.error(path, None, f"'{spec}' matches several chapters ({listing}); give its number instead")
        return None
    if matches:
        return _chapter_target(matches[0], path, problems)
    if PART_AND_CHAPTER.fullmatch(wanted) and not any("/" in c.position for c in chapters):
        problems.error(path, None, "this volume has no parts; name the chapter by its title or number (1, 2, …)")
        return None
    if _normal(wanted) in ("front", "back"):
        return _matter_target(root, _normal(wanted), path, problems)
    listing = "; ".join(f"{c.position}: {c.title or '(no title)'}" for c in chapters) or "none"
    problems.error(path, None, f"no chapter '{spec}' (the chapters are — {listing})")
    return None


def _compose(text: str, path: Path, problems: Problems) -> yaml.MappingNode | None:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.error(path, mark.line + 1 if mark else 1, "malformed YAML; fix it first (anthology check)", code="yaml")
        return None
    if not isinstance(root, yaml.MappingNode):
        problems.error(path, None, "the manifest must be a mapping of keys")
        return None
    return root


def _get(mapping: yaml.MappingNode, key: str) -> tuple[yaml.Node | None, yaml.Node | None]:
    for key_node, value in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return key_node, value
    return None, None


def _title(chapter: yaml.MappingNode) -> str:
    _, title = _get(chapter, "title")
    return title.value if isinstance(title, yaml.ScalarNode) else ""


def _chapters(root: yaml.MappingNode) -> list[_Chapter]:
    """Every chapter, in order: under 'parts' if the volume has them, else under 'chapters'."""
    _, parts = _get(root, "parts")
    if isinstance(parts, yaml.SequenceNode):
        return _chapters_in_parts(parts)
    _, chapters = _get(root, "chapters")
    if not isinstance(chapters, yaml.SequenceNode):
        return []
    return [_Chapter(str(c), str(c), _title(chapter), chapter)
            for c, chapter in enumerate(chapters.value, 1) if isinstance(chapter, yaml.MappingNode)]


def _chapters_in_parts(parts: yaml.SequenceNode) -> list[_Chapter]:
    found, overall = [], 0
    for p, part in enumerate(parts.value, 1):
        if not isinstance(part, yaml.MappingNode):
            continue
        _, chapters = _get(part, "chapters")
        if not isinstance(chapters, yaml.SequenceNode):
            continue
        for c, chapter in enumerate(chapters.value, 1):
            overall += 1
            if isinstance(chapter, yaml.MappingNode):
                found.append(_Chapter(f"{p}/{c}", str(overall), _title(chapter), chapter))
    return found


def _matching(chapters: list[_Chapter], wanted: str) -> list[_Chapter]:
    """The chapters ``wanted`` names: by part and chapter, by number, else by (a unique part of) its title."""
    position = PART_AND_CHAPTER.fullmatch(wanted)
    if position:
        return [c for c in chapters if c.position == f"{int(position.group(1))}/{int(position.group(2))}"]
    if wanted.isdigit():
        return [c for c in chapters if c.number == str(int(wanted))]
    exact = [c for c in chapters if _normal(c.title) == _normal(wanted)]
    return exact or [c for c in chapters if _normal(wanted) in _normal(c.title)]


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("«", "").replace("»", "").replace('"', "")).strip().casefold()


def _chapter_target(chapter: _Chapter, path: Path, problems: Problems) -> Target | None:
    key, node = _get(chapter.node, "articles")
    if key is None:
        problems.error(path, chapter.node.start_mark.line + 1,
                       f"chapter '{chapter.title}' has no 'articles:' key; add one and try again")
        return None
    return Target(f'chapter {chapter.position} "{chapter.title}"', None if _is_null(node) else node, key)


def _matter_target(root: yaml.MappingNode, name: str, path: Path, problems: Problems) -> Target | None:
    key, node = _get(root, name)
    if key is None:
        problems.error(path, None, f"there is no '{name}:' list to add to")
        return None
    return Target(name, None if _is_null(node) else node, key)


def _is_null(node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _yaml_path(rel: str) -> str:
    return rel if re.fullmatch(r"[\w./-]+", rel) and not rel.startswith("-") else json.dumps(rel, ensure_ascii=False)


def insert_article(text: str, target: Target, rel: str, path: Path, problems: Problems) -> str | None:
    """The manifest's text with ``rel`` appended to the target's articles."""
    newline = "\r\n" if "\r\n" in text else "\n"
    item = _yaml_path(rel)
    node = target.node
    if node is None:  # "articles:" with nothing after it
        return _insert_under_key(text, target.key, item, newline, path, problems)
    if not isinstance(node, yaml.SequenceNode):
        problems.error(path, node.start_mark.line + 1, "'articles' is not a list")
        return None
    if node.flow_style:  # articles: [a.md, b.md]
        return _insert_in_flow_list(text, node, item, path, problems)
    return _insert_after_last_item(text, node, item, newline, path, problems)


def _insert_under_key(text: str, key: yaml.Node, item: str, newline: str, path: Path, problems: Problems) -> str | None:
    lines = text.splitlines(keepends=True)
    key_line = key.start_mark.line
    if re.search(r":\s*\S", lines[key_line].split("#", 1)[0].split(":", 1)[1] if ":" in lines[key_line] else ""):
        problems.error(path, key_line + 1, "'articles' is empty in a way that cannot be edited safely; "
                                           "add the line by hand")
        return None
    indent = " " * (key.start_mark.column + 2)
    lines.insert(key_line + 1, f"{indent}- {item}{newline}")
    return "".join(lines)


def _insert_in_flow_list(text: str, node: yaml.SequenceNode, item: str, path: Path, problems: Problems) -> str | None:
    end = node.end_mark.index - 1
    if text[end] != "]":
        problems.error(path, node.start_mark.line + 1, "cannot edit this list; add the article by hand")
        return None
    separator = ", " if node.value else ""
    return text[:end].rstrip() + separator + item + text[end:]


def _insert_after_last_item(text: str, node: yaml.SequenceNode, item: str, newline: str, path: Path,
                            problems: Problems) -> str | None:
    if not node.value:
        problems.error(path, node.start_mark.line + 1, "cannot edit this list; add the article by hand")
        return None
    lines = text.splitlines(keepends=True)
    last = node.value[-1]
    first_line = last.start_mark.line
    end_line = last.end_mark.line if last.end_mark.column > 0 else last.end_mark.line - 1
    dash = re.match(r"^(\s*)-\s", lines[first_line]) or re.match(r"^(\s*)-\s", lines[node.value[0].start_mark.line])
    if dash is None:
        problems.error(path, first_line + 1, "cannot see the indentation of the list; add the article by hand")
        return None
    if not lines[end_line].endswith(("\n", "\r")):
        lines[end_line] += newline
    lines.insert(end_line + 1, f"{dash.group(1)}- {item}{newline}")
    return "".join(lines)


def _key(problem) -> tuple[str, str]:
    """A problem without its line numbers, which the inserted line may shift."""
    return problem.path, re.sub(r"line \d+", "line N", problem.message)


def _errors(root: Path) -> list:
    problems = Problems()
    load_volume(root, problems)
    return problems.errors


def _offset(target: Target) -> int:
    node = target.node or target.key
    return node.start_mark.index


def _write(path: Path, data: bytes) -> None:
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    with atomic_output(path) as temporary:
        temporary.write_bytes(data)
    path.chmod(mode)
