"""Stop means stop, on every system: Ctrl-C, Ctrl-Break (Windows) and SIGTERM reach a run the same way.

POSIX event loops take signal handlers (`loop.add_signal_handler`); Windows' raise NotImplementedError.
There a handler is set with `signal.signal` and hands the signal to the loop with `call_soon_threadsafe`
(Windows' loop wakes for a signal on its own). Ctrl-Break is Ctrl-C: by default it ends a Windows
process at once, with no report and no word of what was checked.

Windows has no SIGTERM to send to a console program: closing its window, Task Scheduler's "End" and
`taskkill /F` end it at once, as SIGKILL does on Linux (docs/platforms.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable
from types import FrameType
from typing import Any


def _break() -> int | None:
    """Windows' Ctrl-Break signal, where there is one."""
    value = getattr(signal, "SIGBREAK", None)
    return int(value) if value is not None else None


def stop_signals() -> tuple[int, ...]:
    """The signals that stop a run: SIGINT (Ctrl-C), SIGTERM, and SIGBREAK (Ctrl-Break) on Windows."""
    sigbreak = _break()
    return (signal.SIGINT, signal.SIGTERM) + ((sigbreak,) if sigbreak is not None else ())


def as_stop(signum: int) -> int:
    """The signal a run acts on: Ctrl-Break counts as Ctrl-C (exit 130)."""
    return int(signal.SIGINT) if signum == _break() else signum


def install_stop_handlers(loop: asyncio.AbstractEventLoop, on_stop: Callable[[int], None]) -> Callable[[], None]:
    """Call `on_stop(signum)` on `loop` for each stop signal (SIGBREAK given as SIGINT); returns what
    takes the handlers away again. Off the main thread nothing can be installed: the run then ends only
    when cancelled."""
    on_loop: list[int] = []
    previous: dict[int, Any] = {}

    def handed_over(signum: int, _frame: FrameType | None) -> None:
        loop.call_soon_threadsafe(on_stop, as_stop(signum))

    for signum in stop_signals():
        try:
            loop.add_signal_handler(signum, on_stop, as_stop(signum))
            on_loop.append(signum)
            continue
        except NotImplementedError:
            pass  # Windows' event loops
        except (RuntimeError, ValueError):
            break  # not the main thread: signal.signal would refuse too
        try:
            previous[signum] = signal.signal(signum, handed_over)
        except ValueError:
            break

    def remove() -> None:
        for signum in on_loop:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signum)
        for signum, handler in previous.items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(signum, handler)

    return remove


def break_means_interrupt() -> None:
    """Make Ctrl-Break raise Ctrl-C's signal, whoever handles that one now (asyncio.run, uvicorn, Python's
    KeyboardInterrupt): every command stops on it as on Ctrl-C. Nothing to do where there is no SIGBREAK."""
    sigbreak = _break()
    if sigbreak is not None:
        with contextlib.suppress(ValueError):  # not the main thread
            signal.signal(sigbreak, _raise_interrupt)


def _raise_interrupt(_signum: int, _frame: FrameType | None) -> None:
    signal.raise_signal(signal.SIGINT)
