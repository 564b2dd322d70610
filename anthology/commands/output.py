"""What every command prints the same way: problems and progress."""

from __future__ import annotations

import click


def report(problems) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def progress_printer(enabled: bool):
    def progress(stage: str, done: int, total: int) -> None:
        if enabled:
            click.echo(f"\r{stage}: {done}/{total}   ", err=True, nl=done == total and stage == "layout")
    return progress
