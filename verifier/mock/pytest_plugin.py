"""pytest fixtures for the mock PACER site, registered by the `pytest11` entry point `pacer_mock`.

Any test suite in an environment where pacer-verify is installed gets:

`pacer_mock` (function scope)
    The running mock (`MockServer`) with the bundled scenario (`fixtures/mock_site.json`), reset
    before the test: fresh accounts, sessions and counters, no faults beyond the scenario's own. One
    server serves the whole session (`pacer_mock_server`); `pacer_mock.url` is its base URL.

        def test_wrong_password_is_tried_once(pacer_mock):
            ...run pacer-verify with --base-url pacer_mock.url...
            assert pacer_mock.stats()["login_posts"]["hlee2008"] == 1

        def test_retries(pacer_mock):
            pacer_mock.set_faults([FaultRule(kind="status", path="^/pscof/manage/", status=503, times=2)])

`pacer_mock_factory` (function scope)
    Starts other servers for one test, stopped at its end:
    `pacer_mock_factory(scenario=None, *, faults=None, **changes)`. `scenario` is a MockScenario or a
    path (default: the session's scenario); `changes` are MockScenario fields (`lockout_after=3`,
    `variant="table"`, `latency_ms=50`, `accounts=[...]`); `faults` replaces the site-wide rules.

        def test_lockout(pacer_mock_factory):
            server = pacer_mock_factory(lockout_after=3)

`pacer_mock_scenario` (session scope)
    The scenario `pacer_mock` serves.

Option `--pacer-mock-scenario PATH`: serve another scenario file instead of the bundled one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from verifier.mock.scenario import MockScenario
from verifier.mock.server import MockServer, as_scenario


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("pacer_mock", "mock PACER site")
    group.addoption("--pacer-mock-scenario", default=None, metavar="PATH",
                    help="scenario JSON for the pacer_mock fixture (default: the bundled fixtures/mock_site.json)")


@pytest.fixture(scope="session")
def pacer_mock_scenario(pytestconfig: pytest.Config) -> MockScenario:
    path = pytestconfig.getoption("--pacer-mock-scenario")
    return as_scenario(Path(path) if path else None)


@pytest.fixture(scope="session")
def pacer_mock_server(pacer_mock_scenario: MockScenario) -> Iterator[MockServer]:
    with MockServer(pacer_mock_scenario) as server:
        yield server


@pytest.fixture
def pacer_mock(pacer_mock_server: MockServer, pacer_mock_scenario: MockScenario) -> MockServer:
    pacer_mock_server.reset(pacer_mock_scenario)
    return pacer_mock_server


@pytest.fixture
def pacer_mock_factory(pacer_mock_scenario: MockScenario) -> Iterator[Callable[..., MockServer]]:
    servers: list[MockServer] = []

    def start(scenario: MockScenario | Path | str | None = None, *, faults: list[Any] | None = None,
              **changes: Any) -> MockServer:
        base = as_scenario(scenario) if scenario is not None else pacer_mock_scenario
        if faults is not None:
            changes["faults"] = faults
        # Validated like a scenario file: a misspelt field is an error here, not a silent no-op.
        chosen = MockScenario.model_validate({**base.model_dump(), **changes})
        server = MockServer(chosen).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
