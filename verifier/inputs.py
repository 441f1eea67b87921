"""Files pacer-verify reads (the roster, a courts file, results, `.env`) are read only when they are
regular files of a sane size. A FIFO would hang the command, a device such as /dev/zero would fill
memory for as long as it runs, and a file of many gigabytes is a mistake; each is one usage error
naming the file, before anything is done.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from verifier.errors import UsageError
from verifier.system import files

MIB = 1 << 20
#: Rosters are read row by row; a million attorneys at about 1 KB a row still fits.
MAX_ROSTER = 1024 * MIB
#: A courts file is read whole; the bundled registry of 208 courts is about 100 KB.
MAX_COURTS = 64 * MIB
#: results.jsonl is about 1 KB per account; reports read it whole.
MAX_RESULTS = 1024 * MIB

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def require_regular(path: Path, what: str, limit: int) -> None:
    """A usage error unless path is a regular file (links to one are fine) of at most `limit` bytes.
    A missing file raises FileNotFoundError: callers say "not found" their own way."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise UsageError(f"{what} {path}: cannot read it ({exc.strerror or exc})") from None
    _check(info, path, what, limit)


def _check(info: os.stat_result, path: Path, what: str, limit: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
        raise UsageError(f"{what} {path}: is {kind}; pacer-verify reads only regular files")
    if info.st_size > limit:
        raise UsageError(f"{what} {path}: larger than {limit // MIB} MiB; is it the right file?")


def read_regular_bytes(path: Path, what: str, limit: int) -> bytes:
    """The whole file, when it is a regular file of at most `limit` bytes (see `require_regular`).
    Opened without blocking and checked on the open file (verifier.system.files.open_input), so a FIFO
    put in its place meanwhile cannot hang the read; never more than `limit` bytes are read, even from a
    file that grows."""
    try:
        fd = files.open_input(path, lambda info: _check(info, path, what, limit))
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise UsageError(f"{what} {path}: cannot read it ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise UsageError(f"{what} {path}: cannot read it ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise UsageError(f"{what} {path}: larger than {limit // MIB} MiB; is it the right file?")
    return data
