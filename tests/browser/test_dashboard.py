"""The dashboard in Chromium: it follows the fake live and drives it through the control API."""

from __future__ import annotations

from typing import Any

import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

from fakehub.server import ServerThread
from tests.browser.conftest import ARTIFACTS, Console

pytest.importorskip("playwright.sync_api", reason="the playwright package is missing")
from playwright.sync_api import expect

DASHBOARD = "/_fakehub/dashboard"


@pytest.fixture
def client(live: ServerThread) -> HfApi:
    return HfApi(endpoint=live.url, token="hf_fake_write")


def _new_space(client: HfApi, repo_id: str = "fakeuser/demo", **options: Any) -> None:
    client.create_repo(repo_id, repo_type="space", space_sdk="gradio", **options)
    client.upload_file(
        path_or_fileobj=b"import gradio\n", path_in_repo="app.py", repo_id=repo_id,
        repo_type="space",
    )  # fmt: skip


def _live(page: Any) -> None:
    expect(page.locator("#live")).to_have_text("live")


def test_a_new_space_goes_building_to_running_when_advance_is_pressed(
    page: Any, client: HfApi
) -> None:
    page.goto(f"{DASHBOARD}#/spaces")
    _live(page)
    expect(page.get_by_text("No Space matches.")).to_be_visible()
    _new_space(client)  # the page is told by its event stream: no reload
    row = page.get_by_role("row", name="fakeuser/demo")
    expect(row).to_contain_text("BUILDING")
    page.get_by_role("button", name="+1m").click()
    expect(row).to_contain_text("RUNNING")
    expect(page.locator("#clock-now")).to_have_text("2026-01-01 00:01:00")


def test_the_timeline_draws_stages_hardware_and_charges(page: Any, client: HfApi) -> None:
    _new_space(client, space_hardware="t4-small")
    page.goto(f"{DASHBOARD}#/spaces/fakeuser/demo")
    _live(page)
    page.get_by_label("Advance by").fill("10m")
    page.get_by_role("button", name="Advance", exact=True).click()
    expect(page.locator("dd .stage")).to_have_text("RUNNING")
    timeline = page.locator("svg.timeline")
    expect(timeline.locator("g.seg-running")).to_have_count(1)
    expect(timeline.locator("g.seg-building")).to_have_count(1)
    expect(timeline.locator("g.charge")).to_have_count(1)
    assert "t4-small" in timeline.locator("g.charge title").text_content()
    # a hardware change is marked where it happened
    client.request_space_hardware("fakeuser/demo", "a10g-small")
    expect(timeline.locator("g.hw-change")).to_have_count(1)
    expect(timeline.locator("g.hw-change text")).to_have_text("a10g-small")


def test_a_scripted_build_failure_from_the_page(page: Any, client: HfApi) -> None:
    _new_space(client)
    page.goto(f"{DASHBOARD}#/spaces/fakeuser/demo")
    page.get_by_role("button", name="Script a build failure").click()
    client.restart_space("fakeuser/demo")
    page.get_by_role("button", name="+1m").click()
    expect(page.locator("dd .stage")).to_have_text("BUILD_ERROR")


def test_a_jobs_logs_stream_live(page: Any, client: HfApi) -> None:
    streams: list[str] = []
    page.on("request", lambda r: streams.append(r.url) if "/_fakehub/events" in r.url else None)
    page.goto(f"{DASHBOARD}#/jobs")
    _live(page)
    page.get_by_label("Exit code").fill("0")
    page.get_by_label("Message").fill("")
    page.get_by_label("Runs for").fill("60s")
    page.get_by_role("button", name="Queue outcome").click()
    expect(page.get_by_role("status").filter(has_text="queued")).to_have_text("1 queued")
    job = client.run_job(image="python:3.12", command=["python", "train.py"])
    page.get_by_role("link", name=job.id).click()
    logs = page.locator("#job-logs")
    expect(logs).to_contain_text("(no lines yet)")
    page.get_by_role("button", name="+10s").click()
    expect(logs).to_contain_text("python train.py")
    expect(page.locator("dd .stage")).to_have_text("RUNNING")
    page.get_by_role("button", name="+1m").click()
    expect(page.locator("dd .stage")).to_have_text("COMPLETED")
    expect(page.locator("svg.timeline g.seg-completed")).to_have_count(1)
    assert len(streams) == 1  # one event stream for the page, whatever the view


def test_a_fault_added_on_the_page_shows_in_the_request_log(page: Any, client: HfApi) -> None:
    _new_space(client)
    page.goto(f"{DASHBOARD}#/faults")
    page.get_by_label("Route").fill("/api/spaces/*/*/runtime")
    page.get_by_label("Status").fill("503")
    page.get_by_role("button", name="Add fault").click()
    rules = page.get_by_role("table", name="Fault rules")
    expect(rules).to_contain_text("fault-1")
    with pytest.raises(HfHubHTTPError):
        client.get_space_runtime("fakeuser/demo")
    page.get_by_role("link", name="Requests").click()
    page.get_by_label("Status").fill("5xx")
    page.get_by_role("button", name="Filter", exact=True).click()
    log = page.get_by_role("table", name="Requests, newest first")
    expect(log.locator("tbody tr")).to_have_count(1)
    expect(log).to_contain_text("/api/spaces/fakeuser/demo/runtime")
    expect(log).to_contain_text("503")
    expect(log).to_contain_text("fault-1")


def test_keyboard_alone_reaches_every_view(page: Any) -> None:
    page.goto(DASHBOARD)
    _live(page)
    page.keyboard.press("Tab")
    expect(page.locator(".skip")).to_be_focused()
    for _ in range(30):  # Tab along the header and the navigation to the link
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Scheduled jobs":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Scheduled jobs")).to_be_visible()
    page.get_by_label("Advance by").focus()
    page.keyboard.type("90s")
    page.keyboard.press("Enter")
    expect(page.locator("#clock-now")).to_have_text("2026-01-01 00:01:30")


def test_a_control_token_is_asked_for_and_sent(page: Any, console: Console) -> None:
    """A server with a control token answers 401 until the page sends it (simulated here)."""
    console.expect("status of 401")  # the browser reports the refused call itself
    seen: list[str | None] = []

    def guard(route: Any) -> None:
        auth = route.request.headers.get("authorization")
        seen.append(auth)
        if auth != "Bearer ctl-token":
            route.fulfill(status=401, json={"error": "control token required"})
        else:
            route.continue_()

    page.route("**/_fakehub/overview", guard)
    page.goto(DASHBOARD)
    dialog = page.get_by_role("dialog", name="Control token")
    expect(dialog).to_be_visible()
    page.get_by_role("textbox", name="Token").fill("ctl-token")
    page.get_by_role("button", name="Use token").click()
    expect(page.get_by_role("heading", name="Spaces (0)")).to_be_visible()
    assert seen[0] is None and seen[-1] == "Bearer ctl-token"


def test_a_shipped_scenario_loads_from_the_page(page: Any) -> None:
    page.goto(f"{DASHBOARD}#/scenario")
    page.get_by_label("Scenario").select_option("happy-deploy")
    page.get_by_role("button", name="Load", exact=True).click()
    expect(page.locator("main strong")).to_have_text("happy-deploy")
    page.get_by_role("navigation").get_by_role("link", name="Overview").click()
    expect(page.get_by_role("heading", name="Spaces (1)")).to_be_visible()
    page.get_by_label("Mode").select_option("realtime")
    page.get_by_label("Speed (realtime)").fill("600")
    page.get_by_role("button", name="Set clock").click()
    expect(page.locator("#clock-mode")).to_have_text("realtime \u00d7600")
    # the realtime clock ticks the page along: the Space builds with nobody pressing anything
    expect(page.locator(".stages")).to_contain_text("RUNNING")


def test_a_server_with_a_control_token_gets_it_from_the_page(page: Any, console: Console) -> None:
    console.expect("status of 401")  # the first control calls, before the token is given
    with ServerThread(control_token="ctl-secret") as guarded:
        page.goto(f"{guarded.url}{DASHBOARD}")  # the page itself needs no token
        page.get_by_role("textbox", name="Token").fill("ctl-secret")
        page.get_by_role("button", name="Use token").click()
        expect(page.get_by_role("heading", name="Spaces (0)")).to_be_visible()
        expect(page.locator("#live")).to_have_text("live")  # the event stream sends it too
        page.get_by_role("button", name="+1m").click()
        expect(page.locator("#clock-now")).to_have_text("2026-01-01 00:01:00")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "guarded_server.png"))
        page.goto("about:blank")  # the event stream goes before the server stops
