"""Loaded by the pacer_mock plugin for `--pacer-browser` / `pacer_browser = true` only: pytest-playwright
launches the browser pacer-verify would use. Imported after pytest-playwright, so this fixture
overrides its `browser_type_launch_args` (and a conftest's override still wraps this one)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], pacer_browser_launch_args: dict[str, Any]
) -> dict[str, Any]:
    return {**browser_type_launch_args, **pacer_browser_launch_args}
