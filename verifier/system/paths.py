"""Paths as each system writes them, and file names every system takes.

A Windows user writes `C:\\Users\\it\\roster.csv`, `\\\\server\\share\\roster.csv` or `C:/Users/it/roster.csv`;
`pathlib` takes each as it is, and error lines quote the path as given. What pacer-verify decides about
a path itself (does it name a folder, is there a relative way from one to another) is decided here, by
the rules of the system it runs on; `windows=True`/`False` asks for one system's rules (tests).
"""

from __future__ import annotations

import ntpath
import os
import posixpath
import re

#: Names Windows keeps for devices, whatever the extension (`con.txt` is the console too).
_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {f"{port}{n}" for port in ("COM", "LPT") for n in range(1, 10)}
)
_UNSAFE_IN_NAMES = re.compile(r"[^A-Za-z0-9_.-]+")


def _flavour(windows: bool | None) -> str:
    return "windows" if (os.name == "nt" if windows is None else windows) else "posix"


def names_a_folder(text: str, *, windows: bool | None = None) -> bool:
    """Whether `text` (a browser's executable, say) has a folder part (`C:\\x\\chrome.exe`, `C:chrome.exe`,
    `\\\\server\\share\\x`, `./chromium`) rather than being a bare name to look up on PATH."""
    if _flavour(windows) == "windows":
        drive, rest = ntpath.splitdrive(text)
        return bool(drive) or "\\" in rest or "/" in rest
    return posixpath.sep in text


def relative_path(target: str, start: str, *, windows: bool | None = None) -> str | None:
    """The way from folder `start` to `target`, or None when there is none: on Windows, two drives (or a
    drive and a share) have no relative path between them."""
    relpath = ntpath.relpath if _flavour(windows) == "windows" else posixpath.relpath
    try:
        return relpath(target, start)
    except ValueError:
        return None


def portable_name(text: str, fallback: str, limit: int = 64) -> str:
    """A file or folder name made from `text` (a username) that every system takes, and takes as the
    same name: letters, digits, `_`, `.` and `-` only, no leading or trailing dot (Windows drops a
    trailing one), never one of Windows' device names (`CON`, `NUL`, `COM1`, …). `fallback` when nothing
    is left."""
    name = _UNSAFE_IN_NAMES.sub("_", text).strip("._")[:limit].strip("._") or fallback
    if name.split(".")[0].upper() in _DEVICE_NAMES:
        name = f"_{name}"
    return name
