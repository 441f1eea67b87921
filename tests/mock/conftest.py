"""Fixtures for the mock site's own tests: browserless clients over the plugin's `pacer_mock`."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from site_client import SiteClient

from verifier.mock.server import MockServer


@pytest.fixture
def clients() -> Iterator[Callable[[MockServer], SiteClient]]:
    """`clients(server)`: a new client (its own cookies) for a server; all closed at the end."""
    made: list[SiteClient] = []

    def make(server: MockServer) -> SiteClient:
        made.append(SiteClient(server))
        return made[-1]

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(pacer_mock: MockServer, clients: Callable[[MockServer], SiteClient]) -> SiteClient:
    """A client of the session's mock (reset for this test)."""
    return clients(pacer_mock)
