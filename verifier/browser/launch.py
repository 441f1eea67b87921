"""Find, launch or connect to a browser. Nothing else in pacer-verify knows how the browser was obtained.

Resolution order for a local launch:
1. an explicit executable (`--browser-path` / `PACER_VERIFY_BROWSER`);
2. Playwright's own Chromium, where `playwright install chromium` has put one;
3. a system Chromium or Chrome — for headless runs Debian's `chromium-headless-shell` first, since it
   measured about 3x less CPU per account here than full Chromium.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from playwright.async_api import Browser, Playwright

from verifier.config import Settings
from verifier.errors import BrowserNotFound

BrowserSource = Literal["setting", "playwright", "system", "remote"]

# Full paths first: Debian's /usr/bin wrappers are shell scripts that cost an extra process per launch.
HEADLESS_SHELL_CANDIDATES = (
    "/usr/lib/chromium/chromium-headless-shell",
    "chromium-headless-shell",
)
SYSTEM_BROWSER_CANDIDATES = (
    "/usr/lib/chromium/chromium",
    "chromium",
    "chromium-browser",
    "google-chrome-stable",
    "google-chrome",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)

INSTALL_HINT = (
    "No Chromium found. Install one with `playwright install chromium`, or on Debian/Ubuntu "
    "`apt-get install chromium-headless-shell chromium`, or point PACER_VERIFY_BROWSER at a "
    "Chromium/Chrome executable (bash bootstrap.sh does this for you)."
)

# Flags that keep Chromium quiet on a closed network: without them it keeps trying to reach Google's
# hosts (component updates, sync, field trials), which costs CPU and, in tests, trips the loopback guard.
QUIET_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--disable-features=Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions",
    "--metrics-recording-only",
    "--disable-dev-shm-usage",
)


@dataclass(frozen=True)
class BrowserChoice:
    """Which browser will run, and why."""

    source: BrowserSource
    executable: Path | None
    """None means "let Playwright pick its own installed build"."""

    def describe(self) -> str:
        where = str(self.executable) if self.executable else "Playwright's bundled Chromium"
        return f"{where} ({self.source})"


def _which(candidate: str) -> Path | None:
    if os.sep in candidate:
        path = Path(candidate)
        return path if path.is_file() and os.access(path, os.X_OK) else None
    found = shutil.which(candidate)
    return Path(found) if found else None


def find_system_browser(headless: bool = True) -> Path | None:
    candidates = (HEADLESS_SHELL_CANDIDATES if headless else ()) + SYSTEM_BROWSER_CANDIDATES
    for candidate in candidates:
        found = _which(candidate)
        if found:
            return found
    return None


def resolve_browser(
    explicit: Path | None,
    playwright_executable: str | None,
    headless: bool = True,
) -> BrowserChoice:
    """Pick the browser to launch; raise BrowserNotFound with install advice when there is none."""
    if explicit is not None:
        found = _which(str(explicit)) or _which(str(explicit.expanduser()))
        if not found:
            raise BrowserNotFound(
                f"The browser set by PACER_VERIFY_BROWSER/--browser-path does not exist or "
                f"is not executable: {explicit}"
            )
        return BrowserChoice("setting", found)
    if playwright_executable and Path(playwright_executable).is_file():
        return BrowserChoice("playwright", None)
    system = find_system_browser(headless)
    if system:
        return BrowserChoice("system", system)
    raise BrowserNotFound(INSTALL_HINT)


def launch_args() -> list[str]:
    args = list(QUIET_ARGS)
    # Chromium refuses to start as root with its sandbox on; CI containers run as root.
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    return args


def playwright_own_executable(playwright: Playwright) -> str | None:
    try:
        return playwright.chromium.executable_path
    except Exception:  # Playwright raises when its browser registry has no entry for this platform
        return None


async def open_browser(
    playwright: Playwright, settings: Settings, extra_args: Sequence[str] = ()
) -> tuple[Browser, BrowserChoice]:
    """Connect to the configured remote browser, or launch a local one (with `extra_args`, e.g.
    verifier.browser._origin_guard's switches, wherever the launch is ours to configure)."""
    if settings.connect:
        headers = {}
        if settings.browser_path:
            # A Playwright server launches its own build unless told otherwise; naming an executable
            # is an "unsafe" launch option the server must allow (`playwright run-server --unsafe`).
            options = {
                "executablePath": str(settings.browser_path),
                "args": [*launch_args(), *extra_args],
                "headless": not settings.headed,
            }
            headers["x-playwright-launch-options"] = json.dumps(options)
        browser = await playwright.chromium.connect(settings.connect, timeout=30_000, headers=headers)
        return browser, BrowserChoice("remote", settings.browser_path)
    if settings.cdp:
        browser = await playwright.chromium.connect_over_cdp(settings.cdp, timeout=30_000)
        return browser, BrowserChoice("remote", None)
    choice = resolve_browser(settings.browser_path, playwright_own_executable(playwright), not settings.headed)
    try:
        browser = await playwright.chromium.launch(
            executable_path=str(choice.executable) if choice.executable else None,
            headless=not settings.headed,
            args=[*launch_args(), *extra_args],
        )
    except Exception as exc:
        if choice.source == "playwright":
            # Playwright's registry can name a build that was only half installed; fall back.
            system = find_system_browser(not settings.headed)
            if system:
                choice = BrowserChoice("system", system)
                browser = await playwright.chromium.launch(
                    executable_path=str(system), headless=not settings.headed, args=[*launch_args(), *extra_args]
                )
                return browser, choice
        raise BrowserNotFound(f"Could not start {choice.describe()}: {first_line(exc)}. {INSTALL_HINT}") from None
    return browser, choice


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
