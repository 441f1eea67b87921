"""pacer-verify as it runs on Windows, on this Linux machine: whole CLI commands against the mock, with
tests/windows_like/sitecustomize.py making the process look like Windows (no O_NOFOLLOW, O_NONBLOCK,
fchmod or pread; event loops without add_signal_handler; the Windows switch on; no uvloop or httptools)
and standard output in cp1252 sent to a file, as a scheduled task's log is. Every path that signs in
asserts the mock's sign-in counters."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from helpers import REPO_ROOT, free_port, reaped, run_cli, sign_ins, start_cli

from verifier.browser import discovery
from verifier.mock.scenario import MockScenario
from verifier.mock.server import MockServer

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="on Windows the whole suite is the real thing")

SIMULATION = REPO_ROOT / "tests" / "windows_like"
#: Names cp1252 cannot write (the first two), names it can, and one that is plain ASCII. atty3003 has a
#: legacy account, so 李小龍 gets a notice (the others have nothing to do).
NAMES = {
    "atty3003": "李小龍",
    "atty3002": "Дмитрий Шостакович",
    "atty3001": "Zoë Ångström",
    "atty3004": "José Núñez",
    "atty3005": "Pat Smith",
}
Factory = Callable[..., MockServer]


@pytest.fixture
def mock(pacer_mock_factory: Factory, pacer_mock_scenario: MockScenario) -> MockServer:
    """The mock, its attorneys named as in NAMES (on its pages too)."""
    accounts = [account.model_dump() for account in pacer_mock_scenario.accounts]
    for account in accounts:
        account["name"] = NAMES.get(account["username"], account["name"])
    return pacer_mock_factory(accounts=accounts)


@pytest.fixture
def windows_env(cli_env: dict[str, str]) -> dict[str, str]:
    env = dict(cli_env)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SIMULATION), env.get("PYTHONPATH", "")) if p)
    env["PYTHONIOENCODING"] = "cp1252"
    env["PYTHONWARNDEFAULTENCODING"] = "1"
    if not env.get("PACER_VERIFY_BROWSER") and not env.get("PACER_VERIFY_BROWSER_CHANNEL"):
        # Windows' places hold no browser on this machine: name the one Linux has, as a user may.
        found = discovery.find_installed(layout=discovery.Layout(system="linux"))
        if found:
            env["PACER_VERIFY_BROWSER"] = str(found.path)
    return env


def _roster(tmp_path: Path, mock: MockServer, usernames: list[str]) -> Path:
    path = tmp_path / "roster.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "username", "password"])
        for username in usernames:
            writer.writerow([NAMES[username], username, mock.state.account(username).password])  # type: ignore[union-attr]
    path.chmod(0o644)  # readable by others: on Windows the mode bits say nothing, so no warning
    return path


def _run(args: list[str | Path], env: dict[str, str], tmp_path: Path, name: str) -> tuple[int, str, str]:
    """A command with standard output sent to a file (cp1252, as Windows writes a redirected log)."""
    out = tmp_path / f"{name}.stdout"
    with out.open("wb") as handle:
        done = subprocess.run(
            [sys.executable, "-m", "verifier", *map(str, args)],
            env=env,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.PIPE,
            timeout=600,
        )
    stderr = done.stderr.decode("cp1252", errors="strict")
    return done.returncode, out.read_bytes().decode("cp1252", errors="strict"), stderr


def _clean(stderr: str) -> None:
    for word in ("internal error", "Traceback", "EncodingWarning", "readable by other users"):
        assert word not in stderr, stderr


def test_the_layer_makes_this_machine_look_like_windows(windows_env: dict[str, str]) -> None:
    probe = (
        "import asyncio, os, signal, verifier.system as s\n"
        "loop = asyncio.SelectorEventLoop()\n"
        "try:\n    loop.add_signal_handler(signal.SIGINT, print); print('handler')\n"
        "except NotImplementedError:\n    print('no handler')\n"
        "print([hasattr(os, n) for n in ('O_NOFOLLOW', 'O_NONBLOCK', 'fchmod', 'pread')], s.is_windows())"
    )
    done = subprocess.run([sys.executable, "-c", probe], env=windows_env, capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["no handler", "[False, False, False, False] True"]


def test_check_runs(mock: MockServer, windows_env: dict[str, str], tmp_path: Path) -> None:
    env = {**windows_env, "PACER_PASSWORD": mock.state.account("atty3003").password}  # type: ignore[union-attr]
    (tmp_path / ".env").write_text("PACER_VERIFY_LOG_LEVEL=WARNING\n", encoding="utf-8")  # read as Windows does
    code, stdout, stderr = _run(["check", "--username", "atty3003", "--base-url", mock.url], env, tmp_path, "check")
    assert code in (0, 1), stderr
    _clean(stderr)
    assert "atty3003: legacy" in stdout and "Manage My Account > Upgrade" in stdout  # cp1252 has no arrow
    assert sign_ins(mock) == {"atty3003": 1}


@pytest.mark.parametrize("key", ["ctrl-c", "ctrl-break"])
def test_a_stop_mid_check_ends_it_with_no_other_sign_in(
    key: str, pacer_mock_factory: Factory, windows_env: dict[str, str], tmp_path: Path
) -> None:
    # Her account page takes two minutes: the key is pressed while the check is in flight.
    slow = [{"kind": "latency", "path": "^/pscof/", "delay_s": 120, "username": "atty3003"}]
    server = pacer_mock_factory(faults=slow)
    env = {**windows_env, "PACER_PASSWORD": server.state.account("atty3003").password}  # type: ignore[union-attr]
    process = start_cli("check", "--username", "atty3003", "--base-url", server.url, env=env, cwd=tmp_path)
    with reaped(process):
        _wait_for_first_sign_in(process, server)
        process.send_signal(signal.SIGINT if key == "ctrl-c" else signal.SIGUSR2)  # SIGUSR2 is SIGBREAK here
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    _clean(stderr)
    assert sign_ins(server) == {"atty3003": 1}


def test_bulk_writes_every_name_whole_then_report_and_notices(
    mock: MockServer, windows_env: dict[str, str], tmp_path: Path
) -> None:
    roster = _roster(tmp_path, mock, list(NAMES))
    out = tmp_path / "out"
    args: list[str | Path] = ["bulk", roster, "--base-url", mock.url, "--out", out, "--rate", "0", "-c", "2"]
    code, stdout, stderr = _run(args, windows_env, tmp_path, "bulk")
    assert code in (0, 1), stderr
    _clean(stderr)
    assert sign_ins(mock) == dict.fromkeys(NAMES, 1)
    # The console could not write 李小龍 in cp1252: a ? per cell, not a crash; Zoë Ångström as she is.
    assert "|?????? " in stdout and "Zo\u00eb \u00c5ngstr\u00f6m" in stdout
    # Files are UTF-8, every name whole.
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))["results"]
    assert {r["name"] for r in results} == set(NAMES.values())
    for name in ("results.csv", "report.html", "results.jsonl"):
        text = (out / name).read_text(encoding="utf-8-sig")
        assert all(person in text for person in NAMES.values()), name
    junit = {case.get("name", "") for case in ET.parse(out / "junit.xml").iter("testcase")}
    assert all(any(person in case for case in junit) for person in NAMES.values()), junit

    code, stdout, stderr = _run(["report", out / "results.jsonl", "-f", "table"], windows_env, tmp_path, "report")
    assert code in (0, 1), stderr
    _clean(stderr)
    assert "|?????? " in stdout and "Jos\u00e9 N\u00fa\u00f1ez" in stdout
    html = tmp_path / "elsewhere" / "report.html"
    code, _, stderr = _run(["report", out / "results.jsonl", "-o", html], windows_env, tmp_path, "report-html")
    assert code in (0, 1) and "\u674e\u5c0f\u9f8d" in html.read_text(encoding="utf-8"), stderr

    notices = tmp_path / "notices"
    code, _, stderr = _run(["notices", out / "results.jsonl", "--out", notices], windows_env, tmp_path, "notices")
    assert code == 0, stderr
    _clean(stderr)
    letters = " ".join(p.read_text(encoding="utf-8") for p in notices.glob("*.txt"))
    addressed = re.findall(r"Dear ([^,\n]+),", letters)
    assert "\u674e\u5c0f\u9f8d" in addressed and set(addressed) <= set(NAMES.values()), letters[:500]
    assert sign_ins(mock) == dict.fromkeys(NAMES, 1)  # report and notices sign nobody in


def _wait_for_first_sign_in(process: subprocess.Popen[str], server: MockServer) -> None:
    deadline = time.monotonic() + 120  # only so that a broken run fails instead of hanging
    while not sign_ins(server) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sum(sign_ins(server).values()) == 1, "the first sign-in never came"


#: What each stop is here, and the exit code it ends a run with. SIGTERM is not sent on Windows (nothing
#: sends it to a console program), but where Python raises it the run ends as on Linux.
STOPS = {"ctrl-c": (signal.SIGINT, 130), "ctrl-break": (signal.SIGUSR2, 130), "sigterm": (signal.SIGTERM, 143)}


@pytest.mark.parametrize("key", list(STOPS))
def test_a_stop_mid_bulk_signs_in_no_one_more_then_resume_finishes(
    key: str, mock: MockServer, windows_env: dict[str, str], tmp_path: Path
) -> None:
    roster = _roster(tmp_path, mock, list(NAMES))
    out = tmp_path / "out"
    # One sign-in a minute with 4 workers: three wait in the rate limit when the key is pressed.
    args = ["bulk", str(roster), "--base-url", mock.url, "--out", str(out), "--rate", "1", "-c", "4"]
    log = (tmp_path / "bulk.stdout").open("wb")
    process = start_cli(*args, env=windows_env, stdout=log, stderr=subprocess.PIPE)
    log.close()
    with reaped(process):
        _wait_for_first_sign_in(process, mock)
        process.send_signal(STOPS[key][0])  # SIGUSR2 is SIGBREAK here
        _, stderr = process.communicate(timeout=55)  # the next sign-in would be due a minute after the first
    assert process.returncode == STOPS[key][1], stderr
    _clean(stderr)
    assert sum(sign_ins(mock).values()) == 1
    if key == "sigterm":
        return  # the one in flight had 10 s to finish: whether it did is the machine's speed, not tested here
    assert (out / "results.jsonl").read_text(encoding="utf-8").count("\n") == 1  # the one in flight, finished

    args = ["bulk", roster, "--base-url", mock.url, "--out", out, "--rate", "0", "--resume"]
    code, _, stderr = _run(args, windows_env, tmp_path, "resume")
    assert code in (0, 1), stderr
    _clean(stderr)
    assert sign_ins(mock) == dict.fromkeys(NAMES, 1)  # the first not again, every other once
    assert len((out / "results.jsonl").read_text(encoding="utf-8").splitlines()) == len(NAMES)


@contextlib.contextmanager
def _serving(mock: MockServer, env: dict[str, str], tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    roster = tmp_path / "people.csv"  # names and usernames only: attorneys type their own passwords
    lines = ["name,username", *(f"{name},{username}" for username, name in NAMES.items())]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["serve", "--roster", str(roster), "--out", str(tmp_path / "served"), "--port", str(port)]
    args += ["--base-url", mock.url, "--rate", "0"]
    log = (tmp_path / "serve.stdout").open("wb")
    process = start_cli(*args, env=env, stdout=log, stderr=subprocess.PIPE)
    log.close()
    url = f"http://127.0.0.1:{port}"
    with reaped(process):
        try:
            for _ in range(600):  # until it answers (the browser starts first), or it ended
                if process.poll() is not None:
                    raise AssertionError(f"serve ended: {process.communicate()[1]}")
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=0.2)
            yield url, process
        finally:
            if process.poll() is None:  # stopped as a person stops it; killed only if that fails
                process.send_signal(signal.SIGINT)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=60)


def _personal_link(served: Path, username: str) -> str:
    """The attorney's personal link from links.csv (with a roster, the only way in)."""
    with (served / "links.csv").open(encoding="utf-8-sig", newline="") as file:
        return next(row["link"] for row in csv.DictReader(file) if row["username"] == username)


def _form_token(client: httpx.Client, page: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get(page).text)
    assert match, "no form on the attorney's page"
    return match.group(1)


@pytest.mark.parametrize("key", ["ctrl-c", "ctrl-break"])
def test_serve_checks_an_attorney_and_a_stop_ends_it(
    key: str, mock: MockServer, windows_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**windows_env, "PACER_VERIFY_ADMIN_TOKEN": "test-admin-token-0123456789-abcdefghij"}
    with _serving(mock, env, tmp_path) as (url, process), httpx.Client(base_url=url, headers={"Origin": url}) as client:
        page_path = "/a/" + _personal_link(tmp_path / "served", "atty3003").rsplit("/a/", 1)[1]
        form = {"link": page_path[3:], "password": mock.state.account("atty3003").password}  # type: ignore[union-attr]
        answer = client.post("/check", data={**form, "csrf": _form_token(client, page_path)})
        assert answer.status_code == 303, answer.text
        job = answer.headers["location"]
        while not client.get(f"{job}/state").json()["done"]:
            time.sleep(0.2)
        page = client.get(job).text
        process.send_signal(signal.SIGINT if key == "ctrl-c" else signal.SIGUSR2)  # SIGUSR2 is SIGBREAK here
        _, stderr = process.communicate(timeout=60)
    assert "\u674e\u5c0f\u9f8d" in page or "upgraded" in page.lower(), page[:500]
    assert process.returncode == 130, stderr
    _clean(stderr.decode("cp1252") if isinstance(stderr, bytes) else stderr)
    assert sign_ins(mock) == {"atty3003": 1}
    line = (tmp_path / "served" / "results.jsonl").read_text(encoding="utf-8")
    assert "\u674e\u5c0f\u9f8d" in line


def test_any_code_page_runs_even_ascii(mock: MockServer, cli_env: dict[str, str], tmp_path: Path) -> None:
    # Not Windows only: a console that cannot write names is never a reason to refuse (it once was).
    results = tmp_path / "results.jsonl"
    line = {"name": NAMES["atty3003"], "username": "atty3003", "status": "upgraded", "row": 1, "message": "signed in"}
    results.write_text(json.dumps(line) + "\n", encoding="utf-8")
    done = run_cli("report", results, "-f", "table", env={**cli_env, "PYTHONIOENCODING": "ascii"}, cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    assert "???" in done.stdout and "internal error" not in done.stderr


@pytest.mark.parametrize(
    ("args", "given"),
    [
        (["bulk", r"C:\Users\it\roster.csv"], r"C:\Users\it\roster.csv"),
        (["bulk", r"\\server\share\roster.csv"], r"\\server\share\roster.csv"),
        (["bulk", "C:/Users/it/roster.csv"], "C:/Users/it/roster.csv"),
        (["report", r"C:\Users\it\out\results.jsonl"], r"C:\Users\it\out\results.jsonl"),
        (["notices", r"\\server\share\out\results.jsonl", "--out", "n"], r"\\server\share\out\results.jsonl"),
        (["check", "--username", "jdoe1234", "--courts", r"C:\Users\it\courts.json"], r"C:\Users\it\courts.json"),
        (["serve", "--roster", r"\\server\share\people.csv"], r"\\server\share\people.csv"),
        (["mock", "--scenario", r"C:\Users\it\scenario.json"], r"C:\Users\it\scenario.json"),
        (["doctor", "--browser-path", r"C:\Tools\chrome.exe"], r"C:\Tools\chrome.exe"),
    ],
)
def test_error_lines_quote_a_windows_path_as_given(
    args: list[str], given: str, windows_env: dict[str, str], tmp_path: Path
) -> None:
    # Here each is a name in the current folder that is not there: the line must show it unchanged
    # (not doubled backslashes, not a resolved or POSIX form).
    token = "test-admin-token-0123456789-abcdefghij"  # serve asks for it before it reads the roster
    done = run_cli(
        *args, env={**windows_env, "PACER_PASSWORD": "Not-Sent-1", "PACER_VERIFY_ADMIN_TOKEN": token}, cwd=tmp_path
    )
    assert done.returncode in (2, 3), done.stderr
    said = " ".join((done.stdout + done.stderr).split())
    assert given in said, said
    assert "\\" not in given or given.replace("\\", "\\\\") not in said, said
