"""`anthology init`."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from ..load.styles import DEFAULT_STYLES

SKELETON = Path(__file__).parent.parent / "skeleton"


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init_command(directory: Path) -> None:
    """Create a small working volume in DIRECTORY (which must be empty or new)."""
    if directory.exists() and any(directory.iterdir()):
        click.echo(f"{directory}: not empty; anthology init only writes into a new or empty folder", err=True)
        sys.exit(1)
    shutil.copytree(SKELETON, directory, dirs_exist_ok=True)
    shutil.copytree(DEFAULT_STYLES, directory / "styles", dirs_exist_ok=True)
    click.echo(f"created a volume in {directory}; build it with: anthology build {directory}")
