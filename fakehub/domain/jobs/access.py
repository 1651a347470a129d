"""Who may read and write jobs in a namespace, and the people jobs are stamped with.

Shared by one-off jobs (:mod:`.service`) and scheduled jobs (:mod:`.scheduled`).
"""

from __future__ import annotations

from fakehub.derived import Memo
from fakehub.domain.accounts import Actor
from fakehub.domain.buckets.store import BucketStore
from fakehub.domain.context import HubContext
from fakehub.domain.errors import (
    BadRequest,
    Forbidden,
    NotFound,
    NotImplementedByFake,
    Unauthorized,
)
from fakehub.domain.jobs.records import Job, JobSpec, Person
from fakehub.domain.spaces.store import SpaceStore

#: The public bucket the 2.4.0 client's sandboxes download their server from (a job mounting it
#: is a sandbox, which the client then drives over the job's exposed port: nothing answers here)
SANDBOX_SERVER_BUCKET = "huggingface/sbx-server"


class JobAccess:
    def __init__(
        self, ctx: HubContext, spaces: SpaceStore, buckets: BucketStore | None = None
    ) -> None:
        self.ctx = ctx
        #: where ``spaceId`` and ``space`` volumes are looked up, as their caller sees them
        self.spaces = spaces
        #: where ``bucket`` volumes are checked (none: they are not)
        self.buckets = buckets
        #: one ``Person`` per account, shared by every job it owns or created (a frozen value;
        #: rebuilt if the account record is replaced)
        self._people: Memo[str, tuple[object, Person]] = Memo()

    # -- access --------------------------------------------------------------------------------

    def person(self, namespace: str) -> Person:
        accounts = self.ctx.accounts
        account: object = accounts.orgs.get(namespace) or accounts.users[namespace]
        known = self._people.get(namespace)
        if known is not None and known[0] is account:
            return known[1]
        if namespace in accounts.orgs:
            org = accounts.orgs[namespace]
            person = Person(org.id, org.name, "org", f"/avatars/{org.name}.svg")
        else:
            user = accounts.users[namespace]
            avatar = user.avatar_url or f"/avatars/{user.name}.svg"
            person = Person(user.id, user.name, "user", avatar)
        self._people[namespace] = (account, person)
        return person

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
            if bucket is None and volume.source == SANDBOX_SERVER_BUCKET:
                raise NotImplementedByFake(
                    f"{where}.source: {volume.source!r} holds the server a sandbox runs"
                    " (`hf sandbox`, `Sandbox.create`): sandboxes are not faked, fakehub runs no"
                    " code for a sandbox to answer from"
                )
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
