"""Files and settings that are not what they seem: devices, FIFOs and links given as outputs or inputs,
rates and timeouts out of bounds, bytes that are not UTF-8, a shell environment that cannot work,
an empty --out, a history link, a results.jsonl left readable, passwords with spaces at the ends, and
a .env that changes what a run does; bad settings, unusable --out folders, odd base URLs and output
permissions. Each is one line naming the file, flag or variable (exit 2) before any sign-in, or the
run goes on exactly as the user wrote it."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import UsageRun, run_cli, sign_ins, usage_errors_in_process

from verifier.mock.server import MockServer
from verifier.roster import read_roster

UNREACHABLE = "http://127.0.0.1:9"  # nothing listens: a command that got past its usage error fails with 3
PASSWORD = "Mock-Passw0rd-1"


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("pacer-verify: ") and "internal error" not in lines[0], done.stderr
    return lines[0]


def an_error_line(line: str) -> str:
    """A usage error's line as `one_error_line` checks it (for a line from a command in this process)."""
    assert "\n" not in line and line.startswith("pacer-verify: error: ") and "internal error" not in line, line
    assert line.endswith((".", "?", "!")), "a whole sentence"
    return line


def write_roster(tmp_path: Path, password: str = PASSWORD) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(f"name,username,password\nAlice Smith,asmith2001,{password}\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def write_results(path: Path) -> Path:
    line = {"name": "Alice Smith", "username": "asmith2001", "status": "upgraded", "row": 1, "message": "signed in"}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    return path


def no_sign_in(server: MockServer) -> None:
    stats = server.stats()
    assert stats["login_posts"] == {} and stats["api_login_posts"] == {}, stats


# --- usage errors in this process ------------------------------------------------------------------------


@pytest.fixture
def usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> Iterator[UsageRun]:
    """Each rule of the settings, flags and paths is tested in this process (helpers.usage_errors_in_process);
    the subprocess tests show the line reaching the user, one per way out (a bad setting, a shell variable,
    a bad option value)."""
    with usage_errors_in_process(monkeypatch, caplog, tmp_path) as run:
        yield run


# --- outputs that are not regular files ----------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


def test_report_to_a_fifo_is_refused_and_the_fifo_stays(cli_env: dict[str, str], tmp_path: Path, fifo: Path) -> None:
    results = write_results(tmp_path / "results.jsonl")
    done = run_cli("report", str(results), "-f", "csv", "-o", str(fifo), env=cli_env, cwd=tmp_path)
    assert done.returncode == 2, done.stderr  # an output refused, from the command line (the others: in-process)
    line = one_line(done)
    assert str(fifo) in line and "FIFO" in line and "-o -" in line
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_report_to_a_device_is_refused_and_the_device_stays(usage_error: UsageRun, tmp_path: Path) -> None:
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # /dev/null's numbers, in a folder of our own
    except PermissionError:
        pytest.skip("making a device node needs root")
    results = write_results(tmp_path / "results.jsonl")
    assert "is a device" in usage_error("report", results, "-f", "json", "-o", device)
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_report_to_a_link_is_refused_and_its_target_untouched(usage_error: UsageRun, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.html"
    target.write_text("keep me")
    link = tmp_path / "report.html"
    link.symlink_to(target)
    results = write_results(tmp_path / "results.jsonl")
    assert "symbolic link" in usage_error("report", results, "-o", link)
    assert link.is_symlink() and target.read_text() == "keep me"


def test_report_to_dev_stdout_is_written_as_a_stream(cli_env: dict[str, str], tmp_path: Path) -> None:
    results = write_results(tmp_path / "results.jsonl")
    done = run_cli("report", str(results), "-f", "csv", "-o", "/dev/stdout", env=cli_env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert '"asmith2001"' in done.stdout and done.stderr == ""
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)  # the devices are devices still


def test_bulk_refuses_an_out_holding_a_fifo_before_any_sign_in(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "report.html")
    done = run_cli(
        "bulk", str(write_roster(tmp_path)), "--base-url", pacer_mock.url, "--out", str(out), env=cli_env, cwd=tmp_path
    )
    assert done.returncode == 2, done.stderr
    assert "report.html: is a FIFO" in one_line(done)
    no_sign_in(pacer_mock)


def test_a_history_link_is_refused_before_any_sign_in(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    other = tmp_path / "other-run-history"
    other.mkdir()
    (out / "history").symlink_to(other)
    done = run_cli(
        "bulk",
        str(write_roster(tmp_path)),
        "--base-url",
        pacer_mock.url,
        "--out",
        str(out),
        "--rate",
        "0",
        env=cli_env,
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    assert "history: is a link or a file" in one_line(done)
    assert list(other.iterdir()) == []
    no_sign_in(pacer_mock)


def test_an_empty_out_is_a_usage_error(usage_error: UsageRun, tmp_path: Path) -> None:
    line = usage_error("bulk", write_roster(tmp_path), "--base-url", UNREACHABLE, "--out", "")
    assert "'--out'" in line and "empty" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roster.csv"]


def test_a_readable_results_file_is_made_private(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    checkpoint = write_results(out / "results.jsonl")
    checkpoint.chmod(0o644)
    done = run_cli(
        "bulk",
        str(write_roster(tmp_path)),
        "--base-url",
        pacer_mock.url,
        "--out",
        str(out),
        "--resume",
        "--rate",
        "0",
        "--quiet",
        env=cli_env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(checkpoint.stat().st_mode) == 0o600
    no_sign_in(pacer_mock)  # the one account was done already


# --- inputs that are not regular files -----------------------------------------------------------------


@pytest.mark.parametrize("which", ["--courts", "roster", "results"])
@pytest.mark.parametrize("source", ["fifo", "/dev/zero"])
def test_inputs_that_are_not_regular_files_are_refused(
    usage_error: UsageRun, tmp_path: Path, fifo: Path, which: str, source: str
) -> None:
    given = str(fifo) if source == "fifo" else source
    if which == "--courts":
        args = ["bulk", str(write_roster(tmp_path)), "--courts", given, "--base-url", UNREACHABLE]
    elif which == "roster":
        args = ["bulk", given, "--base-url", UNREACHABLE, "--out", str(tmp_path / "out")]
    else:
        args = ["report", given, "-f", "csv"]
    line = usage_error(*args)
    assert given in line and ("FIFO" in line if source == "fifo" else "device" in line)


# --- settings out of bounds and files that are not UTF-8 ------------------------------------------------


@pytest.mark.parametrize(
    ("env", "flags", "named"),
    [
        ({}, ["--rate", "1e-300"], "--rate=1e-300"),
        ({"PACER_VERIFY_RATE": "0.001"}, [], "PACER_VERIFY_RATE='0.001'"),
        ({}, ["--rate", "1e9"], "--rate=1000000000.0"),
        ({}, ["--timeout", "0.001"], "--timeout=0.001"),
        ({"PACER_VERIFY_TIMEOUT": "1e9"}, [], "PACER_VERIFY_TIMEOUT"),
    ],
)
def test_rates_and_timeouts_out_of_bounds_are_usage_errors(
    usage_error: UsageRun, tmp_path: Path, env: dict[str, str], flags: list[str], named: str
) -> None:
    args = ["bulk", str(write_roster(tmp_path)), "--base-url", UNREACHABLE, "--out", str(tmp_path / "out"), *flags]
    assert named in usage_error(*args, env=env)


def test_resume_over_a_results_file_that_is_not_utf8_is_a_usage_error(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    checkpoint = write_results(out / "results.jsonl")
    with checkpoint.open("ab") as handle:
        handle.write(b'{"name": "Jos\xe9 N", "username": "jn2001", "status": "legacy"}\n')  # Latin-1 é
    done = run_cli(
        "bulk",
        str(write_roster(tmp_path)),
        "--base-url",
        pacer_mock.url,
        "--out",
        str(out),
        "--resume",
        "--rate",
        "0",
        env=cli_env,
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    line = one_line(done)
    assert "results.jsonl: line 2 is not UTF-8" in line and "0xe9" in line
    no_sign_in(pacer_mock)


@pytest.mark.parametrize(
    ("setup", "named"),
    [
        ("dotenv-latin1", ".env: not UTF-8"),
        ("dotenv-fifo", "settings file .env: is a FIFO"),
    ],
)
def test_a_dotenv_that_cannot_be_read_is_one_usage_line(
    usage_error: UsageRun, tmp_path: Path, setup: str, named: str
) -> None:
    if setup == "dotenv-latin1":
        (tmp_path / ".env").write_bytes(b"PACER_VERIFY_LOG_LEVEL=info\n# Jos\xe9\n")
    else:
        os.mkfifo(tmp_path / ".env")
    args = ["bulk", str(write_roster(tmp_path)), "--base-url", UNREACHABLE, "--out", str(tmp_path / "out")]
    assert named in usage_error(*args)


def test_an_unusable_tmpdir_is_one_usage_line(cli_env: dict[str, str], tmp_path: Path) -> None:
    # Checked by the command line itself before any command (verifier.cli.main): a subprocess.
    cli_env["TMPDIR"] = str(tmp_path / "no-such-folder")
    args = ["bulk", str(write_roster(tmp_path)), "--base-url", UNREACHABLE, "--out", str(tmp_path / "out")]
    done = run_cli(*args, env=cli_env, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "TMPDIR=" in one_line(done)


def test_a_password_variable_that_is_not_utf8_is_named_never_sent(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path, usage_error: UsageRun
) -> None:
    cli_env["PW_ALICE"] = os.fsdecode(b"Mock-Passw0rd-\xe9")  # Latin-1 bytes, as a shell script may export
    cli_env["PACER_PASSWORD"] = cli_env["PW_ALICE"]
    roster = write_roster(tmp_path, password="env:PW_ALICE")
    done = run_cli(
        "bulk",
        str(roster),
        "--base-url",
        pacer_mock.url,
        "--out",
        str(tmp_path / "out"),
        "--rate",
        "0",
        "--json",
        env=cli_env,
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stderr
    result = json.loads(done.stdout)["results"][0]
    assert result["status"] == "invalid_input" and "PW_ALICE is not UTF-8 text" in result["message"]
    # `check` in this process: the variable holds the same undecodable bytes (os.environ's surrogate escapes).
    password = {"PACER_PASSWORD": cli_env["PACER_PASSWORD"]}
    line = usage_error("check", "--username", "asmith2001", "--base-url", pacer_mock.url, env=password)
    assert "PACER_PASSWORD" in line and "not UTF-8" in line
    no_sign_in(pacer_mock)


def test_a_dotenv_that_changes_privacy_is_named_in_one_warning(cli_env: dict[str, str], tmp_path: Path) -> None:
    results = write_results(tmp_path / "results.jsonl")
    (tmp_path / ".env").write_text("PACER_VERIFY_SHARED_OUTPUTS=true\n")
    args = ("report", str(results), "-f", "json", "-o", str(tmp_path / "r.json"))
    warned = run_cli(*args, env=cli_env, cwd=tmp_path)
    assert warned.returncode == 0, warned.stderr
    lines = [line for line in warned.stderr.splitlines() if "PACER_VERIFY_SHARED_OUTPUTS" in line]
    assert len(lines) == 1 and ".env" in lines[0], warned.stderr
    cli_env["PACER_VERIFY_SHARED_OUTPUTS"] = "true"  # the environment decides: nothing to warn about
    quiet = run_cli(*args, env=cli_env, cwd=tmp_path)
    assert "PACER_VERIFY_SHARED_OUTPUTS" not in quiet.stderr


# --- passwords as written --------------------------------------------------------------------------------


def test_a_password_with_spaces_at_the_ends_is_kept_and_warned_about(tmp_path: Path) -> None:
    roster = tmp_path / "roster.json"
    roster.write_text(
        json.dumps([{"name": "A", "username": "asmith2001", "password": f" {PASSWORD}\t"}]), encoding="utf-8"
    )
    roster.chmod(0o600)
    read = read_roster(roster)
    assert read.accounts[0].password.get_secret_value() == f" {PASSWORD}\t"
    assert any("row 1" in w and "'password'" in w and "sent exactly as written" in w for w in read.warnings)
    assert not any(PASSWORD in w for w in read.warnings)


def test_a_password_is_sent_exactly_as_written(pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path) -> None:
    roster = write_roster(tmp_path, password=f"{PASSWORD} ")  # stripped, it would be the right password
    done = run_cli(
        "bulk",
        str(roster),
        "--base-url",
        pacer_mock.url,
        "--out",
        str(tmp_path / "out"),
        "--rate",
        "0",
        "--retries",
        "0",
        "--no-court-checks",
        "--json",
        env=cli_env,
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["results"][0]["status"] == "invalid_credentials"
    assert "row 1" in done.stderr and "sent exactly as written" in done.stderr and PASSWORD not in done.stderr
    stats = pacer_mock.stats()
    assert stats["login_posts"].get("asmith2001", 0) + stats["api_login_posts"].get("asmith2001", 0) == 1


# --- settings, --out folders, base URLs and output permissions -------------------------------------------


def roster(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("name,username,password\n" + "".join(row + "\n" for row in rows), encoding="utf-8")
    path.chmod(0o600)
    return path


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("pacer-verify: error: ") and "internal error" not in lines[0], done.stderr
    assert lines[0].endswith((".", "?", "!")), "a whole sentence"
    return lines[0]


@pytest.mark.parametrize(
    ("env", "flags", "named"),
    [
        ({"PACER_VERIFY_CONCURRENCY": "abc"}, [], "PACER_VERIFY_CONCURRENCY='abc'"),
        ({"PACER_VERIFY_LOG_LEVEL": "loud"}, [], "PACER_VERIFY_LOG_LEVEL"),
        ({"PACER_VERIFY_TIMEOUT": "inf"}, [], "PACER_VERIFY_TIMEOUT"),
        ({}, ["--timeout", "0"], "--timeout=0.0"),
        ({}, ["--timeout", "-1"], "--timeout=-1.0"),
        ({}, ["--timeout", "nan"], "--timeout=nan"),
        ({}, ["--timeout", "inf"], "--timeout=inf"),
        ({"PACER_BASE_URL": ""}, [], "PACER_BASE_URL is empty"),
        ({}, ["--base-url", ""], "--base-url is empty"),
        ({}, ["--connect", "ws://127.0.0.1:3000/", "--cdp", "http://127.0.0.1:9222"], "--connect"),
    ],
)
def test_bad_settings_are_usage_errors(
    usage_error: UsageRun, tmp_path: Path, env: dict[str, str], flags: list[str], named: str
) -> None:
    base = [] if "PACER_BASE_URL" in env or "--base-url" in flags else ["--base-url", UNREACHABLE]
    people = roster(tmp_path, "A,asmith2001,pw-12345678")
    assert named in an_error_line(usage_error("bulk", people, "--out", tmp_path / "out", *base, *flags, env=env))


def test_a_bad_setting_is_one_usage_line_from_the_command_line(cli_env: dict[str, str], tmp_path: Path) -> None:
    # The rules above in a subprocess, once: the line and the exit code as a person gets them.
    cli_env["PACER_VERIFY_CONCURRENCY"] = "abc"
    args = ["bulk", str(roster(tmp_path, "A,asmith2001,pw-12345678")), "--out", str(tmp_path / "out")]
    done = run_cli(*args, "--base-url", UNREACHABLE, env=cli_env, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "PACER_VERIFY_CONCURRENCY='abc'" in one_error_line(done)


def test_a_mock_port_out_of_range_is_one_usage_line(cli_env: dict[str, str], tmp_path: Path) -> None:
    done = run_cli("mock", "--port", "99999", env=cli_env, cwd=tmp_path)
    assert done.returncode == 2
    line = one_error_line(done)
    assert "--port" in line and "65535" in line and "pacer-verify mock --help" in line


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    place = tmp_path / "ro"
    place.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=16k", "tmpfs", str(place)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a read-only tmpfs here (needs root); root ignores file modes, so no other way")
    try:
        yield place
    finally:
        subprocess.run(["umount", "-l", str(place)], check=False)


@pytest.mark.parametrize("where", ["a file", "/proc", "read-only"])
def test_an_unwritable_out_is_refused_before_any_sign_in(
    usage_error: UsageRun, tmp_path: Path, where: str, request: pytest.FixtureRequest
) -> None:
    if where == "a file":
        out = tmp_path / "taken"
        out.write_text("not a folder")
    elif where == "/proc":
        out = Path("/proc/self/pacer-verify-out")
    else:
        out = request.getfixturevalue("read_only_dir") / "out"
    line = usage_error("bulk", roster(tmp_path, "A,asmith2001,pw-12345678"), "--base-url", UNREACHABLE, "--out", out)
    assert an_error_line(line).startswith(f"pacer-verify: error: --out {out}")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:s3cret@127.0.0.1/", "user name or password"),
        ("http://127.0.0.1:8765/csologin", "origin only"),
        ("http://127.0.0.1:8765/?next=x", "origin only"),
        ("http://127.0.0.1:8765/#top", "origin only"),
        ("http://127.0.0.1:99999", "port"),
    ],
)
def test_base_urls_with_more_than_an_origin_are_refused(
    usage_error: UsageRun, tmp_path: Path, url: str, shown: str
) -> None:
    people = roster(tmp_path, "A,asmith2001,pw-12345678")
    line = an_error_line(usage_error("bulk", people, "--base-url", url, "--out", tmp_path / "out"))
    assert shown in line and "s3cret" not in line and "user:" not in line


def modes(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out.parent)): stat.S_IMODE(p.stat().st_mode) for p in [out, *out.rglob("*")]}


def test_outputs_are_private_unless_shared(pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path) -> None:
    people = roster(tmp_path, "Alice Smith,asmith2001,Mock-Passw0rd-1", "Upper Case,ASMITH2001,wrong-password-1")
    # The base URL in capitals: normalised to the mock's origin, so the sign-in works.
    upper = pacer_mock.url.upper()
    private = run_cli(
        "bulk",
        str(people),
        "--base-url",
        upper,
        "--out",
        str(tmp_path / "private"),
        "--rate",
        "0",
        "--trace",
        "on",
        "--retries",
        "0",
        "--no-court-checks",
        "--quiet",
        env=cli_env,
        cwd=tmp_path,
        umask=0o022,
    )
    assert private.returncode == 1, private.stderr
    found = modes(tmp_path / "private")
    assert any(name.endswith(".zip") for name in found) and any(name.endswith("report.html") for name in found)
    files = {name: mode for name, mode in found.items() if (tmp_path / name).is_file()}
    folders = {name: mode for name, mode in found.items() if (tmp_path / name).is_dir()}
    assert set(files.values()) == {0o600}, files
    assert set(folders.values()) == {0o700}, folders
    assert "upgraded" in (tmp_path / "private" / "results.jsonl").read_text()

    shared = run_cli(
        "bulk",
        str(people),
        "--base-url",
        upper,
        "--out",
        str(tmp_path / "shared"),
        "--rate",
        "0",
        "--retries",
        "0",
        "--no-court-checks",
        "--quiet",
        "--shared-outputs",
        env=cli_env,
        cwd=tmp_path,
        umask=0o022,
    )
    assert shared.returncode == 1, shared.stderr
    found = modes(tmp_path / "shared")
    assert found["shared"] == 0o755 and found["shared/report.html"] == 0o644 and found["shared/results.jsonl"] == 0o644


def test_resume_refuses_a_symlinked_checkpoint(usage_error: UsageRun, tmp_path: Path, pacer_mock: MockServer) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = tmp_path / "elsewhere.jsonl"
    target.write_text("")
    (out / "results.jsonl").symlink_to(target)
    people = roster(tmp_path, "A,asmith2001,Mock-Passw0rd-1")
    line = usage_error("bulk", people, "--base-url", pacer_mock.url, "--out", out, "--resume", "--rate", "0")
    assert "symbolic link" in an_error_line(line)
    assert target.read_text() == "" and sign_ins(pacer_mock) == {}


def test_the_log_level_setting_is_applied_from_dotenv(
    cli_env: dict[str, str], tmp_path: Path, pacer_mock: MockServer
) -> None:
    people = roster(tmp_path, "A,not a username,pw-12345678")  # a row error: no sign-in needed
    people.chmod(0o644)  # pacer-verify warns (a WARNING log line) that others can read it
    cli_env.pop("PACER_VERIFY_LOG_LEVEL", None)
    args = ("bulk", str(people), "--base-url", pacer_mock.url, "--out", str(tmp_path / "out"), "--quiet")
    warned = run_cli(*args, env=cli_env, cwd=tmp_path)
    assert "readable by other users" in warned.stderr
    (tmp_path / ".env").write_text("PACER_VERIFY_LOG_LEVEL=error\n")
    quiet = run_cli(*args, env=cli_env, cwd=tmp_path)
    assert quiet.returncode == warned.returncode == 1, quiet.stderr
    assert "readable by other users" not in quiet.stderr
