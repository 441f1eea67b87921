"""Guard the real PACER before any network use: the bundled made-up accounts never leave loopback, and a
person at a terminal confirms a run against the real site.

The mock's accounts and the sample roster (which is made of them) hold plausible usernames
(`asmith2001`) that may belong to real people: sent to the real PACER they would be real failed
sign-ins on someone's account. They are recognised by content (a username with its password, as the
bundled files give them), so a renamed copy or a roster that mixes them in is caught too.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
from collections.abc import Callable, Iterable
from functools import cache
from typing import Protocol, TextIO
from urllib.parse import urlsplit

from pydantic import SecretStr

from verifier.check.site import SiteMap, is_loopback_host
from verifier.data import DEMO_ROSTER, MOCK_SCENARIO
from verifier.errors import UsageError


class Credentials(Protocol):
    """What the guard reads of an attorney: a username and its password (never kept, only hashed)."""

    @property
    def username(self) -> str: ...
    @property
    def password(self) -> SecretStr: ...
    @property
    def row(self) -> int | None: ...


def _fingerprint(username: str, password: str) -> str:
    return hashlib.sha256(f"{username.strip().lower()}\0{password}".encode()).hexdigest()


@cache
def bundled_fingerprints() -> frozenset[str]:
    """Every (username, password) of the mock's accounts and of the sample roster, hashed."""
    scenario = json.loads(MOCK_SCENARIO.read_text(encoding="utf-8"))
    pairs = [(a["username"], a["password"]) for a in scenario.get("accounts", [])]
    sample = csv.DictReader(io.StringIO(DEMO_ROSTER.read_text(encoding="utf-8-sig")))
    pairs += [(row["username"], row["password"]) for row in sample]
    return frozenset(_fingerprint(u, p) for u, p in pairs)


def is_loopback_origin(site: SiteMap) -> bool:
    return is_loopback_host(urlsplit(site.login_origin).hostname)


def refuse_bundled_accounts(accounts: Iterable[Credentials], site: SiteMap, what: str) -> int:
    """The number of accounts; a usage error (exit 2) when any is one of the bundled made-up ones and the
    site is not on this machine. `what` names the source for the message ("roster.csv", "--username")."""
    loopback = is_loopback_origin(site)
    known = bundled_fingerprints()
    count = 0
    found: list[Credentials] = []
    for account in accounts:
        count += 1
        if not loopback and _fingerprint(account.username, account.password.get_secret_value()) in known:
            found.append(account)
    if not found:
        return count
    first = found[0]
    where = f"row {first.row}, " if first.row else ""
    raise UsageError(
        f"{what}: {len(found)} of the mock PACER site's made-up accounts ({where}{first.username}) would be sent "
        f"to {site.login_origin}, which is not the mock; nothing was sent. Use the mock's address "
        "(--base-url http://127.0.0.1:PORT from `pacer-verify mock`), or `pacer-verify demo`"
    )


def announce_real_site(
    site: SiteMap,
    attorneys: int,
    *,
    yes: bool,
    stdin: TextIO | None = None,
    ask: Callable[[str], bool] | None = None,
) -> None:
    """Against the real PACER: say where and how many. At a terminal, ask first (unless `yes`); elsewhere
    (cron, CI) the line goes to standard error and the run goes on. A "no" is a usage error (exit 2)."""
    if site.base_url is not None:
        return  # a replica the user named with --base-url
    line = (
        f"pacer-verify: signing in to the real PACER ({site.login_origin}) as {attorneys} "
        f"attorney{'s' if attorneys != 1 else ''}; each failed sign-in counts towards that attorney's lockout"
    )
    stdin = stdin or sys.stdin
    if yes or not stdin.isatty():
        print(line, file=sys.stderr, flush=True)
        return
    if not (ask or _ask)(line + ". Continue? [y/N] "):
        raise UsageError("not confirmed: nothing was sent to PACER (--yes or PACER_VERIFY_YES=1 skips the question)")


def _ask(prompt: str) -> bool:
    print(prompt, end="", file=sys.stderr, flush=True)
    try:
        answer = input()
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")
