"""File operations that differ between systems, each with what a system lacking the POSIX call does.

Every descriptor pacer-verify opens itself is opened here: binary (on Windows `os.open` is in text mode
unless told, and would write "\\r\\n" for "\\n" and stop reading at a Ctrl-Z byte), and not inherited by
the browser (Python makes every descriptor so, PEP 446). Each POSIX name is looked up when called, not
at import, so a test can take it away.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from verifier.system import is_windows

#: Windows' reparse tag of a junction (a folder link `lstat` does not call a symbolic link).
_JUNCTION_TAG = 0xA0000003

PRIVATE_FILE = 0o600


def _binary() -> int:
    return int(getattr(os, "O_BINARY", 0))


def _is_link(info: os.stat_result) -> bool:
    return stat.S_ISLNK(info.st_mode) or getattr(info, "st_reparse_tag", 0) == _JUNCTION_TAG


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    # A file system that gives no inode numbers (0) cannot be compared this way: the link checks decide.
    return not (a.st_ino and b.st_ino) or os.path.samestat(a, b)


def _link_error(path: Path) -> OSError:
    return OSError(errno.ELOOP, "is a symbolic link", str(path))


def open_no_follow(path: Path, flags: int, mode: int = PRIVATE_FILE) -> int:
    """`os.open(path, flags, mode)`, refusing a symbolic link at `path` (OSError with errno ELOOP) instead
    of writing through it. Where `O_NOFOLLOW` exists the kernel refuses. Elsewhere (Windows) the path is
    looked at before the open and again after it, on the open file: a link there either time, or another
    file than the one opened, is refused."""
    flags |= _binary()
    nofollow = getattr(os, "O_NOFOLLOW", None)
    if nofollow is not None:
        return os.open(path, flags | nofollow, mode)
    try:
        if _is_link(os.lstat(path)):
            raise _link_error(path)
    except FileNotFoundError:
        pass  # made by the open
    fd = os.open(path, flags, mode)
    try:
        now = os.lstat(path)
        if _is_link(now) or not _same_file(os.fstat(fd), now):
            raise _link_error(path)
    except BaseException:
        os.close(fd)
        raise
    return fd


def make_private(fd: int) -> None:
    """Make an open file 0600 on POSIX (the mode `os.open` gives applies to a new file only). Windows has
    no mode bits: a file is private by its folder's access list (the user's profile is), so nothing is
    changed and nothing is said."""
    fchmod = getattr(os, "fchmod", None)
    if fchmod is not None:
        fchmod(fd, PRIVATE_FILE)


def mode_bits_tell_privacy() -> bool:
    """Whether a file's mode bits say who may read it: not on Windows, where every file reports 0o666."""
    return not is_windows()


def read_at(fd: int, size: int, offset: int) -> bytes:
    """Up to `size` bytes at `offset`. Without `pread` (Windows) by a seek and a read, which moves the
    descriptor's position: callers append (O_APPEND writes at the end wherever the position is)."""
    pread = getattr(os, "pread", None)
    if pread is not None:
        data: bytes = pread(fd, size, offset)
        return data
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, size)


def open_input(path: Path, check: Callable[[os.stat_result], None]) -> int:
    """A descriptor reading `path` once `check` (which raises to refuse) has accepted what it is, on the
    open file. Opened without blocking where `O_NONBLOCK` exists, so a FIFO put in place of the file
    cannot hang the open. Windows has no FIFOs on disk (its named pipes live under \\\\.\\pipe\\): there
    the path is looked at first, so a folder or a device is refused before it is opened."""
    nonblock = getattr(os, "O_NONBLOCK", None)
    if nonblock is None:
        check(os.stat(path))
        nonblock = 0
    fd = os.open(path, os.O_RDONLY | nonblock | _binary())
    try:
        check(os.fstat(fd))
    except BaseException:
        os.close(fd)
        raise
    return fd
