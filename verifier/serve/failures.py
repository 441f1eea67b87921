"""Failed sign-ins per PACER username, so that the page never helps lock an account: at most 2 failed
sign-ins of any kind (a rejected password, a refused code, a locked account, a code asked for again
after one was sent) per username (any letter case) reach PACER in 24 hours, whoever types them.

Kept in OUT/serve-sign-in-failures.json (private like every output), so a restart forgets nothing. A
sign-in is counted *before* it is sent and taken back when PACER accepted it (or nothing was sent):
a server killed mid-check has counted it already. The file holds usernames and times, never a secret.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from verifier import outputs
from verifier.errors import UsageError
from verifier.models import Status

FAILURES_FILE = "serve-sign-in-failures.json"
LIMIT = 2
WINDOW = dt.timedelta(hours=24)

_FAILING = frozenset({Status.INVALID_CREDENTIALS, Status.OTP_REJECTED, Status.LOCKED})


def counts_as_failure(status: Status, code_sent: bool) -> bool:
    """Whether PACER counted this sign-in against the account: refused, or a code asked for again after
    one was sent (the code was not taken). A first `mfa_required`, with no code typed, is not a failure:
    PACER took the password and asked for the code."""
    return status in _FAILING or (status is Status.MFA_REQUIRED and code_sent)


@dataclass(frozen=True)
class Ticket:
    """One sign-in counted before it is sent."""

    key: str
    at: str


class SignInFailures:
    def __init__(
        self,
        out_dir: Path,
        *,
        limit: int = LIMIT,
        window: dt.timedelta = WINDOW,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.path = out_dir / FAILURES_FILE
        self.limit = limit
        self.window = window
        self._now = now
        self._times: dict[str, list[str]] = self._load()

    def _load(self) -> dict[str, list[str]]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            times = {str(k): [str(dt.datetime.fromisoformat(t).isoformat()) for t in v] for k, v in data.items()}
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            # Starting without it would forget failed sign-ins: the user decides.
            raise UsageError(
                f"{self.path}: not readable ({exc}); it counts failed sign-ins per username: "
                "delete it only if none were made in the last 24 hours"
            ) from None
        return times

    def _recent(self, key: str) -> list[dt.datetime]:
        since = self._now() - self.window
        return sorted(t for t in map(dt.datetime.fromisoformat, self._times.get(key, ())) if t > since)

    def open_again(self, username: str) -> dt.datetime | None:
        """When this username may be tried again, or None when it may be now."""
        recent = self._recent(_key(username))
        if len(recent) < self.limit:
            return None
        return recent[len(recent) - self.limit] + self.window

    def begin(self, username: str) -> Ticket:
        """Count a sign-in about to be sent (written before it is)."""
        ticket = Ticket(_key(username), self._now().isoformat())
        self._times.setdefault(ticket.key, []).append(ticket.at)
        self._save()
        return ticket

    def settle(self, ticket: Ticket, failed: bool) -> None:
        """PACER's answer: a sign-in that did not fail (or was never sent) is taken back."""
        if failed:
            return
        times = self._times.get(ticket.key, [])
        if ticket.at in times:
            times.remove(ticket.at)
            self._save()

    def _save(self) -> None:
        since = self._now() - self.window
        kept = {
            key: times
            for key, times in (
                (k, [t for t in v if dt.datetime.fromisoformat(t) > since]) for k, v in self._times.items()
            )
            if times
        }
        self._times = kept
        outputs.write_text(self.path, json.dumps(kept, indent=1, sort_keys=True) + "\n")


def _key(username: str) -> str:
    return username.strip().lower()
