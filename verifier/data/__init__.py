"""Where the bundled data lives: inside the package, read with importlib.resources.

`MOCK_SCENARIO` and `DEMO_ROSTER` ship in the wheel, so an installed pacer-verify finds them wherever
it is installed. (The test suite finds the source tree itself: tests/helpers.py.)
"""

from __future__ import annotations

import os
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from verifier.system.files import open_no_follow

MOCK_SCENARIO: Traversable = files("verifier.mock") / "data" / "mock_site.json"
DEMO_ROSTER: Traversable = files("verifier") / "data" / "sample_roster.csv"


def copy_private(resource: Traversable, target: Path) -> Path:
    """Write a bundled file to `target`, readable by its owner only (it holds passwords, fake or not:
    the roster reader warns about any roster others can read)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    fd = open_no_follow(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(resource.read_bytes())
    return target
