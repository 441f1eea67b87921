"""The process environment pacer-verify runs in, checked before any command: a setting of the shell
that cannot work is one usage error naming the variable (exit 2), not an internal error or a
misleading one ("no Chromium found") after the work has started."""

from __future__ import annotations

import codecs
import contextlib
import os
import sys
import tempfile
from collections.abc import Mapping
from typing import TextIO

from verifier.errors import UsageError

#: What pacer-verify prints besides ASCII: names (é), and its own marks (…, →, •).
_SAMPLE = "\u00e9\u2026\u2192\u2022"


def check_environment(environ: Mapping[str, str] = os.environ, stdout: TextIO | None = None) -> None:
    _check_tmpdir(environ)
    _check_output_encoding(environ, stdout if stdout is not None else sys.stdout)


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


def _check_output_encoding(environ: Mapping[str, str], stdout: TextIO) -> None:
    """Names and reports would stop half-way at the first accented name: refused before anything runs."""
    encoding = getattr(stdout, "encoding", None)
    if not encoding:
        return
    try:
        codecs.encode(_SAMPLE, encoding)
        return
    except UnicodeEncodeError:
        pass
    except LookupError:
        return  # not a codec Python knows: Python itself reported it at start-up
    if environ.get("PYTHONIOENCODING"):
        where = f"PYTHONIOENCODING={environ['PYTHONIOENCODING']}"
    else:
        where = "the locale (LC_ALL / LC_CTYPE / LANG)"
    raise UsageError(
        f"{where}: standard output's encoding {encoding} cannot write names and reports; "
        "use UTF-8 (e.g. PYTHONIOENCODING=utf-8)"
    )
