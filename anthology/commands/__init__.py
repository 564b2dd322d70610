"""The command line: every `anthology` command is registered here, and only here is click imported.

Each command is a thin layer over the public API (`anthology/__init__.py`). Exit codes, for every
command: 0 success, 1 problems in the volume (or a failed `--validate`), 2 a usage mistake, 130
interrupted.
"""

from __future__ import annotations

import signal

import click

from .. import __version__
from .build import build_command
from .check import check_command
from .import_ import import_command
from .init import init_command
from .names import names_command
from .preview import preview_command
from .specimen import specimen_command
from .output import Interrupted


def _on_sigterm(signum, frame):
    raise Interrupted()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="anthology")
def main() -> None:
    """Compile a multilingual edited volume into a print PDF and an EPUB 3."""
    signal.signal(signal.SIGTERM, _on_sigterm)


for command in (build_command, check_command, names_command, init_command, import_command, preview_command,
                specimen_command):
    main.add_command(command)
