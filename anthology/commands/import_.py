"""`anthology import FILE... [--into DIR] [--add-to-manifest CHAPTER]`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..ingest import Project, import_file, load_project
from ..ingest.manifest import add_to_manifest, check_target
from ..ingest.report import format_report
from ..problems import Problems
from .output import report

LANGS = ("ru", "kk", "az", "en")


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="The volume folder (the one with anthology.yaml).")
@click.option("--into", "into", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the articles (default: PROJECT/chapters).")
@click.option("--add-to-manifest", "chapter", metavar="CHAPTER", default=None,
              help="Append each article to this chapter of anthology.yaml: its title, or its position "
                   "(2, or 1/2 for part 1, chapter 2), or front / back.")
@click.option("--lang", "lang", type=click.Choice(LANGS), default=None,
              help="The articles' language, instead of detecting it.")
@click.option("--accept-changes", "accept", is_flag=True,
              help="A Word document's tracked changes: accept them (without this or --reject-changes, "
                   "a document with tracked changes is not imported).")
@click.option("--reject-changes", "reject", is_flag=True, help="A Word document's tracked changes: reject them.")
def import_command(files: tuple[Path, ...], project_dir: Path, into: Path | None, chapter: str | None,
                   lang: str | None, accept: bool, reject: bool) -> None:
    """Import Word (.docx), LibreOffice (.odt), RTF, saved web pages (.html), plain text (.txt) or
    Markdown (.md) as articles.

    Each file becomes a new article (an existing file is never overwritten) with front matter
    filled from what was found: title, authors, date, lang, source. The report lists what was
    detected, every block removed as site furniture, the people not in the registry, and what to
    check.
    """
    if accept and reject:
        raise click.UsageError("give --accept-changes or --reject-changes, not both")
    changes = "accept" if accept else "reject" if reject else None
    project = load_project(project_dir)
    into = into if into is not None else project.root / "chapters"
    if chapter is not None:
        problems = Problems()
        if not check_target(project.root, into, chapter, problems):  # a wrong chapter stops all, before any write
            report(problems)
            sys.exit(1)
    if project.registry_note:
        click.echo(f"note: {project.registry_note}; people are checked against an empty registry", err=True)
    failed = 0
    for n, source in enumerate(files):
        if not _import_one(source, n > 0, into, project, chapter, lang, changes):
            failed += 1
    if failed:
        click.echo(f"{failed} of {len(files)} file(s) failed", err=True)
        sys.exit(1)


def _import_one(source: Path, after_another: bool, into: Path, project: Project, chapter: str | None,
                lang: str | None, changes: str | None) -> bool:
    """Import one file and print its report, or its problems; whether it went through."""
    problems = Problems()  # no root: each file is named as the user gave it
    imported = import_file(source, into, project, problems, lang, changes)
    if imported is None:
        report(problems)
        return False
    if after_another:
        click.echo("")
    click.echo(format_report(imported, Path.cwd()))
    if chapter is None:
        return True
    added = add_to_manifest(project.root, imported.article, chapter, problems)
    if added is None:
        report(problems)
        click.echo(f"  (the article {imported.article} was written; add it to the manifest by hand)", err=True)
        return False
    click.echo("  " + added)
    return True
