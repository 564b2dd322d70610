"""The pandoc binary bundled in pypandoc-binary, and the pieces of its JSON AST that we build.

Every run is local (never the network). A citation becomes a pandoc `Cite` whose suffix carries
the locator in the words of the article's locale, so that citeproc recognises it.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import time

from .styles import locator_term
from .syntax import SIMPLE_LOCATOR_RE, parse_locator

# Seconds taken by each citeproc run (most recent last), for benchmarks and `--verbose` logs.
TIMINGS: list[float] = []

_MODES = {
    "normal": "NormalCitation",
    "suppress-author": "SuppressAuthor",
    "author-in-text": "AuthorInText",
}


@functools.lru_cache(maxsize=1)
def _pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


@functools.lru_cache(maxsize=1)
def api_version() -> list[int]:
    """The pandoc-api-version of the bundled pandoc, read from its own JSON output."""
    result = run_pandoc(["-f", "markdown", "-t", "json"], "x")
    return json.loads(result.stdout)["pandoc-api-version"]


def run_pandoc(args: list[str], stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run([_pandoc_path(), *args], input=stdin, capture_output=True,
                          text=True, encoding="utf-8", timeout=600)


def render_html(args: list[str], meta: dict, blocks: list) -> subprocess.CompletedProcess:
    """pandoc from a JSON AST to HTML (with `args`, e.g. `--citeproc`), timed in TIMINGS."""
    document = {"pandoc-api-version": api_version(), "meta": meta, "blocks": blocks}
    started = time.perf_counter()
    result = run_pandoc(["-f", "json", "-t", "html", "--wrap=none", *args],
                        json.dumps(document, ensure_ascii=False))
    TIMINGS.append(time.perf_counter() - started)
    return result


def inlines(text: str) -> list[dict]:
    out: list[dict] = []
    for part in re.split(r"(\s+)", text):
        if not part:
            continue
        out.append({"t": "Space"} if part.isspace() else {"t": "Str", "c": part})
    return out


def str_meta(value: str) -> dict:
    return {"t": "MetaInlines", "c": [{"t": "Str", "c": value}]}


def nocite_meta(keys: list[str], text: str = "?") -> dict:
    """The `nocite` metadata listing `keys` (`*` for every reference); `text` is its source text."""
    return {"t": "MetaInlines", "c": [{"t": "Cite", "c": [[
        {"citationId": k, "citationPrefix": [], "citationSuffix": [],
         "citationMode": {"t": "NormalCitation"}, "citationNoteNum": 0, "citationHash": 0}
        for k in keys], [{"t": "Str", "c": text}]]}]}


def citation(cite: dict, locale: str, note_num: int) -> dict:
    """One item of a citation span (`data-cites`) as a pandoc Citation."""
    return {
        "citationId": cite["id"],
        "citationPrefix": inlines(cite.get("prefix") or ""),
        "citationSuffix": inlines(_suffix(cite, locale)),
        "citationMode": {"t": _MODES.get(cite.get("mode") or "normal", "NormalCitation")},
        "citationNoteNum": note_num,
        "citationHash": 0,
    }


def _suffix(cite: dict, locale: str) -> str:
    """The suffix as pandoc parses it: `, {term} {locator}` first, in the locale's term."""
    suffix = cite.get("suffix") or ""
    locator, label = _locator(cite)
    if locator:
        term = locator_term(locale, label)
        located = f"{term} {locator}" if term else locator
        if not SIMPLE_LOCATOR_RE.match(locator):
            located = "{" + located + "}"  # pandoc's braces: take the locator as it is
        return f", {located}{suffix}"
    if suffix and not suffix[0].isspace() and suffix[0] not in ",;.:":
        return " " + suffix
    return suffix


def _locator(cite: dict) -> tuple[str, str]:
    locator, label = str(cite.get("locator") or ""), cite.get("label") or ""
    if locator and not label:
        # `{"locator": "ch. 2"}` with the term inside: read it as the Markdown syntax would.
        value, label, rest = parse_locator(", " + locator)
        if value and not rest:
            locator = value
        else:
            label = ""
    return locator, label
