"""`anthology offprints`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import DEFAULT_PROFILE, PROFILES, build
from .build import finish
from .output import progress_printer


@click.command("offprints")
@click.argument("project_dir", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--article", "articles", multiple=True, metavar="ID",
              help="Only this article (its id; may be given several times). Default: every article.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: PROJECT_DIR/build).")
@click.option("--pdf-profile", type=click.Choice(PROFILES), default=DEFAULT_PROFILE, show_default=True,
              help="The profile of the book whose pages the offprints are made of.")
@click.option("--no-cache", is_flag=True, help="Redo every article and every part of the layout.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes that lay out the body side by side (default: one for each core).")
@click.option("--verbose", "-v", is_flag=True, help="Print each stage's timing and every warning.")
def offprints_command(project_dir: Path, articles: tuple[str, ...], out_dir: Path | None, pdf_profile: str,
                      no_cache: bool, jobs: int | None, verbose: bool) -> None:
    """One PDF per article in OUT/offprints/, made of the built book's own pages (the book's PDF,
    its metadata and checksums are built with them, through the unit cache)."""
    result = build(project_dir, ("pdf",), out_dir, progress=progress_printer(sys.stderr.isatty()),
                   pdf_profile=pdf_profile, use_cache=not no_cache, jobs=jobs, offprints=list(articles) or True)
    finish(result, False, verbose)
