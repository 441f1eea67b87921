"""What can go wrong in a flow, and how far the sign-in had got when it did.

Whether a failure may be tried again depends on one thing above all: could the site have processed
the password? `SignInProgress` records that as the flow goes; verifier.run._retry decides.

The root of pacer-verify's one error hierarchy lives here, the lowest layer, so that flows' errors and
verifier's share it without flows importing verifier. verifier/errors.py draws the whole tree and says,
in one table, what each error means when it ends a command (its exit code and its line).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum


def first_line(exc: BaseException) -> str:
    """An exception in one line for a message: the first line of its text, at most 200 characters (a
    Playwright error goes on with a call log), or its type's name when it has no text."""
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__


def retry_after_s(header: str | None) -> float | None:
    """The seconds an HTTP `Retry-After` header asks for, when it gives them as a number (a date is not read)."""
    text = (header or "").strip()
    return float(text) if re.fullmatch(r"\d+(\.\d+)?", text) else None


class Phase(StrEnum):
    """How far one attempt's sign-in got, from the site's side."""

    NOT_SENT = "not_sent"
    """The password has not left the browser (the page was loading, the form not yet sent)."""
    NOT_TAKEN = "not_taken"
    """The sign-in was sent, and the site said it did not take it (429 or 503), or the connection
    failed before the request went out."""
    SENT = "sent"
    """The sign-in was sent and may have been processed: no answer in time, a 500, a cut connection."""
    ACCEPTED = "accepted"
    """The site took the password (a later step, or a page past sign-on, was shown)."""


class SignInProgress:
    """Updated by the flow during one attempt; read by the runner when the attempt fails."""

    def __init__(self, stopped: Callable[[], bool] | None = None) -> None:
        self.phase = Phase.NOT_SENT
        self._stopped = stopped

    def before_sending(self) -> None:
        """Called right before the password leaves the browser: once the run has stopped, no sign-in
        starts (`SignInStopped`, with nothing sent)."""
        if self._stopped is not None and self._stopped():
            raise SignInStopped("the run stopped before this sign-in was sent; nothing was sent")

    def sent(self) -> None:
        if self.phase in (Phase.NOT_SENT, Phase.NOT_TAKEN):
            self.phase = Phase.SENT

    def not_taken(self) -> None:
        if self.phase is Phase.SENT:
            self.phase = Phase.NOT_TAKEN

    def accepted(self) -> None:
        self.phase = Phase.ACCEPTED


class PacerVerifyError(Exception):
    """The root: every error pacer-verify raises on purpose. Messages never contain a secret."""


class FlowError(PacerVerifyError):
    """Base for flow failures: one account's pages, recorded as that account's result (the message is
    what the run says), never the end of a command."""


class TransientSiteError(FlowError):
    """The site or network failed in a way that may pass: 5xx, 429, a dropped connection, a timeout,
    an expired session. Whether it is tried again in this run depends on the phase it happened in."""

    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class CredentialOriginRefused(FlowError):
    """The sign-on form is served from an origin that must not receive these credentials."""


class SignInStopped(FlowError):
    """The run stopped before the sign-in was sent: nothing left the browser."""


class SignInUnanswered(FlowError):
    """The password was sent and the site may have processed it, but gave no usable answer (no answer
    in time, a 5xx other than 503, an unreadable reply). Not retried in this run: sending the password
    again could count towards a lockout. A later `--resume` tries once more."""


class LogoutFailed(FlowError):
    """A session could not be ended. Never a result's status: the caller warns, and PACER ends the session
    when it expires."""


class ApiAbsent(PacerVerifyError):
    """The site has no Authentication API (HTTP 404, 405 or 501): the password was not processed, so
    the sign-on form is safe to use instead, and is what a person would use."""

    def __init__(self, status: int) -> None:
        super().__init__(f"the Authentication API is not there (HTTP {status})")
        self.status = status


class BadOtpSecret(PacerVerifyError, ValueError):
    """The text is not a usable authenticator secret; the message says why (never the secret)."""
