"""What differs between Windows, macOS and Linux, in one place: the rest of pacer-verify calls these and
never touches a name one system lacks (tests/test_portable.py walks the source for them).

- `system.files`: open without following a link, make a file private, read at an offset, open an input
  without blocking on a FIFO; every descriptor binary (Windows would turn "\\n" into "\\r\\n").
- `system.signals`: Ctrl-C, Ctrl-Break (Windows) and SIGTERM end a run the same way on every system.
- `system.console`: standard output and error in any code page: a name never crashes the output.
- `system.paths`: paths as each system writes them (drive letters, shares), file names every system takes.

Where behaviour is decided, it is decided by feature (`hasattr(os, "pread")`); where it must differ by
system (mode bits mean nothing on Windows), by `is_windows()`, the one switch. Tests that make Linux look
like Windows (tests/windows_like/) set `WINDOWS`.
"""

from __future__ import annotations

import os
import sys

#: Windows' rules apply (no mode-bit warnings, Windows' browser locations). Read through `is_windows()`.
WINDOWS = sys.platform == "win32"
#: macOS (browsers under /Applications).
MACOS = sys.platform == "darwin"


def is_windows() -> bool:
    return WINDOWS


def name() -> str:
    """ "windows", "macos" or "linux" (any other POSIX system is treated as Linux)."""
    return "windows" if WINDOWS else "macos" if MACOS else "linux"


def runs_as_root() -> bool:
    """Whether this process is POSIX's root (Chromium then needs --no-sandbox); never on Windows."""
    geteuid = getattr(os, "geteuid", None)
    return geteuid is not None and geteuid() == 0
