"""How long the preview takes to show a designer's change (issue #15's goal: ≤ 3 s for the sample).

    .venv/bin/python benchmarks/preview_cost.py [VOLUME_DIR]      # default: the sample (the repository)

Copies the volume into a temporary folder, starts a preview session on it (the one `anthology
preview` serves, without its HTTP server), waits for its first build, then saves three changes one
after another and times each until its pages are published: a colour token, the text size, and
a sentence added to one article. Prints the seconds of each: until the pages on view (page 25
and on) are shown new, until the whole preview is (the book laid out, its PDF, the images of the
pages on view), and until the images of the other pages are made too (in the background, or
when the browser asks for them); and of each step (layout, PDF, page images, EPUB, proof)."""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from anthology.preview.session import Preview

REPO = Path(__file__).resolve().parent.parent
ON_VIEW = 25  # the page the designer looks at (a page of an article in the sample)
CHANGES = [
    ("a colour token", "styles/base.css", r"--colour-accent: #7a1f1f;", "--colour-accent: #1f4f7a;"),
    ("the text size", "styles/base.css", r"--size-text: 10pt;", "--size-text: 10.5pt;"),
]


def wait_for(preview: Preview, generation: int, timeout: float = 600, early: list | None = None) -> dict:
    """The status once a build after `generation` is done; `early` gets the moment the pages on
    view were shown new before it, if they were."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, _ = preview.snapshot(since=None)
        if status["generation"] > generation:
            return status
        if early is not None and not early and status["early"]:
            early.append(time.perf_counter())
        time.sleep(0.02)
    raise TimeoutError("the preview did not finish")


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO
    with tempfile.TemporaryDirectory(prefix="anthology-preview-cost-") as folder:
        root = Path(folder) / "volume"
        shutil.copytree(source, root, ignore=shutil.ignore_patterns("build", ".git", ".venv", "tools", "tests"))
        preview = Preview(root)
        preview.start()
        try:
            status = wait_for(preview, 0)
            print(f"first build: {status['pages']} pages in {status['seconds']['total']:.1f} s")
            on_view = preview.on_view = ON_VIEW if status["pages"] > ON_VIEW else 1  # as the browser reports it
            article = sorted((root / "chapters").glob("*.md"))[-1]
            changes = CHANGES + [("a sentence in one article", str(article.relative_to(root)), r"\Z",
                                  "\n\nЭто предложение добавлено при замере.\n")]
            for what, name, pattern, replacement in changes:
                path = root / name
                generation = status["generation"]
                time.sleep(1.1)  # a new modification time, whatever the file system's resolution
                started = time.perf_counter()
                path.write_text(re.sub(pattern, replacement, path.read_text(encoding="utf-8"), count=1),
                                encoding="utf-8")
                early: list[float] = []
                status = wait_for(preview, generation, early=early)
                seen = time.perf_counter() - started
                steps = ", ".join(f"{k} {v:.2f}" for k, v in status["seconds"].items() if k not in ("total", "on view"))
                first = f"pages {on_view}–{on_view + 2} {early[0] - started:.2f} s, " if early else ""
                images = preview.snapshot()[1].pages
                while images.missing():  # the other pages' images, made in the background
                    time.sleep(0.02)
                print(f"{what}: shown {first}all {seen:.2f} s after the save, every page image "
                      f"{time.perf_counter() - started:.2f} s ({status['state']}; {steps})")
        finally:
            preview.stop()


if __name__ == "__main__":
    main()
