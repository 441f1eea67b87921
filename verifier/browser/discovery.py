"""A browser already installed on this machine, when nothing says which to use.

The search order, after Playwright's own Chromium (`playwright install chromium`, asked of Playwright
in verifier.browser.launch):

1. the system's Chromium: on Linux Debian's `chromium-headless-shell` first for headless runs (it
   measured about 3x less CPU per account here than full Chromium), then `chromium`; on macOS
   `/Applications/Chromium.app`; on Windows a per-user Chromium under LocalAppData;
2. Google Chrome: Windows' Program Files and LocalAppData, macOS' `/Applications/Google Chrome.app`,
   Linux's `google-chrome`;
3. Microsoft Edge: the same places (`/Applications/Microsoft Edge.app`, Linux's `microsoft-edge`).
   Every Windows machine has Edge, so there the search ends with a browser.

Playwright drives Chrome and Edge as it drives Chromium (they are its `chrome` and `msedge` channels);
a browser found here is launched by its path. Where each system keeps them is a `Layout`, so tests
build a fake Program Files or /Applications tree in a temporary folder.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath

from verifier import system
from verifier.system.paths import names_a_folder

#: What each kind is called where a person reads it (doctor, errors).
LABELS = {
    "headless-shell": "Chromium headless shell",
    "chromium": "Chromium",
    "chrome": "Google Chrome",
    "msedge": "Microsoft Edge",
}


@dataclass(frozen=True)
class Layout:
    """Where this system keeps its programs: the system's name, its environment (PATH, Program Files,
    LocalAppData) and, on POSIX, the root its fixed paths hang from."""

    system: str = field(default_factory=system.name)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    root: Path = Path("/")
    home: Path | None = None


@dataclass(frozen=True)
class Found:
    kind: str
    """headless-shell, chromium, chrome or msedge (LABELS)."""
    path: Path
    passed: tuple[str, ...]
    """The kinds looked for before this one and not found, in order."""

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def _windows(layout: Layout, kind: str) -> list[str]:
    env = {key.upper(): value for key, value in layout.environ.items()}
    local = env.get("LOCALAPPDATA", "")
    # Machine-wide installs first (the ones IT manages), then the user's own; Edge lives in (x86).
    machine = [env.get(name, "") for name in ("PROGRAMFILES", "PROGRAMW6432", "PROGRAMFILES(X86)")]
    bases = list(dict.fromkeys(b for b in [*machine, local] if b))
    relative = {
        "chromium": [r"Chromium\Application\chrome.exe"],
        "chrome": [r"Google\Chrome\Application\chrome.exe"],
        "msedge": [r"Microsoft\Edge\Application\msedge.exe"],
    }.get(kind, [])
    if kind == "chromium":
        bases = [local] if local else []
    return [_join(base, tail) for base in bases for tail in relative]


def _join(base: str, tail: str) -> str:
    # Windows' relative path on the base, on any system (a test's fake Program Files is a POSIX folder).
    return str(Path(base, *PureWindowsPath(tail).parts))


def _macos(layout: Layout, kind: str) -> list[str]:
    apps = {
        "chromium": "Chromium.app/Contents/MacOS/Chromium",
        "chrome": "Google Chrome.app/Contents/MacOS/Google Chrome",
        "msedge": "Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    }
    if kind not in apps:
        return []
    folders = [layout.root / "Applications"] + ([layout.home / "Applications"] if layout.home else [])
    return [str(folder / apps[kind]) for folder in folders]


def _linux(layout: Layout, kind: str) -> list[str]:
    # Full paths first: Debian's /usr/bin wrappers are shell scripts that cost an extra process per launch.
    fixed = {
        "headless-shell": ["usr/lib/chromium/chromium-headless-shell"],
        "chromium": ["usr/lib/chromium/chromium"],
        "chrome": ["opt/google/chrome/chrome"],
        "msedge": ["opt/microsoft/msedge/msedge"],
    }[kind]
    names = {
        "headless-shell": ["chromium-headless-shell"],
        "chromium": ["chromium", "chromium-browser"],
        "chrome": ["google-chrome-stable", "google-chrome"],
        "msedge": ["microsoft-edge-stable", "microsoft-edge"],
    }[kind]
    return [str(layout.root / path) for path in fixed] + names


def candidates(layout: Layout, kind: str) -> list[str]:
    """Where `kind` may be on this system: paths, and bare names looked up on PATH."""
    where = {"windows": _windows, "macos": _macos}.get(layout.system, _linux)
    return where(layout, kind)


def kinds(headless: bool, system_name: str = "linux") -> tuple[str, ...]:
    """The search order after Playwright's own Chromium (the headless shell is packaged for Linux only)."""
    shell = ("headless-shell",) if headless and system_name == "linux" else ()
    return (*shell, "chromium", "chrome", "msedge")


def executable(candidate: str, environ: Mapping[str, str] = os.environ) -> Path | None:
    """The executable a candidate names: a path with a folder part as it is, a bare name on PATH."""
    if names_a_folder(candidate):
        path = Path(candidate)
        return path if path.is_file() and os.access(path, os.X_OK) else None
    found = shutil.which(candidate, path=environ.get("PATH", os.defpath))
    return Path(found) if found else None


def find_installed(headless: bool = True, layout: Layout | None = None) -> Found | None:
    """The first browser of the search order installed here, or None."""
    layout = layout or Layout()
    passed: list[str] = []
    for kind in kinds(headless, layout.system):
        for candidate in candidates(layout, kind):
            path = executable(candidate, layout.environ)
            if path is not None:
                return Found(kind, path, tuple(passed))
        passed.append(kind)
    return None


def looked_for(headless: bool = True, layout: Layout | None = None) -> str:
    """What the search looks for after Playwright's Chromium, for a message when it found nothing."""
    return ", ".join(LABELS[kind] for kind in kinds(headless, (layout or Layout()).system))
