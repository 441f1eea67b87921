"""verifier/ and flows/ stay mypy-clean under [tool.mypy] (pyproject.toml): part of the suite so CI
fails on a type error like on any test."""

from __future__ import annotations

import importlib.util
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
