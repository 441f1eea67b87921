"""tests/durations.json: how long each slow test took in a whole run, so that the next runs start the
longest first (tests/conftest.py orders the tests by it when they run on several workers).

    python tools/test_durations.py                  # run the whole suite once, then write the file
    python tools/test_durations.py --junit FILE     # write it from a run's `pytest --junitxml=FILE`

The run is timed as a fresh clone runs (CI does): mypy starts without its cache. Only tests of a
second or more are kept (the others are ordered as collected, after them); times are
rounded, since they change from run to run with the machine's load: only their order matters. A test
missing from the file (a new one) just runs with the short ones until the file is written again.

A developer's tool, outside the package: nothing installed reads the file.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DURATIONS = ROOT / "tests" / "durations.json"
#: Shorter tests are left out: they are scheduled after the ones in the file, in their collected order.
KEEP_FROM_S = 1.0


def node_id(classname: str, name: str) -> str:
    """pytest's id for a junit test case (`tests.mock.test_x` + `test_y[a]`), without xdist's `@group`."""
    parts = classname.split(".")
    for cut in range(len(parts), 0, -1):  # the longest prefix that is a file: the rest are class names
        path = Path(*parts[:cut]).with_suffix(".py")
        if (ROOT / path).is_file():
            return "::".join([path.as_posix(), *parts[cut:], strip_group(name)])
    return f"{classname}::{strip_group(name)}"


def strip_group(name: str) -> str:
    """`test_y[a]@group` → `test_y[a]` (pytest-xdist's loadgroup adds the group to the id)."""
    at, bracket = name.rfind("@"), name.rfind("]")
    return name[:at] if at > bracket else name


def durations_from_junit(path: Path) -> dict[str, float]:
    found: dict[str, float] = {}
    for case in ET.parse(path).iter("testcase"):
        seconds = float(case.get("time") or 0)
        if seconds >= KEEP_FROM_S:
            found[node_id(case.get("classname", ""), case.get("name", ""))] = round(seconds, 1)
    return dict(sorted(found.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--junit", type=Path, help="a run's junit XML (pytest --junitxml) instead of a new run")
    args = parser.parse_args(argv)
    junit = args.junit
    if junit is None:
        junit = Path(tempfile.mkdtemp()) / "junit.xml"
        # As a fresh clone runs them (CI does): mypy without its cache, which it builds on a first run
        # (about 6 s a platform, against under 1 s warm). Timed warm, the three ran last and alone.
        env = {**os.environ, "MYPY_CACHE_DIR": str(junit.parent / "mypy-cache")}
        done = subprocess.run([sys.executable, "-m", "pytest", f"--junitxml={junit}"], cwd=ROOT, check=False, env=env)
        if not junit.exists():
            return done.returncode or 1
    durations = durations_from_junit(junit)
    DURATIONS.write_text(json.dumps(durations, indent=0) + "\n", encoding="utf-8")
    print(f"{DURATIONS.relative_to(ROOT)}: {len(durations)} tests of {KEEP_FROM_S:g} s or more")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
