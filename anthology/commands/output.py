"""What every command prints the same way: problems, progress, interruption."""

from __future__ import annotations

import click


class Interrupted(Exception):
    """SIGTERM, turned into an exception so that temporary files are cleaned up on the way out."""


def report(problems) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def progress_printer(enabled: bool):
    def progress(stage: str, done: int, total: int) -> None:
        if enabled:
            click.echo(f"\r{stage}: {done}/{total}   ", err=True, nl=done == total and stage == "layout")
    return progress
