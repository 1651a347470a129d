"""Request bodies of the Jobs routes (spec §3, §6, §12), parsed strictly into domain values.

Unknown keys are ignored (newer clients add fields); wrong types are a 400 naming the field.
Semantic rules (flavors, patterns, ranges) live in ``fakehub.domain.jobs.rules``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr

from fakehub.domain.jobs.records import DEFAULT_TIMEOUT_SECONDS, NO_VALUES, JobSpec, Network
from fakehub.wire.parse import WireModel
from fakehub.wire.volumes import VolumeBody


class JobVolumeBody(VolumeBody):
    type: Literal["bucket", "model", "dataset", "space"]


class ExposeBody(WireModel):
    ports: list[StrictInt]
    ports_public: list[StrictInt] = Field(default_factory=list, alias="portsPublic")


class SshBody(WireModel):
    enabled: StrictBool = False


class NetworkBody(WireModel):
    group: StrictStr
    aliases: list[StrictStr] = Field(default_factory=list)


class JobSpecBody(WireModel):
    flavor: StrictStr
    command: list[StrictStr] = Field(default_factory=list)
    arguments: list[StrictStr] = Field(default_factory=list)
    docker_image: StrictStr | None = Field(default=None, alias="dockerImage")
    space_id: StrictStr | None = Field(default=None, alias="spaceId")
    environment: dict[str, StrictStr] | None = None
    secrets: dict[str, StrictStr] | None = None
    timeout_seconds: StrictInt | None = Field(default=None, alias="timeoutSeconds")
    attempts: StrictInt = 1
    labels: dict[str, StrictStr] | None = None
    volumes: list[JobVolumeBody] | None = None
    expose: ExposeBody | None = None
    ssh: SshBody | None = None
    network: NetworkBody | None = None
    resource_group_id: StrictStr | None = Field(default=None, alias="resourceGroupId")
    arch: Literal["amd64", "arm64"] | None = None

    def to_spec(self) -> JobSpec:
        expose = self.expose
        return JobSpec(
            flavor=self.flavor,
            command=tuple(self.command),
            arguments=tuple(self.arguments),
            docker_image=self.docker_image,
            space_id=self.space_id,
            environment=dict(self.environment) if self.environment else NO_VALUES,
            secrets=dict(self.secrets) if self.secrets else NO_VALUES,
            timeout_seconds=(
                DEFAULT_TIMEOUT_SECONDS if self.timeout_seconds is None else self.timeout_seconds
            ),
            attempts=self.attempts,
            labels=dict(self.labels or {}),
            volumes=tuple(v.to_volume() for v in self.volumes or ()),
            expose_ports=tuple(dict.fromkeys(expose.ports)) if expose else None,
            expose_public=tuple(dict.fromkeys(expose.ports_public)) if expose else (),
            ssh=bool(self.ssh and self.ssh.enabled),
            network=Network(self.network.group, tuple(self.network.aliases))
            if self.network
            else None,
            resource_group_id=self.resource_group_id,
            arch=self.arch,
        )


class ScheduledJobBody(WireModel):
    job_spec: JobSpecBody = Field(alias="jobSpec")
    schedule: StrictStr
    suspend: StrictBool | None = None
    concurrency: StrictBool | None = None


class LabelsBody(WireModel):
    labels: dict[str, StrictStr]


class ExposeUpdateBody(WireModel):
    ports: list[StrictInt] = Field(default_factory=list)
    ports_public: list[StrictInt] = Field(default_factory=list, alias="portsPublic")


class ScheduleBody(WireModel):
    schedule: StrictStr
