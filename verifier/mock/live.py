"""What the mock's page sets answer from: the state of the moment, and who a request is signed in as.

`MockSite.reset()` swaps in a fresh MockState. Every page set (sign-on, Manage My Account, the courts,
the Authentication API) holds this one LiveState and reads `live.state` per request, so a reset takes
effect at once, and no page set reaches back to the site that holds it.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from verifier.mock.faults import SESSION_COOKIE
from verifier.mock.scenario import MockAccount, MockScenario
from verifier.mock.state import MockState


class LiveState:
    def __init__(self, state: MockState) -> None:
        self.state = state

    @property
    def scenario(self) -> MockScenario:
        return self.state.scenario

    def session_token(self, request: Request) -> str | None:
        token = request.cookies.get(SESSION_COOKIE)
        return token if token and self.signed_in(request) is not None else None

    def signed_in(self, request: Request) -> MockAccount | None:
        token = request.cookies.get(SESSION_COOKIE)
        if token in self.state.browser_sign_on_due:
            return None  # an API session the pages do not take (see MockScenario.api_opens_account)
        return self.state.session_account(token)


@dataclass
class PageSet:
    """A set of the mock's pages: it reads the state of the moment through `live`, per request."""

    live: LiveState

    @property
    def state(self) -> MockState:
        return self.live.state
