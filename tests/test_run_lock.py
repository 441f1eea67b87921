"""One run per folder: a second `bulk` on a busy --out is refused before any sign-in, naming the run that
holds it; a lock left by a run that died is taken over with a note; two writers of one report both finish."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from helpers import PYTHON, run_cli, start_cli

from verifier import outputs
from verifier.mock.server import MockServer
from verifier.store import run_lock

PEOPLE = (
    "Alice Smith,asmith2001,Mock-Passw0rd-1",
    "Brian Jones,bjones2002,Mock-Passw0rd-2",
    "Dev Patel,dpatel2004,Mock-Passw0rd-4",
    "Elena Garcia,egarcia2005,Mock-Passw0rd-5",
)


def write_roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("name,username,password\n" + "".join(row + "\n" for row in PEOPLE), encoding="utf-8")
    path.chmod(0o600)
    return path


def wait_for(path: Path, process: subprocess.Popen[str]) -> None:
    """Until path exists (an event, not a time budget: the deadline only stops a broken run hanging)."""
    deadline = time.monotonic() + 240
    while not path.exists():
        assert process.poll() is None, f"exited {process.returncode} before {path.name} appeared"
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.02)


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """Another process holding tmp_path/out until the test ends."""
    out = tmp_path / "out"
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from verifier.store import run_lock
        with run_lock.hold(Path({str(out)!r})):
            print("held", flush=True)
            sys.stdin.read()
        """
    )
    process = subprocess.Popen([PYTHON, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    try:
        yield process, out
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=60)


def test_a_held_folder_is_refused_naming_the_holder(holder: tuple[subprocess.Popen[str], Path]) -> None:
    process, out = holder
    with pytest.raises(run_lock.FolderBusy) as refused, run_lock.hold(out):
        pytest.fail("the lock was given twice")
    message = str(refused.value)
    assert f"PID {process.pid}, started " in message and " UTC" in message and str(out) in message
    assert refused.value.exit_code == 2


def test_the_folder_is_free_again_when_the_run_ends(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with run_lock.hold(out):
        owner = json.loads((out / run_lock.OWNER_FILE).read_text())
        assert owner["pid"] == os.getpid()
    assert not (out / run_lock.OWNER_FILE).exists()
    with run_lock.hold(out):
        pass


def test_a_stale_lock_is_taken_over_with_a_note(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    out = tmp_path / "out"
    out.mkdir()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(gone.stdout)  # exited and reaped: it holds nothing
    (out / run_lock.LOCK_FILE).write_text("")
    (out / run_lock.OWNER_FILE).write_text(json.dumps({"pid": dead_pid, "started": "2026-12-01 09:30:00 UTC"}))
    with caplog.at_level(logging.WARNING, logger="verifier.store.run_lock"), run_lock.hold(out):
        assert json.loads((out / run_lock.OWNER_FILE).read_text())["pid"] == os.getpid()
    notes = [r.getMessage() for r in caplog.records]
    assert any(f"PID {dead_pid}, started 2026-12-01 09:30:00 UTC" in n and "taking over" in n for n in notes), notes


def test_a_second_bulk_on_a_busy_out_is_refused_and_nobody_signs_in_twice(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    roster = write_roster(tmp_path)
    out = tmp_path / "out"
    args = ["bulk", str(roster), "--base-url", pacer_mock.url, "--out", str(out)]
    args += ["--rate", "0", "--retries", "0", "--no-court-checks", "--quiet", "--concurrency", "1"]
    first = start_cli(*args, env=cli_env, cwd=tmp_path)
    try:
        wait_for(out / run_lock.OWNER_FILE, first)
        # Frozen while holding the folder: the second run meets the lock whatever the machine's speed.
        first.send_signal(signal.SIGSTOP)
        for extra in ([], ["--resume"]):
            second = run_cli(*args, *extra, env=cli_env, cwd=tmp_path)
            assert second.returncode == 2, second.stderr
            lines = second.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("pacer-verify: error: --out "), second.stderr
            assert f"another pacer-verify run is using this folder (PID {first.pid}, started " in lines[0]
    finally:
        first.send_signal(signal.SIGCONT)
    _, errors = first.communicate(timeout=300)
    assert first.returncode in (0, 1), errors
    stats = pacer_mock.stats()
    signed_in = {
        name: stats["login_posts"].get(name, 0) + stats["api_login_posts"].get(name, 0)
        for name in ("asmith2001", "bjones2002", "dpatel2004", "egarcia2005")
    }
    assert signed_in == dict.fromkeys(signed_in, 1)
    lines = (out / "results.jsonl").read_text().splitlines()
    assert len(lines) == len(PEOPLE)  # no duplicate line, no renamed checkpoint
    assert not list(out.glob("results-*.jsonl"))


def test_two_writers_of_one_report_both_finish_whole(tmp_path: Path) -> None:
    """The second writer starts while the first is half-way through: each keeps its own scratch file."""
    target = tmp_path / "report.html"

    def first(handle: BinaryIO) -> None:
        handle.write(b"first, part one; ")
        outputs.write_bytes(target, b"second, whole")
        handle.write(b"first, part two")

    outputs._write_whole(target, first)
    assert target.read_bytes() == b"first, part one; first, part two"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no scratch file left behind


def test_two_report_commands_on_one_output_both_succeed(cli_env: dict[str, str], tmp_path: Path) -> None:
    results = tmp_path / "results.jsonl"
    line = {"name": "A", "username": "asmith2001", "status": "upgraded", "row": 1, "message": "ok"}
    results.write_text(json.dumps(line) + "\n")
    target = tmp_path / "all.html"
    command = ["report", str(results), "-f", "html", "-o", str(target)]
    runs = [start_cli(*command, env=cli_env, cwd=tmp_path, stdout=None) for _ in range(3)]
    for run in runs:
        _, errors = run.communicate(timeout=300)
        assert run.returncode == 0, errors
    assert target.read_text().rstrip().endswith("</html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.html", "results.jsonl"]
