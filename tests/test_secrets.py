"""No password or authenticator secret ever lands anywhere: output, logs, checkpoint, reports,
screenshots, traces (unpacked). Runs `check` and `bulk` with tracing and verbose logging on: `bulk` over
every path of the sample roster (helpers.every_path_roster), each secret typed where its path types it."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import every_path_roster, run_cli
from pydantic import SecretStr
from secret_spellings import every_byte, fixture_secrets, leaks

from flows.otp import PERIOD_S
from verifier.config import load_settings
from verifier.mock.server import MockServer
from verifier.models import Account

# The form: the password typed into the page is where a trace would hold it (the API's run is
# test_secret_echo's and test_api_sign_in's).
pytestmark = pytest.mark.sign_in("browser")


def test_no_secret_anywhere(pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path) -> None:
    cli_env["PACER_VERIFY_LOG_LEVEL"] = "DEBUG"
    out = tmp_path / "out"
    roster, _ = every_path_roster(tmp_path / "roster.csv")
    bulk = run_cli(
        "bulk",
        str(roster),
        "--base-url",
        pacer_mock.url,
        "--out",
        str(out),
        "--rate",
        "0",
        "--trace",
        "on",
        "--retries",
        "0",
        env=cli_env,
        cwd=tmp_path,
    )
    assert bulk.returncode == 1, bulk.stderr
    streams = [bulk.stdout, bulk.stderr]
    # The site's clock a code step on: an account with MFA makes a new code instead of waiting up to 30 s.
    pacer_mock.move_clock(PERIOD_S)
    for username in ("cwong2003", "hlee2008", "ntaylor2014", "kdavis2011"):
        account = next(a for a in pacer_mock.scenario.accounts if a.username == username)
        env = {**cli_env, "PACER_PASSWORD": account.password, "PACER_OTP_SECRET": account.otp_secret or ""}
        check = run_cli("check", "--username", username, "--base-url", pacer_mock.url, "--json", env=env, cwd=tmp_path)
        streams += [check.stdout, check.stderr]

    traces = list(out.rglob("*.zip"))
    shots = list(out.rglob("*.png"))
    assert traces, "tracing was on: traces must have been written"
    assert shots, "unexpected pages must have masked screenshots"
    found = leaks(every_byte(out, streams), fixture_secrets(pacer_mock))
    assert not found, f"a fixture secret leaked into: {found[:5]}"


# Passwords with every character that once slipped past the scrubber: JSON-escaped ones (", \, tab),
# one Chromium form-encodes unlike Python (~), non-ASCII and emoji; and a CM/ECF password too.
HOSTILE = {
    "upgraded": 'Up"grade\\d\tTab~tilde-é-😀-1',
    "cmecf": 'Cm"ecf\\Old\t~é🔑-2',
    "mfa": 'Mf a"\\~\té😀-3',
    "broken": 'Br"ok\\en\t~é😀-4',
    "wrong": 'Wr"ong\\Pass\t~é😀-5',
    "control": 'Ct\x01rl\x1b[0m\x7f\u200b~"\\中-6',
}
OTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def hostile_server(factory: Callable[..., MockServer]) -> MockServer:
    accounts = [
        {
            "username": "quote2101",
            "password": HOSTILE["upgraded"],
            "name": "Quinn Quote",
            "cmecf": {"nysd": {"login": "qquote", "password": HOSTILE["cmecf"], "linked": True}},
        },
        {"username": "mfa2102", "password": HOSTILE["mfa"], "name": "Mo Mfa", "otp_secret": OTP},
        {"username": "broken2103", "password": HOSTILE["broken"], "name": "Bo Broken", "variant": "broken"},
        {"username": "wrong2104", "password": "The-Right-One-104", "name": "Wes Wrong"},
        {"username": "ctrl2105", "password": HOSTILE["control"], "name": "Cy Control"},
    ]
    return factory(accounts=accounts)


def hostile_roster(path: Path) -> Path:
    rows = [
        ["name", "username", "password", "otp_secret", "courts", "cmecf_username", "cmecf_password"],
        ["Quinn Quote", "quote2101", HOSTILE["upgraded"], "", "nysd", "qquote", HOSTILE["cmecf"]],
        ["Mo Mfa", "mfa2102", HOSTILE["mfa"], OTP, "", "", ""],
        ["Bo Broken", "broken2103", HOSTILE["broken"], "", "", "", ""],
        ["Wes Wrong", "wrong2104", HOSTILE["wrong"], "", "", "", ""],
        ["Cy Control", "ctrl2105", HOSTILE["control"], "", "", "", ""],
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    path.chmod(0o600)
    return path


def test_hostile_passwords_leave_no_spelling_anywhere(
    pacer_mock_factory: Callable[..., MockServer], cli_env: dict[str, str], tmp_path: Path
) -> None:
    server = hostile_server(pacer_mock_factory)
    cli_env["PACER_VERIFY_LOG_LEVEL"] = "DEBUG"
    out = tmp_path / "out"
    bulk = run_cli(
        "bulk",
        str(hostile_roster(tmp_path / "roster.csv")),
        "--base-url",
        server.url,
        "--out",
        str(out),
        "--rate",
        "0",
        "--trace",
        "on",
        "--retries",
        "0",
        "--json",
        env=cli_env,
        cwd=tmp_path,
    )
    assert bulk.returncode == 1, bulk.stderr
    statuses = {r["username"]: r["status"] for r in json.loads(bulk.stdout)["results"]}
    assert statuses == {
        "quote2101": "upgraded",
        "mfa2102": "upgraded",
        "broken2103": "unrecognized_page",
        "wrong2104": "invalid_credentials",
        "ctrl2105": "upgraded",
    }, "each hostile password must have been typed"
    streams = [bulk.stdout, bulk.stderr]
    server.move_clock(PERIOD_S)  # a new code for the check of the account bulk signed in, without a wait
    env = {**cli_env, "PACER_PASSWORD": HOSTILE["mfa"], "PACER_OTP_SECRET": OTP, "PACER_VERIFY_TRACE": "on"}
    check = run_cli("check", "--username", "mfa2102", "--base-url", server.url, "--json", env=env, cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    streams += [check.stdout, check.stderr]

    traces = list(out.rglob("*.zip"))
    assert len(traces) >= 5, "tracing was on: one trace per account at least"
    found = leaks(every_byte(out, streams), {*HOSTILE.values(), OTP})
    assert not found, f"a hostile secret leaked into: {found[:5]}"


# --- settings and models hold secrets as secrets ---------------------------------------------------------


def test_password_from_environment_is_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACER_PASSWORD", "Sup3r-Secret-Value")
    settings = load_settings(None)
    assert "Sup3r-Secret-Value" not in repr(settings)
    assert settings.password is not None and settings.password.get_secret_value() == "Sup3r-Secret-Value"


def test_account_never_shows_its_secrets() -> None:
    account = Account(username="ab1234", password=SecretStr("hunter2hunter2"), otp_secret=SecretStr("JBSWY3DPEHPK3PXP"))
    text = repr(account) + str(account) + account.model_dump_json()
    assert "hunter2hunter2" not in text and "JBSWY3DPEHPK3PXP" not in text
