"""Every file and folder pacer-verify writes goes through here: private by default, never through a
symlink, whole or not at all, and a failure to write says which file and why.

Outputs hold attorneys' names, usernames and account status (and traces the pages seen), so
files are created 0600 and folders 0700. ``set_shared(True)`` (``--shared-outputs`` /
``PACER_VERIFY_SHARED_OUTPUTS``) gives the modes the user's umask allows instead (commonly 0644/0755).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import secrets
import shutil
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from verifier.errors import OutputError, UsageError
from verifier.system import files, is_windows

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
_shared = False
_user_umask: int | None = None


def use_process_umask() -> None:
    """Also narrow the process umask to match (the CLI does): then files the browser and Playwright
    write themselves, and folders any code makes, are private from the start too."""
    global _user_umask
    if _user_umask is None:
        _user_umask = os.umask(0o077)
        os.umask(_user_umask)
    _apply_umask()


def _apply_umask() -> None:
    if _user_umask is not None:
        os.umask(_user_umask if _shared else _user_umask | 0o077)


def set_shared(shared: bool) -> None:
    """Choose private (the default) or umask-given modes for everything written from now on."""
    global _shared
    _shared = shared
    _apply_umask()


def file_mode() -> int:
    return 0o666 if _shared else PRIVATE_FILE


def dir_mode() -> int:
    return 0o777 if _shared else PRIVATE_DIR


def _failure(path: Path, action: str, exc: OSError) -> OutputError:
    # Windows refuses to replace a file another program holds open; Excel holds every CSV it shows.
    busy = " (is it open in another program, such as Excel?)" if is_windows() and exc.errno == errno.EACCES else ""
    return OutputError(f"could not {action} {path}: {exc.strerror or exc}{busy}")


def ensure_dir(path: Path) -> Path:
    """Create a folder (and missing parents) with the output mode; existing folders are left as they are."""
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    try:
        for folder in reversed(missing):
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=dir_mode())
                if not _shared:
                    folder.chmod(PRIVATE_DIR)  # mkdir's mode is cut by the umask; private means 0700 exactly
    except OSError as exc:
        raise _failure(path, "create the folder", exc) from None
    return path


def restrict(path: Path) -> Path:
    """Give a file written by someone else (the browser's screenshots, Playwright's traces) the output mode."""
    if not _shared:
        with contextlib.suppress(FileNotFoundError):
            path.chmod(PRIVATE_FILE)
    return path


def open_append(path: Path) -> int:
    """A raw descriptor appending to path, created with the output mode; a symlink is refused."""
    ensure_dir(path.parent)
    try:
        fd = files.open_no_follow(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, file_mode())
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UsageError(
                f"{path} is a symbolic link; pacer-verify does not write through links "
                "(move it away or choose another --out)"
            ) from None
        raise _failure(path, "open", exc) from None
    if not _shared:
        # O_CREAT's mode applies to a new file only: one left readable by an earlier run is made private too.
        with contextlib.suppress(OSError):
            files.make_private(fd)
    return fd


def append_line(fd: int, path: Path, line: bytes) -> None:
    """Append one whole line durably. On failure the file is cut back to where it was: never a torn line."""
    size = os.fstat(fd).st_size
    try:
        view = memoryview(line)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, size)
        raise _failure(path, "write", exc) from None


_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def check_output_file(path: Path, label: str | None = None, hint: str = "") -> None:
    """A file about to be written must be absent or a regular file. Anything else is refused (a usage
    error): renaming over a device, even /dev/stdout, would replace it, as root too, and a link would
    send the output somewhere the user did not name."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _failure(path, "inspect", exc) from None
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    raise UsageError(f"{label or path}: is {kind}; pacer-verify writes only regular files{hint}")


def is_standard_output(path: Path) -> bool:
    """Whether a path that is not a regular file (/dev/stdout, /dev/fd/1, the terminal's device) is this
    process's standard output: then it is written as a stream, like `-`."""
    try:
        if stat.S_ISREG(os.lstat(path).st_mode):
            return False
        return os.path.samestat(os.stat(path), os.fstat(1))
    except (OSError, ValueError):
        return False


def write_bytes(path: Path, data: bytes) -> Path:
    """Write a file whole or not at all: beside it first, then renamed over it. A path that is not a
    regular file (a link, a device, a FIFO) is refused, never replaced or written through."""
    return _write_whole(path, lambda handle: handle.write(data))


def copy_file(source: Path, path: Path) -> Path:
    """Copy a file, streamed (a checkpoint may be large), whole or not at all, with the output mode."""

    def copy(handle: BinaryIO) -> None:
        with source.open("rb") as original:
            shutil.copyfileobj(original, handle)

    return _write_whole(path, copy)


def _write_whole(path: Path, write: Callable[[BinaryIO], object]) -> Path:
    ensure_dir(path.parent)
    check_output_file(path)
    # A name of its own: two writers of one file (two `report -o` at once) each finish whole, the
    # later rename winning, instead of one deleting or renaming the other's half-written copy.
    scratch = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.partial")
    try:
        fd = files.open_no_follow(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode())
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(scratch, path)
    except OSError as exc:
        raise _failure(path, "write", exc) from None
    finally:
        with contextlib.suppress(OSError):
            scratch.unlink(missing_ok=True)
    return path


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    return write_bytes(path, text.encode(encoding))


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return write_bytes(path, buffer.getvalue())


def check_writable_dir(path: Path, option: str = "--out") -> None:
    """Before any sign-in: the folder exists or can be made, is a folder, and takes a file."""
    if path.exists() and not path.is_dir():
        raise UsageError(f"{option} {path}: exists and is not a folder")
    try:
        ensure_dir(path)
    except OutputError as exc:
        raise UsageError(f"{option} {path}: {exc}") from None
    probe = path / f".pacer-verify-write-test-{os.getpid()}"
    try:
        fd = files.open_no_follow(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        try:
            os.write(fd, b"x")
        finally:
            os.close(fd)
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot write there ({exc.strerror or exc})") from None
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()
