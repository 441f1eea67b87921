"""Whether a failed attempt at one account may be tried again in this run: a pure rule.

PACER terminates privileges for excessive automated logins, so the password is sent at most once
per account per run wherever the site may have processed it (the one exception, and its rule:
verifier.check.verify.SignInSwitch). This rule looks at two things: what failed (the exception's type),
and how far the sign-in had got (flows.errors.Phase):

- the password never left the browser, or the site said it did not take it (429/503, or the
  connection failed before the request went out): the failure may pass, so try again;
- the sign-in was sent and may have been processed (no answer in time, another 5xx, a cut
  connection), or it was accepted and something failed later: not again in this run; the result
  says why and a later `--resume` tries once more;
- an exception from pacer-verify's own code is an internal error, never a page problem, and is not
  retried (it would fail the same way).
"""

from __future__ import annotations

import random
import traceback
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Error as PlaywrightError

from flows.errors import FlowError, Phase, TransientSiteError, first_line

RESUME_HINT = "a later run with --resume tries it once more"
MAX_BACKOFF_S = 30.0


@dataclass(frozen=True)
class Decision:
    retry: bool
    message: str
    """Why the account ends here (when not retried): for the result's message."""
    internal: bool = False
    """A bug in pacer-verify rather than a problem of the site."""


def is_site_failure(exc: BaseException) -> bool:
    """A failure of the site, the network or the browser (as opposed to pacer-verify's own code)."""
    return isinstance(exc, TransientSiteError | PlaywrightError | TimeoutError)


def decide(exc: BaseException, phase: Phase, *, timeout_s: float) -> Decision:
    """May the attempt that failed with `exc`, its sign-in at `phase`, be made again?"""
    if not is_site_failure(exc):
        if isinstance(exc, FlowError):
            return Decision(False, str(exc))
        said = f"{type(exc).__name__}: {first_line(exc)}" if str(exc).strip() else type(exc).__name__
        return Decision(False, f"internal error in pacer-verify ({where(exc)}): {said}", internal=True)
    reason = describe(exc, timeout_s)
    if phase in (Phase.NOT_SENT, Phase.NOT_TAKEN):
        return Decision(True, reason)
    if phase is Phase.SENT:
        return Decision(
            False,
            f"{reason}; the sign-in was sent and may have been processed, so it is not "
            f"sent again in this run ({RESUME_HINT})",
        )
    return Decision(
        False,
        f"{reason}; the password had been accepted, so pacer-verify does not sign in again in this run ({RESUME_HINT})",
    )


def describe(exc: BaseException, timeout_s: float) -> str:
    if isinstance(exc, TimeoutError) and not str(exc):
        return f"no answer within {timeout_s:g} s"
    return first_line(exc)


def where(exc: BaseException) -> str:
    """The innermost frame of pacer-verify's own code the exception passed through."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "site-packages" not in f.filename]
    if not frames:
        return "unknown place"
    frame = frames[-1]
    return f"{frame.name} in {Path(frame.filename).name}:{frame.lineno}"


def backoff_s(attempt: int, exc: BaseException, jitter: float | None = None) -> float:
    """How long to wait before attempt `attempt + 1`: what the site asked for (Retry-After), else
    exponential from 0.5 s with ±20 % jitter (`jitter` in [0.8, 1.2]; random when None); at most 30 s."""
    retry_after = getattr(exc, "retry_after_s", None)
    if retry_after is not None:
        return min(float(retry_after), MAX_BACKOFF_S)
    factor = random.uniform(0.8, 1.2) if jitter is None else jitter
    return min(MAX_BACKOFF_S, 0.5 * 2.0 ** (attempt - 1)) * factor
