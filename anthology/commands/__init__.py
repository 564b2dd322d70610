"""The command line: every `anthology` command is registered here, and only here is click imported.

Each command is a thin layer over the public API (`anthology/__init__.py`). Exit codes, for every
command, mapped once below: 0 success, 1 problems in the volume (or a failed `--validate`), 2 a
usage mistake, 130 interrupted.
"""

from __future__ import annotations

import sys

import click

from .. import __version__, stopping
from ..problems import Interrupted, VolumeError
from .build import build_command
from .check import check_command
from .import_ import import_command
from .init import init_command
from .names import names_command
from .offprints import offprints_command
from .output import report
from .preview import preview_command
from .proof import proof_command
from .specimen import specimen_command


class _Commands(click.Group):
    """Turns what stops a run into its message and exit code, the same way for every command."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except VolumeError as exc:
            report(exc.problems)
            errors = sum(1 for p in exc.problems if p.severity == "error")
            click.echo(f"{ctx.invoked_subcommand} failed: {errors} error(s); nothing was written", err=True)
            sys.exit(exc.exit_code)
        except (KeyboardInterrupt, Interrupted):
            click.echo(f"\n{stopping.MESSAGE}", err=True)
            sys.exit(Interrupted.exit_code)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="anthology")
def main() -> None:
    """Compile a multilingual edited volume into a print PDF and an EPUB 3."""
    stopping.install()


for command in (build_command, check_command, proof_command, offprints_command, names_command, init_command, import_command,
                preview_command, specimen_command):
    main.add_command(command)
