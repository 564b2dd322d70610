"""What ``anthology import`` prints: what it found, what it left out, what the editor must check."""

from __future__ import annotations

import re
from pathlib import Path

from .model import Block, Found

COUNTS = ("paragraphs", "headings", "list items", "quotes", "tables", "footnotes", "endnotes", "images", "lines")


def _count(n: int, plural: str) -> str:
    singular = plural[:-1] if plural.endswith("s") else plural
    return f"{n} {singular if n == 1 else plural}"


def _where(path: Path, base: Path) -> str:
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


def _found(label: str, found: Found | None, shown: str | None = None) -> str:
    if found is None:
        return f"  {label:<8} —"
    value = shown if shown is not None else str(found.value)
    return f"  {label:<8} {value}  (from {found.origin})"


def _position_key(block: Block) -> tuple:
    numbers = re.findall(r"\d+", block.position)
    return (block.position.split()[0], int(numbers[0]) if numbers else 0)


def format_report(imported, base: Path) -> str:
    """The report of one import, as lines of text."""
    draft = imported.draft
    article = _where(imported.article, base)
    lines = [f"{imported.source} → {article} ({imported.kind})"]
    lines.append(_found("title", draft.title))
    if draft.subtitle:
        lines.append(_found("subtitle", draft.subtitle))
    authors = draft.authors
    lines.append(_found("authors", authors, "; ".join(
        a["name"] + (f" ({a['affiliation']})" if a.get("affiliation") else "") for a in authors.value) if authors else None))
    lines.append(_found("date", draft.date, draft.date.value.isoformat() if draft.date else None))
    lines.append(f"  {'lang':<8} {imported.lang}  ({imported.lang_reason})")
    lines.append(_found("source", draft.source))
    if draft.abstract:
        lines.append(_found("abstract", draft.abstract, draft.abstract.value[:60] + ("…" if len(draft.abstract.value) > 60 else "")))
    if draft.keywords:
        lines.append(_found("keywords", draft.keywords, ", ".join(draft.keywords.value)))
    counts = ", ".join(_count(draft.counts[k], k) for k in COUNTS if draft.counts.get(k))
    if draft.images:
        folder = _where(imported.article.parent / draft.image_prefix, base)
        counts += f"; images extracted into {folder}/"
    lines.append(f"  {'body':<8} {counts or 'empty'}")
    if draft.used:
        lines.append("  taken into the front matter:")
        for block in draft.used:
            lines.append(f"    {block.position}: {block.why}: «{block.preview}»")
    if draft.marks:
        lines.append(f"  reviewers' marks ({len(draft.marks)}; compare with {imported.source.name} in Word):")
        for block in draft.marks:
            lines.append(f"    {block.position}: {block.why}: {block.text}")
    if draft.removed:
        lines.append(f"  removed ({len(draft.removed)} block(s); restore from {imported.source.name} any that "
                     "belong to the article):")
        for block in sorted(draft.removed, key=_position_key):
            lines.append(f"    {block.position}: {block.why}: «{block.preview}»")
    else:
        lines.append("  removed: nothing")
    if imported.unregistered:
        lines.append(f"  people not in the registry ({len(imported.unregistered)}; add them to the registry "
                     "of people, or mark a mention [..]{.noindex}):")
        for name, line, times in imported.unregistered:
            where = f"{article}:{line}" if line else article
            lines.append(f"    {where}: {name}" + (f" (and {times - 1} more)" if times > 1 else ""))
    for problem in imported.article_problems:
        lines.append(f"  problem: {problem}")
    for check in draft.checks:
        lines.append(f"  check: {check}")
    return "\n".join(lines)
