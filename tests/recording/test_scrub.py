"""Scrubbing: what is replaced, where, and what is left alone."""

from __future__ import annotations

import pytest

from fakehub.recording.cassette import Event, Request, Response
from fakehub.recording.scrub import PATTERN, SECRET, TOKEN, Scrubber

AUTH = {"authorization": "Bearer hf_session_token_1"}


def test_authorization_keeps_its_scheme_and_the_token_is_scrubbed_everywhere() -> None:
    scrubber = Scrubber()
    request = Request(method="GET", path="/api/whoami-v2", headers=AUTH)
    scrubber.learn(request)
    assert scrubber.request(request).headers == {"authorization": f"Bearer {TOKEN}"}
    echoed = Response(status=200, text="you sent hf_session_token_1 to us")
    assert scrubber.response(echoed).text == f"you sent {TOKEN} to us"


def test_space_secret_value_is_scrubbed_but_the_key_kept() -> None:
    scrubber = Scrubber()
    request = Request.model_validate(
        {
            "method": "POST",
            "path": "/api/spaces/u/s/secrets",
            "json": {"key": "DB_PASSWORD", "value": "s3cr3t-value"},
        }
    )
    scrubber.learn(request)
    assert scrubber.request(request).json_ == {"key": "DB_PASSWORD", "value": SECRET}
    # learned: the value is scrubbed from anything else in the session, e.g. a log line
    event = Event(data={"data": "password is s3cr3t-value"})
    stream = scrubber.response(Response(status=200, events=[event]))
    assert stream.events is not None
    assert stream.events[0].data == {"data": f"password is {SECRET}"}


def test_job_secrets_map_and_create_secrets_list_and_webhook_secret() -> None:
    scrubber = Scrubber()
    job = Request.model_validate(
        {
            "method": "POST",
            "path": "/api/jobs/u",
            "json": {"command": ["env"], "secrets": {"A": "aaaaaaaa", "B": "x"}},
        }
    )
    create = Request.model_validate(
        {
            "method": "POST",
            "path": "/api/repos/create",
            "json": {"name": "s", "secrets": [{"key": "K", "value": "kkkkkkkk"}]},
        }
    )
    hook = Request.model_validate(
        {"method": "POST", "path": "/api/settings/webhooks", "json": {"secret": "wwwwwwww"}}
    )
    for request in (job, create, hook):
        scrubber.learn(request)
    assert scrubber.request(job).json_["secrets"] == {"A": SECRET, "B": SECRET}
    assert scrubber.request(create).json_["secrets"] == [{"key": "K", "value": SECRET}]
    assert scrubber.request(hook).json_ == {"secret": SECRET}
    # a one-letter secret is scrubbed where it was sent, never searched for elsewhere
    assert scrubber.text("x marks the spot") == "x marks the spot"


def test_token_shaped_strings_and_configured_patterns() -> None:
    scrubber = Scrubber([r"sk-[a-z0-9]{8}"])
    real_looking = "hf_" + "A1b2C3d4" * 5
    assert scrubber.text(f"token={real_looking}; key=sk-abcdef12") == (
        f"token={TOKEN}; key={PATTERN}"
    )
    # the client's user agent is not a token
    assert scrubber.text("hf_hub/2.4.0") == "hf_hub/2.4.0"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [("(", r"--scrub '\(': not a valid regular expression"), ("", r"empty pattern")],
)
def test_bad_patterns_are_refused(pattern: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Scrubber([pattern])
