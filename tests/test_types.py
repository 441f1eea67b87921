"""verifier/ and flows/ stay mypy-clean under [tool.mypy] (pyproject.toml): part of the suite so CI
fails on a type error like on any test."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_mypy_is_clean() -> None:
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    # The cache is kept (under .mypy_cache): a warm run takes seconds instead of a minute.
    done = subprocess.run([sys.executable, "-m", "mypy"], capture_output=True, text=True, cwd=REPO, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_mypy_is_clean_as_windows_and_macos_see_the_code(platform: str) -> None:
    # A name one system lacks (os.O_NOFOLLOW on Windows) is a type error there: checked here on Linux.
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    # Its own cache (the platform changes every module's answer), under mypy's own MYPY_CACHE_DIR if set.
    cache = Path(os.environ.get("MYPY_CACHE_DIR") or REPO / ".mypy_cache") / platform
    command = [sys.executable, "-m", "mypy", "--platform", platform, "--cache-dir", str(cache), "verifier", "flows"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
