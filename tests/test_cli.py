"""Whole commands in a subprocess, as a person or a script runs them; usage errors that only repeat a way out
a subprocess test here already takes are read in this process (helpers.usage_errors_in_process)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import REPO_ROOT, UsageRun, run_cli, usage_errors_in_process

from verifier.mock.server import MockServer


@pytest.fixture
def usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> Iterator[UsageRun]:
    with usage_errors_in_process(monkeypatch, caplog, tmp_path) as run:
        yield run


def password_of(server: MockServer, username: str) -> str:
    return next(a.password for a in server.scenario.accounts if a.username == username)


def test_check_upgraded_account(pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path) -> None:
    cli_env["PACER_PASSWORD"] = password_of(pacer_mock, "cwong2003")
    cli_env["PACER_OTP_SECRET"] = (
        next(a.otp_secret for a in pacer_mock.scenario.accounts if a.username == "cwong2003") or ""
    )
    done = run_cli(
        "check",
        "--username",
        "cwong2003",
        "--base-url",
        pacer_mock.url,
        "--json",
        "--court",
        "cod",
        env=cli_env,
        cwd=tmp_path,
    )
    result = json.loads(done.stdout)
    assert result["status"] == "upgraded" and result["account_type"] == "Upgraded PACER Account"
    assert done.returncode == 0, done.stderr
    assert cli_env["PACER_PASSWORD"] not in done.stdout + done.stderr


def test_check_legacy_account_needs_action(pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path) -> None:
    cli_env["PACER_PASSWORD"] = password_of(pacer_mock, "egarcia2005")
    cli_env["PACER_USERNAME"] = "egarcia2005"
    done = run_cli("check", "--base-url", pacer_mock.url, env=cli_env, cwd=tmp_path)
    assert done.returncode == 1
    assert "legacy" in done.stdout and "Upgrade" in done.stdout


def test_check_without_password_is_a_usage_error(pacer_mock: MockServer, usage_error: UsageRun) -> None:
    # In this process: `check`'s usage errors reach the user as test_check_refuses_by_the_roster_rules_... shows.
    assert "PACER_PASSWORD" in usage_error("check", "--username", "egarcia2005", "--base-url", pacer_mock.url)
    stats = pacer_mock.stats()
    assert stats["login_posts"] == {} and stats["api_login_posts"] == {}


def test_unknown_option(usage_error: UsageRun) -> None:
    # In this process: a bad option's line reaches the user as tests/test_bad_input.py's mock --port shows.
    assert "No such option" in usage_error("check", "--no-such-option")


def test_unreachable_base_url(cli_env: dict[str, str], tmp_path: Path) -> None:
    cli_env["PACER_PASSWORD"] = "Whatever-Passw0rd"
    done = run_cli("check", "--username", "someone1", "--base-url", "http://127.0.0.1:9", env=cli_env, cwd=tmp_path)
    assert done.returncode == 3
    assert "cannot reach http://127.0.0.1:9" in done.stderr and "Traceback" not in done.stderr


def test_plain_http_to_a_remote_host_is_refused(usage_error: UsageRun) -> None:
    args = ("check", "--username", "someone1", "--base-url", "http://pacer.example.com")
    assert "plain http" in usage_error(*args, env={"PACER_PASSWORD": "Whatever-Passw0rd"})


def test_doctor(cli_env: dict[str, str], tmp_path: Path) -> None:
    done = run_cli("doctor", "--json", env=cli_env, cwd=tmp_path)
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["ok"] is True and report["browser_version"]


def test_doctor_with_a_missing_browser(cli_env: dict[str, str], tmp_path: Path) -> None:
    done = run_cli("doctor", "--browser-path", str(tmp_path / "no-such-chrome"), env=cli_env, cwd=tmp_path)
    assert done.returncode == 3 and "does not exist" in " ".join((done.stdout + done.stderr).split())  # wrapped


def test_demo(cli_env: dict[str, str], tmp_path: Path) -> None:
    cli_env.pop("PACER_VERIFY_SIGN_IN", None)  # as a new user runs it: the product's own sign-in
    done = run_cli("demo", "--out", str(tmp_path / "demo"), env=cli_env, cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "report.html" in done.stdout
    for name in ("results.jsonl", "results.json", "results.csv", "report.html", "junit.xml"):
        assert (tmp_path / "demo" / name).stat().st_size > 0
    expected = json.loads((REPO_ROOT / "fixtures" / "expected_statuses.json").read_text())
    lines = (tmp_path / "demo" / "results.jsonl").read_text().splitlines()
    assert {str(json.loads(line)["row"]): json.loads(line)["status"] for line in lines} == expected
    # The roster it checked is a private copy in --out, so no warning about a world-readable roster.
    assert (tmp_path / "demo" / "sample_roster.csv").stat().st_mode & 0o777 == 0o600
    assert "readable by other users" not in done.stdout + done.stderr


def test_bad_roster_is_one_clear_error(cli_env: dict[str, str], tmp_path: Path, pacer_mock: MockServer) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("name,user\nAlice,asmith2001\n")
    done = run_cli(
        "bulk", str(roster), "--base-url", pacer_mock.url, "--out", str(tmp_path / "o"), env=cli_env, cwd=tmp_path
    )
    assert done.returncode == 2
    assert "missing required column 'username'" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("fmt", ["json", "csv", "junit", "table"])
def test_report_renders_again(fmt: str, cli_env: dict[str, str], tmp_path: Path) -> None:
    results = tmp_path / "results.jsonl"
    results.write_text(
        json.dumps(
            {"name": "Alice Smith", "username": "asmith2001", "status": "legacy", "checked_at": "2026-11-22T10:00:00Z"}
        )
        + "\n"
    )
    done = run_cli("report", str(results), "--format", fmt, env=cli_env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "asmith2001" in done.stdout


def test_courts_command(cli_env: dict[str, str], tmp_path: Path) -> None:
    done = run_cli("courts", "--json", env=cli_env, cwd=tmp_path)
    courts = {c["id"]: c for c in json.loads(done.stdout)["courts"]}
    assert courts["cod"]["nextgen_go_live"] == "2021-08-02" and courts["utb"]["kind"] == "bankruptcy"


def test_check_court_ids_however_written_and_unknown(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    cli_env["PACER_PASSWORD"] = password_of(pacer_mock, "asmith2001")
    done = run_cli(
        "check",
        "--username",
        "asmith2001",
        "--base-url",
        pacer_mock.url,
        "--json",
        "--as-of",
        "2026-06-01",
        "--court",
        "CODC",
        "--court",
        "ecf.cod.uscourts.gov",
        "--court",
        "codd",
        env=cli_env,
        cwd=tmp_path,
    )
    assert done.returncode in (0, 1), done.stderr
    result = json.loads(done.stdout)
    # The account is checked; cod (however written) once; the unknown id listed as not checked.
    assert result["status"] == "upgraded" and [c["court"] for c in result["courts"]] == ["cod"]
    steps = {s["id"]: s for s in result["steps"]}
    assert steps["linked:cod"]["state"] == "done"
    assert steps["unknown_court:codd"]["title"] == "Unknown court codd — not checked"
    assert "did you mean cod?" in steps["unknown_court:codd"]["detail"]
    # The roster's line, placed on the option: one voice, the prefix, a whole sentence.
    warning = "pacer-verify: warning: --court: unknown court id 'codd' (did you mean cod?); the account is checked, "
    assert warning + "that court is not (see `pacer-verify courts`).\n" in done.stderr


def test_check_as_of_reads_deadlines_for_that_day(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    cli_env["PACER_PASSWORD"] = password_of(pacer_mock, "egarcia2005")  # legacy, not enrolled in MFA
    lines, mfa = {}, {}
    for day in ("2021-07-31", "2021-08-03"):  # either side of cod's NextGen go-live, 2021-08-02
        done = run_cli(
            "check",
            "--username",
            "egarcia2005",
            "--court",
            "cod",
            "--base-url",
            pacer_mock.url,
            "--json",
            "--as-of",
            day,
            env=cli_env,
            cwd=tmp_path,
        )
        assert done.returncode == 1, done.stderr
        result = json.loads(done.stdout)
        lines[day] = next(n for n in result["next_steps"] if n.startswith("Upgrade"))
        mfa[day] = next(s for s in result["steps"] if s["id"] == "mfa")
    assert lines["2021-07-31"].endswith("— by 2021-08-02")
    assert " — " not in lines["2021-08-03"]  # live in cod: due now, no date ahead
    # MFA, not asked for yet by PACER, is a heads-up whatever the day (PACER's prompt is what enforces it).
    assert mfa["2021-07-31"] == mfa["2021-08-03"] and mfa["2021-08-03"]["state"] == "info"
    bad = run_cli(
        "check",
        "--username",
        "asmith2001",
        "--base-url",
        pacer_mock.url,
        "--as-of",
        "tomorrow",
        env=cli_env,
        cwd=tmp_path,
    )
    assert bad.returncode == 2 and "--as-of 'tomorrow'" in bad.stderr


def test_bulk_with_an_unknown_court_checks_the_account(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        f"name,username,password,courts\nAlice Smith,asmith2001,{password_of(pacer_mock, 'asmith2001')},COD codd\n"
    )
    roster.chmod(0o600)
    done = run_cli(
        "bulk",
        str(roster),
        "--base-url",
        pacer_mock.url,
        "--out",
        str(tmp_path / "o"),
        "--quiet",
        "--json",
        "--as-of",
        "2026-06-01",
        env=cli_env,
        cwd=tmp_path,
    )
    # Linked in cod, MFA not asked for yet (a heads-up): ready on what was checked; codd is not a step to do.
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)["results"][0]
    assert result["status"] == "upgraded"
    assert {s["id"] for s in result["steps"]} >= {"linked:cod", "unknown_court:codd"}
    assert next(s for s in result["steps"] if s["id"] == "unknown_court:codd")["state"] == "unknown"
    # The warning names the row, once (the roster is read more than once).
    assert done.stderr.count("row 1 (line 2), field 'courts': unknown court id 'codd' (did you mean cod?)") == 1


def test_check_refuses_by_the_roster_rules_before_any_sign_in(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    cli_env["PACER_PASSWORD"] = password_of(pacer_mock, "asmith2001")
    base = ["check", "--username", "asmith2001", "--base-url", pacer_mock.url]
    cli_env["PACER_OTP_SECRET"] = "not-a-secret!"
    bad_secret = run_cli(*base, env=cli_env, cwd=tmp_path)
    del cli_env["PACER_OTP_SECRET"]
    bad_court = run_cli(*base, "--court", "N.D.Cal (San Jose)", env=cli_env, cwd=tmp_path)
    assert (bad_secret.returncode, bad_court.returncode) == (2, 2)
    assert bad_secret.stderr == (
        "pacer-verify: error: PACER_OTP_SECRET: not a base32 authenticator secret (letters A-Z and digits 2-7).\n"
    )
    # What a roster's courts cell refuses, --court refuses too, in the same words.
    assert bad_court.stderr == "pacer-verify: error: --court: not a court id: '(san' (see `pacer-verify courts`).\n"
    stats = pacer_mock.stats()
    assert sum(stats["login_posts"].values()) + sum(stats["api_login_posts"].values()) == 0
