"""The pacer_mock pytest plugin as a foreign project sees it, run with pytest's own `pytester`.

Runs that start a browser or patch pacer-verify's modules use `runpytest_subprocess`: a second sync
Playwright in this process would clash with pytest-playwright's, and a patch must not leak into
this suite. Every inner run is a fresh project without this repository's pyproject.toml.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from docexamples import write_examples

from verifier.browser.launch import launch_args

INNER_TIMEOUT_S = 600


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    # The outer suite's own loopback seal is switched on in the environment; an inner project
    # starts without it, as a developer's would.
    for name in ("PACER_VERIFY_LOOPBACK_ONLY", "PACER_VERIFY_GUARD_LOG"):
        monkeypatch.delenv(name, raising=False)
    return pytester


def test_help_lists_the_options_and_ini_keys(project: pytest.Pytester) -> None:
    result = project.runpytest("--help")
    result.stdout.fnmatch_lines(
        [
            "pacer-verify mock PACER site:",
            "*--pacer-mock-scenario=PATH*",
            "*--pacer-browser*",
            "*--pacer-loopback-only*",
        ]
    )
    result.stdout.fnmatch_lines(["*pacer_browser (bool)*", "*pacer_loopback_only (bool)*"])


def test_the_documented_examples_pass(project: pytest.Pytester) -> None:
    examples = write_examples(project.path)
    tests = sum(body.count("\ndef test_") for name, body in examples.items() if name.startswith("test_"))
    result = project.runpytest_subprocess("-p", "no:cacheprovider", timeout=INNER_TIMEOUT_S)
    result.assert_outcomes(passed=tests)
    assert tests >= 5


def test_the_documented_asyncio_program_runs(project: pytest.Pytester) -> None:
    write_examples(project.path)
    done = subprocess.run(
        [sys.executable, "check_accounts.py"],
        cwd=project.path,
        capture_output=True,
        text=True,
        timeout=INNER_TIMEOUT_S,
        env={**os.environ, "HOME": str(project.path)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["asmith2001 upgraded", "egarcia2005 legacy"]


def test_a_factory_given_a_scenario_never_reads_the_bundled_one(project: pytest.Pytester, tmp_path: Path) -> None:
    scenario_file = tmp_path / "mine.json"
    scenario_file.write_text('{"accounts": [{"username": "jdoe12345", "password": "Correct-Horse-Battery-9!"}]}')
    project.makeconftest("""
        from pathlib import Path

        import verifier.data

        # As if the bundled scenario were missing: only fixtures that need it may fail.
        verifier.data.MOCK_SCENARIO = Path("/nonexistent/mock_site.json")
    """)
    project.makepyfile(f"""
        import urllib.request

        from verifier.mock.scenario import MockAccount, MockScenario

        def served(server):
            with urllib.request.urlopen(server.url + "/csologin/login.jsf") as reply:
                return reply.status

        def test_own_scenario(pacer_mock_factory):
            server = pacer_mock_factory(MockScenario(accounts=[MockAccount(username="abc123456", password="x" * 14)]))
            assert served(server) == 200
            assert [a.username for a in server.scenario.accounts] == ["abc123456"]

        def test_own_scenario_file(pacer_mock_factory):
            server = pacer_mock_factory({str(scenario_file)!r}, lockout_after=2)
            assert served(server) == 200 and server.scenario.lockout_after == 2

        def test_the_default_is_needed_here(pacer_mock):
            pass
    """)
    result = project.runpytest_subprocess("-p", "no:cacheprovider", timeout=INNER_TIMEOUT_S)
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*FileNotFoundError*nonexistent/mock_site.json*"])


def test_pacer_browser_is_opt_in(project: pytest.Pytester) -> None:
    project.makepyfile(f"""
        import json, pathlib

        def test_args(browser_type_launch_args):
            pathlib.Path("args.json").write_text(json.dumps(browser_type_launch_args))
            assert {launch_args()[0]!r} in browser_type_launch_args.get("args", [])
    """)
    off = project.runpytest_subprocess("-p", "no:cacheprovider", timeout=INNER_TIMEOUT_S)
    off.assert_outcomes(failed=1)

    on = project.runpytest_subprocess("-p", "no:cacheprovider", "--pacer-browser", timeout=INNER_TIMEOUT_S)
    on.assert_outcomes(passed=1)
    chosen = (project.path / "args.json").read_text()
    explicit = os.environ.get("PACER_VERIFY_BROWSER")
    if explicit:
        assert explicit in chosen


LEAVES_LOOPBACK = """
    import pytest
    from playwright.sync_api import Error

    def test_leaves_loopback(page{extra}):
        with pytest.raises(Error):
            page.goto("http://pacer.example.invalid/csologin/login.jsf")
"""


@pytest.mark.parametrize(
    ("option", "extra"), [("--pacer-loopback-only", ""), (None, ", pacer_loopback_guard")], ids=["option", "fixture"]
)
def test_the_loopback_guard_fails_a_test_that_leaves_loopback(
    project: pytest.Pytester, option: str | None, extra: str
) -> None:
    project.makepyfile(LEAVES_LOOPBACK.format(extra=extra))
    args = ["-p", "no:cacheprovider", "--pacer-browser", *([option] if option else [])]
    result = project.runpytest_subprocess(*args, timeout=INNER_TIMEOUT_S)
    # The guard fails the test as it ends: pytest reports that as an error at teardown.
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*the browser tried to reach a non-loopback host*", "*http://pacer.example.invalid/csologin/login.jsf*"]
    )


def test_the_loopback_guard_passes_a_test_that_stays_local(project: pytest.Pytester) -> None:
    project.makepyfile("""
        def test_stays_local(page, pacer_mock):
            page.goto(pacer_mock.url + "/csologin/login.jsf")
            assert page.title() == "PACER Login"
    """)
    result = project.runpytest_subprocess(
        "-p", "no:cacheprovider", "--pacer-browser", "--pacer-loopback-only", timeout=INNER_TIMEOUT_S
    )
    result.assert_outcomes(passed=1)
    # The opt-in fixtures are plain functions: no deprecation warning of pytest's names them.
    for name in ("browser_type_launch_args", "new_context", "_pacer_loopback_every_test"):
        assert f"'{name}' fixture" not in result.stdout.str()
