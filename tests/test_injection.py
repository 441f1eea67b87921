"""Names, usernames and messages with terminal escapes, OSC-8 links and carriage returns reach no
output raw: the terminal, progress lines, results.csv, report.html and junit.xml show them escaped."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from helpers import run_cli_bytes

from verifier.mock.server import MockServer
from verifier.text import shown

# A CR that would let the row overwrite its own line with a fake "upgraded", a colour, and a link.
EVIL_NAME = (
    "Alice\r[1] upgraded               \x1b[32mfake\x1b[0m \x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\"
)
EVIL_USERNAME = "eve\r2001\x1b[2K"
RAW = re.compile(rb"\x1b|\x9b|\r(?!\n)|\x07")  # ESC, CSI, a CR that is not a CSV line end, BEL


def test_shown_escapes_controls_and_keeps_text() -> None:
    assert shown("a\x1b[31mb\rc\td\u202ee\x7f") == "a\\x1b[31mb\\rc\\td\\u202ee\\x7f"
    assert shown("José Núñez 👩‍⚖️ 中文") == "José Núñez 👩‍⚖️ 中文"  # joiners stay: emoji need them


@pytest.mark.sign_in("browser")  # the impossible username is one the form would type
def test_no_control_character_reaches_any_output(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    people = tmp_path / "roster.csv"
    with people.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(
            [
                ["name", "username", "password"],
                [EVIL_NAME, "asmith2001", "Mock-Passw0rd-1"],
                ["Eve", EVIL_USERNAME, "Mock-Passw0rd-1"],
            ]
        )
    people.chmod(0o600)
    out = tmp_path / "out"
    done = run_cli_bytes(
        "bulk",
        str(people),
        "--base-url",
        pacer_mock.url,
        "--out",
        str(out),
        "--rate",
        "0",
        "--retries",
        "0",
        "--no-court-checks",
        env={**cli_env, "COLUMNS": "200"},
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stderr
    assert pacer_mock.stats()["login_posts"] == {"asmith2001": 1}, "the impossible username is never tried"
    outputs = {"stdout": done.stdout, "stderr (progress lines)": done.stderr}
    for name in ("results.csv", "report.html", "junit.xml"):
        outputs[name] = (out / name).read_bytes()
    for where, data in outputs.items():
        assert not RAW.search(data), f"a raw control character reached {where}"
    for where in ("results.csv", "report.html", "junit.xml", "stderr (progress lines)"):
        assert b"eve\\r2001\\x1b[2K" in outputs[where], where
    # The roster folds a name's white space (the CR too); its escapes stay, shown escaped.
    for where in ("results.csv", "report.html", "junit.xml", "stdout"):
        assert b"\\x1b[32mfake" in outputs[where], where
    for where in ("results.csv", "report.html", "junit.xml"):
        assert b"\\x1b]8;;http://evil.example/" in outputs[where], where


@pytest.mark.parametrize("text", ["a\x1b[2Jb", "x\ry", "z\u202ew"])
def test_check_refuses_a_username_with_control_characters(cli_env: dict[str, str], tmp_path: Path, text: str) -> None:
    done = run_cli_bytes(
        "check",
        "--username",
        text,
        "--base-url",
        "http://127.0.0.1:9",
        env={**cli_env, "PACER_PASSWORD": "Mock-Passw0rd-1"},
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert not RAW.search(done.stderr) and b"PACER usernames are" in done.stderr
