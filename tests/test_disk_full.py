"""A full disk under --out: the run ends at once with one line naming the file, exit 3, the checkpoint
whole up to its last complete line, and --resume finishes the job once there is room again. Over every
path of the sample roster (helpers.every_path_roster): what a full disk does, not a run's volume."""

from __future__ import annotations

import errno
import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import every_path_roster, run_cli, sign_ins
from playwright.async_api import Browser

from flows.otp import PERIOD_S
from verifier import outputs
from verifier.config import load_settings
from verifier.errors import OutputError
from verifier.mock.server import MockServer
from verifier.readiness.courts import load_courts
from verifier.roster import read_roster
from verifier.run.bulk import BulkPlan, run_bulk


def roster_size(roster: Path, env: dict[str, str]) -> int:
    parsed = read_roster(roster, env=env, known_courts=set(load_courts().ids()))
    return len(parsed.accounts) + len(parsed.errors)


def checkpoint_lines(path: Path) -> list[dict[str, Any]]:
    data = path.read_bytes()
    assert not data or data.endswith(b"\n"), "the checkpoint must end on a complete line"
    return [json.loads(line) for line in data.splitlines() if line.strip()]


@pytest.fixture
def failing_writes(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """os.write on results.jsonl succeeds `allow` times, then half-writes one line and fails (ENOSPC)."""
    real_write = os.write
    state = {"allow": 2, "calls": 0}

    def write(fd: int, data: Any) -> int:
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = ""
        if not target.endswith("results.jsonl"):
            return real_write(fd, data)
        state["calls"] += 1
        if state["calls"] <= state["allow"]:
            return real_write(fd, data)
        if state["calls"] == state["allow"] + 1:
            return real_write(fd, bytes(data)[: max(1, len(data) // 2)])  # a torn line on disk...
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # ...then the disk is full

    monkeypatch.setattr(os, "write", write)
    yield state


def test_a_failed_checkpoint_write_ends_the_run_with_the_file_named(
    failing_writes: dict[str, int],
    core_browser: Browser,
    run_core: Callable[..., Any],
    pacer_mock: MockServer,
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    roster, _ = every_path_roster(tmp_path / "roster.csv")
    settings = load_settings(
        None, base_url=pacer_mock.url, rate_per_minute=0, concurrency=2, retries=0, check_courts=False
    )
    with pytest.raises(OutputError) as failure:
        run_core(run_bulk(settings, BulkPlan(roster=roster, out_dir=out), browser=core_browser))
    message = str(failure.value)
    assert str(out / "results.jsonl") in message and "No space left on device" in message
    assert len(checkpoint_lines(out / "results.jsonl")) == 2, "the torn third line must have been cut off"
    # Ended promptly: the rest of the roster was never started.
    assert sum(sign_ins(pacer_mock).values()) <= 8 < roster_size(roster, dict(os.environ))

    failing_writes["allow"] = 10**9  # room again
    # An account checked but not recorded is checked again: on the site's clock, a code step later, so an
    # account with MFA makes a new code instead of waiting up to 30 s for one (the ledger reads `Date`).
    pacer_mock.move_clock(PERIOD_S)
    by_api = settings.model_copy(update={"sign_in": "api"})  # the product's way: resuming does not depend on it
    resumed = run_core(run_bulk(by_api, BulkPlan(roster=roster, out_dir=out, resume=True), browser=core_browser))
    assert resumed.summary.skipped == 2
    lines = checkpoint_lines(out / "results.jsonl")
    assert len(lines) == len({line["row"] for line in lines}) == roster_size(roster, dict(os.environ))


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip() or made.returncode}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_disk_ends_the_run_and_resume_recovers(
    tiny_disk: Path, pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    out = tiny_disk / "out"
    roster, _ = every_path_roster(tmp_path / "roster.csv")
    cli_env.pop("PACER_VERIFY_SIGN_IN", None)  # the product's own sign-in: a full disk does not depend on it
    command = [
        "bulk",
        str(roster),
        "--base-url",
        pacer_mock.url,
        "--out",
        str(out),
        "--rate",
        "0",
        "--retries",
        "0",
        "--no-court-checks",
        "--quiet",
    ]
    full = run_cli(*command, env=cli_env, cwd=tmp_path)
    assert full.returncode == 3, full.stderr
    last = full.stderr.strip().splitlines()[-1]
    assert last.startswith("pacer-verify: error: could not write") and "No space left on device" in last, full.stderr
    assert "internal error" not in full.stderr and "Traceback" not in full.stderr
    kept = checkpoint_lines(out / "results.jsonl")
    assert kept, "some results fitted before the disk filled"

    subprocess.run(["mount", "-o", "remount,size=16m", str(tiny_disk)], check=True)
    pacer_mock.move_clock(PERIOD_S)  # as above: no wait for a new one-time code
    resumed = run_cli(*command, "--resume", env=cli_env, cwd=tmp_path)
    assert resumed.returncode == 1, resumed.stderr
    lines = checkpoint_lines(out / "results.jsonl")
    rows = {line["row"] for line in lines}
    assert len(lines) == len(rows), "no account recorded twice"
    assert len(rows) == roster_size(roster, cli_env)
    assert (out / "report.html").is_file()
    assert (out / "results.jsonl").stat().st_mode & 0o777 == outputs.PRIVATE_FILE
