"""The process environment pacer-verify runs in, checked before any command: a setting of the shell
that cannot work is one usage error naming the variable (exit 2), not an internal error or a
misleading one ("no Chromium found") after the work has started."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping

from verifier.errors import UsageError


def check_environment(environ: Mapping[str, str] = os.environ) -> None:
    # Standard output in any code page is fine (verifier.system.console): never a reason to refuse.
    _check_tmpdir(environ)


def _check_tmpdir(environ: Mapping[str, str]) -> None:
    """Playwright makes its folders in TMPDIR without falling back, as Python's tempfile would."""
    folder = environ.get("TMPDIR")
    if not folder:
        return
    try:
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".pacer-verify-")
    except OSError as exc:
        raise UsageError(
            f"TMPDIR={folder}: not a folder pacer-verify can write ({exc.strerror or exc}); "
            "point it at a writable folder, or unset it"
        ) from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)
