"""A small client of the control API, for a fake running elsewhere (``--fakehub-url``).

Standard library only (``http.client``): it must work whichever HTTP library the user's
``huggingface_hub`` brings. One keep-alive connection, reopened when the server dropped it.
A server started with ``--control-token`` needs the token: pass ``token=``, or set
``$FAKEHUB_CONTROL_TOKEN`` (read when no token is given).
"""

from __future__ import annotations

import http.client
import json
import os
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

if TYPE_CHECKING:
    from fakehub.domain.billing import BilledPeriod, BillingReport


class ControlError(RuntimeError):
    """The control API answered an error; ``message`` is the fake's own ``{"error": ...}``."""

    def __init__(self, method: str, path: str, status: int, message: str) -> None:
        super().__init__(f"{method} {path} -> {status}: {message}")
        self.status = status
        self.message = message


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


class ControlClient:
    def __init__(self, base_url: str, timeout: float = 10.0, token: str | None = None) -> None:
        parts = urlsplit(base_url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL for a fakehub server: {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self._parts = parts
        self._timeout = timeout
        # the same variable as fakehub.control.guard.CONTROL_TOKEN_ENV (this module stays
        # importable on its own, standard library only)
        self._token = token or os.environ.get("FAKEHUB_CONTROL_TOKEN") or None
        self._lock = threading.Lock()
        self._conn: http.client.HTTPConnection | None = None

    # -- transport ------------------------------------------------------------------------------

    def _connect(self) -> http.client.HTTPConnection:
        cls = (
            http.client.HTTPSConnection
            if self._parts.scheme == "https"
            else http.client.HTTPConnection
        )
        return cls(self._parts.hostname or "", self._parts.port, timeout=self._timeout)

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """``method`` on ``/_fakehub/<path>``; the decoded JSON answer, or :class:`ControlError`."""
        full = f"{self._parts.path}/_fakehub/{path.lstrip('/')}"
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if data is not None else {}
        if self._token is not None:
            headers["Authorization"] = f"Bearer {self._token}"
        with self._lock:
            for attempt in (1, 2):
                conn = self._conn or self._connect()
                try:
                    conn.request(method, full, body=data, headers=headers)
                    response = conn.getresponse()
                    raw = response.read()
                except (http.client.HTTPException, ConnectionError):
                    # A kept-alive connection the server closed: retry once on a new one.
                    conn.close()
                    self._conn = None
                    if attempt == 2:
                        raise
                    continue
                self._conn = conn
                break
        payload = json.loads(raw) if raw else None
        if response.status >= 400:
            message = payload.get("error", raw.decode()) if isinstance(payload, dict) else raw
            raise ControlError(method, full, response.status, str(message))
        return payload

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # -- routes ---------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        result: dict[str, Any] = self.request("GET", "health")
        return result

    def clock(self) -> dict[str, Any]:
        """``{"now": iso, "nowNs": int, "mode": ..., "speed": ...}``."""
        result: dict[str, Any] = self.request("GET", "clock")
        return result

    def advance(self, seconds: float | str) -> dict[str, Any]:
        result: dict[str, Any] = self.request("POST", "clock/advance", {"seconds": seconds})
        return result

    def move_to(self, to: str) -> dict[str, Any]:
        result: dict[str, Any] = self.request("POST", "clock/move-to", {"to": to})
        return result

    def set_clock_mode(self, mode: str, speed: float | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"mode": mode}
        if speed is not None:
            body["speed"] = speed
        result: dict[str, Any] = self.request("POST", "clock/mode", body)
        return result

    def reset(self) -> dict[str, Any]:
        result: dict[str, Any] = self.request("POST", "reset")
        return result

    def policies(self) -> dict[str, Any]:
        result: dict[str, Any] = self.request("GET", "policies")
        return result

    def set_policy(
        self, kind: str, policy: str, durations: Mapping[str, str | float] | None = None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"policy": policy}
        if durations:
            body["durations"] = dict(durations)
        result: dict[str, Any] = self.request("PUT", f"policies/{kind}", body)
        return result

    def visit_space(self, repo_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self.request("POST", f"spaces/{quote(repo_id)}/visit")
        return result

    def script_space(self, repo_id: str, **outcome: Any) -> dict[str, Any]:
        """Script a Space's builds and runs; the Space's runtime after.

        ``outcome`` takes the Python names (``build="error"``, ``build_logs=[...]``,
        ``run_logs=[...]``, ``crash_after=90`` or ``"10m"``, ``error_message=...``) or the wire
        ones (``buildLogs``...); ``None`` values are left out.
        """
        body = {_camel(key): value for key, value in outcome.items() if value is not None}
        result: dict[str, Any] = self.request("POST", f"spaces/{quote(repo_id)}/outcome", body)
        return result

    # -- scripted outcomes, faults, request log -------------------------------------------------

    def queue_job_outcomes(self, *outcomes: Mapping[str, Any]) -> Any:
        """Outcomes for the next jobs created, in order (``{"exitCode": 1, "logs": [...]}``)."""
        return self.request("POST", "jobs/outcomes", {"outcomes": [dict(o) for o in outcomes]})

    def job_outcomes(self) -> list[dict[str, Any]]:
        """Outcomes still queued for the next jobs, each as ``{"attempts": [...]}``."""
        queued: list[dict[str, Any]] = self.request("GET", "jobs/outcomes")["outcomes"]
        return queued

    def clear_job_outcomes(self) -> Any:
        return self.request("DELETE", "jobs/outcomes")

    def script_job(self, job: str, outcome: Mapping[str, Any]) -> Any:
        """Script an existing job; ``job`` is ``"namespace/job_id"``."""
        return self.request("POST", f"jobs/{quote(job)}/outcome", dict(outcome))

    def add_fault(self, **rule: Any) -> dict[str, Any]:
        """A fault rule (``route``, ``method``, ``status``, ``count``, ``latency``, ...)."""
        result: dict[str, Any] = self.request("POST", "faults", rule)
        return result

    def faults(self) -> list[dict[str, Any]]:
        """Fault rules in matching order, with their counters."""
        listed: list[dict[str, Any]] = self.request("GET", "faults")["faults"]
        return listed

    def clear_faults(self) -> Any:
        return self.request("DELETE", "faults")

    def request_log(self, **filters: str | int | None) -> Any:
        """Every request the fake served since the last reset, as the server saw it.

        ``filters``: ``method``, ``path``, ``status``, ``fault``, ``user``, ``since`` (see
        ``GET /_fakehub/requests``); ``None`` values are left out.
        """
        query = urlencode({k: v for k, v in filters.items() if v is not None})
        return self.request("GET", "requests" + (f"?{query}" if query else ""))

    def state(self) -> Any:
        return self.request("GET", "state")

    # -- scenarios ------------------------------------------------------------------------------

    def load_scenario(
        self, *, name: str | None = None, path: str | None = None, yaml: str | None = None
    ) -> dict[str, Any]:
        """Load one scenario: a shipped ``name``, a ``path`` on the server, or a file's text."""
        body = {
            k: v for k, v in {"name": name, "path": path, "yaml": yaml}.items() if v is not None
        }
        result: dict[str, Any] = self.request("POST", "scenario", body)
        return result

    def scenario(self) -> dict[str, Any]:
        """``{"loaded": bool, "name", "source", "description"}`` of the loaded scenario."""
        result: dict[str, Any] = self.request("GET", "scenario")
        return result

    def unload_scenario(self) -> dict[str, Any]:
        result: dict[str, Any] = self.request("DELETE", "scenario")
        return result

    # -- billing and capacity outages -----------------------------------------------------------

    def billing(self) -> BillingReport:
        """``GET /_fakehub/billing`` as the same :class:`BillingReport` ``hub.billing()`` gives
        (``report.total_micro_usd``, ``report.cost_micro_usd("space:ns/name")``, ...); the raw
        JSON is ``request("GET", "billing")``."""
        from fakehub.wire.control.billing import report_from_json  # the server's own mapping

        return report_from_json(self.request("GET", "billing"))

    def paid_hardware_running(self) -> tuple[BilledPeriod, ...]:
        """What still holds paid hardware (``()`` when a test left nothing expensive on)."""
        return self.billing().running_paid

    def add_outage(
        self, flavor: str, duration: float | str, *, kind: str = "both", start: str | None = None
    ) -> dict[str, Any]:
        """Make ``flavor`` unavailable for ``duration`` (seconds or ``"10m"``) from ``start``."""
        body: dict[str, Any] = {"flavor": flavor, "for": duration, "kind": kind}
        if start is not None:
            body["start"] = start
        result: dict[str, Any] = self.request("POST", "outages", body)
        return result

    def outages(self) -> list[dict[str, Any]]:
        listed: list[dict[str, Any]] = self.request("GET", "outages")["outages"]
        return listed

    def clear_outages(self) -> Any:
        return self.request("DELETE", "outages")
