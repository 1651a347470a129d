"""Every index the hub keeps equals a full scan of what it indexes, after random operations.

The Space and Job stores keep indexes (names, namespaces, tags, sort orders, labels, stages,
active runs per schedule) so reads stay flat at 10k Spaces and 100k Jobs. None may ever answer
stale state: after each step of a random history, every index is rebuilt here the slow way and
compared, and the listings the indexes serve are compared with a naive filter of the store.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from fakehub import FakeHub
from fakehub.domain.accounts import Actor
from fakehub.domain.errors import HubError
from fakehub.domain.jobs.records import Job, JobSpec, JobStage
from fakehub.domain.spaces.commits import AddFile
from fakehub.domain.spaces.files import CommitHeader
from fakehub.domain.spaces.index import SORT_VALUES, tags_of
from fakehub.domain.spaces.listing import SORT_KEYS, SpaceQuery
from fakehub.domain.spaces.options import SpaceOptions
from fakehub.domain.spaces.repos import SpaceView
from fakehub.domain.spaces.starter import readme_text

NAMESPACES = ("fakeuser", "fakeorg")
NAMES = ("demo", "Demo", "app", "my-app", "x1", "other")
TAGS = ("a", "b", "gradio", "region:eu")
SDKS = ("gradio", "static", "docker")
LABELS = st.dictionaries(st.sampled_from(["k", "team", "name"]), st.sampled_from(["1", "2"]))
STAGES = st.frozensets(st.sampled_from(list(JobStage)), max_size=2)


def _readme(sdk: str, tags: list[str]) -> bytes:
    lines = ["---", f"sdk: {sdk}", "app_file: app.py"]
    if tags:
        lines.append("tags: [" + ", ".join(tags) + "]")
    return ("\n".join([*lines, "---", "", "# hi", ""])).encode()


class Indexes(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.hub = FakeHub()
        user = self.hub.ctx.accounts.users["fakeuser"]
        self.actor = Actor(user=user, role="write")
        self.schedules: list[tuple[str, str]] = []

    # -- Spaces --------------------------------------------------------------------------------

    def _space_ids(self) -> list[str]:
        return [space.repo_id for space in self.hub.space_store.spaces()]

    @rule(ns=st.sampled_from(NAMESPACES), name=st.sampled_from(NAMES), sdk=st.sampled_from(SDKS))
    def create_space(self, ns: str, name: str, sdk: str) -> None:
        with suppress(HubError):  # taken (case-insensitively): the invariants check the index
            self.hub.repos.create(
                self.actor,
                name=name,
                organization=ns,
                sdk=sdk,
                visibility="private" if name == "app" else None,
                options=SpaceOptions(region="eu" if name == "x1" else None),
                endpoint="https://huggingface.co",
            )

    @rule(pick=st.integers(0, 20), sdk=st.sampled_from(SDKS), tags=st.lists(st.sampled_from(TAGS)))
    def commit_readme(self, pick: int, sdk: str, tags: list[str]) -> None:
        ids = self._space_ids()
        if ids:
            self.hub.advance(1)
            readme = (
                _readme(sdk, tags)
                if tags or pick % 3
                else readme_text("x", sdk, self.hub.ctx.ids).encode()
            )
            files = [AddFile("README.md", readme)]
            self.hub.repos.files.commit(
                self.actor, ids[pick % len(ids)], "main", CommitHeader("c"), files
            )

    @rule(pick=st.integers(0, 20))
    def delete_space(self, pick: int) -> None:
        ids = self._space_ids()
        if ids:
            self.hub.repos.delete(self.actor, ids[pick % len(ids)])

    @rule(pick=st.integers(0, 20), ns=st.sampled_from(NAMESPACES), name=st.sampled_from(NAMES))
    def move_or_duplicate(self, pick: int, ns: str, name: str) -> None:
        ids = self._space_ids()
        if not ids:
            return
        try:
            if pick % 2:
                self.hub.repos.move(self.actor, ids[pick % len(ids)], f"{ns}/{name}")
            else:
                self.hub.repos.duplicate(
                    self.actor,
                    ids[pick % len(ids)],
                    f"{ns}/{name}",
                    visibility=None,
                    options=SpaceOptions(),
                    endpoint="https://huggingface.co",
                )
        except HubError:
            pass

    # -- Jobs ----------------------------------------------------------------------------------

    def _job_ids(self) -> list[str]:
        return list(self.hub.jobs.runs.jobs)

    @rule(ns=st.sampled_from(NAMESPACES), labels=LABELS, seconds=st.integers(1, 120))
    def run_job(self, ns: str, labels: dict[str, str], seconds: int) -> None:
        # Runs take 60 s by default: a timeout below that ends the job in ERROR.
        spec = JobSpec(
            "cpu-basic", ("sleep",), "python:3.12", labels=labels, timeout_seconds=seconds
        )
        self.hub.jobs.run(self.actor, ns, spec)

    @rule(pick=st.integers(0, 50), labels=LABELS)
    def relabel_or_cancel(self, pick: int, labels: dict[str, str]) -> None:
        ids = self._job_ids()
        if not ids:
            return
        job = self.hub.jobs.runs.jobs[ids[pick % len(ids)]]
        if pick % 2:
            self.hub.jobs.update_labels(self.actor, job.namespace, job.id, labels)
        else:
            self.hub.jobs.cancel(self.actor, job.namespace, job.id)

    @rule(ns=st.sampled_from(NAMESPACES), concurrency=st.booleans())
    def schedule(self, ns: str, concurrency: bool) -> None:
        spec = JobSpec("cpu-basic", ("echo",), "python:3.12")
        item = self.hub.jobs.scheduled.create(
            self.actor, ns, spec, "*/30 * * * *", concurrency=concurrency
        )
        self.schedules.append((ns, item.id))

    @rule(pick=st.integers(0, 10), delete=st.booleans())
    def trigger_or_delete_schedule(self, pick: int, delete: bool) -> None:
        if not self.schedules:
            return
        ns, scheduled_id = self.schedules[pick % len(self.schedules)]
        if delete:
            self.hub.jobs.scheduled.delete(self.actor, ns, scheduled_id)
            self.schedules.remove((ns, scheduled_id))
            return
        with suppress(HubError):  # an active run and no concurrency: 409
            self.hub.jobs.scheduled.trigger(self.actor, ns, scheduled_id)

    @rule(seconds=st.integers(0, 3600))
    def advance(self, seconds: int) -> None:
        self.hub.advance(seconds)

    # -- invariants ----------------------------------------------------------------------------

    @invariant()
    def space_indexes_match_a_scan(self) -> None:
        store = self.hub.space_store
        spaces = list(store.spaces())
        assert {s.repo_id.lower(): s for s in spaces} == dict(store._lowered)
        assert list(store.lowered_ids()) == [s.repo_id.lower() for s in spaces]
        for ns in NAMESPACES:
            assert list(store.in_namespace(ns)) == [s for s in spaces if s.namespace == ns]
        for space in spaces:
            tags = SpaceView(space, space.commits[-1]).tags
            assert list(store.index.tags(space.repo_id)) == tags == list(tags_of(space))
        for tag in {t for s in spaces for t in store.index.tags(s.repo_id)} | set(TAGS):
            expected = [s for s in spaces if tag in tags_of(s)]
            assert store.index.in_store_order(store.index.tagged(tag)) == expected
        for key, value in SORT_VALUES.items():
            ranked = sorted(range(len(spaces)), key=lambda i: (value(spaces[i]), i))
            assert list(store.index.ordered(key, False)) == [spaces[i] for i in ranked]
            assert list(store.index.ordered(key, True)) == [spaces[i] for i in reversed(ranked)]

    @invariant()
    def space_listings_match_a_naive_filter(self) -> None:
        for query in _queries():
            got, more = self.hub.repos.list(self.actor, query, lambda v: v.space.repo_id)
            expected = _naive_list(self.hub, self.actor, query)
            page = expected[query.offset : query.offset + query.limit]
            assert (got, more) == (page, query.offset + query.limit < len(expected)), query

    @invariant()
    def job_indexes_match_a_scan(self) -> None:
        runs = self.hub.jobs.runs
        jobs = list(runs.jobs.values())
        for ns in NAMESPACES:
            mine = [job for job in jobs if job.namespace == ns]
            assert list(runs.index.namespace(ns)) == mine
            for stages in (frozenset(), *({s} for s in JobStage)):
                assert runs.index.count(ns, frozenset(stages)) == sum(
                    1 for job in mine if not stages or job.stage in stages
                )
        for item in self.hub.jobs.scheduled.items.values():
            active = [j for j in jobs if j.scheduled_job_id == item.id and not j.stage.terminal]
            assert list(runs.index.active_runs(item.id)) == active

    @invariant()
    def job_pages_match_a_naive_filter(self) -> None:
        self.hub.jobs.page_size = 3
        for ns in NAMESPACES:
            for stages, labels in _job_filters():
                assert _all_pages(self.hub, self.actor, ns, stages, labels) == [
                    job.id for job in _naive_jobs(self.hub, ns, stages, labels)
                ]


def _queries() -> list[SpaceQuery]:
    queries = [SpaceQuery(), SpaceQuery(limit=2), SpaceQuery(offset=1, limit=2)]
    queries += [SpaceQuery(author=ns, limit=3) for ns in NAMESPACES]
    queries += [SpaceQuery(search=text) for text in ("APP", "user/d", "zzz")]
    queries += [SpaceQuery(filters=(tag,), limit=2) for tag in TAGS]
    queries += [SpaceQuery(filters=("a", "b"), search="a")]
    queries += [
        SpaceQuery(sort=key, descending=descending, limit=3, author=author)
        for key in SORT_KEYS
        for descending in (True, False)
        for author in (None, "fakeorg")
    ]
    return queries


def _naive_list(hub: FakeHub, actor: Actor, query: SpaceQuery) -> list[str]:
    """The listing as the first version computed it: filter the store, then a keyed sort."""
    store = hub.space_store
    views = [
        SpaceView(s, s.commits[-1])
        for s in store.spaces()
        if store.can_see(actor, s)
        and (query.author is None or s.namespace == query.author)
        and (query.search is None or query.search.lower() in s.repo_id.lower())
    ]
    views = [v for v in views if all(f in v.tags for f in query.filters)]
    if query.sort is not None:
        values: dict[str, Any] = {**SORT_VALUES, "likes": lambda s: 0, "trendingScore": lambda s: 0}
        order = {id(v): n for n, v in enumerate(views)}
        views.sort(
            key=lambda v: (values[query.sort](v.space), order[id(v)]), reverse=query.descending
        )
    return [v.space.repo_id for v in views]


def _job_filters() -> list[tuple[frozenset[JobStage], tuple[tuple[str, str], ...]]]:
    return [
        (frozenset(), ()),
        (frozenset({JobStage.COMPLETED}), ()),
        (frozenset({JobStage.RUNNING, JobStage.SCHEDULING}), ()),
        (frozenset(), (("k", "1"),)),
        (frozenset({JobStage.CANCELED}), (("k", "2"), ("team", "1"))),
    ]


def _naive_jobs(
    hub: FakeHub, ns: str, stages: frozenset[JobStage], labels: tuple[tuple[str, str], ...]
) -> list[Job]:
    return [
        job
        for job in reversed(hub.jobs.runs.jobs.values())
        if job.namespace == ns
        and (not stages or job.stage in stages)
        and all(job.labels.get(k) == v for k, v in labels)
    ]


def _all_pages(
    hub: FakeHub,
    actor: Actor,
    ns: str,
    stages: frozenset[JobStage],
    labels: tuple[tuple[str, str], ...],
) -> list[str]:
    seen: list[str] = []
    cursor = None
    while True:
        page = hub.jobs.list_jobs(actor, ns, stages=stages, labels=labels, cursor=cursor)
        seen += [job.id for job in page.jobs]
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


Indexes.TestCase.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)
test_indexes = Indexes.TestCase
