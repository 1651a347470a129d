"""Who may read and write jobs in a namespace, and the people jobs are stamped with.

Shared by one-off jobs (:mod:`.service`) and scheduled jobs (:mod:`.scheduled`).
"""

from __future__ import annotations

from fakehub.domain.accounts import Actor
from fakehub.domain.buckets.store import BucketStore
from fakehub.domain.context import HubContext
from fakehub.domain.errors import BadRequest, Forbidden, NotFound, Unauthorized
from fakehub.domain.jobs.records import Job, JobSpec, Person
from fakehub.domain.spaces.store import SpaceStore


class JobAccess:
    def __init__(
        self, ctx: HubContext, spaces: SpaceStore, buckets: BucketStore | None = None
    ) -> None:
        self.ctx = ctx
        #: where ``spaceId`` and ``space`` volumes are looked up, as their caller sees them
        self.spaces = spaces
        #: where ``bucket`` volumes are checked (none: they are not)
        self.buckets = buckets

    # -- access --------------------------------------------------------------------------------

    def person(self, namespace: str) -> Person:
        accounts = self.ctx.accounts
        if namespace in accounts.orgs:
            org = accounts.orgs[namespace]
            return Person(org.id, org.name, "org", f"/avatars/{org.name}.svg")
        user = accounts.users[namespace]
        return Person(user.id, user.name, "user", user.avatar_url or f"/avatars/{user.name}.svg")

    def require_read(self, actor: Actor | None, namespace: str) -> None:
        accounts = self.ctx.accounts
        if actor is None:
            raise Unauthorized("You must be authenticated to access jobs")
        if not accounts.namespace_exists(namespace):
            raise NotFound(f"Namespace '{namespace}' does not exist (no such user or organization)")
        if not accounts.can_read_namespace(actor, namespace):
            raise Forbidden(f"You don't have the rights to read jobs in {namespace}")

    def require_write(self, actor: Actor | None, namespace: str, what: str) -> Person:
        """The caller, once allowed to ``what`` in ``namespace``."""
        accounts = self.ctx.accounts
        if actor is not None and not accounts.namespace_exists(namespace):
            raise NotFound(f"Namespace '{namespace}' does not exist (no such user or organization)")
        allowed = accounts.require_write(actor, namespace, what)
        return self.person(allowed.name)

    def check_references(self, actor: Actor | None, spec: JobSpec, where: str = "") -> None:
        """The Spaces a spec names (``spaceId``, ``space`` volumes) must be visible to the caller."""
        prefix = f"{where}." if where else ""
        if spec.space_id is not None:
            self.spaces.referenced(actor, spec.space_id, f"{prefix}spaceId")
        self.spaces.check_volumes(actor, spec.volumes, f"{prefix}volumes")
        self._check_buckets(actor, spec, f"{prefix}volumes")

    def _check_buckets(self, actor: Actor | None, spec: JobSpec, field: str) -> None:
        """A bucket volume must name a bucket the caller may read, and its ``path`` must hold
        files (the client uploads them before it runs the job)."""
        if self.buckets is None:
            return
        for index, volume in enumerate(spec.volumes):
            if volume.type != "bucket":
                continue
            where = f"{field}[{index}]"
            bucket = self.buckets.get(volume.source)
            if bucket is None or not self.buckets.can_see(actor, bucket):
                raise BadRequest(
                    f"{where}.source: bucket {volume.source!r} not found (or you may not read it)"
                )
            folder = (volume.path or "").strip("/")
            if folder and not any(p == folder or p.startswith(folder + "/") for p in bucket.files):
                raise BadRequest(f"{where}.path: nothing at {folder!r} in bucket {volume.source!r}")

    def settle(self, job: Job) -> Job:
        """Apply steps that became due at this very instant (a zero-second scripted step)."""
        self.ctx.catch_up()
        return job
