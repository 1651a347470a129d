from __future__ import annotations

from fakehub.scheduler import Scheduler


def test_events_run_in_time_order_with_their_own_due_time() -> None:
    scheduler = Scheduler()
    seen: list[tuple[str, int]] = []
    scheduler.schedule(30, lambda at: seen.append(("c", at)))
    scheduler.schedule(10, lambda at: seen.append(("a", at)))
    scheduler.schedule(20, lambda at: seen.append(("b", at)))
    assert scheduler.run_until(25) == 2
    assert seen == [("a", 10), ("b", 20)]
    scheduler.run_until(100)
    assert seen[-1] == ("c", 30)


def test_ties_keep_insertion_order() -> None:
    scheduler = Scheduler()
    seen: list[int] = []
    for index in range(5):
        scheduler.schedule(7, lambda at, index=index: seen.append(index))
    scheduler.run_until(7)
    assert seen == [0, 1, 2, 3, 4]


def test_cancelled_events_never_run() -> None:
    scheduler = Scheduler()
    seen: list[int] = []
    handle = scheduler.schedule(5, lambda at: seen.append(at))
    handle.cancel()
    assert scheduler.run_until(10) == 0
    assert seen == []
    assert scheduler.next_due() is None


def test_events_scheduled_by_events_run_in_the_same_call_when_due() -> None:
    scheduler = Scheduler()
    seen: list[int] = []

    def chain(at: int) -> None:
        seen.append(at)
        if at < 40:
            scheduler.schedule(at + 10, chain)

    scheduler.schedule(10, chain)
    scheduler.run_until(35)
    assert seen == [10, 20, 30]
    assert scheduler.next_due() == 40


def test_an_event_applied_during_a_long_advance_sees_its_own_time() -> None:
    from fakehub import FakeHub

    hub = FakeHub()
    start = hub.now()
    seen: list[tuple[int, int]] = []

    def event(at: int) -> None:
        # an operation called from inside an event reads the event's time as "now"
        seen.append((at, hub.now()))

    hub.ctx.scheduler.schedule(start + 5 * 10**9, event)
    hub.advance(3600)
    assert seen == [(start + 5 * 10**9, start + 5 * 10**9)]
    assert hub.now() == start + 3600 * 10**9
