"""Builds stopped at random points, or run two at once, leave the earlier outputs or the new ones,
whole and consistent, and say so truly (tests/faults.py; a bigger run: benchmarks/faults.py)."""

from __future__ import annotations

from faults import FAULTS, campaign


def test_builds_stopped_at_random_points_leave_a_whole_set_of_outputs(tmp_path):
    tally = campaign(tmp_path, runs=8, seed=18)
    assert tally.runs == 8 and set(tally.faults) <= set(FAULTS)
    assert tally.failures == []
