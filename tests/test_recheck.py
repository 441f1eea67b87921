"""Re-check whom you fixed: `bulk --resume --recheck USERNAME` (and `--recheck-status`) checks those
attorneys again in the same folder and history entry, keeping everyone else's result; each result's next
step and the terminal name that command. `report` on two folders that disagree says how to choose."""

from __future__ import annotations

import json
import os
import shlex
import shutil
from pathlib import Path

import pytest
from helpers import make_result, run_cli, sign_ins

from verifier.mock.scenario import MockScenario
from verifier.mock.server import MockServer
from verifier.models import Status

ROSTER = (
    "name,username,password\n"
    "Alice Smith,asmith2001,Mock-Passw0rd-1\n"
    "Elena Garcia,egarcia2005,Mock-Passw0rd-5\n"
    "Henry Lee,hlee2008,env:PW_HENRY\n"
)


def _latest(out: Path) -> dict[str, dict[str, object]]:
    lines = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    return {str(r["username"]): r for r in lines}


@pytest.fixture(scope="module")
def _first_run_once(
    pacer_mock_server: MockServer, pacer_mock_scenario: MockScenario, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str]:
    """A run where Henry's password (in the environment, as a keyring would hold it) is wrong: made once
    for the file in `work/`, kept as it was in `pristine/` (each test gets a copy back: `first_run`)."""
    root = tmp_path_factory.mktemp("recheck")
    work = root / "work"
    work.mkdir()
    roster = work / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    roster.chmod(0o600)
    out = work / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PACER_USERNAME", "PACER_PASSWORD"))}
    env.pop("PACER_OTP_SECRET", None)
    env.update(HOME=str(root), PYTHONUNBUFFERED="1", PACER_VERIFY_STATE_DIR=str(tmp_path_factory.mktemp("state")))
    pacer_mock_server.reset(pacer_mock_scenario)
    done = run_cli(
        "bulk", roster, "--out", out, "--base-url", pacer_mock_server.url, "--rate", "0", "-q",
        env={**env, "PW_HENRY": "Wrong-Password-99"}, cwd=work, check_exit=1,
    )  # fmt: skip
    assert _latest(out)["hlee2008"]["status"] == "invalid_credentials"
    shutil.copytree(work, root / "pristine")
    return root, done.stdout


@pytest.fixture
def first_run(_first_run_once: tuple[Path, str], pacer_mock: MockServer) -> tuple[Path, Path, str]:
    """The first run's roster and folder, as that run left them (at the paths it printed), and what it
    printed. `pacer_mock` is reset: its counters start at 0 for what the test signs in."""
    root, printed = _first_run_once
    shutil.rmtree(root / "work")
    shutil.copytree(root / "pristine", root / "work")  # modes kept (copy2): the roster stays 0600
    return root / "work" / "roster.csv", root / "work" / "out", printed


def test_recheck_after_a_password_is_fixed_signs_in_that_attorney_only(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path, first_run: tuple[Path, Path, str]
) -> None:
    roster, out, printed = first_run
    command = f"pacer-verify bulk {roster} --out {out} --resume --base-url {pacer_mock.url} --recheck hlee2008"
    # The result's next step names the command, and the terminal prints it on one line of its own.
    steps = _latest(out)["hlee2008"]["next_steps"]
    assert isinstance(steps, list) and steps[0].endswith(f"Once that is done, check again: {command}")
    assert f"    {command}\n" in printed
    before = _latest(out)
    entries = sorted(p.name for p in (out / "history").iterdir())

    pacer_mock.reset()  # the mock's counters from 0: only what the re-check signs in is counted
    again = shlex.split(command)[1:]  # the printed command, as a person pastes it
    done = run_cli(*again, "-q", env={**cli_env, "PW_HENRY": "Mock-Passw0rd-8"}, cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    assert sign_ins(pacer_mock) == {"hlee2008": 1}  # asmith2001 and egarcia2005: 0
    after = _latest(out)
    assert after["hlee2008"]["status"] != "invalid_credentials"
    for kept in ("asmith2001", "egarcia2005"):  # everyone else's result, as it was
        assert after[kept] == before[kept]
    assert sorted(p.name for p in (out / "history").iterdir()) == entries  # the same history point
    results = json.loads((out / "results.json").read_text())
    assert {r["username"]: r["status"] for r in results["results"]}["hlee2008"] == after["hlee2008"]["status"]
    assert len(results["results"]) == 3 and "stopped" not in results


def test_recheck_status_checks_every_attorney_with_that_status(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path, first_run: tuple[Path, Path, str]
) -> None:
    roster, out, _ = first_run
    pacer_mock.reset()
    run_cli(
        "bulk", roster, "--out", out, "--base-url", pacer_mock.url, "--rate", "0", "-q", "--resume",
        "--recheck-status", "invalid_credentials", env={**cli_env, "PW_HENRY": "Mock-Passw0rd-8"}, cwd=tmp_path,
    )  # fmt: skip
    assert sign_ins(pacer_mock) == {"hlee2008": 1}


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (("--resume", "--recheck", "hleee2008"), "--recheck hleee2008: no attorney with that username in roster.csv"),
        (("--recheck", "hlee2008"), "--recheck checks some attorneys of an earlier run again"),
        (("--resume", "--recheck-status", "wrong_password"), "--recheck-status 'wrong_password': not a status"),
    ],
)
def test_a_recheck_that_cannot_be_meant_is_one_usage_line_and_signs_in_no_one(
    pacer_mock: MockServer,
    cli_env: dict[str, str],
    tmp_path: Path,
    first_run: tuple[Path, Path, str],
    extra: tuple[str, ...],
    said: str,
) -> None:
    roster, out, _ = first_run
    pacer_mock.reset()
    done = run_cli(
        "bulk", roster, "--out", out, "--base-url", pacer_mock.url, "-q", *extra,
        env={**cli_env, "PW_HENRY": "Mock-Passw0rd-8"}, cwd=tmp_path, check_exit=2,
    )  # fmt: skip
    assert said in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert sign_ins(pacer_mock) == {}


def test_report_on_two_folders_that_disagree_says_how_to_keep_the_newer(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    import datetime as dt

    at = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
    old = make_result(Status.INVALID_CREDENTIALS, name="Henry Lee", username="hlee2008", checked_at=at)
    new = make_result(Status.UPGRADED, name="Henry Lee", username="hlee2008", checked_at=at + dt.timedelta(hours=1))
    for folder, result in (("out1", old), ("outfix", new)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "results.jsonl").write_text(result.model_dump_json() + "\n", encoding="utf-8")
    files = [str(tmp_path / "out1" / "results.jsonl"), str(tmp_path / "outfix" / "results.jsonl")]
    refused = run_cli("report", *files, "-f", "json", env=cli_env, check_exit=2)
    line = refused.stderr.strip()
    assert len(line.splitlines()) == 1
    assert "hlee2008 is invalid_credentials in" in line and "(checked 2026-12-01 09:30 UTC)" in line
    assert "but upgraded in" in line and "(checked 2026-12-01 10:30 UTC)" in line
    assert "pass --prefer newer" in line and "bulk --resume --recheck USERNAME" in line
    kept = run_cli("report", *files, "-f", "json", "--prefer", "newer", env=cli_env, check_exit=0)
    assert [r["status"] for r in json.loads(kept.stdout)["results"]] == ["upgraded"]
    # The files' order does not matter: the newer check wins.
    kept = run_cli("report", *reversed(files), "-f", "json", "--prefer", "newer", env=cli_env, check_exit=0)
    assert [r["status"] for r in json.loads(kept.stdout)["results"]] == ["upgraded"]
