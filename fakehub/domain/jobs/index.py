"""Indexes over the job store, so reads cost the same at 100 jobs and at 100,000.

Everything here is derived from ``JobRuns.jobs`` and kept up to date by the operation that
changes a job (created, relabelled, moved to another stage): no read ever rebuilds it, and none
can see it stale. ``tests/property/test_indexes.py`` checks every index against a full scan.

* jobs per namespace, in creation order, and each job's position there: a cursor (the last id
  a page showed) seeks straight to its position instead of searching a rebuilt list;
* label ``(namespace, key, value)`` -> sorted positions of the jobs carrying it;
* ``(namespace, stage)`` -> the jobs in that stage (``count`` and stage filters);
* scheduled job id -> its runs that are not finished (the cron's "already running?" check).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator, Mapping, Sequence

from fakehub.derived import Derived
from fakehub.domain.jobs.records import Job, JobStage

#: A stage filter walks its (sorted) stage members instead of the namespace when it holds
#: fewer than this share of the jobs to walk: sorting k positions beats visiting n/k jobs per hit.
_SPARSE = 8


class JobIndex(Derived):
    def __init__(self) -> None:
        self._by_namespace: dict[str, list[Job]] = {}
        self._position: dict[str, int] = {}
        #: namespace -> key -> value -> positions; one position is kept as a bare int (most
        #: values, the default ``name`` label first, belong to a single job)
        self._labels: dict[str, dict[str, dict[str, list[int] | int]]] = {}
        self._stages: dict[tuple[str, JobStage], dict[str, Job]] = {}
        self._active: dict[str, dict[str, Job]] = {}

    # -- maintenance (called by the operation that changes the job) -------------------------

    def add(self, job: Job) -> None:
        jobs = self._by_namespace.setdefault(job.namespace, [])
        self._position[job.id] = len(jobs)
        jobs.append(job)
        self._label(job, job.labels, add=True)
        self._stages.setdefault((job.namespace, job.stage), {})[job.id] = job
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
        members = self._stages[(job.namespace, before)]
        del members[job.id]
        if not members:
            del self._stages[(job.namespace, before)]
        self._stages.setdefault((job.namespace, job.stage), {})[job.id] = job
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
            members = [self._stages.get((namespace, stage), {}) for stage in stages]
            if sum(map(len, members)) * _SPARSE < cut:
                source = sorted(
                    p
                    for group in members
                    for job_id in group
                    if (p := self._position[job_id]) < end
                )
                cut = len(source)
        return (source[i] for i in range(cut - 1, -1, -1))


def matches(job: Job, stages: frozenset[JobStage], labels: Sequence[tuple[str, str]]) -> bool:
    """Every filter holds (AND): one of the stages if any, every label."""
    return (not stages or job.stage in stages) and all(
        job.labels.get(key) == value for key, value in labels
    )
