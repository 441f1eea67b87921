"""The package as a user gets it: build the sdist and, from it, the wheel; install the wheel (not
editable) into a fresh venv outside the tree; then, from a folder outside the tree, run the CLI and a
foreign pytest project that uses the fixtures. One venv for every check (module scope).

Marked `install` (run by default, so CI runs it; skip with -m "not install"). pip may reach the
package index (or the find-links the environment names) for the build backend and the dependencies:
HOME is the test's own folder, so pip's cache starts empty. The versions installed here are pinned as
constraints, so the venv gets the same ones.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from docexamples import write_examples
from helpers import REPO_ROOT, free_port

import verifier
from verifier.browser.launch import find_system_browser

pytestmark = pytest.mark.install

STEP_TIMEOUT_S = 900
# Only what the build needs: the caches and the local venv would make the copy slow and the sdist wrong.
SKIP = shutil.ignore_patterns(
    ".venv",
    ".git",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".mypy_cache",
    "pacer-verify-out",
    "test-results",
    ".setup-stamp",
)
SDIST_MUST_HAVE = (
    "pyproject.toml",
    "MANIFEST.in",
    "README.md",
    "CHANGELOG.md",
    ".env.example",
    "bootstrap.sh",
    "fixtures/generate.py",
    "fixtures/expected_statuses.json",
    "docs/pytest-plugin.md",
    "docs/real-site.md",
    "tests/conftest.py",
    "tests/mock/site_client.py",
    "verifier/mock/data/mock_site.json",
)
WHEEL_MUST_HAVE = (
    "verifier/py.typed",
    "flows/py.typed",
    "verifier/mock/data/mock_site.json",
    "verifier/data/sample_roster.csv",
    "verifier/data/courts.json",
    "verifier/mock/templates/signon.html",
    "verifier/reports/templates/report.html.j2",
)


@dataclass
class Installed:
    sdist: Path
    wheel: Path
    bin: Path
    away: Path
    env: dict[str, str]

    def run(
        self,
        *args: str | Path,
        cwd: Path | None = None,
        timeout: float = STEP_TIMEOUT_S,
        env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(a) for a in args],
            cwd=cwd or self.away,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def _check(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert done.returncode == 0, f"{done.args}: exit {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def _constraints(path: Path) -> Path:
    """The versions installed here, so the fresh venv resolves to the same ones."""
    pins = sorted(
        {
            f"{d.metadata['Name']}=={d.version}"
            for d in importlib.metadata.distributions()
            if d.metadata["Name"] and d.metadata["Name"].lower() not in ("pacer-verify", "pip", "setuptools")
        }
    )
    path.write_text("\n".join(pins) + "\n")
    return path


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("install")
    env = {
        k: v
        for k, v in os.environ.items()
        # As a new user's machine has it: nothing of ours set, so the suite's form sign-in is not either.
        if not k.startswith(("PACER_USERNAME", "PACER_PASSWORD", "PACER_OTP", "PYTHONPATH", "VIRTUAL_ENV"))
        and k != "PACER_VERIFY_SIGN_IN"
    }
    env.update(HOME=str(work), PYTHONUNBUFFERED="1")
    source = work / "source"
    shutil.copytree(REPO_ROOT, source, ignore=SKIP)
    dist = work / "dist"
    # `python -m build` makes the sdist, then the wheel from the sdist: a file missing from the sdist
    # that the wheel needs fails here.
    _check(
        subprocess.run(
            [sys.executable, "-m", "build", "--outdir", str(dist), str(source)],
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT_S,
            env=env,
        )
    )
    sdist, wheel = next(dist.glob("*.tar.gz")), next(dist.glob("*.whl"))
    venv = work / "venv"
    # A venv without a pip of its own, filled by this pip (`--python`): ensurepip would install and
    # byte-compile a second pip that nothing here uses (about 3 CPU-s of the suite's run).
    _check(
        subprocess.run(
            [sys.executable, "-m", "venv", "--without-pip", str(venv)],
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT_S,
        )
    )
    constraints = _constraints(work / "constraints.txt")
    _check(
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "--python",
                str(venv / "bin" / "python"),
                "install",
                "-q",
                "-c",
                str(constraints),
                str(wheel),
                "pytest",
                "pytest-playwright",
            ],
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT_S,
            env=env,
        )
    )
    away = work / "elsewhere"
    away.mkdir()
    return Installed(sdist, wheel, venv / "bin", away, env)


def test_the_sdist_has_what_building_and_testing_need(installed: Installed) -> None:
    with tarfile.open(installed.sdist) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert [name for name in SDIST_MUST_HAVE if name not in names] == []


def test_the_wheel_has_its_data_and_is_typed(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    assert [name for name in WHEEL_MUST_HAVE if name not in names] == []
    assert not any(name.startswith(("fixtures/", "tests/")) for name in names)


def test_the_installed_package_is_the_one_imported(installed: Installed) -> None:
    done = _check(installed.run(installed.bin / "python", "-c", "import verifier; print(verifier.__file__)"))
    assert Path(done.stdout.strip()).is_relative_to(installed.bin.parent)
    assert (
        _check(installed.run(installed.bin / "pacer-verify", "--version")).stdout.strip()
        == f"pacer-verify {verifier.__version__}"
    )


def test_mock_serves_the_bundled_scenario(installed: Installed) -> None:
    port = free_port()
    server = subprocess.Popen(
        [str(installed.bin / "pacer-verify"), "mock", "--port", str(port)],
        cwd=installed.away,
        env=installed.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    try:
        # The accounts table, then "Mock PACER site on URL" once it listens (EOF if it failed to start).
        printed = []
        for line in server.stdout:
            printed.append(line)
            if "Mock PACER site on" in line:
                break
        assert "asmith2001" in "".join(printed), "".join(printed)  # the bundled scenario, from the package
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/csologin/login.jsf", timeout=60) as reply:
            assert reply.status == 200 and "PACER Login" in reply.read().decode()
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=60)
    assert server.returncode == 0


def test_demo_runs_from_elsewhere(installed: Installed) -> None:
    done = _check(installed.run(installed.bin / "pacer-verify", "demo", "-q", "--out", "demo"))
    expected = json.loads((REPO_ROOT / "fixtures" / "expected_statuses.json").read_text())
    lines = (installed.away / "demo" / "results.jsonl").read_text().splitlines()
    assert {str(json.loads(line)["row"]): json.loads(line)["status"] for line in lines} == expected
    assert "readable by other users" not in done.stdout + done.stderr


def test_a_foreign_project_uses_the_fixtures(installed: Installed) -> None:
    project = installed.away / "project"
    project.mkdir()
    examples = write_examples(project)
    tests = sum(body.count("\ndef test_") for name, body in examples.items() if name.startswith("test_"))
    env = dict(installed.env)
    if find_system_browser():
        # The plugin must find the system Chromium by itself, as pacer-verify does, with nothing set.
        env.pop("PACER_VERIFY_BROWSER", None)
    done = _check(
        installed.run(installed.bin / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project, env=env)
    )
    assert f"{tests} passed" in done.stdout
    script = _check(installed.run(installed.bin / "python", "check_accounts.py", cwd=project))
    assert script.stdout.splitlines() == ["asmith2001 upgraded", "egarcia2005 legacy"]
