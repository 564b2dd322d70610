"""The command line: thin commands over the stages. Exit codes: 0 ok, 1 problems in the volume, 2 usage."""

from __future__ import annotations

import shutil
import signal
import sys
from pathlib import Path

import click

from . import __version__, names_report, profiles, report
from .build import FORMATS, build, check
from .ingest.command import import_command
from .prepare import prepare
from .preview import preview_command
from .problems import Problems, VolumeError
from .specimen import specimen_command
from .stylesheets import DEFAULT_STYLES

SKELETON = Path(__file__).parent / "skeleton"


class Interrupted(Exception):
    """SIGTERM, turned into an exception so that temporary files are cleaned up on the way out."""


def _on_sigterm(signum, frame):
    raise Interrupted()


def _report(problems) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def _progress_printer(enabled: bool):
    def progress(stage: str, done: int, total: int) -> None:
        if enabled:
            click.echo(f"\r{stage}: {done}/{total}   ", err=True, nl=done == total and stage == "layout")
    return progress


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="anthology")
def main() -> None:
    """Compile a multilingual edited volume into a print PDF and an EPUB 3."""
    signal.signal(signal.SIGTERM, _on_sigterm)


@main.command("build")
@click.argument("project_dir", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["pdf", "epub", "all"]), default="all", show_default=True,
              help="Which output to make.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: PROJECT_DIR/build).")
@click.option("--strict", is_flag=True, help="Treat unknown citation keys as errors.")
@click.option("--pdf-profile", type=click.Choice(profiles.PROFILES), default=profiles.DEFAULT_PROFILE, show_default=True,
              help="screen: RGB with links; press: PDF/X-1a in CMYK with bleed and crop marks; "
                   "archive: PDF/A-2b; accessible: tagged PDF/UA-1.")
@click.option("--validate", is_flag=True, help="Run EPUBCheck on the EPUB and structural checks on the PDF; fail on problems.")
@click.option("--no-cache", is_flag=True, help="Redo every article and every part of the layout (the cache lives in OUT/.cache).")
@click.option("--verbose", "-v", is_flag=True, help="Print each stage's timing and every warning.")
def build_command(project_dir: Path, fmt: str, out_dir: Path | None, strict: bool, pdf_profile: str, validate: bool,
                  no_cache: bool, verbose: bool) -> None:
    """Build the volume in PROJECT_DIR into a PDF and an EPUB."""
    formats = FORMATS if fmt == "all" else (fmt,)
    progress = _progress_printer(sys.stderr.isatty())
    try:
        result = build(project_dir, formats, out_dir, strict=strict, progress=progress, pdf_profile=pdf_profile,
                       validate=validate, use_cache=not no_cache)
    except VolumeError as exc:
        _report(exc.problems)
        errors = sum(1 for p in exc.problems if p.severity == "error")
        click.echo(f"build failed: {errors} error(s); nothing was written", err=True)
        sys.exit(1)
    except (KeyboardInterrupt, Interrupted):
        click.echo("\ninterrupted: earlier outputs are left as they were", err=True)
        sys.exit(130)
    _report(result.problems.warnings)
    for kind, path in result.outputs.items():
        extra = f" ({result.pages} pages)" if kind == "pdf" else ""
        click.echo(f"wrote {path}{extra}")
    if verbose:
        click.echo("time: " + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in result.seconds.items()), err=True)
    if result.invalid:
        for problem in result.invalid:
            click.echo(problem, err=True)
        click.echo(f"validation failed: {len(result.invalid)} problem(s) in the outputs", err=True)
        sys.exit(1)


@main.command("check")
@click.argument("project_dir", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Warnings count as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: a list of problems (file, line, severity, code, message) on standard output.")
def check_command(project_dir: Path, strict: bool, fmt: str) -> None:
    """List every problem in the manifest and the articles as path:line: message."""
    problems = check(project_dir)
    if fmt == "json":
        click.echo(report.problems_json(problems))
    else:
        _report(problems)
    errors, warnings = len(problems.errors), len(problems.warnings)
    click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    if errors or (strict and warnings):
        sys.exit(1)


@main.command("names")
@click.argument("project_dir", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--unregistered", is_flag=True, help="List name-like text that is not in the registry.")
@click.option("--yaml", "as_yaml", is_flag=True, help="With --unregistered: print registry stubs for people.yaml.")
def names_command(project_dir: Path, unregistered: bool, as_yaml: bool) -> None:
    """Who the volume names, how often and where; or whom the registry is missing."""
    problems = Problems()
    prepared = prepare(project_dir, problems)
    if prepared is None or problems.errors:
        _report(problems.errors)
        sys.exit(1)
    if prepared.registry is None:
        click.echo("the manifest names no registry of people ('people: people.yaml')", err=True)
        sys.exit(1)
    if not unregistered:
        for row in names_report.mention_rows(prepared):
            click.echo(f"{row.count:4d}  {row.heading}  [{row.id}]  {', '.join(row.places)}")
        return
    candidates = names_report.unregistered(prepared)
    if as_yaml:
        click.echo(names_report.registry_stubs(candidates), nl=False)
        return
    for candidate in candidates:
        click.echo(f"{candidate.places[0]}: {candidate.text}" + (f" (and {len(candidate.places) - 1} more)" if len(candidate.places) > 1 else ""))


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init_command(directory: Path) -> None:
    """Create a small working volume in DIRECTORY (which must be empty or new)."""
    if directory.exists() and any(directory.iterdir()):
        click.echo(f"{directory}: not empty; anthology init only writes into a new or empty folder", err=True)
        sys.exit(1)
    shutil.copytree(SKELETON, directory, dirs_exist_ok=True)
    shutil.copytree(DEFAULT_STYLES, directory / "styles", dirs_exist_ok=True)
    click.echo(f"created a volume in {directory}; build it with: anthology build {directory}")


main.add_command(import_command, "import")
main.add_command(preview_command, "preview")
main.add_command(specimen_command, "specimen")
