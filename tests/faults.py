"""A fault-injection harness (issue #18): real builds of a small volume stopped at random points
(kill -9, SIGTERM, Ctrl-C) or run two at once, each followed by a check of what the output folder
holds. `tests/test_faults.py` runs a few; `benchmarks/faults.py` runs many, by hand.

After every run: the outputs are either the earlier set or the new one, whole and mutually
consistent (`sha256sum -c SHA256SUMS` passes, the report names them), no stray file is left (a
killed build's staging folder only until the next build), no traceback, and the message is true:
"interrupted: earlier outputs are left as they were" only when they were.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

OUTPUTS = {"new-volume.pdf", "new-volume.epub", "SHA256SUMS", "build-report.json"}
FOLDERS = {"metadata"}  # folders of outputs, replaced whole with the rest (SHA256SUMS names their files)
FAULTS = ("SIGKILL", "SIGTERM", "SIGINT", "concurrent")


@dataclass
class Tally:
    runs: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def make_volume(root: Path) -> Path:
    """`anthology init`'s volume, its second article long enough for a build to take a few seconds."""
    subprocess.run([sys.executable, "-m", "anthology", "init", str(root)], check=True, capture_output=True)
    write_second(root, 0)
    return root


def write_second(root: Path, run: int) -> None:
    """The second article, different on each run, so that each build makes new outputs."""
    body = "".join(f"Paragraph {i} of run {run}, long enough to take a while to lay out.[^{i}]\n\n" for i in range(120))
    notes = "".join(f"[^{i}]: A note.\n" for i in range(120))
    head = f"---\ntitle: Run {run}\nlang: en\nauthors:\n  - name: Anna Petrova\n---\n\n"  # no warning to print
    (root / "chapters" / "02-second.md").write_text(f"{head}{body}{notes}",
                                                   encoding="utf-8")


def build(root: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "anthology", "build", str(root)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def outputs(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in out.iterdir() if path.name in OUTPUTS}


def problems_in(out: Path, allowed_staging: set[int]) -> list[str]:
    """What is wrong with the output folder as it is now."""
    found = []
    names = {path.name for path in out.iterdir()} - {".cache"} - FOLDERS
    for name in sorted(names - OUTPUTS):
        pid = name.removeprefix(".staging-").split("-")[0]
        if not (name.startswith(".staging-") and pid.isdigit() and int(pid) in allowed_staging):
            found.append(f"stray file {name}")
    if OUTPUTS - names:
        found.append(f"missing {sorted(OUTPUTS - names)}")
        return found
    sums = subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=out, capture_output=True, text=True)
    if sums.returncode:
        found.append(f"SHA256SUMS does not match: {sums.stdout.strip()} {sums.stderr.strip()}")
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    if set(report["outputs"].values()) != OUTPUTS - {"SHA256SUMS", "build-report.json"}:
        found.append(f"the report names {report['outputs']}")
    for part in out.joinpath(".cache").rglob("*.part") if out.joinpath(".cache").is_dir() else ():
        pid = part.name.split(".")[-2]
        if not (pid.isdigit() and int(pid) in allowed_staging):
            found.append(f"stray cache file {part.relative_to(out)}")
    return found


def one_run(root: Path, run: int, fault: str, rng: random.Random, earliest: float, latest: float) -> list[str]:
    """Start a build of a changed volume and inject `fault` at a random moment between `earliest`
    and `latest` seconds; the problems found afterwards."""
    out = root / "build"
    before = outputs(out)
    write_second(root, run)
    first = build(root)
    children = [first]
    time.sleep(rng.uniform(earliest, latest))
    if fault == "concurrent":
        children.append(build(root))
    elif first.poll() is None:
        first.send_signal(getattr(signal, fault))
    results = [(child, *child.communicate(timeout=600)) for child in children]
    found = []
    killed = {child.pid for child in children if child.returncode == -signal.SIGKILL}
    for child, stdout, stderr in results:
        if "Traceback" in stderr:
            found.append(f"a traceback: {stderr.strip().splitlines()[-1]}")
        if child.returncode == 130:
            if "interrupted: earlier outputs are left as they were" not in stderr:
                found.append(f"exit 130 without the message: {stderr.strip()[-200:]}")
            elif outputs(out) != before:
                found.append("said 'earlier outputs are left as they were', but they were replaced")
        elif child.returncode == 0:
            if "wrote" not in stdout + stderr:
                found.append(f"exit 0 without 'wrote': {stdout.strip()[-200:]}")
        elif child.returncode < 0 and not stderr.strip():
            pass  # the signal came before anthology handles signals (start-up) or after it stopped (exit):
            # the default action, silent; the folder is still checked to be a whole set below
        elif child.returncode != -signal.SIGKILL:
            found.append(f"exit {child.returncode}: {stderr.strip()[-300:]}")
    if fault == "concurrent" and any(child.returncode for child in children):
        found.append(f"two builds at once: exits {[child.returncode for child in children]}")
    if any(child.returncode == 0 for child in children) and outputs(out) == before:
        found.append("a build said it wrote, but the outputs are the earlier ones")
    found += problems_in(out, killed)
    return [f"run {run} ({fault}): {problem}" for problem in found]


# The command handles Ctrl-C and SIGTERM from the package's first line on (stopping.hold_start_up,
# tested in test_faults.py); before it, in Python's own start-up (some 40 ms), a signal ends the
# process as Python's default does. Runs start signalling after the toolchain has loaded, where the
# outputs are at stake; `earliest` can move that.
STARTUP = 1.5


def campaign(folder: Path, runs: int, seed: int, earliest: float = STARTUP, latest: float = 3.5) -> Tally:
    """`runs` faults injected into builds of one volume in `folder`, then a last clean build."""
    rng = random.Random(seed)
    root = make_volume(folder / "vol")
    tally = Tally()
    first = build(root)
    _, stderr = first.communicate(timeout=600)
    assert first.returncode == 0, stderr
    for run in range(1, runs + 1):
        fault = rng.choice(FAULTS)
        tally.runs += 1
        tally.faults[fault] = tally.faults.get(fault, 0) + 1
        tally.failures += one_run(root, run, fault, rng, earliest, latest)
    last = build(root)
    _, stderr = last.communicate(timeout=600)
    after = problems_in(root / "build", set())  # the next build removes what a killed one left
    tally.failures += [f"after a clean build: {problem}" for problem in after]
    if last.returncode or "Traceback" in stderr:
        tally.failures.append(f"the last clean build: exit {last.returncode}: {stderr.strip()[-300:]}")
    return tally
