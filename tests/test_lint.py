"""The code base stays ruff-clean and ruff-formatted: part of the suite so CI fails on it like on any test."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _ruff() -> str:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    return ruff


def test_ruff_is_clean() -> None:
    done = subprocess.run([_ruff(), "check", "--no-cache", str(REPO)], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format_has_nothing_to_change() -> None:
    done = subprocess.run(
        [_ruff(), "format", "--check", "--no-cache", str(REPO)], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 0, "run `ruff format .`:\n" + done.stdout + done.stderr


def test_no_test_starts_an_event_loop_of_its_own() -> None:
    # Once a browser test has run in an xdist worker, pytest-playwright's sync fixtures keep a loop
    # running in its thread and `asyncio.run` fails there: the suite went red in CI only in that order.
    # Coroutines run on the core's loop (the `run_core` fixture) instead.
    forbidden = ("asyncio" + ".run(", "new_event_loop" + "(", "run_until_complete" + "(")
    offenders = [
        f"{path.name}:{number}"
        for path in sorted((REPO / "tests").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(call in line for call in forbidden)
    ]
    assert offenders == [], "use the run_core fixture: " + ", ".join(offenders)
