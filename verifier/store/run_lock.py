"""One run per output folder: a `bulk` run holds a lock on its --out for as long as it runs.

Two runs writing one folder sign the same attorneys in twice (a `--resume` beside a live run), rename
each other's checkpoint and mix their history. The lock is taken before the roster is read, so the run
that is refused has signed nobody in.

The lock itself is `filelock` (an OS lock, released by the kernel when its process dies, even by
SIGKILL). Its holder's PID and start time are written beside it, because `filelock` empties the lock
file each time someone tries it. An owner file left by a run that died is how a stale lock shows; such
a lock is free at the OS level and is taken over, with a note naming the run that left it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from verifier import outputs
from verifier.errors import FolderBusy as FolderBusy
from verifier.errors import UsageError

log = logging.getLogger(__name__)

LOCK_FILE = ".pacer-verify.lock"
OWNER_FILE = ".pacer-verify.lock.owner"


def _owner(out_dir: Path) -> dict[str, object] | None:
    try:
        data = json.loads((out_dir / OWNER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _describe(owner: dict[str, object] | None) -> str:
    if owner is None:
        return "PID unknown"
    return f"PID {owner.get('pid', '?')}, started {owner.get('started', '?')}"


@contextlib.contextmanager
def hold(out_dir: Path) -> Iterator[None]:
    """Hold out_dir for one run; FolderBusy (one line naming the holder) when another run has it."""
    outputs.ensure_dir(out_dir)
    lock_path = out_dir / LOCK_FILE
    if lock_path.is_symlink():
        raise UsageError(f"{lock_path} is a symbolic link; pacer-verify does not write through links")
    lock = FileLock(lock_path, timeout=0, mode=0o600)  # empty, but private like every output
    try:
        lock.acquire()
    except Timeout:
        raise FolderBusy(
            f"--out {out_dir}: another pacer-verify run is using this folder ({_describe(_owner(out_dir))}); "
            "wait for it to finish, or choose another --out"
        ) from None
    except OSError as exc:
        raise UsageError(f"--out {out_dir}: cannot lock the folder ({exc.strerror or exc})") from None
    try:
        left = _owner(out_dir)
        if left is not None and left.get("pid") != os.getpid():
            log.warning(
                "%s: taking over the lock left by an earlier run (%s) that is no longer running",
                out_dir,
                _describe(left),
            )
        started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        outputs.write_text(out_dir / OWNER_FILE, json.dumps({"pid": os.getpid(), "started": started}) + "\n")
        yield
    finally:
        with contextlib.suppress(OSError):
            (out_dir / OWNER_FILE).unlink()
        lock.release()
