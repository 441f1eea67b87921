"""Starting the server: where it listens, TLS, who may be named in `Host` and `Origin`, which proxy is
believed about the client's address, and IT's admin token."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

from verifier.errors import UsageError
from verifier.voice import plural

ADMIN_TOKEN_ENV = "PACER_VERIFY_ADMIN_TOKEN"
#: A token IT chooses: long, and not a run of one character (`aaaaaaaaaaaaaaaa…`) or a short pattern.
MIN_ADMIN_TOKEN = 32
MIN_DISTINCT_CHARACTERS = 10
_WILDCARDS = ("0.0.0.0", "::", "")


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
        return _origin("https" if self.tls else "http", _bracketed(self.host), self.port)


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_listen(listen: Listen, public_url: str | None) -> None:
    """Passwords cross the network only inside TLS: another host needs a certificate, or the explicit
    `--insecure-http` (behind a TLS reverse proxy on the same machine). Every interface at once needs
    the address attorneys open, which is then the only `Host` answered."""
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
    if public_url is not None:
        parts = urlsplit(public_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(
                f"--public-url {public_url}: give the address attorneys open, e.g. https://pacer-check.firm.example"
            )
    if listen.host.strip("[]") in _WILDCARDS and public_url is None:
        raise UsageError(
            f"--host {listen.host} listens on every address: give --public-url, the address attorneys open "
            "(requests naming any other host are refused)"
        )


@dataclass(frozen=True)
class Address:
    """Who the server is: the hosts a request's `Host` may name, and the origins a form may be posted
    from (`Origin` or `Referer`). A page reached under any other name (DNS rebinding) is refused."""

    hosts: tuple[str, ...]
    origins: frozenset[str]
    public_url: str
    secure: bool
    """Cookies are `Secure` (and `__Host-`) and HSTS is sent: TLS here, or an https --public-url (a TLS proxy)."""


def address(listen: Listen, public_url: str | None) -> Address:
    public = (public_url or listen.url).rstrip("/")
    parts = urlsplit(public)
    hosts: list[str] = []
    origins: set[str] = set()
    if parts.hostname:
        hosts.append(_bracketed(parts.hostname.lower()))
        origins.add(_origin(parts.scheme, hosts[0], parts.port))
    if listen.host.strip("[]") not in _WILDCARDS:
        names = [_bracketed(listen.host.lower())]
        if is_loopback(listen.host):
            names.append("localhost")  # never another machine: no rebinding through it
        scheme = "https" if listen.tls else "http"
        for name in names:
            if name not in hosts:
                hosts.append(name)
            origins.add(_origin(scheme, name, listen.port))
    secure = listen.tls or parts.scheme == "https"
    return Address(tuple(hosts), frozenset(origins), public, secure)


def _bracketed(host: str) -> str:
    host = host.strip("[]")
    return f"[{host}]" if ":" in host else host


def _origin(scheme: str, host: str, port: int | None) -> str:
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" if port in (None, default) else f"{scheme}://{host}:{port}"


def origin_of(url: str) -> str | None:
    """A URL's origin as `Address.origins` spells it, or None when it has none (`null`, garbage)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return _origin(parts.scheme, _bracketed(parts.hostname.lower()), port)


def trusted_proxies(given: Sequence[str]) -> list[str]:
    """`--trusted-proxy` values: addresses or networks, the only peers whose `X-Forwarded-For` is read."""
    proxies = []
    for value in given:
        try:
            ipaddress.ip_network(value.strip(), strict=False)
        except ValueError:
            raise UsageError(
                f"--trusted-proxy {value}: not an IP address or network (the reverse proxy's, e.g. 127.0.0.1)"
            ) from None
        proxies.append(value.strip())
    return proxies


def admin_token(env: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")) -> tuple[str, bool]:
    """IT's token from PACER_VERIFY_ADMIN_TOKEN (the environment, then `.env` like the settings), or a
    new one (True: show it once, it exists nowhere else). A weak token is refused before anything starts."""
    given = (os.environ if env is None else env).get(ADMIN_TOKEN_ENV, "").strip()
    if not given and env_file is not None and env_file.is_file():
        given = (dotenv_values(env_file).get(ADMIN_TOKEN_ENV) or "").strip()
    if given:
        problem = token_problem(given)
        if problem:
            raise UsageError(
                f"{ADMIN_TOKEN_ENV}: {problem}; use a random one, e.g. "
                '`python -c "import secrets; print(secrets.token_urlsafe(32))"`'
            )
        return given, False
    return secrets.token_urlsafe(32), True


def token_problem(token: str) -> str | None:
    """Why IT's token is too weak to guard every attorney's results, or None."""
    if len(token) < MIN_ADMIN_TOKEN:
        return f"{plural(len(token), 'character')}; at least {MIN_ADMIN_TOKEN}, please"
    if len(set(token)) < MIN_DISTINCT_CHARACTERS:
        return f"only {plural(len(set(token)), 'different character')}; at least {MIN_DISTINCT_CHARACTERS}, please"
    return None
