"""The harness itself: every client version reaches the fake and authenticates."""

from __future__ import annotations

from tests.clients.driver import ClientWorker


def test_whoami(hf: ClientWorker) -> None:
    me = hf.call("whoami")
    assert me["name"] == "fakeuser"
    assert [org["name"] for org in me["orgs"]] == ["fakeorg"]
