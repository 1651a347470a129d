"""The README's promises that can be checked mechanically."""

from __future__ import annotations

import re
from pathlib import Path

from fakehub import FakeHub
from fakehub.scenario.loader import parse

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def test_the_scenario_example_is_a_valid_scenario_that_applies() -> None:
    (example,) = [b for b in blocks("yaml") if b.lstrip().startswith("# yaml-language-server")]
    loaded = parse(example, "README.md")
    hub = FakeHub()
    hub.load_scenario(loaded)
    assert hub.space_store.get("acme/demo") is not None
    hub.advance(3600)  # the whole timeline plays without error


def test_ci_runs_exactly_the_readme_test_command() -> None:
    commands = [b.strip() for b in blocks("bash") if "pytest" in b]
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands and commands[0] in ci
    # ... in a fresh clone inside an empty temporary folder, so nothing beside the checkout helps
    assert "mktemp -d" in ci and "git clone" in ci


def test_every_control_route_is_in_the_readme_table() -> None:
    from starlette.routing import Route

    from fakehub.app import create_app

    paths = {
        route.path
        for route in create_app(FakeHub()).routes
        if isinstance(route, Route) and route.path.startswith("/_fakehub")
    }
    table = README[README.index("## Control API") :]
    missing = sorted(
        p
        for p in paths
        if p.replace("{kind}", "{space,job}").replace("{fault_id}", "{id}") not in table
    )
    assert not missing, missing


def test_the_billing_example_runs_as_written() -> None:
    (example,) = [b for b in blocks("python") if b.startswith("report = hub.billing()")]
    hub = FakeHub()
    namespace = {"hub": hub, "later": hub.clock_state().now_ns + 3600 * 10**9}
    exec(compile(example, "README.md", "exec"), namespace)
    assert namespace["report"] == hub.billing() and hub.outages.declared() == []


def test_the_job_outcome_example_runs_as_written() -> None:
    from fakehub.domain.jobs.records import JobSpec

    (example,) = [b for b in blocks("python") if b.startswith("from fakehub import JobOutcome")]
    hub = FakeHub()
    actor = hub.ctx.accounts.authenticate("Bearer hf_fake_write")
    spec = JobSpec(flavor="cpu-basic", command=("true",), docker_image="python:3.12")
    job = hub.jobs.run(actor, "fakeuser", spec)
    exec(compile(example, "README.md", "exec"), {"hub": hub, "job_id": job.id})
    assert len(hub.jobs.queued_outcomes()) == 2
