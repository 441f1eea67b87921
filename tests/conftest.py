"""Suite-wide set-up: a home for pacer-verify's async core, and the CLI's environment. The browser
and the loopback seal come from the pacer_mock plugin (`--pacer-browser --pacer-loopback-only` in
pyproject.toml's addopts).

pytest-playwright's sync fixtures and a second Playwright in the same thread clash, so the core
(which is async) runs on its own event loop in a background thread, with a Browser injected into it.
Whole CLI commands run in a subprocess.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import signal
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.async_api import Browser, async_playwright

from verifier.browser.launch import choice_from_environment, launch_args
from verifier.mock.pytest_plugin import LoopThread
from verifier.mock.scenario import MockScenario

T = TypeVar("T")
REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"


# --- the seal and the browser: the plugin's opt-ins, switched on in pyproject.toml's addopts ----------
# (--pacer-loopback-only: every browser in the suite may reach loopback only; --pacer-browser:
# pytest-playwright launches the browser pacer-verify would use.)


# --- which sign-in the suite uses unless a test says ---------------------------------------------------


#: How the suite signs in unless a test says: the product's own default, PACER's Authentication API.
#: `PACER_VERIFY_SIGN_IN=browser python -m pytest` runs every such test by the sign-on form instead.
SUITE_SIGN_IN = os.environ.get("PACER_VERIFY_SIGN_IN", "api")


@pytest.fixture(scope="session", autouse=True)
def _suite_sign_in() -> Iterator[None]:
    """The suite's way for what is set up once for many tests (a module's shared run) too."""
    patch = pytest.MonkeyPatch()
    patch.setenv("PACER_VERIFY_SIGN_IN", SUITE_SIGN_IN)
    yield
    patch.undo()


@pytest.fixture(autouse=True)
def _sign_in_as_the_test_says(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The product signs in by PACER's Authentication API by default, and so does the suite. Where the
    sign-on form is the subject (every step, every presentation, what is typed where, the fallback), the
    test says so with `@pytest.mark.sign_in("browser")` (or a module's `pytestmark`); the setting holds for
    the settings it loads and every pacer-verify it starts (a fixture shared by a module runs before it:
    it says its own way)."""
    marker = request.node.get_closest_marker("sign_in")
    monkeypatch.setenv("PACER_VERIFY_SIGN_IN", marker.args[0] if marker else SUITE_SIGN_IN)


@pytest.fixture(scope="session", autouse=True)
def _one_node_compile_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every Playwright driver of this worker (each pacer-verify a test starts, each browser in-process)
    shares one Node compile cache. pacer-verify keeps it in the user's cache folder, but the suite gives
    each pacer-verify a HOME of its own, so each driver compiled Playwright again and wrote a cache that
    nobody read. A cache named in the environment is pacer-verify's own rule
    (verifier/browser/_driver_env.py), as a user's would be."""
    patch = pytest.MonkeyPatch()
    if "NODE_COMPILE_CACHE" not in os.environ:
        patch.setenv("NODE_COMPILE_CACHE", str(tmp_path_factory.getbasetemp() / "node-compile-cache"))
    yield
    patch.undo()


#: The mock's wait before each AJAX answer in most of the suite (the bundled scenario's is 300 ms). Any wait
#: still fails a flow that reads the page before the answer comes; the tests about waiting for a slow
#: answer set their own, longer delay (tests/test_signon_paths.py: 1,500 ms).
SUITE_AJAX_DELAY_MS = 50


@pytest.fixture(scope="session")
def pacer_mock_scenario(pacer_mock_scenario: MockScenario) -> MockScenario:
    """The bundled scenario as `pacer_mock` and `pacer_mock_factory` serve it in this suite: a short AJAX
    delay, since the form sign-in waits for it on every step of every sign-in."""
    return pacer_mock_scenario.model_copy(update={"ajax_delay_ms": SUITE_AJAX_DELAY_MS})


@pytest.fixture(autouse=True)
def _own_otp_ledger(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test (and every pacer-verify it starts) keeps the one-time-code steps it used in a folder of
    its own: the mock forgets them at each reset, and a test must not wait for another's step."""
    monkeypatch.setenv("PACER_VERIFY_STATE_DIR", str(tmp_path_factory.mktemp("state")))


# --- Ctrl-C as a person at a terminal has it ------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    """A suite started in the background by a script (`cmd &` without job control, `nohup`) inherits
    SIGINT ignored, and so would every pacer-verify it starts: the tests of what Ctrl-C does would then
    wait for a stop that never comes. Python's own handler again, so that children start with the default."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


# --- tests only POSIX can run ------------------------------------------------------------------------

#: What such a test uses: a FIFO, a signal sent by number, mode bits, /dev files, the umask, network
#: namespaces. On a Windows runner they are skipped; tests/test_windows_like.py runs the same commands
#: as Windows would, on Linux.
_POSIX_ONLY_TOOLS = re.compile(
    r"mkfifo|send_signal\(|signal\.SIG(INT|TERM|KILL|USR)|/dev/|umask|st_mode|getuid|unshare"
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if sys.platform == "win32":
        _skip_posix_only_tools(items)
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: every worker orders the same way
        items[:] = longest_first(items)


def _skip_posix_only_tools(items: list[pytest.Item]) -> None:
    for item in items:
        function = getattr(item, "function", None)
        try:
            source = inspect.getsource(function) if function is not None else ""
        except (OSError, TypeError):
            continue
        found = _POSIX_ONLY_TOOLS.search(source)
        if found:
            item.add_marker(pytest.mark.skip(reason=f"a POSIX-only test tool ({found.group(0)})"))


# --- the order of a run on several workers -------------------------------------------------------------
# The longest first, so that no worker is left with a long test while the others have nothing to do (the
# soak alone takes minutes). `--dist loadfile --no-loadscope-reorder` (pyproject.toml) hands the files
# out in this order to whichever worker is free; a file's tests run in one process, so a fixture shared
# by a module (a venv with the wheel, a week of runs, the sample roster's run) is set up once.
# (Not `--dist loadgroup`: pytest-xdist 3.8 marks a group by rewriting `item._nodeid`, which pytest 9.2
# no longer reads, so groups were silently split across workers.)

#: How long each test of a second or more took in a whole run (`python tools/test_durations.py` writes it).
DURATIONS = Path(__file__).with_name("durations.json")
#: What a test not in that file is taken to last: it was shorter than a second, or it is new.
UNRECORDED_S = 0.3


def longest_first(items: list[pytest.Item]) -> list[pytest.Item]:
    """The items file by file, the longest file first (each file's tests in the order collected). Ties
    keep the collected order."""
    recorded: dict[str, float] = json.loads(DURATIONS.read_text(encoding="utf-8")) if DURATIONS.exists() else {}
    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::")[0], []).append(item)

    def cost(tests: list[pytest.Item]) -> float:
        return sum(recorded.get(item.nodeid, UNRECORDED_S) for item in tests)

    return [item for tests in sorted(files.values(), key=cost, reverse=True) for item in tests]


# --- the async core's own loop and browser ----------------------------------------------------------


@pytest.fixture(scope="session")
def core_loop() -> Iterator[LoopThread]:
    loop = LoopThread()
    yield loop
    loop.close()


@pytest.fixture(scope="session")
def core_browser(core_loop: LoopThread) -> Iterator[Browser]:
    """One async Browser for in-process tests of the core (flows, runner)."""

    async def start() -> tuple[Any, Browser]:
        manager = async_playwright()
        playwright = await manager.start()
        choice = choice_from_environment(playwright)  # as pacer-verify would choose it
        browser = await playwright.chromium.launch(
            executable_path=choice.executable_path, channel=choice.channel, args=launch_args()
        )
        return playwright, browser

    playwright, browser = core_loop.run(start())
    yield browser

    async def stop() -> None:
        await browser.close()
        await playwright.stop()

    core_loop.run(stop())


@pytest.fixture
def run_core(core_loop: LoopThread) -> Callable[..., T]:
    """Run a coroutine of the core on the core's loop: `run_core(verify(...))`."""

    def run(awaitable: Awaitable[T], timeout: float = 900) -> T:
        async def wrapper() -> T:
            return await awaitable

        return core_loop.run(wrapper(), timeout)

    return run


# --- running the real CLI ------------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """The environment for a pacer-verify subprocess: no user .env, no real credentials."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PACER_USERNAME", "PACER_PASSWORD"))}
    env.pop("PACER_OTP_SECRET", None)
    env["PYTHONUNBUFFERED"] = "1"
    env["HOME"] = str(tmp_path)
    return env


PYTHON = sys.executable
