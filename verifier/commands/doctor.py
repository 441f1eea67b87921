"""`pacer-verify doctor`: what browser and Playwright this machine has, proven by starting it."""

from __future__ import annotations

import asyncio
import json
import platform
import shutil
import socket
import textwrap
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import urlsplit

import typer
from playwright.async_api import async_playwright

from flows.errors import first_line
from verifier import system
from verifier.browser import discovery
from verifier.browser.launch import open_browser
from verifier.check.site import LOOPBACK_ONLY_ENV, loopback_only_requested
from verifier.check.site_clock import WARN_S, read_site_clock
from verifier.check.site_guard import is_loopback_origin
from verifier.commands import options
from verifier.commands.common import site_for
from verifier.config import load_settings
from verifier.errors import BrowserNotFound, ExitCode


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


async def inspect_browser(flags: options.SettingsFlags) -> dict[str, Any]:
    settings = flags.load()
    report: dict[str, Any] = {
        "system": system.name(),
        "python": platform.python_version(),
        "playwright": _package_version("playwright"),
        "pacer_verify": _package_version("pacer-verify"),
    }
    if system.name() == "linux":  # the fastest headless browser, which only Debian and Ubuntu package
        shell = (discovery.executable(c) for c in discovery.candidates(discovery.Layout(), "headless-shell"))
        report["headless_shell"] = str(next((p for p in shell if p), None) or "not found")
    async with async_playwright() as playwright:
        try:
            browser, choice = await open_browser(playwright, settings)
        except BrowserNotFound as exc:
            report.update(ok=False, error=str(exc))
            return report
        except Exception as exc:  # a remote endpoint that does not answer, a broken binary
            report.update(ok=False, error=first_line(exc))
            return report
        report.update(
            ok=True,
            browser_source=choice.source,
            browser_path=str(choice.executable) if choice.executable else _unnamed(choice.channel),
            browser_why=choice.why or "a remote browser (--connect / --cdp)",
            browser_version=browser.version,
        )
        await browser.close()
    return report


def _line(key: str, value: str) -> str:
    """`            key: value`, the value wrapped to the terminal under itself (a path is never cut)."""
    width = max(60, shutil.get_terminal_size((80, 24)).columns)
    label = f"{key.replace('_', ' '):>15}: "
    return textwrap.fill(
        value,
        width=width,
        initial_indent=label,
        subsequent_indent=" " * len(label),
        break_long_words=False,
        break_on_hyphens=False,
    )


def _unnamed(channel: str | None) -> str:
    return f"Playwright's channel {channel}" if channel else "Playwright's own build"


def site_clock_line(base_url: str | None) -> tuple[str, str | None]:
    """What doctor says about the site's clock, and the warning when it is more than 10 s from ours."""
    site = site_for(load_settings(base_url=base_url))
    if loopback_only_requested() and not is_loopback_origin(site):
        return f"not read ({LOOPBACK_ONLY_ENV} is set)", None
    reading = read_site_clock(site.login_origin)
    if reading is None:
        return f"not read ({why_unread(site.login_origin)})", None
    if reading.differs:
        return reading.warning(), reading.warning()
    return f"agrees with this machine's (within {WARN_S:.0f} s; {site.login_origin})", None


def why_unread(origin: str, timeout_s: float = 5.0) -> str:
    """Why the site's clock could not be read, as a person would look for it: the name did not resolve (DNS,
    a proxy-only network), nothing answered at that address, or it answered without a `Date` header."""
    parts = urlsplit(origin)
    host = parts.hostname or origin
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return f"the name {host} did not resolve: {exc.strerror or exc}"
    try:
        with socket.create_connection((str(addresses[0][4][0]), port), timeout=timeout_s):
            pass
    except OSError as exc:
        return f"could not connect to {host}:{port}: {exc.strerror or exc}"
    return f"no Date header from {origin}"


@options.with_settings("browser_path", "browser_channel", "connect", "cdp", "base_url")
def doctor_command(flags: options.SettingsFlags = options.NONE_GIVEN, json_output: options.Json = False) -> None:
    """Show which browser pacer-verify would use (and start it once to prove it works), and whether this
    machine's clock agrees with the site's (one-time codes depend on it).

    Exit code 0 when a usable browser was found and started, 3 when not (the message says how
    to install one).
    """
    report = asyncio.run(inspect_browser(flags))
    report["site_clock"], clock_warning = site_clock_line(flags.get("base_url"))
    if clock_warning:
        typer.secho(f"pacer-verify: warning: {clock_warning}", err=True, fg=typer.colors.YELLOW)
    if json_output:
        typer.echo(json.dumps(report, indent=2))
    else:
        for key, value in report.items():
            if key != "ok":
                typer.echo(_line(key, str(value)))
        color = typer.colors.GREEN if report["ok"] else typer.colors.RED
        typer.secho("ready" if report["ok"] else "NOT READY", fg=color)
    raise typer.Exit(int(ExitCode.READY if report["ok"] else ExitCode.INCOMPLETE))
