"""pytest fixtures for the mock PACER site, registered by the `pytest11` entry point `pacer_mock`.

Any project that installs pacer-verify gets:

- `pacer_mock`: the running mock with the bundled scenario, reset (fresh accounts, sessions,
  counters, no faults) before each test. `pacer_mock.url` is the base URL.
- `pacer_mock_factory`: `pacer_mock_factory(scenario=None, faults=[...], lockout_after=N,
  variant="table")` starts another server for one test (stopped afterwards).
- `--pacer-mock-scenario PATH`: use another scenario file for `pacer_mock`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from verifier.mock.scenario import MockScenario, load_scenario
from verifier.mock.server import MockServer
from verifier.paths import MOCK_SCENARIO


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--pacer-mock-scenario", default=None, help="scenario JSON for the pacer_mock fixture")


@pytest.fixture(scope="session")
def pacer_mock_scenario(pytestconfig: pytest.Config) -> MockScenario:
    path = pytestconfig.getoption("--pacer-mock-scenario") or MOCK_SCENARIO
    return load_scenario(Path(path))


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

    def start(scenario: MockScenario | None = None, **changes: Any) -> MockServer:
        chosen = (scenario or pacer_mock_scenario).model_copy(update=changes)
        server = MockServer(chosen).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
