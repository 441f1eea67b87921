"""Helpers more than one test file needs (importable as `helpers`: pytest puts tests/ on sys.path)."""

from __future__ import annotations

import socket
import sys

#: The interpreter running the tests: CLI subprocesses use the same environment.
PYTHON = sys.executable


def free_port() -> int:
    """A loopback port nothing listens on right now (the caller binds it soon after)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
