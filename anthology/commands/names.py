"""`anthology names`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import names
from .. import Problems, VolumeError, enrich


@click.command("names")
@click.argument("project_dir", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--unregistered", is_flag=True, help="List name-like text that is not in the registry.")
@click.option("--yaml", "as_yaml", is_flag=True, help="With --unregistered: print registry stubs for people.yaml.")
def names_command(project_dir: Path, unregistered: bool, as_yaml: bool) -> None:
    """Who the volume names, how often and where; or whom the registry is missing."""
    problems = Problems()
    prepared = enrich(project_dir, problems)
    if prepared is None or problems.errors:
        raise VolumeError(problems.errors)
    if prepared.registry is None:
        click.echo("the manifest names no registry of people ('people: people.yaml')", err=True)
        sys.exit(1)
    if not unregistered:
        for row in names.mention_rows(prepared):
            click.echo(f"{row.count:4d}  {row.heading}  [{row.id}]  {', '.join(row.places)}")
        return
    candidates = names.unregistered(prepared)
    if as_yaml:
        click.echo(names.registry_stubs(candidates), nl=False)
        return
    for candidate in candidates:
        click.echo(f"{candidate.places[0]}: {candidate.text}" + (f" (and {len(candidate.places) - 1} more)" if len(candidate.places) > 1 else ""))
