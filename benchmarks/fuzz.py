"""A bounded fuzzing run (issue #18): `anthology init`'s volume with one of its files mutated at
random (bit flips, truncation, BOMs and other encodings, CRLF, NUL bytes, YAML type changes and
escapes, lines doubled or dropped), then `check`, and `build` when `check` passed:

    PYTHONPATH=. FONTCONFIG_FILE=/tmp/nofonts.conf python benchmarks/fuzz.py --runs 100 --seed 1

A failure is a traceback, an exit code other than 0 and 1, or a volume that `check` passes and
`build` refuses (whatever `check` accepts, `build` must build). Prints the runs, the mutations by
kind and each failure with the mutation that caused it."""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

FILES = ("anthology.yaml", "people.yaml", "references.json", "chapters/01-first.md", "chapters/02-second.md")
ESCAPES = (r'"\ud800"', r'"\x01"', r'"a\u0085b"', r'"\U0001F600"', r'"\x7f"', '"' + "x" * 300 + '"', "~", "[]",
           "{}", "-1", "2024-02-30", "1e999", "!!binary aGVsbG8=", "&a [*a]", "*undefined", "'", '"')


def mutate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One mutation of a file's bytes: (its kind, the new bytes)."""
    kind = rng.choice(("bit flips", "truncation", "bom", "utf-16", "cp1251", "crlf", "nul", "value",
                       "line doubled", "line dropped"))
    if kind == "bit flips":
        data = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        return kind, bytes(data)
    if kind == "truncation":
        return kind, data[:rng.randrange(len(data))]
    if kind == "bom":
        return kind, b"\xef\xbb\xbf" + data
    if kind == "utf-16":
        return kind, data.decode("utf-8").encode("utf-16")
    if kind == "cp1251":
        return kind, data.decode("utf-8").encode("cp1251", errors="replace")
    if kind == "crlf":
        return kind, data.replace(b"\n", b"\r\n")
    if kind == "nul":
        at = rng.randrange(len(data))
        return kind, data[:at] + b"\0" + data[at:]
    lines = data.split(b"\n")
    at = rng.randrange(len(lines))
    if kind == "line doubled":
        return kind, b"\n".join(lines[:at + 1] + lines[at:])
    if kind == "line dropped":
        return kind, b"\n".join(lines[:at] + lines[at + 1:])
    valued = [i for i, line in enumerate(lines) if b": " in line] or [at]
    at = rng.choice(valued)
    key = lines[at].split(b": ", 1)[0]
    lines[at] = key + b": " + rng.choice(ESCAPES).encode()
    return kind, b"\n".join(lines)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "anthology", *args], capture_output=True, text=True, timeout=900)


def fault(result: subprocess.CompletedProcess) -> str | None:
    if "Traceback" in result.stderr:
        return "traceback: " + result.stderr.strip().splitlines()[-1][:200]
    if result.returncode not in (0, 1):
        return f"exit {result.returncode}: " + (result.stderr.strip().splitlines() or [""])[-1][:200]
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng, kinds, failures, built = random.Random(args.seed), Counter(), [], 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="anthology-fuzz-") as folder:
        pristine = Path(folder) / "pristine"
        run("init", str(pristine))
        for number in range(args.runs):
            root = Path(folder) / f"run-{number}"
            shutil.copytree(pristine, root)
            name = rng.choice(FILES)
            kind, data = mutate((root / name).read_bytes(), rng)
            (root / name).write_bytes(data)
            kinds[kind] += 1
            where = f"run {number}: {kind} in {name}"
            checked = run("check", str(root))
            found = fault(checked)
            if found is None and checked.returncode == 0:
                built += 1
                result = run("build", str(root))
                found = fault(result) or (f"check passed, build failed: {result.stderr.strip()[-200:]}"
                                          if result.returncode else None)
            if found:
                failures.append(f"{where}: {found}")
                shutil.copytree(root, Path(tempfile.gettempdir()) / f"anthology-fuzz-{args.seed}-{number}",
                                dirs_exist_ok=True)  # kept to reproduce
            shutil.rmtree(root)
    print(f"runs: {args.runs} (built after a clean check: {built}); mutations: "
          + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
          + f"; failures: {len(failures)}; {time.monotonic() - started:.0f} s")
    for failure in failures:
        print("  " + failure)


if __name__ == "__main__":
    main()
