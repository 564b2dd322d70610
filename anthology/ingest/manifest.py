"""Adding an imported article to a chapter of ``anthology.yaml``, keeping the file as it was written.

The manifest is edited as text — one line ``- chapters/new.md`` inserted after the chapter's last
article, with the same indentation — so its comments, order, quoting and blank lines stay. The
result is loaded with :func:`anthology.load.load_volume`; if that finds an error the old text is
put back. Both writes are atomic (a temporary file renamed over the manifest).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..atomic import atomic_output
from ..problems import Problems
from ..load import MANIFEST, load_volume


class ManifestError(Exception):
    """The article could not be added; the message says why (and names the manifest)."""


@dataclass
class Target:
    """Where an article goes: a chapter (or the front or back matter) and its articles node."""

    label: str
    node: yaml.Node | None      # the articles sequence (None when the key has no value)
    key: yaml.Node | None       # the 'articles' key node


def _compose(text: str, path: Path) -> yaml.MappingNode:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ManifestError(f"{path}:{mark.line + 1 if mark else 1}: malformed YAML; fix it first (anthology check)") from exc
    if not isinstance(root, yaml.MappingNode):
        raise ManifestError(f"{path}: the manifest must be a mapping of keys")
    return root


def _get(mapping: yaml.MappingNode, key: str) -> tuple[yaml.Node | None, yaml.Node | None]:
    for key_node, value in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return key_node, value
    return None, None


def _chapters(root: yaml.MappingNode) -> list[tuple[str, str, yaml.MappingNode]]:
    """(position like '2' or '1/2', title, chapter node) for every chapter, in order."""
    found = []
    _, parts = _get(root, "parts")
    if isinstance(parts, yaml.SequenceNode):
        overall = 0
        for p, part in enumerate(parts.value, 1):
            if not isinstance(part, yaml.MappingNode):
                continue
            _, chapters = _get(part, "chapters")
            if isinstance(chapters, yaml.SequenceNode):
                for c, chapter in enumerate(chapters.value, 1):
                    overall += 1
                    if isinstance(chapter, yaml.MappingNode):
                        _, title = _get(chapter, "title")
                        found.append((f"{p}/{c}", overall, title.value if isinstance(title, yaml.ScalarNode) else "", chapter))
        return [(pos, str(n), title, node) for pos, n, title, node in found]
    _, chapters = _get(root, "chapters")
    if isinstance(chapters, yaml.SequenceNode):
        for c, chapter in enumerate(chapters.value, 1):
            if isinstance(chapter, yaml.MappingNode):
                _, title = _get(chapter, "title")
                found.append((str(c), str(c), title.value if isinstance(title, yaml.ScalarNode) else "", chapter))
    return found


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("«", "").replace("»", "").replace('"', "")).strip().casefold()


def find_target(text: str, path: Path, spec: str) -> Target:
    """The chapter that ``spec`` names: its title, its position (``2``, ``part1/2``, ``1/2``), or front/back."""
    root = _compose(text, path)
    chapters = _chapters(root)
    spec_clean = spec.strip()
    position = re.fullmatch(r"(?i)(?:part\s*)?(\d+)\s*/\s*(\d+)", spec_clean)
    chosen = None
    if position:
        wanted = f"{int(position.group(1))}/{int(position.group(2))}"
        chosen = next((c for c in chapters if c[0] == wanted), None)
        if chosen is None and not any("/" in c[0] for c in chapters):
            raise ManifestError(f"{path}: this volume has no parts; name the chapter by its title or number (1, 2, …)")
    elif spec_clean.isdigit():
        chosen = next((c for c in chapters if c[1] == str(int(spec_clean))), None)
    else:
        exact = [c for c in chapters if _normal(c[2]) == _normal(spec_clean)]
        partial = [c for c in chapters if _normal(spec_clean) in _normal(c[2])]
        if len(exact) == 1 or (not exact and len(partial) == 1):
            chosen = (exact or partial)[0]
        elif len(exact) > 1 or len(partial) > 1:
            names = "; ".join(f"{c[0]}: {c[2]}" for c in (exact or partial))
            raise ManifestError(f"{path}: '{spec}' matches several chapters ({names}); give its number instead")
        elif _normal(spec_clean) in ("front", "back"):
            key, node = _get(root, _normal(spec_clean))
            if key is None:
                raise ManifestError(f"{path}: there is no '{_normal(spec_clean)}:' list to add to")
            return Target(_normal(spec_clean), node if not _is_null(node) else None, key)
    if chosen is None:
        listing = "; ".join(f"{c[0]}: {c[2] or '(no title)'}" for c in chapters) or "none"
        raise ManifestError(f"{path}: no chapter '{spec}' (the chapters are — {listing})")
    key, node = _get(chosen[3], "articles")
    if key is None:
        raise ManifestError(f"{path}:{chosen[3].start_mark.line + 1}: chapter '{chosen[2]}' has no 'articles:' key; "
                            "add one and try again")
    return Target(f'chapter {chosen[0]} "{chosen[2]}"', node if not _is_null(node) else None, key)


def _is_null(node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _yaml_path(rel: str) -> str:
    return rel if re.fullmatch(r"[\w./-]+", rel) and not rel.startswith("-") else json.dumps(rel, ensure_ascii=False)


def insert_article(text: str, target: Target, rel: str, path: Path) -> str:
    """The manifest's text with ``rel`` appended to the target's articles."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    item = _yaml_path(rel)
    node = target.node
    if node is None:  # "articles:" with nothing after it
        key_line = target.key.start_mark.line
        if re.search(r":\s*\S", lines[key_line].split("#", 1)[0].split(":", 1)[1] if ":" in lines[key_line] else ""):
            raise ManifestError(f"{path}:{key_line + 1}: 'articles' is empty in a way that cannot be edited safely; add the line by hand")
        indent = " " * (target.key.start_mark.column + 2)
        lines.insert(key_line + 1, f"{indent}- {item}{newline}")
        return "".join(lines)
    if not isinstance(node, yaml.SequenceNode):
        raise ManifestError(f"{path}:{node.start_mark.line + 1}: 'articles' is not a list")
    if node.flow_style:  # articles: [a.md, b.md]
        end = node.end_mark.index - 1
        if text[end] != "]":
            raise ManifestError(f"{path}:{node.start_mark.line + 1}: cannot edit this list; add the article by hand")
        separator = ", " if node.value else ""
        return text[:end].rstrip() + separator + item + text[end:]
    if not node.value:
        raise ManifestError(f"{path}:{node.start_mark.line + 1}: cannot edit this list; add the article by hand")
    last = node.value[-1]
    first_line = last.start_mark.line
    end_line = last.end_mark.line if last.end_mark.column > 0 else last.end_mark.line - 1
    dash = re.match(r"^(\s*)-\s", lines[first_line]) or re.match(r"^(\s*)-\s", lines[node.value[0].start_mark.line])
    if dash is None:
        raise ManifestError(f"{path}:{first_line + 1}: cannot see the indentation of the list; add the article by hand")
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


def add_to_manifest(root: Path, article: Path, spec: str) -> str:
    """Append ``article`` to the chapter named by ``spec``; returns what was done.

    Raises ManifestError (the manifest left exactly as it was) when the chapter cannot be found,
    the list cannot be edited, or the volume would gain an error.
    """
    root = root.resolve()
    path = root / MANIFEST
    if not path.is_file():
        raise ManifestError(f"{path}: no manifest here; --add-to-manifest needs a volume folder (see --project)")
    article = article.resolve()
    if not article.is_relative_to(root):
        raise ManifestError(f"{article}: the article is outside the project folder {root}; import it --into a folder "
                            "inside the project to add it to the manifest")
    rel = article.relative_to(root).as_posix()
    original = path.read_bytes()
    try:
        text = original.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ManifestError(f"{path}: not UTF-8 text") from exc
    target = find_target(text, path, spec)
    new_text = insert_article(text, target, rel, path)
    before = {_key(p) for p in _errors(root)}
    _write(path, new_text.encode("utf-8"))
    try:
        new = [str(p) for p in _errors(root) if _key(p) not in before]
    except BaseException:
        _write(path, original)
        raise
    if new:
        _write(path, original)
        raise ManifestError(f"{path}: adding {rel} would make the volume invalid, so the manifest was left as it was:\n  "
                            + "\n  ".join(new))
    line = new_text[: new_text.find(_yaml_path(rel), _offset(target, text))].count("\n") + 1
    return f"added {rel} to {target.label} in {MANIFEST} (line {line})"


def _offset(target: Target, text: str) -> int:
    node = target.node or target.key
    return node.start_mark.index


def _write(path: Path, data: bytes) -> None:
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    with atomic_output(path) as temporary:
        temporary.write_bytes(data)
    path.chmod(mode)
