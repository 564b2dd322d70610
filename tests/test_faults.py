"""Builds stopped at random points, or run two at once, leave the earlier outputs or the new ones,
whole and consistent, and say so truly (tests/faults.py; a bigger run: benchmarks/faults.py)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from faults import FAULTS, campaign


def test_builds_stopped_at_random_points_leave_a_whole_set_of_outputs(tmp_path):
    tally = campaign(tmp_path, runs=8, seed=18)
    assert tally.runs == 8 and set(tally.faults) <= set(FAULTS)
    assert tally.failures == []


@pytest.mark.parametrize("command", [[sys.executable, "-m", "anthology"], [str(Path(sys.executable).parent / "anthology")]])
@pytest.mark.parametrize("moment", [0.15, 0.4, 0.7])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_the_command_starts_up_stops_it_with_the_message(command, moment, signum):
    """Within the second Python takes to load the toolchain, before the command handles signals."""
    started = subprocess.Popen([*command, "check", str(ROOT)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(moment)
    started.send_signal(signum)
    _, stderr = started.communicate(timeout=60)
    assert started.returncode == 130 and "Traceback" not in stderr, stderr
    assert stderr.strip().endswith("interrupted: earlier outputs are left as they were"), stderr
