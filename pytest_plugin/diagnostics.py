"""Turning what went wrong inside the fake into a clear test failure.

During a test the routed client records every exchange, and the in-process server keeps the
traceback of every exception raised inside it. After each phase of the test (setup, call,
teardown) the plugin drains both: a route the fake does not implement (501) or an exception in
the fake fails that phase with a message naming the route, before the client's own error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fakehub.routing import Exchange, Router, is_app_host

from .backend import Backend


@dataclass
class Watch:
    router: Router
    backend: Backend
    remote: bool
    _seen: int = 0
    _seen_blocked: int = 0
    blocked: list[str] = field(default_factory=list)

    def drain(self) -> list[str]:
        """Problems found since the last drain, each a paragraph for the report."""
        exchanges = self.router.exchanges[self._seen :]
        self._seen += len(exchanges)
        problems: list[str] = []
        unimplemented: dict[tuple[str, str], Exchange] = {}
        # A cassette miss is a 501 too; it is reported with the replay's own message below.
        replaying = hasattr(self.backend, "drain_cassette_misses")
        for exchange in exchanges:
            # A 501 on a Space's app host is the stand-in app's documented answer (Gradio's
            # protocol), which the test may expect; on the Hub it is a route fakehub lacks.
            if exchange.status == 501 and not replaying and not is_app_host(exchange.host):
                unimplemented.setdefault((exchange.method, exchange.path), exchange)
            elif exchange.status == 500 and self.remote:
                # 500 is what the fake answers for its own bugs; other 5xx are injected faults.
                problems.append(
                    f"fakehub answered {exchange.status} to {exchange.method} {exchange.url}: "
                    "an error inside the fake (its traceback is in the fakehub server's output)"
                )
        for (method, path), exchange in unimplemented.items():
            problems.append(
                f"fakehub does not implement {method} {path} ({exchange.library} requested "
                f"{exchange.url}).\n"
                "This Hub route is outside what fakehub fakes, so the code under test cannot be "
                "tested against it as written."
            )
        if replaying:
            problems.extend(self.backend.drain_cassette_misses())  # type: ignore[attr-defined]
        for error in self.backend.drain_server_errors():
            problems.append(
                f"fakehub raised inside the server while serving {error.method} {error.path} "
                f"(a bug in the fake, not in the code under test):\n{error.traceback}"
            )
        return problems

    def drain_blocked(self) -> list[str]:
        new = self.router.blocked[self._seen_blocked :]
        self._seen_blocked += len(new)
        return new


def apply(report: Any, watch: Watch) -> None:
    """Fail ``report`` (a ``TestReport``) with the fake's problems, if there were any."""
    problems = watch.drain()
    blocked = watch.drain_blocked()
    if blocked:
        report.sections.append(
            ("fakehub blocked requests", "\n".join(f"{line} (not a Hub host)" for line in blocked))
        )
    if not problems or report.skipped:
        return
    text = "\n\n".join(problems)
    if report.failed and report.longrepr is not None:
        text += "\n\n----- the test's own failure -----\n" + str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = text
