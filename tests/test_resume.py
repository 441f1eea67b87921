"""Killing a run at any moment loses nothing: resuming gives the same results as an uninterrupted
run, every account exactly once (a site_error checked once more)."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest
from helpers import start_cli

from verifier.data import DEMO_ROSTER, FIXTURES
from verifier.mock.scenario import FaultRule
from verifier.mock.server import MockServer
from verifier.store.checkpoint import iter_checkpoint, key_of, latest_results

EXPECTED = json.loads((FIXTURES / "expected_statuses.json").read_text())


def bulk(server: MockServer, out: Path, env: dict[str, str], *extra: str) -> subprocess.Popen[str]:
    return start_cli(
        "bulk",
        str(DEMO_ROSTER),
        "--base-url",
        server.url,
        "--out",
        str(out),
        "--rate",
        "0",
        "--quiet",
        "--concurrency",
        "2",
        *extra,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for_lines(path: Path, count: int, process: subprocess.Popen[str], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and len(path.read_text().splitlines()) >= count:
            return
        if process.poll() is not None:
            return
        time.sleep(0.05)
    raise AssertionError("the run wrote nothing in time")


@pytest.mark.parametrize(
    ("sig", "after", "code"),
    [
        (signal.SIGKILL, 7, -9),
        (signal.SIGTERM, 20, 143),
        (signal.SIGINT, 33, 130),
    ],
)
def test_interrupted_run_resumes_to_the_same_results(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path, sig: int, after: int, code: int
) -> None:
    # Some transient faults too, so the interruption can fall in the middle of a retry.
    pacer_mock.set_faults([FaultRule(kind="status", path="^/pscof/manage/maint", status=503, rate=0.15, seed=3)])
    out = tmp_path / "out"
    checkpoint = out / "results.jsonl"
    first = bulk(pacer_mock, out, cli_env, "--retries", "4")
    wait_for_lines(checkpoint, after, first)
    first.send_signal(sig)
    first.communicate(timeout=120)
    assert first.returncode == code
    recorded = len(checkpoint.read_text().splitlines())
    assert 0 < recorded < len(EXPECTED)
    if sig != signal.SIGKILL:
        assert (out / "report.html").exists(), "an orderly stop still writes the reports for what is done"

    second = bulk(pacer_mock, out, cli_env, "--retries", "4", "--resume")
    second.communicate(timeout=300)
    assert second.returncode == 1
    results = list(iter_checkpoint(checkpoint))
    keys = [key_of(r) for r in results]
    # Every account exactly once, except that --resume checks a site_error again (one more line).
    first_status: dict[str, str] = {}
    for result in results:
        first_status.setdefault(key_of(result), result.status.value)
    repeated = {key for key in keys if keys.count(key) > 1}
    assert all(first_status[key] == "site_error" and keys.count(key) == 2 for key in repeated), repeated
    assert len(set(keys)) == len(EXPECTED)
    assert {str(r.row): r.status.value for r in latest_results(checkpoint)} == EXPECTED
