"""For random operation sequences, the state rebuilt from the ``--state`` file is the live state."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.durable import Durable

NAMES = ("a", "b", "c")
JOB = {"command": ["echo", "hi"], "flavor": "cpu-basic", "dockerImage": "python:3.12"}
FLAVORS = ("cpu-basic", "t4-small", "a10g-small", "no-such-flavor")

Op = tuple[str, str, Any]


def _space(name: str) -> str:
    return f"/api/spaces/fakeuser/{name}"


names = st.sampled_from(NAMES)
operations: st.SearchStrategy[Op] = st.one_of(
    names.map(
        lambda n: ("POST", "/api/repos/create", {"type": "space", "name": n, "sdk": "gradio"})
    ),
    st.tuples(names, st.sampled_from(FLAVORS)).map(
        lambda a: ("POST", f"{_space(a[0])}/hardware", {"flavor": a[1]})
    ),
    names.map(lambda n: ("POST", f"{_space(n)}/pause", None)),
    names.map(lambda n: ("POST", f"{_space(n)}/restart", None)),
    names.map(lambda n: ("GET", f"{_space(n)}/runtime", None)),
    st.tuples(names, st.sampled_from(["K", "L"])).map(
        lambda a: ("POST", f"{_space(a[0])}/secrets", {"key": a[1], "value": "hidden"})
    ),
    st.tuples(names, st.sampled_from(["V", "W"])).map(
        lambda a: ("POST", f"{_space(a[0])}/variables", {"key": a[1], "value": "1"})
    ),
    st.just(("POST", "/api/jobs/fakeuser", JOB)),
    st.integers(0, 3).map(lambda i: ("CANCEL", str(i), None)),
    st.integers(0, 3).map(lambda i: ("GETJOB", str(i), None)),
    st.just(("POST", "/api/scheduled-jobs/fakeuser", {"jobSpec": JOB, "schedule": "*/10 * * * *"})),
    st.integers(0, 4000).map(lambda s: ("POST", "/_fakehub/clock/advance", {"seconds": s})),
    st.sampled_from(["timed", "instant", "per-poll(2)"]).map(
        lambda p: ("PUT", "/_fakehub/policies/space", {"policy": p})
    ),
    st.sampled_from(["timed", "per-poll(1)"]).map(
        lambda p: ("PUT", "/_fakehub/policies/job", {"policy": p})
    ),
    st.just(
        ("POST", "/_fakehub/faults", {"status": 503, "route": "/api/spaces/*", "probability": 0.5})
    ),
    st.just(("DELETE", "/_fakehub/faults", None)),
    st.just(("POST", "/_fakehub/outages", {"flavor": "t4-small", "duration": "30m"})),
    st.just(("POST", "/_fakehub/reset", None)),
    st.just(("POST", "/_fakehub/clock/advance", {"seconds": "soon"})),  # refused: 400
)


def _apply(hub: Durable, op: Op, jobs: list[str]) -> None:
    method, path, body = op
    if method in ("CANCEL", "GETJOB"):
        if not jobs:
            return
        job = jobs[int(path) % len(jobs)]
        url = f"/api/jobs/fakeuser/{job}"
        if method == "CANCEL":
            hub.client.post(f"{url}/cancel")
        else:
            hub.client.get(url)
        return
    response = hub.client.request(method, path, json=body)
    if path == "/api/jobs/fakeuser" and response.status_code == 200:
        jobs.append(response.json()["id"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ops=st.lists(operations, min_size=1, max_size=25),
    snapshot_every=st.sampled_from([3, 5000]),
    later=st.integers(0, 7200),
)
def test_the_file_rebuilds_the_live_state(ops: list[Op], snapshot_every: int, later: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "state.db"
        live = Durable(path, snapshot_every=snapshot_every)
        jobs: list[str] = []
        for op in ops:
            _apply(live, op, jobs)
        expected = live.dump()
        live.crash()
        rebuilt = Durable(path, snapshot_every=snapshot_every)
        assert rebuilt.dump() == expected
        assert rebuilt.state.diverged == []
        # and it goes on the same way: pending transitions and cron occurrences
        twin = Durable(Path(folder) / "twin.db")
        twin_jobs: list[str] = []
        for op in ops:
            _apply(twin, op, twin_jobs)
        for hub in (rebuilt, twin):
            hub.client.post("/_fakehub/clock/advance", json={"seconds": later})
        assert rebuilt.dump() == twin.dump()
        rebuilt.crash()
        twin.crash()
