"""The one way through a volume: load → parse → enrich → assemble → lay out → write.

Every command runs this pipeline, or a prefix of it (`check`, `names`), or a selection of the
volume (the preview); none of them lays out or assembles by itself. Each stage is a package that
hands the next a product defined in model.py (docs/architecture.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import environment, layout, metadata, profiles, stopping, write
from . import proof as proof_stage
from .enrich import check_coverage, enrich_volume
from .load import MANIFEST, load_volume
from .load.styles import check_stylesheets
from .metadata import check_registration
from .model import Chapter, Enriched, Finding, Part, Progress, Volume, no_progress
from .problems import Problems, VolumeError
from .layout.store import FORECAST, SETTLED, in_flight, remove_abandoned
from .write.staging import staged

FORMATS = ("pdf", "epub")


@dataclass
class BuildResult:
    outputs: dict[str, Path]
    problems: Problems
    pages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)  # what the proof found on the pages
    invalid: list[str] = field(default_factory=list)  # what --validate found wrong in the outputs
    folders: dict[str, list[Path]] = field(default_factory=dict)  # metadata/, offprints/: the files written in each


def load(root: Path, problems: Problems) -> Volume | None:
    """The load stage: the manifest, the articles and what the stylesheets load; None when the
    manifest cannot be read at all."""
    volume = load_volume(root, problems)
    if volume is not None:
        check_stylesheets(volume, problems)
        check_registration(volume, problems)
    return volume


def enrich(root: Path, problems: Problems, strict: bool = False, progress: Progress = no_progress,
           cache: Path | None = None) -> Enriched | None:
    """Load, parse and enrich every article (with `cache`, a folder, unchanged ones come from an
    earlier run); None when the volume cannot be loaded. `strict` makes an unknown citation key an
    error rather than a warning."""
    volume = load(root, problems)
    if volume is None:
        return None
    return enrich_volume(volume, problems, strict=strict, progress=progress,
                         folder=cache / "articles" if cache is not None else None)


def check(root: Path) -> Problems:
    """Every problem in the volume; an unknown citation key counts as an error here."""
    problems = Problems()
    enriched = enrich(root, problems, strict=True)
    if enriched is not None:
        check_coverage(enriched, problems)
    return problems


def build(root: Path, formats: tuple[str, ...] = FORMATS, out_dir: Path | None = None, strict: bool = False,
          progress: Progress = no_progress, pdf_profile: str = profiles.DEFAULT_PROFILE,
          validate: bool = False, use_cache: bool = True, jobs: int | None = None,
          offprints: bool | list[str] = False) -> BuildResult:
    """Build the requested formats; raises VolumeError (and writes nothing) when the volume has errors.

    The book is always laid out: the EPUB takes its page-list and index numbers from the print pages.
    The body is laid out on `jobs` processes (default: every core this process may use). Every
    build writes `metadata/` (the articles' records with their pages); `offprints` (True: every
    article; or a list of article ids) writes `offprints/<id>.pdf` from the PDF's pages.
    """
    with layout.Workers(_jobs(jobs, pdf_profile)) as workers:  # forked first, while this process is small
        return _build(root, formats, out_dir, strict, progress, pdf_profile, validate, use_cache, workers, offprints)


def _build(root: Path, formats: tuple[str, ...], out_dir: Path | None, strict: bool, progress: Progress,
           pdf_profile: str, validate: bool, use_cache: bool, workers: layout.Workers,
           offprints: bool | list[str]) -> BuildResult:
    problems = Problems()
    clock = _Clock()
    out_dir = (out_dir or Path(root) / "build").resolve()
    cache = out_dir / ".cache" if use_cache else None
    enriched = enrich(root, problems, strict=strict, progress=progress, cache=cache)
    if enriched is not None:
        check_coverage(enriched, problems, as_error=strict)
    if enriched is None or problems.errors:
        raise VolumeError(problems.items)
    volume = enriched.volume
    wanted = _offprinted(volume, offprints, problems) if offprints and "pdf" in formats else None
    chosen = profiles.profile(pdf_profile, volume.bleed)
    result = BuildResult(outputs={}, problems=problems, seconds={"prepare": clock.lap()})
    with staged(out_dir) as staging:
        staged_outputs: dict[str, Path] = {}
        with _source_date(volume.built), _unit_store(cache, chosen) as store:
            started = time.time()
            book = layout.lay_out(enriched, chosen, problems, progress, store, workers)
            result.pages = book.page_count
            result.seconds["layout"] = clock.lap()
            result.findings = proof_pages(book, enriched, chosen, problems)
            result.seconds["proof"] = clock.lap()
            if "pdf" in formats:
                staged_outputs["pdf"] = staging.path(f"{volume.slug}.pdf")
                write.write_pdf(book, staged_outputs["pdf"], chosen)
                result.seconds["pdf"] = clock.lap()
            folders = _write_citable(staging, enriched, book, chosen, staged_outputs.get("pdf"), wanted, problems)
            if wanted is not None:
                result.seconds["offprints"] = clock.lap()
            if store is not None:
                _prune(store, _unit_files(book), started)
        if "epub" in formats:
            staged_outputs["epub"] = staging.path(f"{volume.slug}.epub")
            write.make_epub(enriched, book, staged_outputs["epub"])
            result.seconds["epub"] = clock.lap()
        if validate:
            result.invalid = write.validate(staged_outputs, chosen, problems) + [str(f) for f in result.findings if not f.accepted]
        listed = list(staged_outputs.values()) + [path for paths in folders.values() for path in paths]
        sums = write.write_checksums(staging.folder, listed)
        report = write.write_report(staging.folder, write.build_report(enriched, book, staged_outputs, problems,
                                                                       result.seconds, result.findings, {
                                                                           kind: [p.relative_to(staging.folder).as_posix() for p in paths]
                                                                           for kind, paths in folders.items()}))
        stopping.check()  # a signal that library code swallowed stops the build before anything is replaced
        # offprints are the PDF's pages: a new PDF without them takes the old ones away
        gone = [write.OFFPRINTS] if "pdf" in staged_outputs and "offprints" not in folders else []
        staging.commit([path.name for path in staged_outputs.values()] + list(folders) + [sums.name, report.name],
                       remove=gone)
    result.outputs = {kind: out_dir / path.name for kind, path in staged_outputs.items()}
    result.folders = {kind: [out_dir / path.relative_to(staging.folder) for path in paths] for kind, paths in folders.items()}
    return result


def _write_citable(staging, enriched: Enriched, book: layout.Layout, chosen: profiles.Profile, pdf: Path | None,
                   wanted: set[str] | None, problems: Problems) -> dict[str, list[Path]]:
    """The articles' records with their pages (`metadata/`) and, when `wanted` names articles,
    their offprints from the staged PDF (`offprints/`): the staged files of each folder."""
    volume = enriched.volume
    records = metadata.article_records(volume, book.pages_of)
    folders = {"metadata": metadata.write_metadata(staging.path(metadata.FOLDER), volume, records, book.page_count)}
    if wanted is not None and pdf is not None:
        cites = metadata.citations_of(volume, records, problems)
        folders["offprints"] = write.write_offprints(staging.path(write.OFFPRINTS), pdf, enriched, chosen,
                                                     [r for r in records if r.article.id in wanted], cites)
    return folders


def _offprinted(volume: Volume, offprints: bool | list[str], problems: Problems) -> set[str]:
    """The ids of the articles to offprint: every citable article, or those asked for (an id that
    is no citable article is an error, before anything is laid out)."""
    citable = [a.id for a in volume.articles() if a.role in metadata.CITABLE]
    if offprints is True:
        return set(citable)
    unknown = [key for key in offprints if key not in citable]
    for key in unknown:
        problems.error(volume.root / MANIFEST, None, f"--article '{key}' is no article of the volume's body; "
                                                     f"they are: {', '.join(citable)}", code="unknown-article")
    if unknown:
        raise VolumeError(problems.items)
    return set(offprints)


def proofread(root: Path, pdf_profile: str = profiles.DEFAULT_PROFILE, out_dir: Path | None = None,
          use_cache: bool = True, progress: Progress = no_progress, jobs: int | None = None) -> tuple[Problems, list[Finding]]:
    """The book laid out as `build` lays it out (through the same unit cache) and read back by the
    proof stage; nothing is written but the cache. Raises VolumeError when the volume has errors."""
    with layout.Workers(_jobs(jobs, pdf_profile)) as workers:
        return _proofread(root, pdf_profile, out_dir, use_cache, progress, workers)


def _proofread(root: Path, pdf_profile: str, out_dir: Path | None, use_cache: bool, progress: Progress,
               workers: layout.Workers) -> tuple[Problems, list[Finding]]:
    problems = Problems()
    cache = (out_dir or Path(root) / "build").resolve() / ".cache" if use_cache else None
    enriched = enrich(root, problems, progress=progress, cache=cache)
    if enriched is None or problems.errors:
        raise VolumeError(problems.items)
    chosen = profiles.profile(pdf_profile, enriched.volume.bleed)
    with _unit_store(cache, chosen) as store:
        book = layout.lay_out(enriched, chosen, problems, progress, store, workers)
    return problems, proof_pages(book, enriched, chosen, problems)


def default_jobs() -> int:
    """Layout processes when none is asked for: one for each core this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _jobs(jobs: int | None, pdf_profile: str) -> int:
    """The layout processes a command starts: none beside itself for a profile that WeasyPrint
    writes as one document (its units stay in memory, laid out here)."""
    return 1 if profiles.whole_document(pdf_profile) else jobs or default_jobs()


def proof_pages(book: layout.Layout, enriched: Enriched, chosen: profiles.Profile, problems: Problems) -> list[Finding]:
    """The proof stage. A kind to ignore that is no kind, and an accepted fault that is no longer
    found (its text changed or moved), are warnings."""
    settings, manifest = enriched.volume.proof, enriched.volume.root / MANIFEST
    for kind in settings.ignore:
        if kind not in proof_stage.KINDS:
            problems.warning(manifest, None, f"proof: '{kind}' is not a kind of fault; the kinds are: "
                                             f"{', '.join(proof_stage.KINDS)}")
    findings = proof_stage.proof(book, enriched, chosen.name)
    found = {key for finding in findings for key in finding.keys}
    for key in settings.accept:
        if key not in found:
            problems.warning(manifest, None, f"proof: the accepted fault '{key}' is not on the pages any more: "
                                             f"remove it from 'accept'")
    return findings


def lay_out_for_preview(enriched: Enriched, problems: Problems, only: str | None = None,
                        first_look: layout.FirstLook | None = None) -> tuple[layout.Layout, Volume]:
    """For the preview, after a change to the styles or templates as after any other: the stylesheets
    checked again as the load stage checks them, then the book laid out as `build` lays it out (on
    every core, through the build's own unit cache, so the two show the same pages and share the
    work; the chunk `first_look` names first, handed on as soon as it is placed), or only the
    selection `--only` names. (the layout, the volume it shows)"""
    volume = enriched.volume
    check_stylesheets(volume, problems)
    if problems.errors:
        raise VolumeError(problems.items)
    if only is None:
        chosen = profiles.profile(profiles.DEFAULT_PROFILE, volume.bleed)
        with _unit_store(volume.root / "build" / ".cache", chosen) as store, layout.Workers(default_jobs()) as workers:
            started = time.time()
            book = layout.lay_out(enriched, chosen, problems, store=store, workers=workers, first_look=first_look)
            _prune(store, _unit_files(book), started)
            return book, volume
    selection = select(volume, only)
    return layout.lay_out_selection(enriched, selection, problems), selection


def select(volume: Volume, only: str) -> Volume:
    """The volume reduced to one article (by id or file) or one chapter or part (by id or title)."""
    key, folded = only.strip(), only.strip().casefold()
    for matter in ("front", "back"):
        for article in getattr(volume, matter):
            if key in (article.id, article.rel, Path(article.rel).stem):
                return replace(volume, front=[], back=[], parts=[], **{matter: [article]})
    for part in volume.parts:
        for chapter in part.chapters:
            for article in chapter.articles:
                if key in (article.id, article.rel, Path(article.rel).stem):
                    verso = chapter.title or part.title or volume.title  # the running head it has in the book
                    return replace(volume, title=verso, front=[], back=[],
                                   parts=[Part(part.id, None, [Chapter(chapter.id, None, [article])])])
    chapters = [(part, chapter) for part in volume.parts for chapter in part.chapters]
    exact = [(p, c) for p, c in chapters if c.id == key or (c.title or "").casefold() == folded]
    partial = [(p, c) for p, c in chapters if folded in (c.title or "").casefold()]
    for found in (exact, partial):
        if len(found) == 1:
            part, chapter = found[0]
            return replace(volume, title=part.title or volume.title, front=[], back=[],
                           parts=[Part(part.id, None, [chapter])])
    parts = [p for p in volume.parts if p.title and (p.id == key or p.title.casefold() == folded)]
    if len(parts) == 1:
        return replace(volume, front=[], back=[], parts=parts)
    problems = Problems(root=volume.root)
    if len(partial) > 1:
        names = "; ".join(f"{c.id} «{c.title}»" for _, c in partial)
        problems.error(volume.root / MANIFEST, None, f"--only '{only}' matches several chapters: {names}")
    else:
        articles = ", ".join(a.id for a in volume.articles())
        chapter_names = "; ".join(f"{c.id} «{c.title}»" if c.title else c.id for _, c in chapters)
        problems.error(volume.root / MANIFEST, None,
                       f"--only '{only}' is no article id or file and no chapter id or title here. "
                       f"Articles: {articles}. Chapters: {chapter_names}")
    raise VolumeError(problems.items)


# --- the server --------------------------------------------------------------------------------


@contextlib.contextmanager
def _unit_store(cache: Path | None, chosen: profiles.Profile):
    """Where laid-out units are written: the cache, or a temporary folder; None (units in memory)
    for a profile that WeasyPrint must write as one document."""
    if chosen.whole_document:
        yield None
    elif cache is not None:
        try:
            yield cache / "units" / chosen.name
        finally:  # however the build ended, its workers are gone: nothing of it is in flight
            if (cache / "units" / chosen.name).is_dir():
                remove_abandoned(cache / "units" / chosen.name, finished=os.getpid())
    else:
        with tempfile.TemporaryDirectory(prefix="anthology-units-") as folder:
            yield Path(folder)


def _unit_files(book: layout.Layout) -> set[Path]:
    return {path for unit in book.units for path in (unit.file, unit.folio_file) if path is not None} | set(book.draft_files)


def _prune(store: Path, used: set[Path], since: float) -> None:
    """Units no longer part of the book leave the cache, and so do treatments settling chose that
    this build, begun at `since`, did not use; a file another build is writing (`NAME.PID.part`,
    its process alive) stays."""
    for path in store.iterdir():
        if path.is_file() and path.with_suffix(".pdf") not in used and path.name != FORECAST and not in_flight(path):
            path.unlink(missing_ok=True)
    for path in store.joinpath(SETTLED).glob("*.json"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < since - 1:  # the clock's granularity
                path.unlink()


def _source_date(when: dt.datetime):
    """SOURCE_DATE_EPOCH while the PDF is written: WeasyPrint's font subsetter stamps it into each
    font instead of the current time, so the PDF's bytes depend only on its sources."""
    return environment.variable("SOURCE_DATE_EPOCH", str(int(when.timestamp())))


class _Clock:
    """Seconds between laps, for the timing report."""

    def __init__(self):
        self.last = time.perf_counter()

    def lap(self) -> float:
        now = time.perf_counter()
        elapsed, self.last = now - self.last, now
        return elapsed
