"""Guarding the real PACER: the bundled made-up accounts never leave loopback (by content, before any
network use), and a run against the real site is announced, and confirmed at a terminal."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import cli_command, run_cli

from verifier.check.site import SiteMap
from verifier.check.site_guard import announce_real_site, refuse_bundled_accounts
from verifier.data import DEMO_ROSTER

REAL_ORIGIN = "https://pacer.login.uscourts.gov"
NO_NETWORK = ("unshare", "-n")  # a network namespace with nothing in it but loopback, down


def _no_network_namespace() -> str | None:
    """Why a network namespace without network cannot be made here (None when it can)."""
    if shutil.which("unshare") is None:
        return "unshare is not installed"
    made = subprocess.run(["unshare", "-n", "true"], capture_output=True, text=True, check=False)
    return None if made.returncode == 0 else f"cannot make a network namespace: {made.stderr.strip()[:80]}"


needs_netns = pytest.mark.skipif(_no_network_namespace() is not None, reason=str(_no_network_namespace()))


def _sample_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "firm-roster-final.csv"  # renamed: recognised by what it holds, not by its name
    copy.write_bytes(DEMO_ROSTER.read_bytes())
    copy.chmod(0o600)
    return copy


def _fake_roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(
        "name,username,password\nPat Example,pexample77,Not-A-Real-Passw0rd\nSam Example,sexample78,Another-0ne!\n",
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path


def test_a_copy_of_the_sample_roster_is_refused_against_a_site_that_is_not_loopback(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    done = run_cli(
        "bulk", str(_sample_copy(tmp_path)), "--base-url", "https://pacer.example.com", env=cli_env, cwd=tmp_path
    )
    assert done.returncode == 2, done.stderr
    line = done.stderr.strip().splitlines()[-1]
    assert line.startswith("pacer-verify: ") and "firm-roster-final.csv" in line
    assert "made-up accounts" in line and "nothing was sent" in line and "https://pacer.example.com" in line


def test_a_mock_account_mixed_into_a_roster_and_check_with_one_are_refused(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    roster = _fake_roster(tmp_path)
    with roster.open("a", encoding="utf-8") as handle:
        handle.write("Someone,kdavis2011,Mock-Passw0rd-11\n")
    mock_password = next(
        line.split(",")[2] for line in DEMO_ROSTER.read_text().splitlines() if line.split(",")[1] == "kdavis2011"
    )
    roster.write_text(roster.read_text().replace("Mock-Passw0rd-11", mock_password))
    done = run_cli("bulk", str(roster), "--base-url", "https://pacer.example.com", env=cli_env, cwd=tmp_path)
    assert done.returncode == 2 and "row 3, kdavis2011" in done.stderr, done.stderr
    env = {**cli_env, "PACER_PASSWORD": mock_password}
    done = run_cli("check", "-u", "kdavis2011", "--base-url", "https://pacer.example.com", env=env, cwd=tmp_path)
    assert done.returncode == 2 and "made-up accounts" in done.stderr, done.stderr


@needs_netns
def test_the_sample_roster_without_base_url_stops_before_any_network_use(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    done = run_cli("bulk", str(_sample_copy(tmp_path)), env=cli_env, cwd=tmp_path, wrapper=NO_NETWORK)
    assert done.returncode == 2, done.stderr
    assert f"would be sent to {REAL_ORIGIN}" in done.stderr and "nothing was sent" in done.stderr
    # Refused before the announcement and the reachability check (the first network use, "cannot reach").
    assert "cannot reach" not in done.stderr and "signing in to the real PACER" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@needs_netns
def test_not_at_a_terminal_the_real_site_is_announced_on_stderr_and_the_run_goes_on(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    done = run_cli(
        "bulk",
        str(_fake_roster(tmp_path)),
        "--out",
        str(tmp_path / "out"),
        env=cli_env,
        cwd=tmp_path,
        wrapper=NO_NETWORK,
    )
    assert f"signing in to the real PACER ({REAL_ORIGIN}) as 2 attorneys" in done.stderr
    assert "Continue?" not in done.stderr
    assert done.returncode == 3 and "cannot reach" in done.stderr  # went on, to the network it does not have


def _at_a_terminal(
    args: list[str], env: dict[str, str], cwd: Path, answer: bytes | None, *, netns: bool = False
) -> tuple[int, str]:
    """Run pacer-verify with a pseudo-terminal as its standard input and output; answer its question."""
    main, child = pty.openpty()
    command = cli_command(*args, wrapper=NO_NETWORK if netns else ())
    process = subprocess.Popen(command, stdin=child, stdout=child, stderr=child, env=env, cwd=cwd)
    os.close(child)
    seen = b""
    answered = False
    while True:
        try:
            chunk = os.read(main, 4096)  # ends (EIO or b"") once the child and its terminal are gone
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if answer is not None and not answered and b"[y/N]" in seen:
            os.write(main, answer)
            answered = True
    process.wait(timeout=120)
    os.close(main)
    return process.returncode, seen.decode(errors="replace")


def test_at_a_terminal_the_real_site_is_confirmed_first(cli_env: dict[str, str], tmp_path: Path) -> None:
    code, shown = _at_a_terminal(
        ["bulk", str(_fake_roster(tmp_path)), "--out", str(tmp_path / "out")], cli_env, tmp_path, b"n\n"
    )
    assert f"signing in to the real PACER ({REAL_ORIGIN}) as 2 attorneys" in shown
    assert "Continue? [y/N]" in shown
    assert code == 2 and "not confirmed: nothing was sent to PACER" in shown


@needs_netns
@pytest.mark.parametrize("how", ["--yes", "PACER_VERIFY_YES=1"])
def test_at_a_terminal_yes_skips_the_question(cli_env: dict[str, str], tmp_path: Path, how: str) -> None:
    args = ["bulk", str(_fake_roster(tmp_path)), "--out", str(tmp_path / "out")]
    env = dict(cli_env)
    if how == "--yes":
        args.append("--yes")
    else:
        env["PACER_VERIFY_YES"] = "1"
    code, shown = _at_a_terminal(args, env, tmp_path, None, netns=True)
    assert "as 2 attorneys" in shown and "Continue?" not in shown
    assert code == 3 and "cannot reach" in shown  # no question: straight on to the (absent) network


def test_the_guard_rules_in_process() -> None:
    real, mock = SiteMap.for_base_url(None), SiteMap.for_base_url("http://127.0.0.1:8765")

    class Row:
        def __init__(self, username: str, password: str, row: int) -> None:
            from pydantic import SecretStr

            self.username, self.password, self.row = username, SecretStr(password), row

    sample = [line.split(",") for line in DEMO_ROSTER.read_text().splitlines()[1:]]
    bundled = [Row(cells[1], cells[2], i) for i, cells in enumerate(sample, start=1)]
    assert refuse_bundled_accounts(bundled, mock, "sample") == len(bundled)  # loopback: the mock is the point
    with pytest.raises(Exception, match="made-up accounts"):
        refuse_bundled_accounts(bundled, real, "sample")
    # The same usernames with other passwords are somebody's real accounts: not refused.
    assert refuse_bundled_accounts([Row(r.username, "their-own-1", r.row) for r in bundled], real, "x") == len(bundled)
    announce_real_site(mock, 3, yes=False)  # a named replica: nothing asked, nothing printed
