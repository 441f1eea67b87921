"""Whether a server could listen where the command was asked to, said as one usage line before it starts
(uvicorn's own "[Errno 98]" line, then ours, would be two lines, neither plain): `mock` and `serve`."""

from __future__ import annotations

import errno
import socket

from verifier import system
from verifier.errors import UsageError


def require_free_port(host: str, port: int, *, any_port: bool = True) -> None:
    """One usage line when the server could not listen on --host/--port: in use, not allowed, or no such
    address here. Bound as uvicorn binds (SO_REUSEADDR on POSIX), so a port it could take passes.
    `any_port`: the command takes --port 0 (any free port), so the line may suggest it."""
    if not port:
        return  # any free port: the system picks one
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        if not system.is_windows():  # on Windows SO_REUSEADDR would let two servers share the port
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            why = {
                errno.EADDRINUSE: "port in use (another program listens there); choose another"
                + (", or --port 0 for any" if any_port else ""),
                errno.EACCES: "not allowed to listen there (ports below 1024 need more rights)",
                errno.EADDRNOTAVAIL: "no such address on this machine",
            }.get(exc.errno or 0, exc.strerror or str(exc))
            raise UsageError(f"--port {port} on {host}: {why}") from None
