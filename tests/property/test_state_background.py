"""With snapshots taken in the background, the file still rebuilds the live state, whenever the
server stops: with a snapshot stored, or killed while one is being taken."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.durable import Durable
from tests.property.test_state_replay import Op, _apply, operations


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(operations, min_size=1, max_size=20), wait=st.booleans())
def test_the_file_rebuilds_the_live_state_with_background_snapshots(
    ops: list[Op], wait: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "state.db"
        live = Durable(path, snapshot_every=3, background=True)
        jobs: list[str] = []
        for op in ops:
            _apply(live, op, jobs)
        expected = live.dump()
        live.state.settle(abandon=not wait)  # stored, or lost as a kill would lose it
        live.crash()
        rebuilt = Durable(path)
        assert rebuilt.dump() == expected
        assert rebuilt.state.diverged == []
        rebuilt.crash()
