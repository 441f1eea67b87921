"""Serve the mock with uvicorn on loopback: in a background thread (tests, the demo) or in the
foreground (`pacer-verify mock`).

    with MockServer() as server:                 # the bundled scenario, a free port
        server.url                               # http://127.0.0.1:PORT
        server.set_faults([FaultRule(kind="status", path="^/pscof/", times=2)])
        server.stats()["login_posts"]            # sign-on attempts per username
        server.stats()["open_sessions"]          # PACER sessions not yet logged out, per username

    with MockServer(tls=True) as server:         # https, with a certificate made at start (trustme)
        server.url, server.ca_file               # https://127.0.0.1:PORT, the CA for clients to trust
"""

from __future__ import annotations

import asyncio
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import uvicorn
from starlette.types import Scope

from verifier.mock.app import MockSite, create_app
from verifier.mock.scenario import FaultRule, MockScenario, load_default_scenario, load_scenario
from verifier.mock.state import MockState
from verifier.mock.tls import TlsFiles, make_certificate

START_TIMEOUT_S = 30.0


def as_scenario(scenario: MockScenario | Path | str | None) -> MockScenario:
    """A scenario, or the file to read it from (None: the scenario shipped in the package)."""
    if isinstance(scenario, MockScenario):
        return scenario
    return load_scenario(scenario) if scenario is not None else load_default_scenario()


class MockServer:
    """A running mock PACER site. Start it with `start()` or `with`; `port=0` picks a free port."""

    def __init__(
        self,
        scenario: MockScenario | Path | str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        tls: bool = False,
    ) -> None:
        self.site = MockSite(as_scenario(scenario))
        self.site.transport_for = self._transport_for
        self.app = create_app(self.site.scenario, self.site)
        # https: a certificate made now (verifier.mock.tls), removed when the server stops.
        self.tls: TlsFiles | None = make_certificate(host, [c.id for c in self.site.scenario.courts]) if tls else None
        # No access log: request lines carry nothing secret today, but nothing is gained by logging them.
        # Warnings and errors still show; the connection-cutting faults are built not to raise any.
        self._config = uvicorn.Config(
            self.app,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
            date_header=False,  # the app writes its own, on the scenario's clock (verifier.mock.clock)
            ssl_certfile=str(self.tls.cert) if self.tls else None,
            ssl_keyfile=str(self.tls.key) if self.tls else None,
        )
        self._server = uvicorn.Server(self._config)
        self._thread: threading.Thread | None = None
        self.host = host
        self.port = port

    # --- what tests read ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    @property
    def ca_file(self) -> Path | None:
        """With `tls=True`: the CA certificate (PEM) a client trusts to verify the mock's https."""
        return self.tls.ca if self.tls else None

    @property
    def scenario(self) -> MockScenario:
        return self.site.scenario

    @property
    def state(self) -> MockState:
        return self.site.state

    def stats(self) -> dict[str, Any]:
        """Counters since the last reset: see `MockState.stats()`."""
        return self.site.state.stats()

    # --- what tests change ----------------------------------------------------------------------------

    def reset(self, scenario: MockScenario | Path | str | None = None) -> None:
        """Fresh accounts, sessions and counters, for `scenario` (or the current one, faults included)."""
        self.site.reset(as_scenario(scenario) if scenario is not None else None)

    def set_faults(
        self,
        faults: Iterable[FaultRule | dict[str, Any]] = (),
        *,
        lockout_after: int | None = None,
        variant: str | None = None,
        latency_ms: int = 0,
    ) -> None:
        """Replace the site-wide misbehaviour at run time (accounts and sessions are kept, fault
        counters start again): fault rules, lockout after N failed sign-ons, a markup variant forced on
        every account page, latency on every request. Per-account faults stay."""
        self.site.set_faults(faults, lockout_after=lockout_after, variant=variant, latency_ms=latency_ms)

    def move_clock(self, seconds: float) -> None:
        """Move the site's clock on by `seconds` (until the next reset): its one-time codes and its `Date`
        header follow, as if that much time had passed, so a test need not wait out a 30-second step."""
        self.site.state.move_clock(seconds)

    # --- running --------------------------------------------------------------------------------------

    def start(self) -> MockServer:
        if self._thread is not None:
            return self
        self._thread = threading.Thread(target=self._server.run, name="pacer-mock", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the mock PACER server did not start on {self.host}:{self.port}")
            time.sleep(0.01)
        self.port = self._bound_port()
        self._wait_until_accepting(deadline)
        return self

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
            if self._thread.is_alive():
                self._server.force_exit = True
                self._thread.join(5)
            self._thread = None
        if self.tls is not None:
            self.tls.remove()

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _bound_port(self) -> int:
        for server in self._server.servers:
            for sock in server.sockets:
                return int(sock.getsockname()[1])
        raise RuntimeError("the mock PACER server has no listening socket")

    def _wait_until_accepting(self, deadline: float) -> None:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        while True:
            try:
                with socket.socket(family, socket.SOCK_STREAM) as probe:
                    probe.settimeout(1)
                    probe.connect((self.host, self.port))
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the mock PACER server does not accept connections on {self.url}") from None
                time.sleep(0.02)

    def _transport_for(self, scope: Scope) -> asyncio.Transport | None:
        """The connection a request came on, so that a fault can cut it (uvicorn keeps each
        connection's protocol, with its `client` address and `transport`, in `server_state`)."""
        client = tuple(scope.get("client") or ())
        for connection in list(self._server.server_state.connections):
            if tuple(getattr(connection, "client", None) or ()) == client:
                transport = getattr(connection, "transport", None)
                return transport if isinstance(transport, asyncio.Transport) else None
        return None


def serve(
    scenario: MockScenario | Path | str | None = None,
    host: str = "127.0.0.1",
    port: int = 8765,
    ready: Callable[[MockServer], None] | None = None,
    *,
    tls: bool = False,
) -> None:
    """Serve until Ctrl-C (or SIGTERM), for `pacer-verify mock`. `ready(server)` runs once it accepts
    connections, with the real port when `port` is 0."""
    server = MockServer(scenario, host=host, port=port, tls=tls).start()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        if ready is not None:
            ready(server)
        while server.running:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
