"""Starting the server: where it listens, TLS, the admin token, what IT is told at start."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

from verifier.errors import UsageError

ADMIN_TOKEN_ENV = "PACER_VERIFY_ADMIN_TOKEN"
MIN_ADMIN_TOKEN = 16


@dataclass(frozen=True)
class Listen:
    host: str
    port: int
    certfile: Path | None = None
    keyfile: Path | None = None
    insecure_http: bool = False

    @property
    def tls(self) -> bool:
        return self.certfile is not None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_listen(listen: Listen) -> None:
    """Passwords cross the network only inside TLS: another host needs a certificate, or the explicit
    `--insecure-http` (behind a TLS reverse proxy on the same machine)."""
    if (listen.certfile is None) != (listen.keyfile is None):
        raise UsageError("--certfile and --keyfile go together: give both for TLS")
    for flag, path in (("--certfile", listen.certfile), ("--keyfile", listen.keyfile)):
        if path is not None and not path.is_file():
            raise UsageError(f"{flag} {path}: no such file")
    if not is_loopback(listen.host) and not listen.tls and not listen.insecure_http:
        raise UsageError(
            f"--host {listen.host} would carry passwords over the network unencrypted: give --certfile and "
            "--keyfile (TLS), or --insecure-http when a TLS reverse proxy on this machine is in front"
        )


def admin_token(env: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")) -> tuple[str, bool]:
    """IT's token from PACER_VERIFY_ADMIN_TOKEN (the environment, then `.env` like the settings), or a
    new one (True: print it, it exists nowhere else)."""
    given = (os.environ if env is None else env).get(ADMIN_TOKEN_ENV, "").strip()
    if not given and env_file is not None and env_file.is_file():
        given = (dotenv_values(env_file).get(ADMIN_TOKEN_ENV) or "").strip()
    if given:
        if len(given) < MIN_ADMIN_TOKEN:
            raise UsageError(f"{ADMIN_TOKEN_ENV}: at least {MIN_ADMIN_TOKEN} characters, please")
        return given, False
    return secrets.token_urlsafe(24), True
