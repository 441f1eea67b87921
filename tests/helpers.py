"""Helpers more than one test file needs (importable as `helpers`: pytest puts tests/ on sys.path).

- `run_cli` / `start_cli`: pacer-verify in a subprocess, the way a user runs it (the suite's one copy);
  `reaped`: a started process that a failing test leaves running is killed on the way out.
- `make_result`: a `Result` with defaults for what a test does not care about (the suite's one factory).
- `bulk_run`: `bulk` in this process on the suite's browser, for tests that read its outcome directly.
- `free_port`: a loopback port for a server a test starts.
- `every_path_roster`: the sample roster without its plain filler rows, with each kept row's expected status.
- `usage_errors_in_process`: a command's usage error in this process, as the line a person would see.
- `LoginMessage` / `classify_login_message` and `extract_field_values`: a sign-on message's kind and a
  label's values, read with the product's own readers (flows.answers, flows.classify); the product asks
  them in other words, so they live here, for the tables of wordings that test those readers.
"""

from __future__ import annotations

import contextlib
import csv
import json
import logging
import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

import pytest
from playwright.async_api import Browser
from typer.testing import CliRunner

from flows.answers import Said, read_answer
from flows.classify import label_pattern, value_after
from verifier import outputs
from verifier.cli import app
from verifier.config import load_settings
from verifier.data import DEMO_ROSTER
from verifier.errors import ExitCode, exit_for
from verifier.mock.server import MockServer
from verifier.models import Result, Status
from verifier.run.bulk import BulkPlan, run_bulk
from verifier.voice import error_line

#: The source tree the suite runs from (an installed pacer-verify never reads it).
REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "fixtures"

#: The interpreter running the tests: CLI subprocesses use the same environment.
PYTHON = sys.executable

#: Only there so that a hung run fails its test instead of the whole suite; no assertion is about time.
CLI_TIMEOUT = 600.0

_Stream = int | IO[Any] | None


def cli_command(*args: str | Path, wrapper: Sequence[str] = ()) -> list[str]:
    """`python -m verifier ARGS`, optionally inside a wrapper command (e.g. `unshare -n`)."""
    return [*wrapper, PYTHON, "-m", "verifier", *(str(arg) for arg in args)]


def _umask_setter(umask: int | None) -> Any:
    return (lambda: os.umask(umask)) if umask is not None else None


def run_cli(
    *args: str | Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = CLI_TIMEOUT,
    stdin: _Stream = subprocess.DEVNULL,
    check_exit: int | None = None,
    wrapper: Sequence[str] = (),
    umask: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run pacer-verify to its end and capture what it printed, as text.

    Standard input is /dev/null unless a test gives one: nothing may wait for a prompt in CI. With
    `check_exit`, the exit code is asserted (its stderr in the failure message)."""
    done = subprocess.run(
        cli_command(*args, wrapper=wrapper),
        env=dict(env) if env is not None else None,
        cwd=cwd,
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_umask_setter(umask),
    )
    _check_exit(done.returncode, check_exit, done.stderr)
    return done


def run_cli_bytes(
    *args: str | Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = CLI_TIMEOUT,
    check_exit: int | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """`run_cli` for tests about the exact bytes written: text mode would turn a bare CR into a newline."""
    done = subprocess.run(
        cli_command(*args), env=dict(env) if env is not None else None, cwd=cwd, stdin=subprocess.DEVNULL,
        capture_output=True, timeout=timeout,
    )  # fmt: skip
    _check_exit(done.returncode, check_exit, done.stderr)
    return done


def _check_exit(code: int, expected: int | None, stderr: str | bytes) -> None:
    if expected is not None:
        assert code == expected, f"exit {code}, not {expected}: {stderr!r}"


def start_cli(
    *args: str | Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    stdin: _Stream = subprocess.DEVNULL,
    stdout: _Stream = subprocess.PIPE,
    stderr: _Stream = subprocess.PIPE,
    wrapper: Sequence[str] = (),
) -> subprocess.Popen[str]:
    """Start pacer-verify in the background (for tests that signal, stop or race it); the caller waits."""
    return subprocess.Popen(
        cli_command(*args, wrapper=wrapper),
        env=dict(env) if env is not None else None,
        cwd=cwd,
        stdin=stdin,
        stdout=stdout,
        stderr=stderr,
        text=True,
    )


@contextlib.contextmanager
def reaped(process: subprocess.Popen[Any]) -> Iterator[subprocess.Popen[Any]]:
    """`with reaped(start_cli(...)) as process:` the process, killed and waited for (its pipes drained) if
    it still runs when the block ends: a test that fails half-way never leaves a pacer-verify behind."""
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


class PastTheChecks(AssertionError):
    """A command run in this process got to where it would reach the site or start a browser."""


#: A command in this process, which must end in a usage error: its args and the variables to set; returns
#: the one line the command line would print (exit 2).
UsageRun = Callable[..., str]


@contextlib.contextmanager
def usage_errors_in_process(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, home: Path
) -> Iterator[UsageRun]:
    """Commands that must end in a usage error, run in this process (typer's CliRunner on `verifier.cli.app`;
    a pacer-verify subprocess costs about a CPU-second): the error, its exit code and its line are read by
    `exit_for`, the table `verifier.cli.main` turns them into a line with. Each run must print nothing else
    and log no warning: the error line is all a person would see. Run in `home` (its `.env` is read), with
    no PACER credentials in the environment.

    Nothing here can sign in, start a browser or serve: the site check (a command's first use of the
    network), Playwright's start and the mock's server fail the test instead."""

    def past(*args: object, **kwargs: object) -> None:
        raise PastTheChecks("no usage error: the command went on to reach the site")

    for where in ("verifier.commands.common", "verifier.commands.bulk"):
        monkeypatch.setattr(f"{where}.reachable_site", past)
    monkeypatch.setattr("verifier.commands.bulk.run_bulk", past)
    monkeypatch.setattr("verifier.commands.mock.serve", past)  # `mock` would serve until stopped
    monkeypatch.setattr("verifier.browser.host.async_playwright", past)
    monkeypatch.setattr("playwright.async_api.async_playwright", past)
    for name in ("PACER_USERNAME", "PACER_PASSWORD", "PACER_OTP_SECRET"):  # as cli_env: no real credentials
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(home)
    monkeypatch.setattr(outputs, "_shared", outputs._shared)  # a setting that loads is applied process-wide
    root_level = logging.getLogger().level

    def run(*args: str | Path, env: Mapping[str, str] | None = None) -> str:
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        caplog.clear()
        done = CliRunner().invoke(
            app, [str(arg) for arg in args], standalone_mode=False, prog_name="pacer-verify", catch_exceptions=True
        )
        assert done.exception is not None, f"exit {done.exit_code} and no error: {done.output}"
        if isinstance(done.exception, PastTheChecks):
            raise done.exception
        code, text = exit_for(done.exception)
        assert code == ExitCode.USAGE, f"exit {int(code)}, not 2: {text}"
        assert done.output == "", done.output
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
        return error_line(text)

    try:
        yield run
    finally:
        logging.getLogger().setLevel(root_level)  # through setLevel: the loggers' caches are cleared


def make_result(
    status: Status = Status.UPGRADED, *, name: str = "Alice Smith", username: str = "asmith2001", **fields: Any
) -> Result:
    """A Result as a run would write it; a test names only the fields its assertion is about."""
    return Result(name=name, username=username, status=status, **fields)


#: The sample roster's "Attorney NN Example" rows give a run volume, as a firm's roster has.
_FILLER_NAME = re.compile(r"Attorney \d\d Example")


def sign_ins(server: MockServer) -> dict[str, int]:
    """Every time the password reached the site, per username: by the Authentication API or the form.
    A test whose subject is not how the run signs in counts these, so that it holds either way."""
    stats = server.stats()
    counts: dict[str, int] = {}
    for kind in ("login_posts", "api_login_posts"):
        for username, count in stats[kind].items():
            counts[username] = counts.get(username, 0) + count
    return counts


def every_path_roster(path: Path) -> tuple[Path, dict[str, str]]:
    """The sample roster without its plain filler rows, written to `path` (private, as a roster with
    passwords must be), and the status each kept row must get, by its row number in the new file.

    A filler row is dropped when its account takes a path other rows take too: no court, and the bundled
    mock's usual Manage My Account (a page variant such as `grid` is a path of its own). Every other row
    of the sample stays. A test about what a run does on each path uses this; a test about the sample
    itself (`demo`) or about volume keeps the whole sample."""
    from verifier.mock.server import as_scenario

    variants = {account.username: account.variant for account in as_scenario(None).accounts}
    expected = json.loads((FIXTURES / "expected_statuses.json").read_text())
    with DEMO_ROSTER.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames or ()), list(reader)

    def plain_filler(row: dict[str, str]) -> bool:
        plain_page = variants.get(row["username"], "inline") == "inline"
        return bool(_FILLER_NAME.fullmatch(row["name"])) and not row["courts"].strip() and plain_page

    kept = [(old, row) for old, row in enumerate(rows, 1) if not plain_filler(row)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(row for _, row in kept)
    path.chmod(0o600)
    return path, {str(new): expected[str(old)] for new, (old, _) in enumerate(kept, 1)}


def free_port() -> int:
    """A loopback port nothing listens on right now (the caller binds it soon after)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- bulk in this process, on the suite's browser --------------------------------------------------------


def bulk_run(
    core_browser: Browser,
    run_core: Callable[..., Any],
    server: MockServer,
    roster: Path,
    out: Path,
    resume: bool = False,
    **settings: Any,
) -> Any:
    """Run `bulk` on a roster against the mock in this process; returns its outcome (results and summary)."""
    options = {
        "base_url": server.url,
        "rate_per_minute": 0,
        "concurrency": 3,
        "timeout_s": 15,
        "retries": 1,
        **settings,
    }
    return run_core(
        run_bulk(
            load_settings(None, **options), BulkPlan(roster=roster, out_dir=out, resume=resume), browser=core_browser
        )
    )


class LoginMessage(StrEnum):
    INVALID = "invalid"
    LOCKED = "locked"
    INACTIVE = "inactive"
    SESSION_EXPIRED = "session_expired"
    UNKNOWN = "unknown"


_REFUSED = (Said.CREDENTIALS_REFUSED, Said.CREDENTIALS_OR_CODE_REFUSED, Said.CODE_REFUSED, Said.FAILED)
_MESSAGE_KIND = dict.fromkeys(_REFUSED, LoginMessage.INVALID) | {
    Said.LOCKED: LoginMessage.LOCKED,
    Said.INACTIVE: LoginMessage.INACTIVE,
    Said.SESSION_EXPIRED: LoginMessage.SESSION_EXPIRED,
}


def classify_login_message(text: str | None) -> LoginMessage:
    """A message on the sign-on form, read sentence by sentence with the API's reader (flows.answers)."""
    return _MESSAGE_KIND.get(read_answer(text or "").said, LoginMessage.UNKNOWN)


def extract_field_values(chunks: list[str], label: str) -> list[str]:
    """Every value the chunks show for `label`, reading on from each place it is shown, as a person would
    (flows.classify's `label_pattern` and `value_after`, which flows.fields reads the page with)."""
    pattern = label_pattern(label)
    values = (value_after(chunks, index, pattern) for index in range(len(chunks)))
    return [value for value in values if value]
