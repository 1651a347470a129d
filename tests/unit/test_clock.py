from __future__ import annotations

import pytest

from fakehub.clock import DEFAULT_START_NS, NS_PER_SECOND, VirtualClock


class FakeReal:
    def __init__(self) -> None:
        self.ns = 0

    def __call__(self) -> int:
        return self.ns


def test_manual_clock_moves_only_when_told() -> None:
    real = FakeReal()
    clock = VirtualClock(real_ns=real)
    real.ns += 10 * NS_PER_SECOND
    assert clock.now() == DEFAULT_START_NS
    assert clock.advance(1.5) == DEFAULT_START_NS + 1_500_000_000


def test_realtime_clock_scales_real_time_by_speed() -> None:
    real = FakeReal()
    clock = VirtualClock(1000, mode="realtime", speed=60, real_ns=real)
    real.ns += NS_PER_SECOND
    assert clock.now() == 1000 + 60 * NS_PER_SECOND


def test_advance_adds_to_realtime() -> None:
    real = FakeReal()
    clock = VirtualClock(0, mode="realtime", speed=2, real_ns=real)
    clock.advance(10)
    real.ns += NS_PER_SECOND
    assert clock.now() == 12 * NS_PER_SECOND


def test_switching_mode_never_jumps() -> None:
    real = FakeReal()
    clock = VirtualClock(0, mode="realtime", speed=10, real_ns=real)
    real.ns += NS_PER_SECOND
    clock.set_mode("manual")
    assert clock.now() == 10 * NS_PER_SECOND
    real.ns += NS_PER_SECOND
    assert clock.now() == 10 * NS_PER_SECOND
    clock.set_mode("realtime", speed=1)
    real.ns += NS_PER_SECOND
    assert clock.now() == 11 * NS_PER_SECOND


@pytest.mark.parametrize("bad", [-1, -0.001])
def test_the_clock_never_goes_backwards(bad: float) -> None:
    clock = VirtualClock(0)
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(bad)
    with pytest.raises(ValueError, match="backwards"):
        clock.move_to(-1)


def test_speed_must_be_positive() -> None:
    with pytest.raises(ValueError):
        VirtualClock(0, speed=0)
    with pytest.raises(ValueError):
        VirtualClock(0).set_mode("realtime", speed=-2)
