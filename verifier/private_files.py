"""Files only the user may read: outputs name attorneys and their to-dos (0600 files, 0700 folders).

One small module so that it can be swapped for the project-wide helper once that lands.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """The folder, made (with its missing parents) readable by the user only. An existing folder is left
    as it is: it is the user's, and may be shared on purpose."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    for created in missing:
        with contextlib.suppress(OSError):
            os.chmod(created, DIR_MODE)  # mkdir's mode is filtered by the umask
    return path


def write_private(path: Path, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write the file whole or not at all (beside, then renamed into place), mode 0600 from the start."""
    private_dir(path.parent)
    blob = data.encode(encoding) if isinstance(data, str) else data
    scratch = path.with_name(f".{path.name}.partial")
    scratch.unlink(missing_ok=True)
    try:
        fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)
    return path


def copy_private(source: Path, path: Path) -> Path:
    """Copy a file (streamed: a checkpoint may be large) whole or not at all, mode 0600 from the start."""
    private_dir(path.parent)
    scratch = path.with_name(f".{path.name}.partial")
    scratch.unlink(missing_ok=True)
    try:
        fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(fd, "wb") as handle, source.open("rb") as original:
            shutil.copyfileobj(original, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)
    return path
