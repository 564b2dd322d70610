"""`anthology import FILE... [--into DIR] [--add-to-manifest CHAPTER]`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..ingest import ImportFailed, import_file, load_project
from ..ingest.manifest import ManifestError, add_to_manifest, find_target
from ..ingest.report import format_report
from ..load import MANIFEST

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
def import_command(files: tuple[Path, ...], project_dir: Path, into: Path | None, chapter: str | None,
                   lang: str | None) -> None:
    """Import Word (.docx), saved web pages (.html), plain text (.txt) or Markdown (.md) as articles.

    Each file becomes a new article (an existing file is never overwritten) with front matter
    filled from what was found: title, authors, date, lang, source. The report lists what was
    detected, every block removed as site furniture, the people not in the registry, and what to
    check.
    """
    project = load_project(project_dir)
    into = into if into is not None else project.root / "chapters"
    if chapter is not None:
        manifest = project.root / MANIFEST
        if not manifest.is_file():
            click.echo(f"error: {manifest}: no manifest here; --add-to-manifest needs a volume folder (see --project)", err=True)
            sys.exit(1)
        if not into.resolve().is_relative_to(project.root):
            click.echo(f"error: {into}: outside the project folder {project.root}; an article added to the manifest "
                       "must be inside it", err=True)
            sys.exit(1)
        try:  # a chapter that does not exist stops everything before anything is written
            find_target(manifest.read_text(encoding="utf-8"), manifest, chapter)
        except (ManifestError, UnicodeDecodeError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
    if project.registry_note:
        click.echo(f"note: {project.registry_note}; people are checked against an empty registry", err=True)
    failed = 0
    for n, source in enumerate(files):
        try:
            imported = import_file(source, into, project, lang)
        except ImportFailed as exc:
            click.echo(f"error: {exc}", err=True)
            failed += 1
            continue
        if n:
            click.echo("")
        click.echo(format_report(imported, Path.cwd()))
        if chapter is not None:
            try:
                click.echo("  " + add_to_manifest(project.root, imported.article, chapter))
            except ManifestError as exc:
                click.echo(f"error: {exc}\n  (the article {imported.article} was written; add it to the manifest by hand)",
                           err=True)
                failed += 1
    if failed:
        click.echo(f"{failed} of {len(files)} file(s) failed", err=True)
        sys.exit(1)
