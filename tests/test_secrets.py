"""No password or authenticator secret ever lands anywhere: output, logs, checkpoint, reports,
screenshots, traces (unpacked). Runs `check` and `bulk` with tracing and verbose logging on."""

from __future__ import annotations

import csv
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import quote_plus

from verifier.mock.server import MockServer
from verifier.paths import DEMO_ROSTER

PYTHON = sys.executable


def fixture_secrets(server: MockServer) -> set[str]:
    secrets: set[str] = set()
    for account in server.scenario.accounts:
        secrets.add(account.password)
        if account.otp_secret:
            secrets.add(account.otp_secret)
        for login in account.cmecf.values():
            secrets.add(login.password)
    with DEMO_ROSTER.open(newline="") as handle:
        for row in csv.DictReader(handle):
            for key in ("password", "otp_secret", "cmecf_password"):
                if len(row[key]) >= 8 and not row[key].startswith("env:"):
                    secrets.add(row[key])
    return secrets


def every_byte(out: Path, streams: list[str]) -> list[tuple[str, bytes]]:
    blobs = [(f"stream {i}", text.encode()) for i, text in enumerate(streams)]
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        blobs.append((str(path), path.read_bytes()))
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                blobs.extend((f"{path}!{name}", archive.read(name)) for name in archive.namelist())
    return blobs


def test_no_secret_anywhere(pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path) -> None:
    cli_env["PACER_VERIFY_LOG_LEVEL"] = "DEBUG"
    out = tmp_path / "out"
    bulk = subprocess.run(
        [PYTHON, "-m", "verifier", "bulk", str(DEMO_ROSTER), "--base-url", pacer_mock.url, "--out", str(out),
         "--rate", "0", "--trace", "on", "--retries", "0"],
        env=cli_env, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert bulk.returncode == 1, bulk.stderr
    streams = [bulk.stdout, bulk.stderr]
    for username in ("cwong2003", "hlee2008", "ntaylor2014", "kdavis2011"):
        account = next(a for a in pacer_mock.scenario.accounts if a.username == username)
        env = {**cli_env, "PACER_PASSWORD": account.password, "PACER_OTP_SECRET": account.otp_secret or ""}
        check = subprocess.run(
            [PYTHON, "-m", "verifier", "check", "--username", username, "--base-url", pacer_mock.url, "--json"],
            env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
        streams += [check.stdout, check.stderr]

    traces = list(out.rglob("*.zip"))
    shots = list(out.rglob("*.png"))
    assert traces, "tracing was on: traces must have been written"
    assert shots, "unexpected pages must have masked screenshots"
    blobs = every_byte(out, streams)
    for secret in fixture_secrets(pacer_mock):
        forms = {secret, quote_plus(secret)}
        leaks = [where for where, data in blobs for form in forms if form.encode() in data]
        assert not leaks, f"a fixture secret leaked into: {leaks[:5]}"
