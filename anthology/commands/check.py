"""`anthology check`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..problems import problems_json
from .. import check
from .output import report


@click.command("check")
@click.argument("project_dir", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Warnings count as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: a list of problems (file, line, severity, code, message) on standard output.")
def check_command(project_dir: Path, strict: bool, fmt: str) -> None:
    """List every problem in the manifest and the articles as path:line: message."""
    problems = check(project_dir)
    if fmt == "json":
        click.echo(problems_json(problems))
    else:
        report(problems)
    errors, warnings = len(problems.errors), len(problems.warnings)
    click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    if errors or (strict and warnings):
        sys.exit(1)
