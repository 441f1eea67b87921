"""What a user sees for bad settings, unusable --out folders, odd base URLs and output permissions:
usage errors are exit 2 with one line naming the flag or variable, found before any sign-in."""

from __future__ import annotations

import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import run_cli

from verifier.mock.server import MockServer

UNREACHABLE = "http://127.0.0.1:9"  # nothing listens: a check that got past its usage error would fail with 3


def roster(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("name,username,password\n" + "".join(row + "\n" for row in rows), encoding="utf-8")
    path.chmod(0o600)
    return path


def one_line(done: subprocess.CompletedProcess[str]) -> str:
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
    cli_env: dict[str, str], tmp_path: Path, env: dict[str, str], flags: list[str], named: str
) -> None:
    cli_env.update(env)
    base = [] if "PACER_BASE_URL" in env or "--base-url" in flags else ["--base-url", UNREACHABLE]
    done = run_cli(
        "bulk",
        str(roster(tmp_path, "A,asmith2001,pw-12345678")),
        "--out",
        str(tmp_path / "out"),
        *base,
        *flags,
        env=cli_env,
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    assert named in one_line(done)


def test_a_mock_port_out_of_range_is_one_usage_line(cli_env: dict[str, str], tmp_path: Path) -> None:
    done = run_cli("mock", "--port", "99999", env=cli_env, cwd=tmp_path)
    assert done.returncode == 2
    line = one_line(done)
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
    cli_env: dict[str, str], tmp_path: Path, where: str, request: pytest.FixtureRequest
) -> None:
    if where == "a file":
        out = tmp_path / "taken"
        out.write_text("not a folder")
    elif where == "/proc":
        out = Path("/proc/self/pacer-verify-out")
    else:
        out = request.getfixturevalue("read_only_dir") / "out"
    done = run_cli(
        "bulk",
        str(roster(tmp_path, "A,asmith2001,pw-12345678")),
        "--base-url",
        UNREACHABLE,
        "--out",
        str(out),
        env=cli_env,
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    assert one_line(done).startswith(f"pacer-verify: error: --out {out}")


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
    cli_env: dict[str, str], tmp_path: Path, url: str, shown: str
) -> None:
    done = run_cli(
        "bulk",
        str(roster(tmp_path, "A,asmith2001,pw-12345678")),
        "--base-url",
        url,
        "--out",
        str(tmp_path / "out"),
        env=cli_env,
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    line = one_line(done)
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


def test_resume_refuses_a_symlinked_checkpoint(cli_env: dict[str, str], tmp_path: Path, pacer_mock: MockServer) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = tmp_path / "elsewhere.jsonl"
    target.write_text("")
    (out / "results.jsonl").symlink_to(target)
    done = run_cli(
        "bulk",
        str(roster(tmp_path, "A,asmith2001,Mock-Passw0rd-1")),
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
    assert "symbolic link" in one_line(done)
    assert target.read_text() == "" and pacer_mock.stats()["login_posts"] == {}


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
