"""``GET /`` answers a newcomer: a page for browsers, JSON for everything else."""

from __future__ import annotations

from starlette.testclient import TestClient

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_json_for_programs_points_at_the_readme_and_the_control_api(api: TestClient) -> None:
    response = api.get("/", headers={"accept": "*/*"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["name"] == "fakehub" and body["controlApi"] == "/_fakehub/openapi.json"
    assert body["usage"] == "export HF_ENDPOINT=http://fake.test HF_TOKEN=hf_fake_write"
    assert body["readme"]["Quick start"] == "README.md#quick-start"
    assert body["clock"] == {"mode": "manual", "now": "2026-01-01T00:00:00.000Z"}
    assert api.get(body["controlApi"]).status_code == 200


def test_html_for_browsers(api: TestClient) -> None:
    response = api.get("/", headers={"accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert page.startswith("<!doctype html>")
    assert '<a href="/_fakehub/openapi.json">' in page
    assert '<a href="README.md#the-pytest-plugin-fake_hub">The pytest plugin</a>' in page


def test_every_readme_section_it_names_exists() -> None:
    from pathlib import Path

    from fakehub.api.landing import README_SECTIONS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    headings = {
        "".join(
            c
            for c in line.lstrip("#").strip().lower().replace(" ", "-")
            if c.isalnum() or c in "-_"
        )
        for line in readme.splitlines()
        if line.startswith("## ")
    }
    missing = [anchor for _, anchor in README_SECTIONS if anchor not in headings]
    assert not missing, missing


def test_other_paths_are_still_404(api: TestClient) -> None:
    assert api.get("/nowhere").status_code == 404
