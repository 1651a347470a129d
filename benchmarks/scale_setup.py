"""Building hubs for ``bench_scale.py``: Spaces and Jobs added through the domain operations.

Creating 10k Spaces or 100k Jobs over HTTP would take minutes of client time that says nothing
about the fake; the operations are the same ones the routes call.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field

from fakehub import FakeHub
from fakehub.domain.accounts import Actor
from fakehub.domain.jobs.outcomes import JobOutcome
from fakehub.domain.jobs.records import JobSpec
from fakehub.domain.spaces.commits import AddFile
from fakehub.domain.spaces.files import CommitHeader
from fakehub.domain.spaces.options import SpaceOptions

#: a README whose card lists a tag only some Spaces carry (the sparse ``filter=``)
TAGGED_README = b"---\nsdk: gradio\napp_file: app.py\ntags: [demo]\n---\n# A tagged demo\n"
#: how many of the timed creates go into one sample (medians of blocks keep a full garbage
#: collection, which Python runs now and then as the heap grows, from deciding the figure)
BLOCK = 100


@dataclass
class CreateTimes:
    """CPU seconds per block of ``BLOCK`` creates, in order."""

    blocks: list[float] = field(default_factory=list)

    def per_create_us(self, first: bool, span: int = 1000) -> float:
        """Median µs per create over the first (or last) ``span`` creates."""
        count = max(1, span // BLOCK)
        chosen = self.blocks[:count] if first else self.blocks[-count:]
        return statistics.median(chosen) / BLOCK * 1e6


def actor(hub: FakeHub) -> Actor:
    found = hub.ctx.accounts.authenticate("Bearer hf_fake_write")
    assert found is not None
    return found


def _timed(
    count: int, create: Callable[[int], None], between: Callable[[], object] = lambda: None
) -> CreateTimes:
    """``create`` each index, timed per block; ``between`` runs after each block, untimed."""
    times = CreateTimes()
    for start in range(0, count, BLOCK):
        # CPU time of this process: other work on the shared machine does not count
        began = time.process_time()
        for index in range(start, min(count, start + BLOCK)):
            create(index)
        times.blocks.append(time.process_time() - began)
        between()
    return times


def add_spaces(hub: FakeHub, count: int) -> CreateTimes:
    """``count`` more Spaces: 1 in 5 in ``fakeorg``, 1 in 10 static, 1 in 7 private; then 1 in
    100 of them get a README whose card lists the tag ``demo``."""
    who = actor(hub)
    first = len(hub.space_store)

    def create(index: int) -> None:
        index += first
        hub.repos.create(
            who,
            name=f"space-{index}",
            organization="fakeorg" if index % 5 == 0 else None,
            sdk="static" if index % 10 == 3 else "gradio",
            visibility="private" if index % 7 == 0 else None,
            options=SpaceOptions(),
            endpoint="https://huggingface.co",
        )

    times = _timed(count, create)
    for space in list(hub.space_store.spaces())[first::100]:
        header = CommitHeader("Tag it")
        hub.repos.files.commit(
            who, space.repo_id, "main", header, [AddFile("README.md", TAGGED_README)]
        )
    return times


def add_jobs(hub: FakeHub, count: int) -> CreateTimes:
    """``count`` finished Jobs in ``fakeuser``: label ``k`` = index mod 10, 1 in 20 ERROR."""
    who = actor(hub)

    def create(index: int) -> None:
        if index % 20 == 7:
            hub.jobs.queue_outcomes(JobOutcome.of(exit_code=1))
        spec = JobSpec(
            "cpu-basic",
            ("python", "-c", f"print({index})"),
            "python:3.12",
            labels={"k": str(index % 10)},
        )
        hub.jobs.run(who, "fakeuser", spec)

    # Each block runs to its end before the next (5 s scheduling + 60 s run): the hub holds
    # ever more jobs, never 100k starting at once (which would measure the event heap).
    times = _timed(count, create, between=lambda: hub.advance(120))
    hub.advance(3600)
    return times


def bytes_per(make: Callable[[FakeHub, int], object], count: int) -> float:
    """Traced bytes a hub keeps per item after ``make(hub, count)`` (a warm hub, collected)."""
    hub = FakeHub()
    make(hub, 50)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    make(hub, count)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after - before) / count
