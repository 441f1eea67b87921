"""Browsers already installed, found in the search order on each system: fake Program Files, LocalAppData
and /Applications trees in a temporary folder; a channel named by flag or environment goes to Playwright
as its `channel`; doctor says what it found and why."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psutil
import pytest
from helpers import run_cli
from playwright.async_api import async_playwright

from verifier.browser import discovery
from verifier.browser._origin_guard import PacerOrigins
from verifier.browser.launch import BrowserChoice, choice_from_environment, open_browser, resolve_browser
from verifier.config import load_settings
from verifier.errors import BrowserNotFound, UsageError


def _install(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    path.chmod(0o755)
    return path


def _windows(tmp_path: Path) -> discovery.Layout:
    environ = {
        "ProgramFiles": str(tmp_path / "Program Files"),  # any case: Windows' variables are case-blind
        "PROGRAMFILES(X86)": str(tmp_path / "Program Files (x86)"),
        "LOCALAPPDATA": str(tmp_path / "Users" / "it" / "AppData" / "Local"),
        "PATH": "",
    }
    return discovery.Layout(system="windows", environ=environ, root=tmp_path)


def _found(layout: discovery.Layout, headless: bool = True) -> tuple[str, Path] | None:
    found = discovery.find_installed(headless, layout)
    return (found.kind, found.path) if found else None


def test_windows_edge_then_chrome_then_a_users_chromium(tmp_path: Path) -> None:
    layout = _windows(tmp_path)
    assert _found(layout) is None
    edge = _install(tmp_path / "Program Files (x86)" / "Microsoft" / "Edge" / "Application" / "msedge.exe")
    assert _found(layout) == ("msedge", edge)  # every Windows machine has this one
    local = tmp_path / "Users" / "it" / "AppData" / "Local"
    chrome = _install(local / "Google" / "Chrome" / "Application" / "chrome.exe")
    assert _found(layout) == ("chrome", chrome)  # Chrome before Edge, a user's own install too
    machine = _install(tmp_path / "Program Files" / "Google" / "Chrome" / "Application" / "chrome.exe")
    assert _found(layout) == ("chrome", machine)  # the one IT manages before a user's
    chromium = _install(local / "Chromium" / "Application" / "chrome.exe")
    assert _found(layout) == ("chromium", chromium)


def test_macos_applications(tmp_path: Path) -> None:
    layout = discovery.Layout(system="macos", environ={"PATH": ""}, root=tmp_path, home=tmp_path / "Users" / "it")
    assert _found(layout) is None
    edge = _install(tmp_path / "Applications" / "Microsoft Edge.app" / "Contents" / "MacOS" / "Microsoft Edge")
    assert _found(layout) == ("msedge", edge)
    chrome_app = Path("Google Chrome.app") / "Contents" / "MacOS" / "Google Chrome"
    own = _install(tmp_path / "Users" / "it" / "Applications" / chrome_app)
    assert _found(layout) == ("chrome", own)
    chrome = _install(tmp_path / "Applications" / chrome_app)
    assert _found(layout) == ("chrome", chrome)


def test_linux_headless_shell_first_then_chromium_chrome_edge(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    layout = discovery.Layout(system="linux", environ={"PATH": str(bin_dir)}, root=tmp_path)
    assert _found(layout) is None
    edge = _install(bin_dir / "microsoft-edge")
    assert _found(layout) == ("msedge", edge)
    chrome = _install(bin_dir / "google-chrome")
    assert _found(layout) == ("chrome", chrome)
    chromium = _install(tmp_path / "usr" / "lib" / "chromium" / "chromium")
    shell = _install(tmp_path / "usr" / "lib" / "chromium" / "chromium-headless-shell")
    assert _found(layout) == ("headless-shell", shell)
    assert _found(layout, headless=False) == ("chromium", chromium)  # a window needs the full browser


def test_a_file_that_cannot_run_is_not_a_browser(tmp_path: Path) -> None:
    layout = discovery.Layout(system="linux", environ={"PATH": ""}, root=tmp_path)
    _install(tmp_path / "opt" / "google" / "chrome" / "chrome").chmod(0o644)
    assert _found(layout) is None


def test_the_choice_says_why_and_what_was_not_found(tmp_path: Path) -> None:
    layout = _windows(tmp_path)
    edge = _install(tmp_path / "Program Files (x86)" / "Microsoft" / "Edge" / "Application" / "msedge.exe")
    choice = resolve_browser(None, None, layout=layout)
    assert (choice.source, choice.executable, choice.channel) == ("system", edge, None)
    assert choice.why == (
        "Microsoft Edge, installed on this system (not found before it: Playwright's Chromium, Chromium, Google Chrome)"
    )
    assert choice.launch_options() == {"executable_path": str(edge)}
    own = _install(tmp_path / "ms-playwright" / "chromium" / "chrome")
    assert resolve_browser(None, str(own), layout=layout).source == "playwright"  # Playwright's own first
    with pytest.raises(BrowserNotFound, match="Looked for: Playwright's Chromium, Chromium headless shell"):
        resolve_browser(None, None, layout=discovery.Layout(system="linux", environ={"PATH": ""}, root=tmp_path))


def test_a_channel_goes_to_playwright_by_name(tmp_path: Path) -> None:
    choice = resolve_browser(None, None, channel="msedge", layout=_windows(tmp_path))
    assert choice == BrowserChoice("channel", None, "msedge", "set by --browser-channel / PACER_VERIFY_BROWSER_CHANNEL")
    assert choice.launch_options() == {"channel": "msedge"}
    assert choice.describe() == "Microsoft Edge (channel msedge)"
    with pytest.raises(UsageError, match="choose one browser"):
        resolve_browser(tmp_path / "chrome.exe", None, channel="chrome")


def test_the_environment_names_the_browser_for_the_plugin_the_suite_and_the_bench(tmp_path: Path) -> None:
    playwright = SimpleNamespace(chromium=SimpleNamespace(executable_path=str(tmp_path / "not-installed")))
    named = choice_from_environment(playwright, environ={"PACER_VERIFY_BROWSER_CHANNEL": " MSEdge "})  # type: ignore[arg-type]
    assert named.launch_options() == {"channel": "msedge"}
    browser = _install(tmp_path / "my-chromium")
    assert choice_from_environment(playwright, environ={"PACER_VERIFY_BROWSER": str(browser)}).executable == browser  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="Microsoft Edge is msedge"):
        choice_from_environment(playwright, environ={"PACER_VERIFY_BROWSER_CHANNEL": "edge"})  # type: ignore[arg-type]


def test_a_flag_beats_the_environment_and_two_from_one_place_are_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PACER_VERIFY_BROWSER", "/usr/bin/chromium")
    assert load_settings(browser_channel="msedge").browser_path is None
    monkeypatch.setenv("PACER_VERIFY_BROWSER_CHANNEL", "chrome")
    with pytest.raises(UsageError, match="choose one browser"):
        load_settings()
    settings = load_settings(browser_path=Path("C:/Tools/chrome.exe"))
    assert (settings.browser_path, settings.browser_channel) == (Path("C:/Tools/chrome.exe"), None)
    with pytest.raises(UsageError, match=r"--browser-channel='edge': expected one of chrome, msedge, chromium"):
        load_settings(browser_channel="edge")


def test_doctor_says_which_browser_and_why(cli_env: dict[str, str], tmp_path: Path) -> None:
    done = run_cli("doctor", "--json", env=cli_env, cwd=tmp_path)
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["ok"] is True, done.stderr
    assert report["system"] == "linux" and report["browser_why"] and report["browser_path"]
    shown = run_cli("doctor", env=cli_env, cwd=tmp_path)
    assert f"browser why: {report['browser_why']}" in " ".join(shown.stdout.split())


def test_a_channel_that_is_not_installed_is_named_by_playwright(cli_env: dict[str, str], tmp_path: Path) -> None:
    # Playwright looks for Microsoft Edge where its channel lives (/opt/microsoft/msedge on Linux).
    if discovery.executable("/opt/microsoft/msedge/msedge"):
        pytest.skip("Microsoft Edge is installed here")
    done = run_cli("doctor", "--browser-channel", "msedge", "--json", env=cli_env, cwd=tmp_path)
    report = json.loads(done.stdout)
    assert done.returncode == 3 and report["ok"] is False
    assert report["error"].startswith("Could not start Microsoft Edge (channel msedge)"), report["error"]


def test_the_launched_browser_keeps_playwrights_own_feature_lists(run_core: Callable[..., Any]) -> None:
    # Chromium keeps only the last of a repeated switch: a --disable-features of ours would undo
    # Playwright's own list (PaintHolding, HttpsUpgrades, ...), as one did until issue 31.
    settings = load_settings(None, base_url="http://127.0.0.1:9")

    async def switches() -> list[str]:
        async with async_playwright() as playwright:
            origins = PacerOrigins(settings.base_url)
            browser, _ = await open_browser(playwright, settings, extra_args=origins.launch_args())
            try:
                # The browser process: the one given the origin guard's switch (its children are not).
                launched = [
                    p.cmdline()
                    for p in psutil.Process().children(recursive=True)
                    if guard in p.cmdline() and not any(a.startswith("--type=") for a in p.cmdline())
                ]
            finally:
                await browser.close()
        assert len(launched) == 1, launched
        return launched[0]

    guard = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
    got = run_core(switches())
    for switch in ("--disable-features=", "--enable-features="):
        assert len([a for a in got if a.startswith(switch)]) <= 1, [a for a in got if a.startswith(switch)]
