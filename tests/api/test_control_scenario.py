"""``/_fakehub/scenario`` and ``fakehub serve --scenario``."""

from __future__ import annotations

import subprocess
import sys

from starlette.testclient import TestClient

STORY = """
version: 1
name: posted
users:
  - name: alice
    tokens: [{value: hf_alice_write}]
spaces:
  - id: alice/app
    sdk: static
"""


def test_load_a_shipped_scenario_by_name_and_reset_back_to_it(api: TestClient) -> None:
    body = api.post("/_fakehub/scenario", json={"name": "team-orgs"}).json()
    assert body["loaded"] and body["name"] == "team-orgs"
    alice = {"authorization": "Bearer hf_alice_write"}
    assert api.get("/api/spaces/acme/internal-tool/runtime", headers=alice).status_code == 200
    api.post("/_fakehub/clock/advance", json={"seconds": "1d"})
    api.post("/_fakehub/reset")
    assert api.get("/_fakehub/scenario").json()["name"] == "team-orgs"
    assert api.get("/_fakehub/clock").json()["now"] == "2026-01-01T00:00:00.000Z"
    assert api.get("/api/spaces/acme/internal-tool/runtime", headers=alice).status_code == 200


def test_load_inline_yaml_then_unload(api: TestClient) -> None:
    assert api.post("/_fakehub/scenario", json={"yaml": STORY}).status_code == 200
    alice = {"authorization": "Bearer hf_alice_write"}
    assert api.get("/api/spaces/alice/app/runtime", headers=alice).json()["stage"] == "RUNNING"
    # the scenario replaced the default accounts
    assert api.get("/api/whoami-v2").status_code == 401
    body = api.delete("/_fakehub/scenario").json()
    assert body == {
        "loaded": False,
        "name": None,
        "source": None,
        "description": None,
        "status": "unloaded",
    }
    assert api.get("/api/whoami-v2").json()["name"] == "fakeuser"


def test_a_broken_scenario_is_a_400_listing_every_problem_and_changes_nothing(
    api: TestClient,
) -> None:
    api.post("/_fakehub/scenario", json={"name": "happy-deploy"})
    before = api.get("/_fakehub/state").json()
    broken = "version: 1\nspaces:\n  - {id: nobody/x, hardware: tpu}\n"
    response = api.post("/_fakehub/scenario", json={"yaml": broken})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "spaces[0].id: namespace 'nobody'" in error
    assert "spaces[0].hardware: unknown Space hardware flavor 'tpu'" in error
    assert api.get("/_fakehub/scenario").json()["name"] == "happy-deploy"
    assert api.get("/_fakehub/state").json() == before


def test_a_scenario_that_cannot_be_applied_names_the_resource(api: TestClient) -> None:
    story = (
        "version: 1\nusers:\n  - name: broke\n    plan: no-payment-method\n"
        "    tokens: [{value: hf_broke}]\n"
        "spaces:\n  - {id: broke/gpu, sdk: gradio, hardware: a100-large}\n"
    )
    response = api.post("/_fakehub/scenario", json={"yaml": story})
    assert response.status_code == 400
    assert (
        "spaces[0]: Paid hardware (a100-large) requires a payment method"
        in (response.json()["error"])
    )
    assert api.get("/_fakehub/scenario").json()["loaded"] is False


def test_bad_bodies(api: TestClient) -> None:
    assert api.post("/_fakehub/scenario", json={}).status_code == 400
    assert api.post("/_fakehub/scenario", json={"name": "x", "yaml": "y"}).status_code == 400
    response = api.post("/_fakehub/scenario", json={"name": "no-such"})
    assert response.status_code == 400
    assert "no shipped scenario by that name" in response.json()["error"]


def test_serve_refuses_a_broken_scenario_with_the_messages(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "bad.yaml"
    path.write_text("version: 1\nspaces:\n  - {id: fakeuser/a, hardware: nope}\n")
    done = subprocess.run(
        [sys.executable, "-m", "fakehub", "serve", "--port", "0", "--scenario", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "spaces[0].hardware: unknown Space hardware flavor 'nope'" in done.stderr


def test_serve_starts_from_a_scenario() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "fakehub", "serve", "--port", "0", "--scenario", "job-oom"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(12)]
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    banner = "".join(lines)
    assert "serving the Hub API at http://127.0.0.1:" in banner
    assert "scenario: job-oom" in banner


def test_names_no_file_system_accepts_are_a_400(api: TestClient) -> None:
    for name in ("x" * 100_000, "a\x00b", "x" * 300 + ".yaml"):
        response = api.post("/_fakehub/scenario", json={"name": name})
        assert response.status_code == 400, name[:20]


def _serve_banner(name: str) -> str:
    proc = subprocess.Popen(
        [sys.executable, "-m", "fakehub", "serve", "--port", "0", "--scenario", name],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("  export HF_TOKEN="):
                break
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    return "".join(lines) + err


def test_serve_starts_from_every_shipped_scenario() -> None:
    from fakehub.scenario.loader import shipped_scenarios

    for name, _ in shipped_scenarios():
        banner = _serve_banner(name)
        assert f"scenario: {name}" in banner, banner
