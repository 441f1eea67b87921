"""pytest fixtures for the mock PACER site, registered by the `pytest11` entry point `pacer_mock`.

Installed with pacer-verify, so any test suite in that environment gets them; docs/pytest-plugin.md
is the user's guide (examples, the bundled accounts, the fault model).

Mock fixtures (need nothing but pacer-verify):

- `pacer_mock` (function): the session's running `MockServer`, reset before each test (fresh
  accounts, sessions and counters). `pacer_mock.url` is its base URL.
- `pacer_mock_tls` (function): the same over https, with a certificate made at start by `trustme`;
  `pacer_mock_tls.ca_file` is the CA a client trusts (httpx `verify=`, `SSL_CERT_FILE`).
- `pacer_mock_factory` (function): `pacer_mock_factory(scenario=None, *, faults=None, tls=False, **changes)`
  starts another server for one test, stopped at its end. Given a scenario (a `MockScenario` or a
  JSON path) it never reads the bundled one; without, it starts from the session's scenario.
- `pacer_mock_scenario` (session): the scenario `pacer_mock` serves (`--pacer-mock-scenario`, else
  the one shipped in the package), read only when a fixture needs it.
- `pacer_run_async` (function): runs a coroutine on a private event loop in a background thread, so
  pacer-verify's async core can be tested beside pytest-playwright's sync fixtures.

Opt-in, for suites that use pytest-playwright:

- `--pacer-browser` (or ini `pacer_browser = true`): pytest-playwright launches the browser
  pacer-verify would use (PACER_VERIFY_BROWSER, Playwright's own, then a system Chromium such as
  Debian's chromium-headless-shell), so `page` tests run where `playwright install` cannot download.
  The same launch options are the `pacer_browser_launch_args` fixture, for a conftest of your own.
- `--pacer-loopback-only` (or ini `pacer_loopback_only = true`): every test fails if a browser asked
  a non-loopback host (pytest-playwright's contexts and any pacer-verify run in or under the test
  process). Without the option, request `pacer_loopback_guard` in the tests that want it.
"""

from __future__ import annotations

import asyncio
import os
import threading
import weakref
from collections.abc import Coroutine, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import pytest

# Only pytest and the standard library at import time: every pytest run in an environment with
# pacer-verify installed loads this plugin, and the mock (Starlette, uvicorn, pydantic, Playwright)
# costs seconds to import. Each fixture imports what it uses.
if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Route

    from verifier.mock.scenario import FaultRule, MockScenario
    from verifier.mock.server import MockServer

T = TypeVar("T")
ASYNC_TIMEOUT_S = 300.0
# Contexts already routed through the guard: sealing twice would record each blocked URL twice.
_SEALED: weakref.WeakSet[Any] = weakref.WeakSet()


class MockFactory(Protocol):
    """The type of `pacer_mock_factory`, for annotating tests."""

    def __call__(
        self,
        scenario: MockScenario | Path | str | None = None,
        *,
        faults: list[FaultRule | dict[str, Any]] | None = None,
        tls: bool = False,
        **changes: Any,
    ) -> MockServer: ...


class RunAsync(Protocol):
    """The type of `pacer_run_async`."""

    def __call__(self, coro: Coroutine[Any, Any, T], timeout: float = ASYNC_TIMEOUT_S) -> T: ...


# --- options -------------------------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("pacer-verify", "pacer-verify mock PACER site")
    group.addoption(
        "--pacer-mock-scenario",
        default=None,
        metavar="PATH",
        help="scenario JSON the pacer_mock fixture serves (default: the scenario shipped with pacer-verify)",
    )
    group.addoption(
        "--pacer-browser",
        action="store_true",
        default=None,
        help="make pytest-playwright launch the browser pacer-verify would use: PACER_VERIFY_BROWSER, "
        "Playwright's own Chromium, or a system one (Debian's chromium-headless-shell)",
    )
    group.addoption(
        "--pacer-loopback-only",
        action="store_true",
        default=None,
        help="fail any test whose browser asked a non-loopback host (pytest-playwright's contexts "
        "and pacer-verify runs started by the tests)",
    )
    parser.addini("pacer_browser", "like --pacer-browser", type="bool", default=False)
    parser.addini("pacer_loopback_only", "like --pacer-loopback-only", type="bool", default=False)


def _flag(config: pytest.Config, name: str) -> bool:
    given = config.getoption(name)
    return bool(given) if given is not None else bool(config.getini(name))


def pytest_configure(config: pytest.Config) -> None:
    # Registered now, after pytest-playwright's entry point: these fixtures then override its own of
    # the same name, and only for the suites that asked for them.
    if _flag(config, "pacer_browser"):
        config.pluginmanager.import_plugin("verifier.mock.pytest_optin_browser")
    if _flag(config, "pacer_loopback_only"):
        config.pluginmanager.import_plugin("verifier.mock.pytest_optin_loopback")


# --- the mock ------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pacer_mock_scenario(pytestconfig: pytest.Config) -> MockScenario:
    from verifier.mock.server import as_scenario

    path = pytestconfig.getoption("--pacer-mock-scenario")
    return as_scenario(Path(path) if path else None)


@pytest.fixture(scope="session")
def pacer_mock_server(pacer_mock_scenario: MockScenario) -> Iterator[MockServer]:
    from verifier.mock.server import MockServer

    with MockServer(pacer_mock_scenario) as server:
        yield server


@pytest.fixture
def pacer_mock(pacer_mock_server: MockServer, pacer_mock_scenario: MockScenario) -> MockServer:
    pacer_mock_server.reset(pacer_mock_scenario)
    return pacer_mock_server


@pytest.fixture(scope="session")
def pacer_mock_tls_server(pacer_mock_scenario: MockScenario) -> Iterator[MockServer]:
    from verifier.mock.server import MockServer

    with MockServer(pacer_mock_scenario, tls=True) as server:
        yield server


@pytest.fixture
def pacer_mock_tls(pacer_mock_tls_server: MockServer, pacer_mock_scenario: MockScenario) -> MockServer:
    """The mock over https (`pacer_mock_tls.url` is https://127.0.0.1:PORT), reset before each test; its
    certificate also names PACER's hosts, for a client that routes `*.uscourts.gov` to it."""
    pacer_mock_tls_server.reset(pacer_mock_scenario)
    return pacer_mock_tls_server


@pytest.fixture
def pacer_mock_factory(request: pytest.FixtureRequest) -> Iterator[MockFactory]:
    from verifier.mock.scenario import MockScenario
    from verifier.mock.server import MockServer, as_scenario

    servers: list[MockServer] = []

    def start(
        scenario: MockScenario | Path | str | None = None,
        *,
        faults: list[FaultRule | dict[str, Any]] | None = None,
        tls: bool = False,
        **changes: Any,
    ) -> MockServer:
        # The session's scenario is read only when no scenario was given.
        base = as_scenario(scenario) if scenario is not None else request.getfixturevalue("pacer_mock_scenario")
        if faults is not None:
            changes["faults"] = faults
        # Validated like a scenario file: a misspelt field is an error here, not a silent no-op.
        chosen = MockScenario.model_validate({**base.model_dump(), **changes})
        server = MockServer(chosen, tls=tls).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


# --- the async core beside pytest-playwright -----------------------------------------------------------


class LoopThread:
    """An event loop in a daemon thread; `run()` blocks until a coroutine finishes there.

    pytest-playwright's sync API keeps an event loop running in the main thread, so `asyncio.run()`
    there fails; a loop of its own in another thread does not clash with it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="pacer-verify-core", daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = ASYNC_TIMEOUT_S) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return future.result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="session")
def pacer_event_loop() -> Iterator[LoopThread]:
    loop = LoopThread()
    yield loop
    loop.close()


@pytest.fixture
def pacer_run_async(pacer_event_loop: LoopThread) -> RunAsync:
    """`pacer_run_async(coro)`: the coroutine's result, run on the session's background loop."""
    return pacer_event_loop.run


# --- the browser pacer-verify would use ------------------------------------------------------------------


@pytest.fixture(scope="session")
def pacer_browser_launch_args(request: pytest.FixtureRequest, pytestconfig: pytest.Config) -> dict[str, Any]:
    """Launch options for pytest-playwright: the executable pacer-verify would pick and its quiet flags."""
    from verifier.browser.launch import choice_from_environment, launch_args
    from verifier.errors import BrowserNotFound, UsageError

    try:
        playwright = request.getfixturevalue("playwright")
    except pytest.FixtureLookupError:
        raise pytest.UsageError(
            "pacer_browser_launch_args needs pytest-playwright: pip install pytest-playwright"
        ) from None
    headed = bool(pytestconfig.getoption("--headed", default=False))
    try:
        choice = choice_from_environment(playwright, headless=not headed)
    except (BrowserNotFound, UsageError) as exc:
        raise pytest.UsageError(str(exc)) from None
    return {"args": launch_args(), **choice.launch_options()}


# --- the loopback guard ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pacer_loopback_seal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Switch pacer-verify's guard on for this process and the pacer-verify processes it starts;
    yields the file each blocked URL is appended to (scheme, host and path only)."""
    from verifier.browser import netguard
    from verifier.check.site import LOOPBACK_ONLY_ENV

    log = tmp_path_factory.mktemp("pacer-guard") / "blocked.txt"
    log.touch()
    saved = {name: os.environ.get(name) for name in (LOOPBACK_ONLY_ENV, netguard.GUARD_LOG_ENV)}
    os.environ[LOOPBACK_ONLY_ENV] = "1"
    os.environ[netguard.GUARD_LOG_ENV] = str(log)
    yield log
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def pacer_loopback_guard(pacer_loopback_seal: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """Fail this test if a browser asked a non-loopback host during it. Seals pytest-playwright's
    `context` too when the test uses it."""
    if "context" in request.fixturenames:
        seal_context(request.getfixturevalue("context"))
    before = pacer_loopback_seal.stat().st_size
    yield pacer_loopback_seal
    with pacer_loopback_seal.open("rb") as handle:
        handle.seek(before)
        blocked = handle.read().decode("utf-8", errors="replace")
    if blocked.strip():
        pytest.fail(f"the browser tried to reach a non-loopback host:\n{blocked}", pytrace=False)


def seal_context(context: BrowserContext) -> None:
    """Abort every request of a sync-API context to a non-loopback host, and record it."""
    from verifier.browser import netguard
    from verifier.check.site import is_local_url

    if context in _SEALED:
        return
    _SEALED.add(context)

    def guard(route: Route) -> None:
        if is_local_url(route.request.url):
            route.fallback()
        else:
            netguard.record_violation(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
