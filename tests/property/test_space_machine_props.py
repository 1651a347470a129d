"""Hypothesis: invariants of the Space runtime under any sequence of operations and time jumps."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from fakehub import FakeHub, HubConfig
from fakehub.domain.accounts import Actor
from fakehub.domain.catalogue import space_flavor
from fakehub.domain.errors import HubError
from fakehub.domain.spaces import machine
from fakehub.domain.spaces.records import Space, SpaceStage
from fakehub.machines.policy import Policy
from fakehub.wire.runtime import runtime_json
from tests.space_factory import add_space, commit_files

S = SpaceStage
FLAVORS = ["cpu-basic", "cpu-upgrade", "t4-small", "a10g-large"]
DURATIONS = st.sampled_from([0, 1, 9.5, 10, 29, 30, 40, 600, 3600, 48 * 3600, 72 * 3600])


class SpaceRuntimeMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.hub = FakeHub(HubConfig())
        actor = self.hub.ctx.accounts.authenticate("Bearer hf_fake_write")
        assert actor is not None
        self.me: Actor = actor
        self.app = add_space(self.hub, "fakeuser/app")
        self.static = add_space(self.hub, "fakeuser/site", sdk="static")
        self.paused = False

    def _try(self, call: object) -> None:
        # refused input must leave everything as it was: the invariants check that
        with contextlib.suppress(HubError):
            call()  # type: ignore[operator]

    @rule(seconds=DURATIONS)
    def advance(self, seconds: float) -> None:
        before = self.app.stage
        self.hub.advance(seconds)
        if self.paused:
            assert self.app.stage is before is S.PAUSED

    @rule(flavor=st.sampled_from(FLAVORS), sleep=st.sampled_from([None, -1, 60, 3600]))
    def request_hardware(self, flavor: str, sleep: int | None) -> None:
        self.hub.spaces.request_hardware(self.me, "fakeuser/app", flavor, sleep)

    @rule(seconds=st.sampled_from([-1, 30, 3600]))
    def sleep_time(self, seconds: int) -> None:
        self.hub.spaces.set_sleep_time(self.me, "fakeuser/app", seconds)

    @rule()
    def pause(self) -> None:
        self.hub.spaces.pause(self.me, "fakeuser/app")
        self.paused = True

    @rule(factory=st.booleans())
    def restart(self, factory: bool) -> None:
        self.hub.spaces.restart(self.me, "fakeuser/app", factory=factory)
        self.paused = False

    @rule()
    def visit(self) -> None:
        self.hub.spaces.visit("fakeuser/app")
        self.hub.spaces.visit("fakeuser/site")

    @rule(key=st.sampled_from(["A", "B"]))
    def secret(self, key: str) -> None:
        self.hub.spaces.add_secret(self.me, "fakeuser/app", key, "v", None)

    @rule(content=st.sampled_from([b"v2", None]))
    def commit(self, content: bytes | None) -> None:
        commit_files(self.hub, self.app, {"app.py": content})
        commit_files(self.hub, self.static, {"index.html": b"<p>v2</p>"})

    @rule(build=st.sampled_from(["ok", "error"]), crash=st.sampled_from([None, 0, 5.0]))
    def script(self, build: str, crash: float | None) -> None:
        self.hub.spaces.script("fakeuser/app", build=build, crash_after=crash)  # type: ignore[arg-type]

    @rule()
    def static_controls_refused(self) -> None:
        for call in (
            lambda: self.hub.spaces.pause(self.me, "fakeuser/site"),
            lambda: self.hub.spaces.restart(self.me, "fakeuser/site"),
        ):
            self._try(call)

    @rule()
    def poll(self) -> None:
        self.hub.spaces.runtime(self.me, "fakeuser/app")

    @invariant()
    def static_always_running(self) -> None:
        assert self.static.stage is S.RUNNING
        assert (self.static.current_hardware, self.static.requested_hardware) == (None, None)

    @invariant()
    def current_is_null_or_a_flavor_of_a_serving_app(self) -> None:
        space: Space = self.app
        current = space.current_hardware
        assert current is None or space_flavor(current) is not None
        assert (current is not None) == (space.stage in machine.SERVING)
        assert space_flavor(space.requested_hardware or "") is not None

    @invariant()
    def paused_stays_paused(self) -> None:
        if self.paused:
            assert self.app.stage is S.PAUSED

    @invariant()
    def wire_shape(self) -> None:
        body = runtime_json(self.app)
        assert isinstance(body["hardware"], dict)
        assert body["gcTimeout"] is None or isinstance(body["gcTimeout"], int)
        if self.app.requested_hardware == "cpu-basic":
            assert body["gcTimeout"] == 172800
        assert ("errorMessage" in body) == (
            self.app.stage in (S.BUILD_ERROR, S.RUNTIME_ERROR, S.CONFIG_ERROR)
        )

    @invariant()
    def timers_only_while_running(self) -> None:
        labels = [h.label for h in self.hub.ctx.scheduler.pending()]
        if self.app.stage is not S.RUNNING:
            assert not any(label.endswith((":sleep", ":crash")) for label in labels)


TestSpaceRuntimeMachine = SpaceRuntimeMachine.TestCase
TestSpaceRuntimeMachine.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)


def _run(steps: list[float], policy: str) -> list[tuple[str, str | None]]:
    hub = FakeHub(HubConfig(space_policy=Policy.parse(policy)))
    space = add_space(hub)
    hub.spaces.script("fakeuser/demo", crash_after=50)
    seen = []
    for seconds in steps:
        hub.advance(seconds)
        seen.append((space.stage.value, space.current_hardware))
    return [*seen, (str(len(space.build_logs)), str(len(space.run_logs)))]


@settings(max_examples=60, deadline=None)
@given(
    a=st.floats(min_value=0, max_value=200_000, allow_nan=False),
    b=st.floats(min_value=0, max_value=200_000, allow_nan=False),
)
def test_advancing_a_plus_b_equals_a_then_b(a: float, b: float) -> None:
    one = FakeHub(HubConfig())
    two = FakeHub(HubConfig())
    s1, s2 = add_space(one), add_space(two)
    for hub in (one, two):
        hub.spaces.script("fakeuser/demo", crash_after=7200)
    one.advance(a)
    one.advance(b)
    two.move_to(one.now())
    assert (s1.stage, s1.current_hardware, s1.last_activity_ns) == (
        s2.stage,
        s2.current_hardware,
        s2.last_activity_ns,
    )
    assert [(line.at_ns, line.text) for line in s1.run_logs] == [
        (line.at_ns, line.text) for line in s2.run_logs
    ]


@settings(max_examples=30, deadline=None)
@given(steps=st.lists(DURATIONS, max_size=8))
def test_runs_are_deterministic(steps: list[float]) -> None:
    assert _run(steps, "timed") == _run(steps, "timed")
