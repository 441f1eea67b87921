"""The mock PACER site as a Starlette app: Central Sign-On, Manage My Account and courts' CM/ECF on
the real paths (docs/mock-site.md is the contract), behind the fault injector.

    app = create_app(load_default_scenario())
    site = app.state.site          # MockSite: state, reset(), set_faults()

Plain form posts and 303 redirects, so it works with JavaScript off.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from verifier.mock.account import AccountPages
from verifier.mock.auth_api import AUTH_PATH as API_AUTH_PATH
from verifier.mock.auth_api import LOGOUT_PATH as API_LOGOUT_PATH
from verifier.mock.auth_api import AuthApi
from verifier.mock.clock import SiteDateHeader
from verifier.mock.courts import CourtPages
from verifier.mock.fault_plan import FaultPlan
from verifier.mock.faults import FaultInjector, TransportFinder
from verifier.mock.hosts import CourtHosts
from verifier.mock.live import LiveState
from verifier.mock.render import LOGIN_PATH, LOGOUT_PATH, UPGRADE_PATH, simple_page
from verifier.mock.scenario import VARIANTS, FaultRule, MockScenario
from verifier.mock.signon import SignOnPages
from verifier.mock.state import MockState


class MockSite:
    """The site's pages over one MockState. `reset()` swaps in a fresh state; handlers read
    `site.state` on every request, so a reset takes effect at once."""

    def __init__(self, scenario: MockScenario) -> None:
        # The page sets share what they answer from, and never the site: reset() swaps the state in it.
        self.live = LiveState(MockState(scenario))
        self.transport_for: TransportFinder | None = None
        self.sign_on = SignOnPages(self.live)
        self.account = AccountPages(self.live, self.sign_on)
        self.courts = CourtPages(self.live)
        self.auth_api = AuthApi(self.live)

    @property
    def state(self) -> MockState:
        return self.live.state

    @property
    def scenario(self) -> MockScenario:
        return self.state.scenario

    def reset(self, scenario: MockScenario | None = None) -> None:
        """Fresh accounts, sessions, counters and fault counts, for `scenario` or the current one."""
        self.live.state = MockState(scenario or self.state.scenario)

    def set_faults(
        self,
        faults: Iterable[FaultRule | dict[str, Any]] = (),
        *,
        lockout_after: int | None = None,
        variant: str | None = None,
        latency_ms: int = 0,
    ) -> None:
        """Replace the site-wide misbehaviour (rules, lockout, forced variant, latency) while it runs.

        Accounts and sessions are kept; fault counters start again. Per-account faults stay (they are
        part of the accounts). What is passed is the whole new configuration.
        """
        rules = [FaultRule.model_validate(f) for f in faults]
        if variant is not None and variant not in VARIANTS:
            raise ValueError(f"variant {variant!r}: expected one of {', '.join(VARIANTS)}")
        changes = {"faults": rules, "lockout_after": lockout_after, "variant": variant, "latency_ms": latency_ms}
        # Validated like a scenario file, so a bad value fails here and not in the middle of a request.
        scenario = MockScenario.model_validate({**self.state.scenario.model_dump(), **changes})
        with self.state.lock:
            self.state.scenario = scenario
            self.state.faults = FaultPlan(rules)

    async def home(self, request: Request) -> Response:
        return simple_page(
            "PACER: Public Access to Court Electronic Records",
            heading="PACER",
            paragraphs=["Public Access to Court Electronic Records (mock site for pacer-verify's tests)."],
            links=[
                ("Log in to Manage My Account", "/pscof/login.xhtml"),
                ("PACER Login", LOGIN_PATH),
                *((f"{c.name} ({c.kind}) CM/ECF", f"/ecf/{c.id}/cgi-bin/login.pl") for c in self.scenario.courts),
            ],
        )

    async def not_on_mock(self, request: Request) -> Response:
        # Linked from the sign-on page as on the real one; not part of what pacer-verify reads.
        return simple_page(
            "Not Available", ["This page is not part of the mock PACER site."], links=[("PACER Login", LOGIN_PATH)]
        )


async def _not_found(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    return simple_page(
        "Not Found" if status == 404 else "Method Not Allowed",
        ["There is no such page on the mock PACER site."],
        status_code=status,
    )


def create_app(scenario: MockScenario, site: MockSite | None = None) -> Starlette:
    """The ASGI app: the site's routes behind the fault injector (`app.state.site` is the MockSite)."""
    site = site or MockSite(scenario)
    get, both = ["GET"], ["GET", "POST"]
    routes = [
        Route("/", site.home, methods=get),
        Route(LOGIN_PATH, site.sign_on.get, methods=get),
        Route(LOGIN_PATH, site.sign_on.post, methods=["POST"]),
        Route(LOGOUT_PATH, site.sign_on.logout, methods=both),
        Route("/pscof/login.xhtml", site.account.pscof_login, methods=both),
        Route("/pscof/manage/{tab}.jsf", site.account.tab, methods=get),
        Route(UPGRADE_PATH, site.account.upgrade, methods=both),
        Route("/pscof/registration.jsf", site.not_on_mock, methods=get),
        Route("/pscof/forgotPassword.jsf", site.not_on_mock, methods=get),
        Route(API_AUTH_PATH, site.auth_api.login, methods=["POST"]),
        Route(API_LOGOUT_PATH, site.auth_api.logout, methods=["POST"]),
        Route("/ecf/{court}", site.courts.root, methods=get),
        Route("/ecf/{court}/", site.courts.root, methods=get),
        Route("/ecf/{court}/cgi-bin/{script}", site.courts.cgi, methods=both),
    ]
    app = Starlette(
        routes=routes,
        # The court hosts first: fault rules and counters see the mock's own paths (verifier.mock.hosts).
        middleware=[
            Middleware(CourtHosts),
            Middleware(SiteDateHeader, site=site),
            Middleware(FaultInjector, site=site),
        ],
        exception_handlers={404: _not_found, 405: _not_found},
    )
    app.state.site = site
    return app
