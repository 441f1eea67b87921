"""The environment Playwright's driver starts with: without its debug switches unless asked for.

The driver (a Node process) inherits os.environ when `async_playwright().start()` runs. With
`DEBUG=pw:api`, `pw:channel` or `pw:protocol` it prints every call with its parameters on standard
error, the password typed into the sign-on form included (issue 19 §3); `DEBUG_FILE` sends the same
to a file. So they are taken out for the driver's start, unless `--debug-playwright` asks for them,
and then with a loud warning.

The driver also starts with Node's compile cache (`NODE_COMPILE_CACHE`, Node 22.1 and later; an older
Node ignores it) in the user's cache folder: Node then keeps the driver's compiled code, and the driver
starts about a third faster from the second run on (0.37 s → 0.25 s here; bench/README.md). It holds
compiled JavaScript of Playwright only, nothing of a run. A cache the user names is kept, and Node's
own `NODE_DISABLE_COMPILE_CACHE=1` turns it off.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator

log = logging.getLogger(__name__)

#: Read by the driver's debug logger (playwright-core's utils/debugLogger).
DEBUG_VARIABLES = ("DEBUG", "DEBUG_FILE")
COMPILE_CACHE = "NODE_COMPILE_CACHE"


def compile_cache_folder() -> str:
    import platformdirs  # here: every command imports this module (verifier.browser.early), few start a driver

    return str(platformdirs.user_cache_path("pacer-verify") / "node-compile-cache")


@contextlib.contextmanager
def _compile_cache() -> Iterator[None]:
    """Node's compile cache for the driver's start, unless the environment names one already."""
    if COMPILE_CACHE in os.environ:
        yield
        return
    os.environ[COMPILE_CACHE] = compile_cache_folder()
    try:
        yield
    finally:
        os.environ.pop(COMPILE_CACHE, None)


@contextlib.contextmanager
def driver_environment(debug_playwright: bool) -> Iterator[None]:
    """Start the driver inside this block: its debug variables are removed for the start, then put back;
    Node's compile cache is named for it."""
    with _compile_cache(), _debug_switches(debug_playwright):
        yield


@contextlib.contextmanager
def _debug_switches(debug_playwright: bool) -> Iterator[None]:
    present = [name for name in DEBUG_VARIABLES if name in os.environ]
    if debug_playwright:
        log.warning(
            "--debug-playwright: Playwright's driver debug output is ON (%s). It can print PASSWORDS, one-time "
            "codes and session cookies on standard error or into DEBUG_FILE: keep that output private and "
            "delete it when done.",
            ", ".join(f"{name}={os.environ[name]}" for name in present) or "DEBUG is not set, so nothing is printed",
        )
        yield
        return
    saved = {name: os.environ.pop(name) for name in present}
    if saved:
        log.info(
            "%s left out of Playwright's environment (it can print passwords); see --debug-playwright", ", ".join(saved)
        )
        _silence_client_logger()
    try:
        yield
    finally:
        os.environ.update(saved)


def _silence_client_logger() -> None:
    """Newer Playwright for Python (1.6x) has a port of the driver's debug logger on the Python side,
    which read DEBUG once, when Playwright was imported: it is made to read it again, now without it.
    A Playwright without that logger has nothing to silence."""
    with contextlib.suppress(ImportError, AttributeError, TypeError):
        from playwright._impl.utils.debug_logger import debug_logger

        debug_logger.__init__()  # type: ignore[misc]  # the one shared instance, re-read in place
