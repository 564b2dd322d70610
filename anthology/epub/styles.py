"""The EPUB's stylesheets as reading systems read them: the designers' files keep their design
tokens (`var(--font-text)`), the EPUB gets plain values, because engines older than CSS custom
properties (Adobe's RMSDK, older WebKit readers) drop every declaration that uses `var()` and lose
the whole design. Absolute font sizes become em relative to the text size, so the reader's font
size setting scales the book."""

from __future__ import annotations

import re
from pathlib import Path

import tinycss2

from ..load.styles import custom_properties

VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*(?:\([^()]*\))?[^()]*))?\)")
POINTS = re.compile(r"^(\d+(?:\.\d+)?)pt$")


def resolved_styles(styles: dict[str, Path]) -> dict[str, bytes]:
    """Each stylesheet (by its name in the package) with its tokens resolved and dropped."""
    tokens = resolved_tokens(custom_properties(list(styles.values())))
    base = _points(tokens.get("--size-text", ""))
    return {name: _sheet(path.read_text(encoding="utf-8"), tokens, base).encode("utf-8") for name, path in styles.items()}


def resolved_tokens(tokens: dict[str, str]) -> dict[str, str]:
    """Tokens whose values use other tokens, resolved (a cycle resolves to nothing, as in CSS)."""
    done: dict[str, str] = {}

    def value(name: str, seen: tuple[str, ...]) -> str:
        if name in done:
            return done[name]
        if name in seen or name not in tokens:
            return ""
        done[name] = substitute(tokens[name], lambda inner: value(inner, seen + (name,)))
        return done[name]

    for name in tokens:
        value(name, ())
    return done


def substitute(text: str, lookup) -> str:
    """`text` with every var() replaced by its token's value, or by its fallback where it has none."""
    while True:
        changed = VAR.sub(lambda m: lookup(m.group(1)) or (m.group(2) or "").strip(), text)
        if changed == text:
            return text
        text = changed


def _sheet(css: str, tokens: dict[str, str], base: float | None) -> str:
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return _rules(rules, tokens, base) + "\n"


def _rules(rules, tokens: dict[str, str], base: float | None) -> str:
    out = []
    for rule in rules:
        prelude = tinycss2.serialize(rule.prelude).strip() if rule.type != "error" else ""
        if rule.type == "qualified-rule":
            declarations = _declarations(rule.content, tokens, base)
            if declarations:
                out.append(f"{prelude} {{ {declarations} }}")
        elif rule.type == "at-rule" and rule.content is None:
            out.append(f"@{rule.at_keyword} {prelude};")
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports"):
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            out.append(f"@{rule.at_keyword} {prelude} {{\n{_rules(inner, tokens, base)}\n}}")
        elif rule.type == "at-rule":
            out.append(f"@{rule.at_keyword} {prelude} {{ {_declarations(rule.content, tokens, base)} }}".replace("  ", " "))
    return "\n".join(out)


def _declarations(content, tokens: dict[str, str], base: float | None) -> str:
    out = []
    for declaration in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if declaration.type != "declaration" or declaration.name.startswith("--"):
            continue
        value = substitute(tinycss2.serialize(declaration.value).strip(), tokens.get)
        if declaration.lower_name == "font-size" and base:
            value = _relative(value, base)
        out.append(f"{declaration.name}: {value}{' !important' if declaration.important else ''}")
    return "; ".join(out) + (";" if out else "")


def _points(value: str) -> float | None:
    found = POINTS.match(value.strip())
    return float(found.group(1)) if found else None


def _relative(value: str, base: float) -> str:
    """An absolute size in points as em of the text size (10pt on 10pt text: 1em)."""
    points = _points(value)
    return f"{round(points / base, 3):g}em" if points else value
