"""`anthology proof`."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from .. import DEFAULT_PROFILE, PROFILES, proofread
from .output import progress_printer, report


@click.command("proof")
@click.argument("project_dir", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: a list of faults (kind, page, line, text, file, source line, message) on standard output.")
@click.option("--strict", is_flag=True, help="Exit 1 when anything is found.")
@click.option("--pdf-profile", type=click.Choice(PROFILES), default=DEFAULT_PROFILE, show_default=True,
              help="Proof the pages as this profile lays them out (press adds the signature and resolution checks).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes that lay out the body side by side (default: one for each core).")
def proof_command(project_dir: Path, fmt: str, strict: bool, pdf_profile: str, jobs: int | None) -> None:
    """Read the laid-out book as a proofreader would: every fault, with its page and path:line."""
    problems, findings = proofread(project_dir, pdf_profile, progress=progress_printer(sys.stderr.isatty()),
                                   jobs=jobs)
    report(problems.warnings)
    faults = [finding for finding in findings if not finding.accepted]
    if fmt == "json":
        click.echo(json.dumps([asdict(finding) for finding in findings], ensure_ascii=False, indent=2))
    else:
        for finding in faults:
            click.echo(str(finding))
    click.echo(summary(faults, len(findings) - len(faults)), err=True)
    if strict and faults:
        sys.exit(1)


def summary(faults: list, accepted: int) -> str:
    """«3 faults on 2 pages (1 accepted)», or «no faults on the pages»."""
    pages = len({finding.page for finding in faults})
    text = (f"{len(faults)} fault{'s' if len(faults) != 1 else ''} on {pages} page{'s' if pages != 1 else ''}"
            if faults else "no faults on the pages")
    return text + (f" ({accepted} accepted in the manifest)" if accepted else "")
