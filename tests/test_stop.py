"""Stop means stop: after a signal, the lockout rule or the API→form switch, no sign-in starts that the
rule does not allow. Every assertion is on the mock's own sign-in counters; the rate limit spaces the
sign-ins far apart (tens of seconds), so a sign-in that should not happen would be counted."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpers import reaped, sign_ins, start_cli
from playwright.async_api import Browser
from test_signon_paths import account_of

from verifier.check.verify import API_SESSION_NOT_RETRIED, API_SESSION_REFUSED
from verifier.config import load_settings
from verifier.mock.scenario import FaultRule
from verifier.mock.server import MockServer
from verifier.models import Account, Status
from verifier.run.runner import Runner
from verifier.run.signin_gate import RunStopped, SignInGate

Factory = Callable[..., MockServer]
GOOD = [f"atty30{n:02d}" for n in range(1, 9)]


def _sign_ins(server: MockServer) -> int:
    return sum(sign_ins(server).values())


def test_a_stop_ends_a_wait_for_the_rate_limit_at_once(run_core: Callable[..., Any]) -> None:
    # On the core's own loop: pytest-playwright's sync fixtures keep a loop running in this thread
    # once a browser test has run in the same worker, and asyncio.run refuses to start under it.
    async def scenario() -> tuple[bool, bool]:
        stop = asyncio.Event()
        gate = SignInGate(1, stop, lambda _reason: None)  # one sign-in a minute
        await gate.wait_turn()  # the first goes at once
        waiting = asyncio.ensure_future(gate.wait_turn())  # the next would wait a minute
        await asyncio.sleep(0)
        stop.set()
        try:
            await asyncio.wait_for(waiting, 30)
        except RunStopped:
            return True, stop.is_set()
        return False, stop.is_set()

    assert run_core(scenario()) == (True, True)


def test_sigint_during_a_rate_limited_run_starts_no_sign_in(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    rows = [f"{u},{pacer_mock.state.account(u).password}" for u in GOOD]  # type: ignore[union-attr]
    roster.write_text("username,password\n" + "\n".join(rows) + "\n")
    roster.chmod(0o600)
    # One sign-in a minute with 4 workers: three workers wait in the rate limit when the signal comes.
    command = ["bulk", str(roster), "--base-url", pacer_mock.url]
    command += ["--out", str(tmp_path / "out"), "--rate", "1", "-c", "4"]
    process = start_cli(*command, env=cli_env)
    with reaped(process):
        deadline = time.monotonic() + 120
        while _sign_ins(pacer_mock) == 0 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _sign_ins(pacer_mock) == 1, "the first sign-in never came"
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=55)  # the next sign-in would be due a minute after the first
    assert process.returncode == 130, stderr
    assert _sign_ins(pacer_mock) == 1


def test_the_lockout_stop_starts_no_sign_in(
    pacer_mock_factory: Factory, pacer_mock_scenario: Any, core_browser: Browser, run_core: Callable[..., Any]
) -> None:
    locked = [{"username": f"gone{n}2030", "password": "Mock-Passw0rd-x", "state": "disabled"} for n in range(1, 4)]
    server = pacer_mock_factory(accounts=[*(a.model_dump() for a in pacer_mock_scenario.accounts), *locked])
    accounts = [account_of(server, a["username"], row=i) for i, a in enumerate(locked, start=1)]
    accounts += [account_of(server, u, row=10 + i) for i, u in enumerate(GOOD[:4])]
    # A sign-in every 5 s: the third locked answer comes seconds before the fourth sign-in is due.
    settings = load_settings(
        None, base_url=server.url, rate_per_minute=12, concurrency=4, sign_in="api", stop_after_locked=3, retries=0
    )
    summary = run_core(Runner(settings, browser=core_browser).run(accounts))
    assert [r.status for r in summary.results] == [Status.LOCKED] * 3
    assert summary.stopped_reason and "3 locked accounts" in summary.stopped_reason
    assert _sign_ins(server) == 3


def test_the_switch_to_the_form_costs_exactly_one_extra_sign_in(
    pacer_mock_factory: Factory, core_browser: Browser, run_core: Callable[..., Any]
) -> None:
    server = pacer_mock_factory(api_opens_account=False)
    accounts: list[Account] = [account_of(server, u, row=i) for i, u in enumerate(GOOD, start=1)]
    settings = load_settings(
        None, base_url=server.url, rate_per_minute=0, concurrency=4, sign_in="api", timeout_s=15, check_courts=False
    )
    summary = run_core(Runner(settings, browser=core_browser).run(accounts))
    results = summary.results
    assert len(results) == len(GOOD) and not summary.stopped_reason
    assert _sign_ins(server) == len(GOOD) + 1
    fell_back = [r for r in results if API_SESSION_REFUSED in r.message]
    assert len(fell_back) == 1 and fell_back[0].status in (Status.UPGRADED, Status.LEGACY)
    # Accounts whose API session was refused while the fallback was spent are not signed in again.
    for result in results:
        signed = sign_ins(server).get(result.username, 0)
        assert signed == (2 if result in fell_back else 1), result.username
        if result.status is Status.SITE_ERROR:
            assert result.message == API_SESSION_NOT_RETRIED
        else:
            assert result.status in (Status.UPGRADED, Status.LEGACY), result.message


def test_a_switch_whose_form_fails_stops_the_run(
    pacer_mock_factory: Factory, core_browser: Browser, run_core: Callable[..., Any]
) -> None:
    # Manage My Account refuses the API's session, and the sign-on form's post fails (HTTP 500).
    fault = FaultRule(kind="status", status=500, path="^/csologin/login.jsf", method="POST", name="form")
    server = pacer_mock_factory(api_opens_account=False, faults=[fault])
    accounts = [account_of(server, u, row=i) for i, u in enumerate(GOOD, start=1)]
    settings = load_settings(
        None, base_url=server.url, rate_per_minute=0, concurrency=2, sign_in="api", timeout_s=15, retries=0
    )
    summary = run_core(Runner(settings, browser=core_browser).run(accounts))
    assert summary.stopped_reason and "sign-on form did not sign in either" in summary.stopped_reason
    # The two accounts in flight when the switch began signed in by the API, one of them tried the
    # form once; the accounts held for the switch never signed in.
    assert sum(server.stats()["api_login_posts"].values()) == 2
    assert server.stats()["faults"].get("form") == 1
    assert len(summary.results) == 2


def test_a_stopped_run_says_so_in_every_report_and_names_resume(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    """Ctrl-C mid-run: the terminal's last lines say how many were not checked and give the --resume
    command; report.html (a banner), results.json (a field), results.csv (a comment line) and junit.xml
    (the rest skipped) say "stopped after N of M attorneys"."""
    import csv
    import json
    import xml.etree.ElementTree as ET

    roster = tmp_path / "roster.csv"
    rows = [f"{u},{pacer_mock.state.account(u).password}" for u in GOOD]  # type: ignore[union-attr]
    roster.write_text("username,password\n" + "\n".join(rows) + "\n")
    roster.chmod(0o600)
    out = tmp_path / "out"
    # One sign-in a minute: the first account finishes, the next waits in the rate limit for the signal.
    command = ["bulk", str(roster), "--base-url", pacer_mock.url, "--out", str(out), "--rate", "1", "-c", "2"]
    process = start_cli(*command, env=cli_env)
    with reaped(process):
        deadline = time.monotonic() + 120
        checkpoint = out / "results.jsonl"
        while process.poll() is None and time.monotonic() < deadline:
            if checkpoint.is_file() and checkpoint.read_text().count("\n") >= 1:
                break
            time.sleep(0.1)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=55)
    assert process.returncode == 130, stderr
    checked = checkpoint.read_text().count("\n")
    assert 1 <= checked < len(GOOD)
    line = f"stopped after {checked} of {len(GOOD)} attorneys: {len(GOOD) - checked} not checked"

    last = stdout.rstrip().splitlines()[-3:]
    assert last[0] == f"S{line[1:]} (interrupted by Ctrl-C)."
    assert last[2] == f"    pacer-verify bulk {roster} --out {out} --resume --base-url {pacer_mock.url}"

    html = (out / "report.html").read_text()
    assert f"This run {line}</h2>" in html and html.index('class="stopped"') < html.index("summary-title")
    assert f"{checked} of {len(GOOD)} attorneys checked" in html
    document = json.loads((out / "results.json").read_text())
    assert next(iter(document)) == "stopped" and document["stopped"]["summary_line"] == line
    assert len(document["stopped"]["not_checked"]) == len(GOOD) - checked
    text = (out / "results.csv").read_text(encoding="utf-8-sig")
    assert text.startswith(f"# {line}; interrupted by Ctrl-C; run bulk again with --resume")
    table = list(csv.DictReader(row for row in text.splitlines() if not row.startswith("#")))
    assert len(table) == checked and table[0]["username"] in GOOD  # the header reads once the comment is skipped
    suite = ET.fromstring((out / "junit.xml").read_text())
    skipped = [case for case in suite.iter("testcase") if case.find("skipped") is not None]
    assert suite.get("skipped") == str(len(skipped)) == str(len(GOOD) - checked)
    assert suite.get("tests") == str(len(GOOD))
    assert "interrupted by Ctrl-C" in (skipped[0].find("skipped").get("message") or "")  # type: ignore[union-attr]
