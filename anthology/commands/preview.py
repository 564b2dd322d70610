"""`anthology preview`."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

import click

from ..preview import DEFAULT_PORT, HOST, serve, stop
from ..load import MANIFEST


@click.command("preview")
@click.argument("project_dir", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--only", "only", metavar="ARTICLE_OR_CHAPTER", default=None,
              help="Render only this article (id or file) or chapter (id or title): faster.")
@click.option("--no-images", is_flag=True, help="Show the PDF itself instead of its pages as images.")
def preview_command(project_dir: Path, port: int, only: str | None, no_images: bool) -> None:
    """Serve a live preview of the volume in PROJECT_DIR on 127.0.0.1, rebuilt on every save."""
    if not (project_dir / MANIFEST).is_file():
        click.echo(f"{project_dir}: no {MANIFEST} here; give the folder of a volume", err=True)
        sys.exit(2)
    try:
        server = serve(project_dir, port, only, images=not no_images, log=lambda message: click.echo(message))
    except OSError as exc:
        click.echo(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}; try another --port", err=True)
        sys.exit(2)
    if server.preview.rasteriser is None and not no_images:
        click.echo("pdftoppm (poppler-utils) is not installed: the page shows the PDF instead of page images", err=True)
    click.echo(f"previewing {project_dir} at {server.url} (Ctrl-C to stop)")
    stopped = threading.Event()

    def on_signal(signum, frame):
        stopped.set()

    previous = signal.signal(signal.SIGTERM, on_signal)
    try:
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        stop(server)
    click.echo("preview stopped")

