"""Indexes over the job store, so reads cost the same at 100 jobs and at 100,000.

Everything here is derived from ``JobRuns.jobs`` and kept up to date by the operation that
changes a job (created, relabelled, moved to another stage): no read ever rebuilds it, and none
can see it stale. ``tests/property/test_indexes.py`` checks every index against a full scan.

* jobs per namespace, in creation order, and each job's position there: a cursor (the last id
  a page showed) seeks straight to its position instead of searching a rebuilt list;
* label ``(namespace, key, value)`` -> sorted positions of the jobs carrying it;
* ``(namespace, stage)`` -> sorted positions of the jobs in that stage (``count``, filters);
* scheduled job id -> its runs that are not finished (the cron's "already running?" check).
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator, Mapping, Sequence

from fakehub.derived import Derived
from fakehub.domain.jobs.records import Job, JobStage


class JobIndex(Derived):
    def __init__(self) -> None:
        self._by_namespace: dict[str, list[Job]] = {}
        self._position: dict[str, int] = {}
        #: namespace -> key -> value -> positions; one position is kept as a bare int (most
        #: values, the default ``name`` label first, belong to a single job)
        self._labels: dict[str, dict[str, dict[str, list[int] | int]]] = {}
        #: (namespace, stage) -> sorted positions of the jobs in that stage
        self._stages: dict[tuple[str, JobStage], list[int]] = {}
        self._active: dict[str, dict[str, Job]] = {}

    # -- maintenance (called by the operation that changes the job) -------------------------

    def add(self, job: Job) -> None:
        jobs = self._by_namespace.setdefault(job.namespace, [])
        self._position[job.id] = len(jobs)
        jobs.append(job)
        self._label(job, job.labels, add=True)
        # the newest job has the largest position: appending keeps the list sorted
        self._stages.setdefault((job.namespace, job.stage), []).append(self._position[job.id])
        if job.scheduled_job_id is not None and not job.stage.terminal:
            self._active.setdefault(job.scheduled_job_id, {})[job.id] = job

    def relabel(self, job: Job, before: Mapping[str, str]) -> None:
        """``job.labels`` replaced ``before``."""
        self._label(job, before, add=False)
        self._label(job, job.labels, add=True)

    def restage(self, job: Job, before: JobStage) -> None:
        """``job.stage`` was ``before`` (no-op when it did not change)."""
        if job.stage is before:
            return
        position = self._position[job.id]
        members = self._stages[(job.namespace, before)]
        del members[bisect_left(members, position)]
        if not members:
            del self._stages[(job.namespace, before)]
        insort(self._stages.setdefault((job.namespace, job.stage), []), position)
        if job.stage.terminal and job.scheduled_job_id is not None:
            active = self._active.get(job.scheduled_job_id, {})
            active.pop(job.id, None)
            if not active:
                self._active.pop(job.scheduled_job_id, None)

    def _label(self, job: Job, labels: Mapping[str, str], *, add: bool) -> None:
        position = self._position[job.id]
        keys = self._labels.setdefault(job.namespace, {})
        for key, value in labels.items():
            values = keys.setdefault(key, {})
            held = values.get(value)
            if add:
                if held is None:
                    values[value] = position
                elif isinstance(held, int):
                    values[value] = sorted((held, position))
                else:
                    insort(held, position)
                continue
            if isinstance(held, int):
                del values[value]
            else:
                assert held is not None
                del held[bisect_left(held, position)]
                if len(held) == 1:
                    values[value] = held[0]
            if not values:
                del keys[key]

    def _positions(self, namespace: str, key: str, value: str) -> Sequence[int]:
        held = self._labels.get(namespace, {}).get(key, {}).get(value, ())
        return (held,) if isinstance(held, int) else held

    # -- reads -------------------------------------------------------------------------------

    def namespace(self, namespace: str) -> Sequence[Job]:
        return self._by_namespace.get(namespace, ())

    def active_runs(self, scheduled_id: str) -> Iterable[Job]:
        """Runs of a schedule not finished yet, oldest first."""
        return self._active.get(scheduled_id, {}).values()

    def count(self, namespace: str, stages: frozenset[JobStage]) -> int:
        if not stages:
            return len(self.namespace(namespace))
        return sum(len(self._stages.get((namespace, stage), ())) for stage in stages)

    def page(
        self,
        namespace: str,
        stages: frozenset[JobStage],
        labels: Sequence[tuple[str, str]],
        after: Job | None,
        size: int,
    ) -> tuple[list[Job], bool]:
        """Up to ``size`` matching jobs older than ``after``, newest first; and whether more match."""
        jobs = self.namespace(namespace)
        end = self._position[after.id] if after is not None else len(jobs)
        found: list[Job] = []
        for position in self._candidates(namespace, stages, labels, end):
            job = jobs[position]
            if matches(job, stages, labels):
                found.append(job)
                if len(found) > size:
                    return found[:size], True
        return found, False

    def _candidates(
        self,
        namespace: str,
        stages: frozenset[JobStage],
        labels: Sequence[tuple[str, str]],
        end: int,
    ) -> Iterator[int]:
        """Positions below ``end``, descending, that may match: the narrowest index wins."""
        source: Sequence[int] = range(end)
        cut = end
        for key, value in labels:
            positions = self._positions(namespace, key, value)
            below = bisect_left(positions, end)
            if below < cut:
                source, cut = positions, below
        if stages:
            lists = [self._stages.get((namespace, stage), []) for stage in stages]
            cuts = [bisect_left(members, end) for members in lists]
            if sum(cuts) < cut:
                if len(lists) == 1:
                    source, cut = lists[0], cuts[0]
                else:  # several stages: their positions merged, newest first
                    return heapq.merge(
                        *(_descending(members, c) for members, c in zip(lists, cuts, strict=True)),
                        reverse=True,
                    )
        return _descending(source, cut)


def _descending(positions: Sequence[int], cut: int) -> Iterator[int]:
    """``positions[:cut]`` from the last, without copying."""
    return (positions[i] for i in range(cut - 1, -1, -1))


def matches(job: Job, stages: frozenset[JobStage], labels: Sequence[tuple[str, str]]) -> bool:
    """Every filter holds (AND): one of the stages if any, every label."""
    return (not stages or job.stage in stages) and all(
        job.labels.get(key) == value for key, value in labels
    )
