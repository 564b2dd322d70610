"""What the proof costs beside the build: reading the laid-out lines, checking them, and settling.

    .venv/bin/python benchmarks/proof_cost.py [VOLUME_DIR]      # default: build/bench-volume

(`make bench` or `python benchmarks/generate.py build/bench-volume --chapters 40
--articles-per-chapter 8` writes the 1,000-page volume.) Builds the PDF cold twice, each in a
fresh output folder: once as the build does by default (settling on), once with `settle: false`
in a copy of the manifest. Prints, for the default build, the whole build's seconds, the proof
stage's (the checks), the reading of each page's lines while the layout holds them (the proof's
input), and what settling added to the layout; then the faults found with and without settling.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from anthology import build
from anthology.layout import boxes, render


def timed_build(root: Path, out: Path) -> tuple[float, float, object]:
    """(seconds of the build, seconds spent reading the laid-out pages, the result)."""
    reading = [0.0]
    original = boxes.read_pages

    def counting(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            reading[0] += time.perf_counter() - started

    render.boxes.read_pages = counting
    try:
        started = time.perf_counter()
        result = build(root, ("pdf",), out, jobs=1)  # a fresh folder: a cold cache; one process, so the
        # reading is counted here (a forked worker would count it in its own memory)
        return time.perf_counter() - started, reading[0], result
    finally:
        render.boxes.read_pages = original


def without_settling(root: Path, folder: Path) -> Path:
    copy = folder / "volume"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build"))
    manifest = copy / "anthology.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text + ("\n" if not text.endswith("\n") else "") + "proof:\n  settle: false\n", encoding="utf-8")
    return copy


def main(root: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        seconds, reading, settled = timed_build(root, folder / "settled")
        plain_seconds, _, plain = timed_build(without_settling(root, folder), folder / "plain")
    proof = settled.seconds["proof"]
    layout_settled, layout_plain = settled.seconds["layout"], plain.seconds["layout"]
    print(f"pages {settled.pages}; build {seconds:.1f} s (layout {layout_settled:.1f} s)")
    print(f"proof stage (the checks):        {proof:6.2f} s  {proof / seconds:6.1%} of the build")
    print(f"reading the pages' lines:        {reading:6.2f} s  {reading / seconds:6.1%} of the build")
    print(f"proof, checks and reading:       {proof + reading:6.2f} s  {(proof + reading) / seconds:6.1%} of the build")
    print(f"settling (layout {layout_settled:.1f} s vs {layout_plain:.1f} s unsettled): "
          f"{layout_settled - layout_plain:+.1f} s, {(layout_settled - layout_plain) / plain_seconds:+.1%} "
          f"of an unsettled build ({plain_seconds:.1f} s)")
    for name, result in (("settled", settled), ("unsettled", plain)):
        kinds = Counter(finding.kind for finding in result.findings)
        print(f"faults, {name}: {sum(kinds.values())}: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "build/bench-volume").resolve())
