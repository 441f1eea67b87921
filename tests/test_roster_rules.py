"""Roster rows that cannot be what the user meant never sign in: a row cut by an unquoted comma, and a
secret under a column name pacer-verify does not read (end to end against the mock: no sign-in sent)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from helpers import run_cli

from verifier.mock.server import MockServer
from verifier.roster import KNOWN, RosterError, read_roster
from verifier.roster._columns import holds_secret, meant


def _bulk(
    env: dict[str, str], tmp_path: Path, server: MockServer, roster: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    return run_cli(
        "bulk",
        str(roster),
        "--base-url",
        server.url,
        "--out",
        str(tmp_path / "out"),
        "--json",
        "--rate",
        "0",
        *extra,
        env=env,
        cwd=tmp_path,
    )


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def _sign_ins(server: MockServer) -> int:
    stats = server.stats()
    return sum(stats["login_posts"].values()) + sum(stats["api_login_posts"].values())


def _password(server: MockServer, username: str) -> str:
    account = server.state.account(username)
    assert account is not None
    return account.password


@pytest.mark.browser
def test_a_row_cut_by_an_unquoted_comma_never_signs_in(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    cut = _password(pacer_mock, "asmith2001").replace("-", ",", 1)  # "Mock,Passw0rd-1": the comma cuts it
    roster = _write(
        tmp_path,
        "name,username,password\n"
        f"Alice Smith,asmith2001,{cut}\n"
        f"Brian Jones,bjones2002,{_password(pacer_mock, 'bjones2002')}\n",
    )
    done = _bulk(cli_env, tmp_path, pacer_mock, roster)
    results = {r["username"] or r["name"]: r for r in json.loads(done.stdout)["results"]}
    bad = next(r for r in results.values() if r["row"] == 1)
    assert bad["status"] == "invalid_input"
    assert "row has 4 fields, the header 3: quote a password that contains a comma" in bad["message"]
    assert results["bjones2002"]["status"] == "upgraded"  # the rest of the roster still runs
    stats = pacer_mock.stats()
    assert stats["login_posts"].get("asmith2001", 0) == 0 and stats["api_login_posts"].get("asmith2001", 0) == 0
    assert _sign_ins(pacer_mock) == 1


@pytest.mark.browser
def test_a_secret_under_another_column_name_stops_the_run_unless_ignored(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    secret = pacer_mock.state.account("kdavis2011").otp_secret  # type: ignore[union-attr]
    roster = _write(
        tmp_path,
        "Attorney Name,Username,Password,MFA Secret,Court\n"
        f"Kim Davis,kdavis2011,{_password(pacer_mock, 'kdavis2011')},{secret},cod\n",
    )
    done = _bulk(cli_env, tmp_path, pacer_mock, roster)
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "'MFA Secret' (did you mean otp_secret?)" in line and "--ignore-column 'MFA Secret'" in line
    assert secret and secret not in done.stderr + done.stdout
    assert _sign_ins(pacer_mock) == 0

    done = _bulk(cli_env, tmp_path, pacer_mock, roster, "--ignore-column", "mfa secret")
    assert done.returncode in (0, 1), done.stderr
    assert "'Attorney Name' (did you mean name?)" in done.stderr and "'Court' (did you mean courts?)" in done.stderr
    [result] = json.loads(done.stdout)["results"]
    assert result["status"] == "mfa_required"  # checked without the secret, as asked: no code was guessed


@pytest.mark.parametrize(
    ("column", "known"),
    [("mfa_secret", "otp_secret"), ("otp", "otp_secret"), ("totp", "otp_secret"), ("2fa", "otp_secret"),
     ("court", "courts"), ("attorney_name", "name"), ("usernme", "username"), ("favourite_colour", None)],
)  # fmt: skip
def test_what_an_unknown_column_likely_meant(column: str, known: str | None) -> None:
    assert meant(column, KNOWN) == known


def test_which_unknown_columns_may_hold_a_secret() -> None:
    assert all(holds_secret(c, KNOWN) for c in ("mfa_secret", "2fa", "pwd", "api_token", "pacer_pass"))
    assert not any(holds_secret(c, KNOWN) for c in ("court", "attorney_name", "office", "bar_number"))


def test_row_field_counts_and_json_keys(tmp_path: Path) -> None:
    roster = read_roster(_write(tmp_path, "name,username,password,courts\nA,a1234567,pw\nB,b1234567,p,w,cod\n"))
    assert [e.message for e in roster.errors] == [
        "row has 3 fields, the header 4: give every column a field (an empty one between two separators), "
        "and check for a stray quote",
        "row has 5 fields, the header 4: quote a password that contains a comma",
    ]
    assert not roster.accounts
    path = tmp_path / "roster.json"
    path.write_text('[{"username": "a1234567", "password": "pw", "TOTP": "JBSWY3DPEHPK3PXP"}]', encoding="utf-8")
    path.chmod(0o600)
    with pytest.raises(RosterError, match=r"key 'TOTP' \(did you mean otp_secret\?\)"):
        read_roster(path)
    assert read_roster(path, ignore_columns=["totp"]).accounts[0].otp_secret is None
