"""What can go wrong in a flow, split by whether trying again could help."""

from __future__ import annotations


class FlowError(Exception):
    """Base for flow failures. Messages never contain a secret."""


class TransientSiteError(FlowError):
    """The site or network failed in a way that may pass: 5xx, 429, a dropped connection, a timeout,
    an expired session. The runner retries these with backoff."""

    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class CredentialOriginRefused(FlowError):
    """The sign-on form is served from an origin that must not receive these credentials."""


class SignInUnanswered(FlowError):
    """The password was sent and the site may have processed it, but gave no usable answer (no answer
    in time, a 5xx other than 503, an unreadable reply). Not retried in this run: sending the password
    again could count towards a lockout. A later `--resume` tries once more."""
