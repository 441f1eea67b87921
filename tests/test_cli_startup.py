"""`pacer-verify --help` answers without loading what the commands need (Playwright, pydantic, the mock):
each command's module is imported when that command runs. The command list's texts stay the commands' own."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from verifier.cli import COMMANDS


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_listed_summary_is_the_commands_own_docstring(name: str) -> None:
    module, function, summary = COMMANDS[name]
    doc = getattr(importlib.import_module(module), function).__doc__ or ""
    assert " ".join(doc.strip().split("\n\n")[0].split()) == summary


def in_a_new_interpreter(probe: str) -> subprocess.CompletedProcess[str]:
    """Run `probe` in a fresh Python: what it finds imported is what a command's start imports."""
    return subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )


def test_help_loads_no_command_module() -> None:
    probe = (
        "import sys, runpy; sys.argv = ['pacer-verify', '--help']\n"
        "try:\n    runpy.run_module('verifier', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "names = ('playwright', 'pydantic', 'uvicorn', 'verifier.commands.bulk')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    done = in_a_new_interpreter(probe)
    assert "HEAVY []" in done.stdout, done.stdout + done.stderr
    for name in COMMANDS:
        assert name in done.stdout  # every command is listed


NO_BROWSER = ("report", "notices", "courts", "roster", "secrets", "mock", "serve")


def test_a_command_that_opens_no_browser_at_import_loads_no_playwright() -> None:
    # Playwright's API costs about 60 ms to import: `report` and `notices` never open a browser, and
    # `serve` opens one only after its checks of the command line, through verifier.browser. One
    # process for all of them: each is imported in turn, and the first that loads Playwright is named.
    probe = (
        "import importlib, sys\n"
        f"for name in {NO_BROWSER!r}:\n"
        "    importlib.import_module('verifier.commands.' + name)\n"
        "    if 'playwright' in sys.modules:\n"
        "        print('PLAYWRIGHT', name)\n"
        "        break\n"
        "else:\n"
        "    print('PLAYWRIGHT none')\n"
    )
    done = in_a_new_interpreter(probe)
    assert "PLAYWRIGHT none" in done.stdout, done.stdout + done.stderr
