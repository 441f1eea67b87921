"""Find, launch or connect to a browser. Nothing else in pacer-verify knows how the browser was obtained,
and everything that launches one (bulk, check, serve, demo, doctor, the pytest plugin, the suite, the
bench) resolves it here.

Resolution order for a local launch:
1. an explicit executable (`--browser-path` / `PACER_VERIFY_BROWSER`), or an installed browser named by
   Playwright's channel (`--browser-channel chrome|msedge|chromium` / `PACER_VERIFY_BROWSER_CHANNEL`);
2. Playwright's own Chromium, where `playwright install chromium` has put one;
3. a browser already installed: the system's Chromium (headless shell first), Google Chrome, Microsoft
   Edge, where each system keeps them (verifier.browser.discovery).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from playwright.async_api import Browser, Playwright

from flows.errors import first_line
from verifier import system
from verifier.browser import discovery
from verifier.config import Settings, browser_channel
from verifier.errors import BrowserNotFound, UsageError

BrowserSource = Literal["setting", "channel", "playwright", "system", "remote"]

#: What to do when no browser starts (doctor and every run say it).
INSTALL_ADVICE = (
    "Install Playwright's Chromium with `python -m playwright install chromium`, or on Debian/Ubuntu "
    "`apt-get install chromium-headless-shell chromium`; or name one: --browser-channel chrome|msedge "
    "(Google Chrome, Microsoft Edge), or --browser-path / PACER_VERIFY_BROWSER (bash bootstrap.sh does this "
    "for you)."
)
INSTALL_HINT = f"No browser found. {INSTALL_ADVICE}"
CHANNEL_LABELS = {"chrome": "Google Chrome", "msedge": "Microsoft Edge", "chromium": "Playwright's Chromium"}

# Flags that keep Chromium quiet on a closed network: without them it keeps trying to reach Google's
# hosts (component updates, sync, field trials), which costs CPU and, in tests, trips the loopback guard.
# No --disable-features or --enable-features here: Chromium keeps only the last of a repeated switch, so
# ours replaced Playwright's own lists (PaintHolding, HttpsUpgrades, ThirdPartyStoragePartitioning and
# more, which Playwright turns off for automation). Its list covers what ours said that matters here.
QUIET_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--metrics-recording-only",
    "--disable-dev-shm-usage",
)


@dataclass(frozen=True)
class BrowserChoice:
    """Which browser will run, and why."""

    source: BrowserSource
    executable: Path | None
    """None means "let Playwright pick": its own build, or the channel's installed browser."""
    channel: str | None = None
    """Playwright's channel (chrome, msedge, chromium) when the browser is named that way."""
    why: str = ""
    """Why this one, in a few words (doctor shows it)."""

    def describe(self) -> str:
        if self.channel:
            return f"{CHANNEL_LABELS.get(self.channel, self.channel)} (channel {self.channel})"
        where = str(self.executable) if self.executable else "Playwright's bundled Chromium"
        return f"{where} ({self.source})"

    @property
    def executable_path(self) -> str | None:
        """For Playwright's `launch(executable_path=...)`."""
        return str(self.executable) if self.executable else None

    def launch_options(self) -> dict[str, Any]:
        """Playwright's launch options naming this browser (pytest-playwright's `browser_type_launch_args`)."""
        named: dict[str, Any] = {}
        if self.executable_path:
            named["executable_path"] = self.executable_path
        if self.channel:
            named["channel"] = self.channel
        return named


def find_system_browser(headless: bool = True) -> Path | None:
    """The first installed browser of the search order after Playwright's own (None: none)."""
    found = discovery.find_installed(headless)
    return found.path if found else None


def _installed(found: discovery.Found) -> BrowserChoice:
    missing = ["Playwright's Chromium", *(discovery.LABELS[kind] for kind in found.passed)]
    why = f"{found.label}, installed on this system (not found before it: {', '.join(missing)})"
    return BrowserChoice("system", found.path, why=why)


def resolve_browser(
    explicit: Path | None,
    playwright_executable: str | None,
    headless: bool = True,
    channel: str | None = None,
    layout: discovery.Layout | None = None,
) -> BrowserChoice:
    """Pick the browser to launch; raise BrowserNotFound with install advice when there is none."""
    if explicit is not None and channel:
        raise UsageError(
            "PACER_VERIFY_BROWSER and PACER_VERIFY_BROWSER_CHANNEL (or their flags) both given; choose one browser"
        )
    if explicit is not None:
        found = discovery.executable(str(explicit)) or discovery.executable(str(explicit.expanduser()))
        if not found:
            raise BrowserNotFound(
                f"The browser set by PACER_VERIFY_BROWSER/--browser-path does not exist or "
                f"is not executable: {explicit}"
            )
        return BrowserChoice("setting", found, why="set by --browser-path / PACER_VERIFY_BROWSER")
    if channel:
        return BrowserChoice("channel", None, channel, why="set by --browser-channel / PACER_VERIFY_BROWSER_CHANNEL")
    if playwright_executable and Path(playwright_executable).is_file():
        return BrowserChoice("playwright", None, why="Playwright's own Chromium is installed (first in the search)")
    installed = discovery.find_installed(headless, layout)
    if installed:
        return _installed(installed)
    searched = discovery.looked_for(headless, layout)
    raise BrowserNotFound(f"{INSTALL_HINT} Looked for: Playwright's Chromium, {searched}.")


def choice_from_environment(
    playwright: Playwright, headless: bool = True, environ: Mapping[str, str] = os.environ
) -> BrowserChoice:
    """The browser a pacer-verify run without flags would launch (PACER_VERIFY_BROWSER,
    PACER_VERIFY_BROWSER_CHANNEL, then the search), for what launches one outside a run: the pytest
    plugin, the suite's own browser, the bench."""
    explicit = environ.get("PACER_VERIFY_BROWSER", "").strip()
    channel = environ.get("PACER_VERIFY_BROWSER_CHANNEL", "").strip()
    try:
        named = browser_channel(channel) if channel else None
    except ValueError as exc:
        raise UsageError(f"PACER_VERIFY_BROWSER_CHANNEL={channel!r}: {exc}") from None
    return resolve_browser(Path(explicit) if explicit else None, playwright_own_executable(playwright), headless, named)


def launch_args() -> list[str]:
    args = list(QUIET_ARGS)
    # Chromium refuses to start as root with its sandbox on; CI containers run as root.
    if system.runs_as_root():
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
        if settings.browser_path or settings.browser_channel:
            # A Playwright server launches its own build unless told otherwise; naming an executable
            # is an "unsafe" launch option the server must allow (`playwright run-server --unsafe`).
            options: dict[str, Any] = {"args": [*launch_args(), *extra_args], "headless": not settings.headed}
            if settings.browser_path:
                options["executablePath"] = str(settings.browser_path)
            else:
                options["channel"] = settings.browser_channel
            headers["x-playwright-launch-options"] = json.dumps(options)
        browser = await playwright.chromium.connect(settings.connect, timeout=30_000, headers=headers)
        return browser, BrowserChoice("remote", settings.browser_path, settings.browser_channel)
    if settings.cdp:
        browser = await playwright.chromium.connect_over_cdp(settings.cdp, timeout=30_000)
        return browser, BrowserChoice("remote", None)
    headless = not settings.headed
    choice = resolve_browser(
        settings.browser_path, playwright_own_executable(playwright), headless, settings.browser_channel
    )
    args = [*launch_args(), *extra_args]
    try:
        browser = await playwright.chromium.launch(
            executable_path=choice.executable_path, channel=choice.channel, headless=headless, args=args
        )
    except Exception as exc:
        installed = discovery.find_installed(headless) if choice.source == "playwright" else None
        if installed is None:
            problem = f"Could not start {choice.describe()}: {first_line(exc)}."
            raise BrowserNotFound(f"{problem} {_advice(choice)}") from None
        # Playwright's registry can name a build that was only half installed: the next in the search.
        choice = _installed(installed)
        browser = await playwright.chromium.launch(executable_path=choice.executable_path, headless=headless, args=args)
    return browser, choice


def _advice(choice: BrowserChoice) -> str:
    if choice.source == "channel":
        return (
            f"Install {CHANNEL_LABELS.get(choice.channel or '', choice.channel)}, name another browser, or leave "
            "--browser-channel / PACER_VERIFY_BROWSER_CHANNEL unset: pacer-verify then finds one itself."
        )
    return INSTALL_ADVICE
