"""`anthology specimen`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..specimen import theme_names, write_specimen


@click.command("specimen")
@click.argument("directory", default="specimen", type=click.Path(file_okay=False, path_type=Path))
@click.option("--theme", type=click.Choice(theme_names()), default="classic", show_default=True,
              help="The theme the specimen's manifest chooses.")
@click.option("--copy-styles", is_flag=True,
              help="Also copy the bundled styles/ into DIRECTORY, to edit them there.")
def specimen_command(directory: Path, theme: str, copy_styles: bool) -> None:
    """Write a short volume that uses every styled element into DIRECTORY, for checking a theme.

    Without --copy-styles the specimen uses the bundled styles, so `anthology preview DIRECTORY`
    shows every change made to them."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        click.echo(f"{directory}: not empty; anthology specimen only writes into a new or empty folder", err=True)
        sys.exit(1)
    write_specimen(directory, theme, copy_styles)
    click.echo(f"created a specimen volume (theme: {theme}) in {directory}")
    click.echo(f"build it with: anthology build {directory}; watch it with: anthology preview {directory}")

