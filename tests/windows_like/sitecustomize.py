"""Makes this Linux machine look like Windows to pacer-verify, for a whole CLI subprocess: Python runs
this at start-up when tests/windows_like is on PYTHONPATH (tests/test_windows_like.py puts it there).

- `os` without O_NOFOLLOW, O_NONBLOCK, fchmod and pread, which Windows does not have (filelock, which
  runs its Windows code on Windows, keeps them);
- event loops whose `add_signal_handler` raises NotImplementedError, as Windows' do;
- Ctrl-Break: `signal.SIGBREAK` (Windows only) is SIGUSR2 here, so a test can press it;
- pacer-verify's one Windows switch on (`verifier.system.WINDOWS`: no mode-bit warnings, Windows'
  browser locations);
- no uvloop and no httptools (uvicorn on Windows runs without them);
- a file opened without naming its encoding is an error in verifier/ and flows/ (with
  PYTHONWARNDEFAULTENCODING=1): on Windows it would be read and written in cp1252.

Standard output in cp1252, sent to a file, is the test's part: PYTHONIOENCODING=cp1252 and stdout=a file.
"""

from __future__ import annotations

import asyncio.unix_events
import importlib.abc
import importlib.machinery
import os
import signal
import sys
import types
import warnings
from typing import Any

# Libraries that pick their code by sys.platform (filelock) would run their Windows code on Windows;
# here they keep their POSIX code, and the names it needs, through a copy of os taken first.
_posix_os = types.ModuleType("os")
_posix_os.__dict__.update(os.__dict__)
for _name in ("O_NOFOLLOW", "O_NONBLOCK", "fchmod", "pread"):
    if hasattr(os, _name):
        delattr(os, _name)


class _PosixNamesForFilelock(importlib.abc.MetaPathFinder):
    """filelock's modules, however late each is imported (it imports them lazily), see that copy."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name != "filelock" and not name.startswith("filelock."):
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        loader = spec.loader if spec is not None else None
        if isinstance(loader, importlib.machinery.SourceFileLoader):
            run = loader.exec_module

            def exec_module(module: types.ModuleType) -> None:
                run(module)
                if getattr(module, "os", None) is os:
                    module.os = _posix_os  # type: ignore[attr-defined]

            loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


sys.meta_path.insert(0, _PosixNamesForFilelock())


def _not_on_windows(self: object, *args: Any, **kwargs: Any) -> None:
    raise NotImplementedError


asyncio.unix_events._UnixSelectorEventLoop.add_signal_handler = _not_on_windows  # type: ignore[method-assign]
asyncio.unix_events._UnixSelectorEventLoop.remove_signal_handler = _not_on_windows  # type: ignore[method-assign,assignment]
signal.SIGBREAK = signal.SIGUSR2  # type: ignore[attr-defined,misc]
sys.modules["uvloop"] = None  # type: ignore[assignment]
sys.modules["httptools"] = None  # type: ignore[assignment]
warnings.filterwarnings("error", category=EncodingWarning, module=r"(verifier|flows)(\.|$)")

import verifier.system  # noqa: E402  (after os lost its POSIX names: nothing of ours saw them)

verifier.system.WINDOWS = True
