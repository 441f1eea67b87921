"""`pacer-verify mock` prints a `bulk` command that works as printed: with the mock's scenario as the
courts file (its CurrentGen court is read as CurrentGen, not as a NextGen court whose menus were not
found), and, with --scenario, a roster of that scenario's own accounts."""

from __future__ import annotations

import json
import shlex
import signal
import subprocess
from pathlib import Path

from helpers import reaped, run_cli, start_cli

from verifier.data import DEMO_ROSTER, MOCK_SCENARIO
from verifier.mock.hint import bulk_hint
from verifier.mock.scenario import CmecfLogin, MockAccount, MockCourt, MockScenario

SCENARIO = MockScenario(
    accounts=[
        MockAccount(
            username="hint00001",
            password="Hint-Passw0rd-1",
            name="Hana Hint",
            mfa_enrolled=True,
            cmecf={"nysd": CmecfLogin(login="hhint", password="Old-Hint-1")},
        )
    ],
    courts=[MockCourt(id="nysd", cso_id="NYSDC", name="Mock Southern District", generation="currentgen")],
)


def test_the_default_hint_names_the_sample_roster_and_the_scenario_as_courts() -> None:
    line = bulk_hint("http://127.0.0.1:8765", Path(str(DEMO_ROSTER)), Path(str(MOCK_SCENARIO)))
    assert shlex.split(line) == [
        "pacer-verify",
        "bulk",
        str(DEMO_ROSTER),
        "--base-url",
        "http://127.0.0.1:8765",
        "--courts",
        str(MOCK_SCENARIO),
        "--rate",
        "0",
    ]
    assert bulk_hint("http://x", "/a b/roster.csv", "s.json").split()[2] == "'/a"  # quoted for the shell


def test_following_the_hint_of_a_scenario_checks_its_accounts_and_courts(tmp_path: Path) -> None:
    scenario = tmp_path / "my scenario.json"
    scenario.write_text(SCENARIO.model_dump_json())
    mock = start_cli(
        "mock",
        "--port",
        "0",
        "--scenario",
        str(scenario),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"PYTHONUNBUFFERED": "1", "COLUMNS": "400", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        cwd=tmp_path,
    )
    with reaped(mock):
        assert mock.stdout is not None
        hint = None
        for line in mock.stdout:
            if line.strip().startswith("pacer-verify bulk "):
                hint = line.strip()
                break
        assert hint, mock.stderr.read() if mock.stderr else ""
        args = shlex.split(hint)
        roster = Path(args[2])
        assert roster.name == "mock-roster.csv" and roster.stat().st_mode & 0o777 == 0o600
        assert args[args.index("--courts") + 1] == str(scenario)
        out = tmp_path / "out"
        done = run_cli(*args[1:], "--out", str(out), "--json", cwd=tmp_path)
        assert done.returncode in (0, 1), done.stderr
        (result,) = json.loads(done.stdout)["results"]
        assert result["username"] == "hint00001" and result["status"] == "upgraded"
        (court,) = result["courts"]
        assert court["court"] == "nysd" and "menu bar was not found" not in json.dumps(court)
        steps = {s["id"]: s for s in result["steps"]}
        assert steps["cmecf_login:nysd"]["state"] == "done", steps  # read as the CurrentGen court it is
        mock.send_signal(signal.SIGINT)
        assert mock.wait(20) == 0
        assert not roster.exists()  # the scenario's roster goes with the mock


def test_mock_on_a_busy_port_says_so_in_one_line(cli_env: dict[str, str]) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = run_cli("mock", "--port", str(port), "--quiet", env=cli_env, check_exit=2)
    assert done.stderr.splitlines() == [
        f"pacer-verify: error: --port {port} on 127.0.0.1: port in use (another program listens there); choose "
        "another, or --port 0 for any."
    ]
    assert "Errno" not in done.stdout + done.stderr


def test_serve_on_a_busy_port_says_so_in_one_line(cli_env: dict[str, str], tmp_path: Path) -> None:
    import socket

    roster = tmp_path / "people.csv"
    roster.write_text("name,username\nAlice Smith,asmith2001\n", encoding="utf-8")
    env = {**cli_env, "PACER_VERIFY_ADMIN_TOKEN": "busy-port-admin-token-0123456789-abcdefgh"}
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        args = ("serve", "--roster", roster, "--out", tmp_path / "out", "--port", str(port))
        done = run_cli(*args, "--base-url", "http://127.0.0.1:9", env=env, check_exit=2)
    assert done.stderr.splitlines() == [
        f"pacer-verify: error: --port {port} on 127.0.0.1: port in use (another program listens there); choose another."
    ]
    assert "Errno" not in done.stdout + done.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())  # nothing written there
