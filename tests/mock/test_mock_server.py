"""MockServer, the app factory, the pytest plugin and `pacer-verify mock`."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from helpers import free_port, reaped
from rich.console import Console
from site_client import ACCOUNT, LOGIN, SiteClient
from starlette.applications import Starlette

from verifier.commands.mock import mock_command, print_accounts
from verifier.data import MOCK_SCENARIO
from verifier.errors import UsageError
from verifier.mock.app import create_app
from verifier.mock.faults import DroppedConnection
from verifier.mock.scenario import FaultRule, MockAccount, MockScenario, load_scenario
from verifier.mock.server import MockServer

SMALL = MockScenario(accounts=[MockAccount(username="tiny00001", password="Mock-Passw0rd-t")])


def test_port_zero_url_and_stop() -> None:
    with MockServer(SMALL) as server:
        assert server.port != 0 and server.url == f"http://127.0.0.1:{server.port}"
        assert httpx.get(server.url + LOGIN).status_code == 200
        url = server.url
    with pytest.raises(httpx.TransportError):
        httpx.get(url + LOGIN, timeout=2)


def test_given_port_and_default_scenario() -> None:
    port = free_port()
    with MockServer(port=port) as server:
        assert server.url == f"http://127.0.0.1:{port}"
        assert server.scenario == load_scenario(MOCK_SCENARIO)


def test_reset_restores_the_scenario(pacer_mock: MockServer, client: SiteClient) -> None:
    client.sign_in("lwilson2012")
    client.step({"frmUserUpdate:bpmSkip": "x"})
    assert pacer_mock.state.account("lwilson2012").skips_left == 1  # type: ignore[union-attr]
    pacer_mock.reset()
    assert pacer_mock.state.account("lwilson2012").skips_left == 2  # type: ignore[union-attr]
    assert pacer_mock.stats() == {
        "requests": {},
        "login_posts": {},
        "step_posts": {},
        "sign_ons": {},
        "wrong_attempts": {},
        "court_login_posts": {},
        "api_login_posts": {},
        "open_sessions": {},
        "open_court_sessions": {},
        "client_codes": {},
        "replayed_codes": {},
        "locked": [],
        "faults": {},
    }
    assert pacer_mock.scenario.account("lwilson2012").skips_left == 2  # type: ignore[union-attr]


def test_pacer_mock_starts_each_test_fresh(pacer_mock: MockServer) -> None:
    # Other tests in this session signed in, failed and set faults on the same server.
    assert pacer_mock.state.sessions == {} and pacer_mock.stats()["login_posts"] == {}
    assert pacer_mock.scenario.faults == [] and pacer_mock.scenario.variant is None


def test_factory_validates_changes(pacer_mock_factory: Callable[..., MockServer]) -> None:
    with pytest.raises(ValueError, match="lockout_aftr"):
        pacer_mock_factory(lockout_aftr=3)
    server = pacer_mock_factory(SMALL, faults=[{"kind": "status", "path": "^/$"}])
    assert httpx.get(server.url + "/").status_code == 503


def test_create_app_is_a_starlette_app_that_works_without_uvicorn() -> None:
    app = create_app(SMALL)
    assert isinstance(app, Starlette)

    async def run() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
            assert (await client.get(LOGIN)).status_code == 200
            assert (await client.get(ACCOUNT)).status_code == 303
            app.state.site.set_faults([FaultRule(kind="drop", times=1)])
            # Without MockServer there is no connection to cut: the app raises instead.
            with pytest.raises(DroppedConnection):
                await client.get(LOGIN)

    # In a thread of its own: pytest-playwright's sync API may hold an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, run()).result(60)


def test_stats_survive_concurrent_requests(pacer_mock: MockServer) -> None:
    with httpx.Client(base_url=pacer_mock.url, verify=False) as http, ThreadPoolExecutor(8) as pool:  # plain http
        codes = list(pool.map(lambda _: http.get("/").status_code, range(40)))
    assert codes == [200] * 40
    assert pacer_mock.stats()["requests"]["/"] == 40


def test_mock_command_refuses_a_remote_host() -> None:
    with pytest.raises(UsageError, match="allow-remote"):
        mock_command(host="0.0.0.0")
    with pytest.raises(UsageError, match="variant"):
        mock_command(variant="fancy")


def test_account_list_shows_statuses_but_no_passwords() -> None:
    console = Console(record=True, width=200)
    scenario = load_scenario(MOCK_SCENARIO)
    print_accounts(console, scenario)
    out = console.export_text()
    for account in scenario.accounts:
        assert account.username in out
        assert account.password not in out
    assert re.search(r"imartin2009\s.*\slocked", out) and re.search(r"oanderson2015\s.*\ssite_error", out)


def test_pacer_verify_mock_serves_until_interrupted(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
    process = subprocess.Popen(
        [sys.executable, "-m", "verifier", "mock", "--port", "0", "--quiet", "--fail-rate", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    with reaped(process):
        assert process.stdout is not None
        url = None
        for line in process.stdout:
            found = re.search(r"http://127\.0\.0\.1:\d+", line)
            if found:
                url = found.group(0)
                break
        assert url, process.stderr.read() if process.stderr else ""
        assert httpx.get(url + LOGIN).status_code == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(20) == 0


def test_plugin_option_serves_another_scenario(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.json"
    scenario.write_text(SMALL.model_dump_json())
    (tmp_path / "test_other.py").write_text(
        textwrap.dedent("""
        def test_it(pacer_mock, pacer_mock_scenario):
            assert [a.username for a in pacer_mock.scenario.accounts] == ["tiny00001"]
    """)
    )
    # pytest-playwright is not needed there, and loading it is most of the start-up time.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:playwright",
            "--rootdir",
            str(tmp_path),
            "-c",
            os.devnull,
            f"--pacer-mock-scenario={scenario}",
            str(tmp_path / "test_other.py"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
