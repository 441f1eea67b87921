"""Where the bundled data lives: inside the package, read with importlib.resources.

`MOCK_SCENARIO` and `DEMO_ROSTER` ship in the wheel, so an installed pacer-verify finds them wherever
it is installed. `REPO_ROOT` and `FIXTURES` exist only in a source checkout (the test suite and
fixtures/generate.py use them); no command of the installed tool reads them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

MOCK_SCENARIO: Traversable = files("verifier.mock") / "data" / "mock_site.json"
DEMO_ROSTER: Traversable = files("verifier") / "data" / "sample_roster.csv"

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "fixtures"


@contextmanager
def resource_path(resource: Traversable | Path) -> Iterator[Path]:
    """A real file for a bundled resource (a temporary copy only if the package is zipped)."""
    with as_file(resource) as path:
        yield Path(path)
