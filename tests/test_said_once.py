"""Each warning once per run, and said right: the roster is read twice by `bulk` (once to guard the real
site, once to run) and a resumed run reads rows already done, yet a person reads each line once. A roster
others can read "holds passwords" only when it has a password written in it."""

from __future__ import annotations

from pathlib import Path

from helpers import run_cli

from verifier.mock.server import MockServer


def _bulk(server: MockServer, roster: Path, env: dict[str, str], *extra: str, code: int = 1) -> str:
    done = run_cli(
        "bulk", roster, "--out", roster.parent / "out", "--base-url", server.url, "--rate", "0", "-q", *extra,
        env=env, cwd=roster.parent,
    )  # fmt: skip
    assert done.returncode == code, done.stderr
    return done.stderr


def test_each_warning_once_on_a_run_and_on_resume(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "name,username,password,courts\nAlice Smith,asmith2001,Mock-Passw0rd-1,codd\n"
        "Elena Garcia,egarcia2005,Mock-Passw0rd-5,\n",
        encoding="utf-8",
    )
    roster.chmod(0o644)
    for extra in ((), ("--resume",)):
        said = _bulk(pacer_mock, roster, cli_env, *extra)
        lines = said.splitlines()
        assert len(lines) == len(set(lines)), said
        assert said.count("readable by other users (mode 0644); it holds passwords in plain text") == 1, said
        assert said.count("unknown court id 'codd' (did you mean cod?)") == 1, said


def test_a_roster_of_references_is_not_said_to_hold_passwords(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("name,username,password\nAlice Smith,asmith2001,env:PW_ALICE\n", encoding="utf-8")
    roster.chmod(0o640)
    said = _bulk(pacer_mock, roster, {**cli_env, "PW_ALICE": "Mock-Passw0rd-1"}, code=0)  # she is ready
    assert "readable by other users (mode 0640); it holds the attorneys' names and usernames: chmod 600" in said
    assert "passwords" not in said
