"""Words for where a check came from: a status means the same everywhere, but its next step and message
name what to fix where it was given. `check`: the variables and options (PACER_PASSWORD,
PACER_OTP_SECRET); `serve`: what the attorney typed (and /admin says so to IT); `bulk`: the roster row
(tests/test_recheck.py)."""

from __future__ import annotations

import html
import json
import time
from pathlib import Path

import httpx
import pytest
from helpers import run_cli
from test_serve import (
    ACCOUNTS,
    ADMIN_TOKEN,
    MFA_SECRET,
    WRONG_PASSWORD,
    _check_over_http,
    client,
    link_token,
    start_serve,
    stop,
)

from flows.otp import code_at
from verifier.mock.server import MockServer
from verifier.serve.views import SAID
from verifier.statuses import Status


@pytest.fixture
def serve_env(cli_env: dict[str, str]) -> dict[str, str]:
    return {**cli_env, "PACER_VERIFY_ADMIN_TOKEN": ADMIN_TOKEN}


#: Another valid authenticator secret: its codes are not cwong2003's.
OTHER_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _check(server: MockServer, env: dict[str, str], username: str, **variables: str) -> dict[str, object]:
    done = run_cli(
        "check", "--username", username, "--base-url", server.url, "--json", env={**env, **variables}, check_exit=1
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_check_names_its_variables_not_a_roster(pacer_mock: MockServer, cli_env: dict[str, str]) -> None:
    wrong = _check(pacer_mock, cli_env, "bjones2002", PACER_PASSWORD=WRONG_PASSWORD)
    assert wrong["status"] == "invalid_credentials"
    first = wrong["next_steps"][0]  # type: ignore[index]
    assert "PACER_PASSWORD" in first and "--username" in first and "roster" not in first

    code = _check(pacer_mock, cli_env, "cwong2003", PACER_PASSWORD=ACCOUNTS["cwong2003"][1])
    assert code["status"] == "mfa_required"
    assert "Set PACER_OTP_SECRET" in code["next_steps"][0] and "roster" not in code["next_steps"][0]  # type: ignore[index]

    refused = _check(
        pacer_mock, cli_env, "cwong2003", PACER_PASSWORD=ACCOUNTS["cwong2003"][1], PACER_OTP_SECRET=OTHER_SECRET
    )
    assert refused["status"] == "otp_rejected"
    first = refused["next_steps"][0]  # type: ignore[index]
    assert first.startswith("Check PACER_OTP_SECRET") and "roster" not in first
    # What a person reads on the terminal: the same words.
    printed = run_cli(
        "check", "--username", "bjones2002", "--base-url", pacer_mock.url,
        env={**cli_env, "PACER_PASSWORD": WRONG_PASSWORD}, check_exit=1,
    ).stdout  # fmt: skip
    assert "PACER_PASSWORD" in printed and "in the roster" not in printed
    # Sent to a file (not a terminal): the step is one line, whatever its length.
    assert f"  • {first_of(wrong)}\n" in printed


def first_of(result: dict[str, object]) -> str:
    steps = result["next_steps"]
    assert isinstance(steps, list)
    return str(steps[0])


def _wrong_code(secret: str) -> str:
    """A 6-digit code that is none of the codes of the steps around now (the mock's window and more)."""
    now = time.time()
    near = {code_at(secret, now + 30 * step) for step in range(-3, 4)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in near)


def test_serve_speaks_of_what_the_attorney_typed(
    pacer_mock: MockServer, serve_env: dict[str, str], tmp_path: Path
) -> None:
    serve = start_serve(tmp_path, pacer_mock, serve_env, "--sign-in", "api")
    try:
        with client(serve) as http:
            carmen = link_token(serve, "cwong2003")
            form = {"link": carmen, "password": ACCOUNTS["cwong2003"][1], "otp_code": _wrong_code(MFA_SECRET)}
            refused = html.unescape(_check_over_http(http, form))
            bob = link_token(serve, "bjones2002")
            wrong = html.unescape(_check_over_http(http, {"link": bob, "password": WRONG_PASSWORD}))
            admin = html.unescape(
                httpx.get(f"{serve.url}/admin", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).text
            )
    finally:
        stop(serve)
    # The attorney's page says its opening paragraph once, not again as step 1.
    assert "PACER accepted your password but not the one-time code" in refused
    assert refused.count(SAID[Status.OTP_REJECTED]) == 1 and "Check again with a new one-time code" in refused
    assert wrong.count(SAID[Status.INVALID_CREDENTIALS]) == 1
    # IT's view: the code was typed, not made here; nothing about a roster's otp_secret or this machine's clock.
    results = {r["username"]: r for r in map(json.loads, (serve.out / "results.jsonl").read_text().splitlines())}
    code = results["cwong2003"]
    assert code["status"] == "otp_rejected"
    assert "the code was the one the attorney typed" in code["message"] and "clock" not in code["message"]
    assert "one-time code the attorney typed" in code["next_steps"][0]
    assert "username and password the attorney typed" in results["bjones2002"]["next_steps"][0]
    for text in (code["next_steps"][0], code["message"], admin):
        assert "otp_secret in the roster" not in text and "machine's clock" not in text
    assert "one-time code the attorney typed" in admin


def test_the_admin_sign_in_page_speaks_of_the_admin_token_not_a_pacer_password() -> None:
    from verifier.serve.views import Pages

    pages = Pages("Smith & Jones LLP", "pacer.login.uscourts.gov")
    admin = pages.render("admin_sign_in.html.j2", csrf="x", error=None)
    footer = admin[admin.index("<footer>") : admin.index("</footer>")]
    assert "admin token" in footer and "Your password and one-time code" not in footer
    attorney = pages.render("message.html.j2", heading="h", text="t", back=None)
    assert "Your password and one-time code go only to PACER" in attorney
