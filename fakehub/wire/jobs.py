"""Job, scheduled-job and hardware JSON (spec §4, §11, §12), shaped like the Hub's OpenAPI.

Secrets are emitted as names only; their values never leave the hub. Keys the schema does not
declare are left out, except ``network``, which 2.x clients read back when they sent one.
"""

from __future__ import annotations

from typing import Any

from fakehub.domain.jobs.records import Initiator, Job, JobSpec, LogLine, Person, StageEvent
from fakehub.domain.jobs.scheduled import ScheduledJob
from fakehub.timefmt import iso
from fakehub.wire.volumes import volume_json


def person_json(person: Person) -> dict[str, Any]:
    return {
        "id": person.id,
        "name": person.name,
        "type": person.type,
        "avatarUrl": person.avatar_url,
    }


def initiator_json(initiator: Initiator) -> dict[str, Any]:
    if initiator.person is not None:
        return person_json(initiator.person)
    return {"type": initiator.type, "id": initiator.id}


def spec_json(
    spec: JobSpec,
    labels: dict[str, str] | None = None,
    expose: tuple[tuple[int, ...] | None, tuple[int, ...]] | None = None,
) -> dict[str, Any]:
    """The spec in response form: ``timeout`` (not ``timeoutSeconds``), secret names only."""
    body: dict[str, Any] = {}
    if spec.docker_image is not None:
        body["dockerImage"] = spec.docker_image
    if spec.space_id is not None:
        body["spaceId"] = spec.space_id
    body |= {
        "command": list(spec.command),
        "arguments": list(spec.arguments),
        "environment": dict(spec.environment),
        "secrets": list(spec.secrets),
        "flavor": spec.flavor,
        "timeout": spec.timeout_seconds,
        "retry": spec.attempts - 1,
        "labels": dict(spec.labels if labels is None else labels),
    }
    if spec.arch is not None:
        body["arch"] = spec.arch
    if spec.resource_group_id is not None:
        body["resourceGroupId"] = spec.resource_group_id
    if spec.volumes:
        body["volumes"] = [volume_json(v) for v in spec.volumes]
    ports, public = expose if expose is not None else (spec.expose_ports, spec.expose_public)
    if ports is not None:
        body["expose"] = {"ports": list(ports), "portsPublic": list(public)}
    return body


def job_json(job: Job, now_ns: int) -> dict[str, Any]:
    spec = job.spec
    body: dict[str, Any] = {"id": job.id, "type": "job", "createdAt": iso(job.created_at)}
    if job.started_at is not None:
        body["startedAt"] = iso(job.started_at)
    if job.finished_at is not None:
        body["finishedAt"] = iso(job.finished_at)
    body |= spec_json(spec, job.labels, (job.expose_ports, job.expose_public))
    if spec.network is not None:
        body["network"] = {"group": spec.network.group, "aliases": list(spec.network.aliases)}
    scheduling, running, total = job.durations(now_ns)
    body["createdBy"] = {"id": job.created_by.id, "name": job.created_by.name}
    body["owner"] = person_json(job.owner)
    body["initiator"] = initiator_json(job.initiator)
    body["durations"] = {"schedulingSecs": scheduling, "runningSecs": running, "totalSecs": total}
    body["status"] = status_json(job)
    return body


def status_json(job: Job) -> dict[str, Any]:
    status: dict[str, Any] = {"stage": job.stage.value, "message": job.message}
    if job.failure_count:
        status["failureCount"] = job.failure_count
    if job.expose_ports:
        status["exposeUrls"] = [f"https://{job.id}--{port}.hf.jobs" for port in job.expose_ports]
    if job.spec.ssh:
        status["sshUrl"] = f"ssh://{job.id}@ssh.hf.jobs"
    return status


def scheduled_job_json(item: ScheduledJob, now_ns: int) -> dict[str, Any]:
    last = item.last_job
    return {
        "id": item.id,
        "type": "scheduled-job",
        "createdAt": iso(item.created_at),
        "schedule": item.cron.expression,
        "suspend": item.suspend,
        "concurrency": item.concurrency,
        "status": {
            "lastJob": {"id": last[0], "at": iso(last[1])} if last else None,
            "nextJobRunAt": iso(item.next_run_at(now_ns)),
        },
        "owner": person_json(item.owner),
        "initiator": person_json(item.created_by),
        "jobSpec": spec_json(item.spec),
    }


def log_event(line: LogLine) -> dict[str, Any]:
    """One ``/logs`` event; the same line always gives the same bytes (2.4.0 resumes by equality)."""
    return {"timestamp": iso(line.at_ns), "data": line.text}


def stage_event(event: StageEvent) -> dict[str, Any]:
    """One ``/events`` event: the job's ``status`` (as in its JSON) when it entered a stage."""
    status: dict[str, Any] = {"stage": event.stage.value, "message": event.message}
    if event.failure_count:
        status["failureCount"] = event.failure_count
    return {"timestamp": iso(event.at_ns), "status": status}
