"""Issue 19 §3: a secret never lands in an output, even when the site repeats it.

A made-up PACER (tests/hostile_site.py) quotes the password in the Authentication API's
errorDescription, in a sign-on alert, and in the password field drawn again as type=text. Every
output file (results, reports, junit, history, traces unpacked), stdout and stderr are searched for
every spelling of the password; the screenshot is looked at where the field and the alert are. The
runs have DEBUG=pw:api,pw:channel in their environment, which makes Playwright's driver print every
call with its parameters unless pacer-verify keeps it out.
"""

from __future__ import annotations

import csv
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import run_cli
from hostile_site import ALERT_BOX, FIELD_BOX, hostile_site
from PIL import Image
from secret_spellings import every_byte, leaks

SECRET = 'Echo"Me~Secret-9é'
USERNAME = "eecho3001"
MASK = (0x22, 0x22, 0x22)
DRIVER_DEBUG = "pw:api,pw:channel"


def roster(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["name", "username", "password"], ["Eve Echo", USERNAME, SECRET]])
    path.chmod(0o600)
    return path


def bulk(url: str, sign_in: str, out: Path, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = ["bulk", str(roster(cwd / f"roster-{sign_in}.csv")), "--base-url", url]
    command += ["--out", str(out), "--sign-in", sign_in, "--rate", "0", "--retries", "0", "--trace", "on", "--json"]
    return run_cli(*command, env=env, cwd=cwd)


def masked(shot: Path, box: tuple[int, int, int, int]) -> bool:
    """Every pixel inside the box (a margin left for anti-aliasing) is the mask's colour."""
    left, top, right, bottom = box
    with Image.open(shot) as image:
        pixels = image.convert("RGB")
        inside = [pixels.getpixel((x, y)) for x in range(left + 3, right - 3, 4) for y in range(top + 3, bottom - 3, 2)]
    return all(pixel == MASK for pixel in inside)


def test_a_site_repeating_the_password_leaks_it_nowhere(cli_env: dict[str, str], tmp_path: Path) -> None:
    cli_env["PACER_VERIFY_LOG_LEVEL"] = "DEBUG"
    cli_env["DEBUG"] = DRIVER_DEBUG
    with hostile_site() as (url, counts):
        form = bulk(url, "browser", tmp_path / "form", cli_env, tmp_path)
        api = bulk(url, "api", tmp_path / "api", cli_env, tmp_path)
        check_env = {**cli_env, "PACER_PASSWORD": SECRET}
        check = run_cli(
            "check", "-u", USERNAME, "--base-url", url, "--sign-in", "api", "--json", env=check_env, cwd=tmp_path
        )
    # Each run signed in once, and the site answered with the password in it.
    assert counts.login_posts == {USERNAME: 1}
    assert counts.api_login_posts == {USERNAME: 2}
    by_form = json.loads(form.stdout)["results"][0]
    by_api = json.loads(api.stdout)["results"][0]
    assert by_form["status"] == "unrecognized_page", form.stderr
    assert "We could not process ******** for eecho3001 today" in by_form["message"]
    assert by_api["status"] == "invalid_credentials", api.stderr
    assert "Invalid password: ******** is not right" in by_api["message"]
    assert json.loads(check.stdout)["status"] == "invalid_credentials", check.stderr

    outputs = [tmp_path / "form", tmp_path / "api"]
    for out in outputs:
        for name in ("results.jsonl", "results.json", "results.csv", "report.html", "junit.xml"):
            assert (out / name).is_file(), f"{out / name} must have been written, to be searched"
    assert list((tmp_path / "form").rglob("trace-*.zip")) and list((tmp_path / "form" / "history").rglob("*"))
    streams = [form.stdout, form.stderr, api.stdout, api.stderr, check.stdout, check.stderr]
    found = leaks([blob for out in outputs for blob in every_byte(out, streams)], {SECRET})
    assert not found, f"the password leaked into: {found[:5]}"

    # The trace keeps its scrubbed DOM snapshots, but not the screencast: no pass can scrub a picture.
    for trace in (tmp_path / "form").rglob("trace-*.zip"):
        with zipfile.ZipFile(trace) as archive:
            assert not [n for n in archive.namelist() if n.endswith(".jpeg")], "the screencast showed the password"
            events = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".trace"))
        assert b'"frame-snapshot"' in events and b'"screencast-frame"' not in events
    # The screenshot: the re-drawn text field and the alert quoting the password are painted over.
    shots = list((tmp_path / "form").rglob("*.png"))
    assert len(shots) == 1
    assert masked(shots[0], FIELD_BOX), "the password, re-drawn as a text field, must be masked"
    assert masked(shots[0], ALERT_BOX), "the alert quoting the password must be masked"


@pytest.mark.sign_in("browser")  # the typed password is what the driver prints
def test_debug_playwright_lets_the_driver_talk_and_says_so_loudly(cli_env: dict[str, str], tmp_path: Path) -> None:
    """The other side of the rule above: the variable is what leaks, so the test of its removal can fail."""
    env = {**cli_env, "DEBUG": DRIVER_DEBUG, "PACER_PASSWORD": SECRET}
    with hostile_site() as (url, counts):
        check = run_cli("check", "-u", USERNAME, "--base-url", url, "--debug-playwright", env=env, cwd=tmp_path)
    assert counts.login_posts == {USERNAME: 1}
    assert "--debug-playwright: Playwright's driver debug output is ON" in check.stderr
    assert "PASSWORDS" in check.stderr
    assert leaks([("stderr", check.stderr.encode())], {SECRET}), "DEBUG=pw:channel prints what was typed"
