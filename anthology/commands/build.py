"""`anthology build`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import DEFAULT_PROFILE, FORMATS, PROFILES, build
from .output import progress_printer, report


@click.command("build")
@click.argument("project_dir", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["pdf", "epub", "all"]), default="all", show_default=True,
              help="Which output to make.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: PROJECT_DIR/build).")
@click.option("--strict", is_flag=True, help="Treat unknown citation keys as errors.")
@click.option("--pdf-profile", type=click.Choice(PROFILES), default=DEFAULT_PROFILE, show_default=True,
              help="screen: RGB with links; press: PDF/X-1a in CMYK with bleed and crop marks; "
                   "archive: PDF/A-2b; accessible: tagged PDF/UA-1.")
@click.option("--validate", is_flag=True, help="Run EPUBCheck on the EPUB and structural checks on the PDF; fail on problems.")
@click.option("--no-cache", is_flag=True, help="Redo every article and every part of the layout (the cache lives in OUT/.cache).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes that lay out the body side by side (default: one for each core).")
@click.option("--offprints", is_flag=True, help="Also one PDF per article, from the book's pages, in OUT/offprints/.")
@click.option("--verbose", "-v", is_flag=True, help="Print each stage's timing and every warning.")
def build_command(project_dir: Path, fmt: str, out_dir: Path | None, strict: bool, pdf_profile: str, validate: bool,
                  no_cache: bool, jobs: int | None, offprints: bool, verbose: bool) -> None:
    """Build the volume in PROJECT_DIR into a PDF and an EPUB."""
    formats = FORMATS if fmt == "all" else (fmt,)
    if offprints and "pdf" not in formats:
        raise click.UsageError("--offprints are made of the PDF's pages: give --format pdf or all")
    progress = progress_printer(sys.stderr.isatty())
    result = build(project_dir, formats, out_dir, strict=strict, progress=progress, pdf_profile=pdf_profile,
                   validate=validate, use_cache=not no_cache, jobs=jobs, offprints=offprints)
    finish(result, validate, verbose)


def finish(result, validate: bool, verbose: bool) -> None:
    """What a build says when it is done: warnings, what it wrote, what --validate found."""
    report(result.problems.warnings)
    faults = [finding for finding in result.findings if not finding.accepted]
    if faults and not validate:
        click.echo(f"proof: {len(faults)} fault(s) on the pages; `anthology proof` lists them", err=True)
    for kind, path in result.outputs.items():
        extra = f" ({result.pages} pages)" if kind == "pdf" else ""
        click.echo(f"wrote {path}{extra}")
    for kind, paths in result.folders.items():
        if paths:
            click.echo(f"wrote {paths[0].parent}{'/'} ({len(paths)} {kind} files)")
    if verbose:
        click.echo("time: " + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in result.seconds.items()), err=True)
    if result.invalid:
        for problem in result.invalid:
            click.echo(problem, err=True)
        click.echo(f"validation failed: {len(result.invalid)} problem(s) in the outputs", err=True)
        sys.exit(1)
