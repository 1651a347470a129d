"""Validation of job specs, labels and exposed ports: the Hub's schema rules, with messages that
name the field and the value that broke them. Everything is checked before anything changes.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping, Sequence

from fakehub.domain.catalogue import JOB_FLAVORS, job_flavor
from fakehub.domain.errors import BadRequest
from fakehub.domain.jobs.records import JobSpec, JobStage

_ENV_KEY = re.compile(r"^[a-zA-Z][_a-zA-Z0-9]+$")
_SECRET_KEY = re.compile(r"^[a-zA-Z][_a-zA-Z0-9]*$")
_LABEL_KEY = re.compile(r"^[a-zA-Z0-9._-]+$")
_LABEL_VALUE = re.compile(r"^[a-zA-Z0-9._-]*$")
_HEX24 = re.compile(r"^[0-9a-fA-F]{24}$")
_NAME_CHARS = re.compile(r"[^A-Za-z0-9_-]")
MAX_LABEL_LENGTH = 100
MAX_PORTS = 20


def check_flavor(flavor: str) -> None:
    if job_flavor(flavor) is None:
        names = ", ".join(f.name for f in JOB_FLAVORS)
        raise BadRequest(f"flavor: unknown flavor {flavor!r}; expected one of {names}")


def check_labels(labels: Mapping[str, str], where: str = "labels") -> None:
    for key, value in labels.items():
        if len(key) > MAX_LABEL_LENGTH or not _LABEL_KEY.match(key):
            raise BadRequest(
                f"{where}: invalid label key {key!r} (1-100 characters of letters, digits, '.', "
                "'_' or '-')"
            )
        if len(value) > MAX_LABEL_LENGTH or not _LABEL_VALUE.match(value):
            raise BadRequest(
                f"{where}: invalid value {value!r} for label {key!r} (up to 100 characters of "
                "letters, digits, '.', '_' or '-')"
            )


def check_expose(ports: Sequence[int], public: Sequence[int], where: str = "expose") -> None:
    if len(ports) > MAX_PORTS:
        raise BadRequest(f"{where}.ports: at most {MAX_PORTS} ports, got {len(ports)}")
    for port in [*ports, *public]:
        if not 1 <= port <= 65535:
            raise BadRequest(f"{where}: port {port} is out of range 1-65535")
    extra = sorted(set(public) - set(ports))
    if extra:
        raise BadRequest(f"{where}.portsPublic: {extra} must also be listed in ports")


def check_spec(spec: JobSpec, where: str = "") -> None:
    """Every rule of the Hub's JobSpec schema that fakehub can check."""
    prefix = f"{where}." if where else ""
    check_flavor(spec.flavor)
    _check_image_and_command(spec, prefix)
    _check_names(spec, prefix)
    if spec.timeout_seconds <= 0:
        raise BadRequest(
            f"{prefix}timeoutSeconds: must be a positive integer, got {spec.timeout_seconds}"
        )
    if spec.attempts < 1:
        raise BadRequest(f"{prefix}attempts: must be at least 1, got {spec.attempts}")
    check_labels(spec.labels, f"{prefix}labels")
    for index, volume in enumerate(spec.volumes):
        if not volume.mount_path.startswith("/"):
            raise BadRequest(
                f"{prefix}volumes[{index}].mountPath: must be an absolute path, got "
                f"{volume.mount_path!r}"
            )
        if not volume.source:
            raise BadRequest(f"{prefix}volumes[{index}].source: must not be empty")
    if spec.expose_ports is not None:
        check_expose(spec.expose_ports, spec.expose_public, f"{prefix}expose")
    if spec.resource_group_id is not None and not _HEX24.match(spec.resource_group_id):
        raise BadRequest(f"{prefix}resourceGroupId: expected 24 hex characters")


def _check_image_and_command(spec: JobSpec, prefix: str) -> None:
    if (spec.docker_image is None) == (spec.space_id is None):
        raise BadRequest(f"{prefix}dockerImage / spaceId: exactly one of them is required")
    if spec.docker_image is not None and not spec.docker_image.strip():
        raise BadRequest(f"{prefix}dockerImage: must not be empty")
    # the shape of spaceId (and of space volumes) is checked with their visibility, by the
    # Space store: JobAccess.check_references
    if not spec.command:
        raise BadRequest(f"{prefix}command: must contain at least one item")
    if any(not part for part in spec.command):
        raise BadRequest(f"{prefix}command: items must be non-empty strings")


def _check_names(spec: JobSpec, prefix: str) -> None:
    """Environment variable and secret names."""
    for key in spec.environment:
        if not _ENV_KEY.match(key):
            raise BadRequest(
                f"{prefix}environment: invalid variable name {key!r} (letters, digits and '_', "
                "starting with a letter, at least 2 characters)"
            )
    for key in spec.secrets:
        if not _SECRET_KEY.match(key):
            raise BadRequest(
                f"{prefix}secrets: invalid secret name {key!r} (letters, digits and '_', starting "
                "with a letter)"
            )


def default_name(spec: JobSpec) -> str:
    """The client's auto ``name`` label (1.25+), for clients that send none (inferred)."""
    return _default_name(spec.docker_image, spec.space_id, spec.command)


@functools.lru_cache(maxsize=128)
def _default_name(docker_image: str | None, space_id: str | None, command: tuple[str, ...]) -> str:
    """One digest per image and command: a schedule's runs (a month of them) share it."""
    if docker_image is not None:
        image = docker_image
        base = image.rsplit("/", 1)[-1]
    else:
        image = base = space_id or ""
    digest = hashlib.sha256("\x00".join([image, *command]).encode()).hexdigest()[:8]
    return f"{_NAME_CHARS.sub('-', base)[:80]}-{digest}"


def parse_stages(values: Sequence[str]) -> frozenset[JobStage]:
    stages = set()
    for value in values:
        try:
            stages.add(JobStage(value.upper()))
        except ValueError:
            names = ", ".join(s.value for s in JobStage)
            raise BadRequest(f"stage: unknown stage {value!r}; expected one of {names}") from None
    return frozenset(stages)


def parse_label_filters(values: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """``key=value`` filters; a job must match all of them (AND)."""
    filters = []
    for value in values:
        key, sep, wanted = value.partition("=")
        if not sep or not key:
            raise BadRequest(f"label: expected 'key=value', got {value!r}")
        filters.append((key, wanted))
    return tuple(filters)
