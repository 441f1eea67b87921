"""Serve the mock with uvicorn on loopback: in a background thread (tests, demo) or in the foreground."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import uvicorn

from verifier.mock.app import MockSite, create_app
from verifier.mock.scenario import FaultRule, MockScenario, Variant


class MockServer:
    """A running mock PACER site.

        with MockServer(scenario) as server:
            server.url            # http://127.0.0.1:PORT
            server.set_faults([FaultRule(kind="status", path="/pscof/", times=2)])
            server.stats()        # requests per path, password posts per username
    """

    def __init__(self, scenario: MockScenario, host: str = "127.0.0.1", port: int = 0) -> None:
        self.site = MockSite(scenario)
        self.app = create_app(scenario, self.site)
        # uvicorn logs a traceback for every dropped-connection fault: keep that out of test output.
        self._config = uvicorn.Config(self.app, host=host, port=port, log_level="critical", access_log=False,
                                      lifespan="off", timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(self._config)
        self._thread: threading.Thread | None = None
        self.host = host
        self.port = port

    @property
    def scenario(self) -> MockScenario:
        return self.site.state.scenario

    @property
    def state(self) -> Any:
        return self.site.state

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> MockServer:
        self._thread = threading.Thread(target=self._server.run, name="pacer-mock", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the mock PACER server did not start")
            time.sleep(0.01)
        sockets = [s for server in self._server.servers for s in server.sockets]
        self.port = int(sockets[0].getsockname()[1])
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread:
            self._thread.join(10)

    def reset(self, scenario: MockScenario | None = None) -> None:
        self.site.reset(scenario)

    def set_faults(self, faults: list[FaultRule], lockout_after: int | None = None,
                   variant: Variant | None = None, latency_ms: int | None = None) -> None:
        """Change the misbehaviour of the running site (and reset its state and counters)."""
        update: dict[str, Any] = {"faults": faults, "lockout_after": lockout_after, "variant": variant}
        if latency_ms is not None:
            update["latency_ms"] = latency_ms
        self.reset(self.scenario.model_copy(update=update))

    def stats(self) -> dict[str, dict[str, int]]:
        return self.site.state.stats()

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(scenario: MockScenario, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Serve in the foreground until Ctrl-C."""
    logging.getLogger("uvicorn.error").setLevel(logging.CRITICAL)
    uvicorn.run(create_app(scenario), host=host, port=port, log_level="critical", access_log=False, lifespan="off")
