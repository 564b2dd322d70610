"""The fault-injection harness of tests/faults.py, run at scale by hand:

    PYTHONPATH=. FONTCONFIG_FILE=/tmp/nofonts.conf python benchmarks/faults.py --runs 60 --seed 1

prints the runs, the faults injected by kind, and every failure found. `--earliest 0` also sends
signals while Python is still loading the modules (see tests/faults.py)."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from faults import STARTUP, campaign  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--earliest", type=float, default=STARTUP)
    parser.add_argument("--latest", type=float, default=4.0)
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="anthology-faults-") as folder:
        tally = campaign(Path(folder), args.runs, args.seed, args.earliest, args.latest)
    print(f"runs: {tally.runs}; faults injected: {tally.faults}; failures: {len(tally.failures)}; "
          f"{time.monotonic() - started:.0f} s")
    for failure in tally.failures:
        print("  " + failure)


if __name__ == "__main__":
    main()
