"""``fakehub serve`` for a newcomer: clear one-line refusals and a banner that tells the truth."""

from __future__ import annotations

import socket

import pytest

from fakehub import FakeHub, HubConfig
from fakehub.cli import banner, main
from fakehub.scenario.loader import load, resolve


def _serve_must_not_run(*args: object, **kwargs: object) -> None:
    raise AssertionError("the server must not start")


def test_a_busy_port_is_one_line_naming_it_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port), "--clock", "manual"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"fakehub: port {port} on 127.0.0.1 is already in use; pick another with --port, "
        "or --port 0 for a free one\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--clock", "manual", "--speed", "60"], "--speed only applies to --clock realtime"),
        (["--speed", "0"], "--speed must be positive"),
    ],
)
def test_clock_options_that_cannot_be_honoured_are_refused(
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("fakehub.cli.serve_forever", _serve_must_not_run)
    assert main(["serve", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"fakehub: {message}") and err.count("\n") == 1


def test_speed_alone_means_the_default_realtime_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[FakeHub] = []
    monkeypatch.setattr("fakehub.cli.serve_forever", lambda hub, *a, **k: seen.append(hub))
    assert main(["serve", "--speed", "60"]) == 0
    state = seen[0].clock_state()
    assert (state.mode, state.speed) == ("realtime", 60.0)


def test_the_banner_states_the_clock_in_force() -> None:
    text = banner("http://127.0.0.1:1", FakeHub(HubConfig(clock_mode="manual")))
    assert "  clock: manual, now 2026-01-01T00:00:00.000Z\n" in text


def test_with_a_scenario_the_banner_shows_its_clock_and_the_cli_says_so(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = load(resolve("nightly-scheduled-job"))  # manual clock, starts 2026-01-04T12:00
    hub = FakeHub(HubConfig(clock_mode="realtime", clock_speed=60), scenario=scenario)
    assert "  clock: manual, now 2026-01-04T12:00:00.000Z (set by the scenario)\n" in banner(
        "http://127.0.0.1:1", hub
    )
    monkeypatch.setattr("fakehub.cli.serve_forever", lambda *a, **k: None)
    argv = ["serve", "--scenario", "nightly-scheduled-job", "--clock", "realtime"]
    assert main(argv) == 0
    assert "the scenario sets the clock, so --clock/--speed are ignored" in capsys.readouterr().err


def test_the_listening_socket_is_tcp_so_answers_are_not_held_by_nagle() -> None:
    # asyncio turns Nagle off (TCP_NODELAY) only on sockets whose protocol is IPPROTO_TCP; a
    # socket made with protocol 0 left it on, and each answer of `fakehub serve` waited ~40 ms
    # for the client's delayed ACK.
    from fakehub.server import bind

    sock = bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()
