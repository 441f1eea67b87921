"""The outcome of checking one attorney's PACER account. The flows tell most of them from the pages
(flows.classify); the verifier adds the ones no page tells (a site error, an unusable roster row),
and keeps every other fact about a status in one table (verifier.statuses)."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """snake_case in every output."""

    UPGRADED = "upgraded"
    LEGACY = "legacy"
    INVALID_CREDENTIALS = "invalid_credentials"
    LOCKED = "locked"
    MFA_REQUIRED = "mfa_required"
    OTP_REJECTED = "otp_rejected"
    UPDATE_REQUIRED = "update_required"
    UNRECOGNIZED_PAGE = "unrecognized_page"
    SITE_ERROR = "site_error"
    INVALID_INPUT = "invalid_input"

    @classmethod
    def _missing_(cls, value: object) -> Status | None:
        # Results written before 0.3 call "User Update Required" password_change_required.
        return cls.UPDATE_REQUIRED if value == "password_change_required" else None

    @property
    def signed_in(self) -> bool:
        """The account page was reached: the only outcomes that say what the account is."""
        return self in (Status.UPGRADED, Status.LEGACY)

    @property
    def needs_action(self) -> bool:
        """True when a person must do something before this attorney is ready."""
        return self is not Status.UPGRADED


class SignInOutcome(StrEnum):
    """How a sign-in ended, told the same way whether the Authentication API answered or the sign-on form
    did (flows.answers reads both): the one enum of flows.auth_api, flows.signin and flows.answers.

    Its own enum rather than a subset of `Status`: two of its values are no status at all (`signed_in`
    goes on to Manage My Account, `session_expired` is a fault to retry), and `unrecognized` is only
    `unrecognized_page` once the verifier reports it. `SIGN_IN_STATUS` is the one mapping."""

    SIGNED_IN = "signed_in"
    INVALID_CREDENTIALS = "invalid_credentials"
    LOCKED = "locked"
    MFA_REQUIRED = "mfa_required"
    OTP_REJECTED = "otp_rejected"
    UPDATE_REQUIRED = "update_required"
    SESSION_EXPIRED = "session_expired"
    UNRECOGNIZED = "unrecognized"


#: The status each refused sign-in gives. `signed_in` has none (the account page tells it) and
#: `session_expired` has none (a fault the runner may retry, never a result).
SIGN_IN_STATUS: dict[SignInOutcome, Status] = {
    SignInOutcome.INVALID_CREDENTIALS: Status.INVALID_CREDENTIALS,
    SignInOutcome.LOCKED: Status.LOCKED,
    SignInOutcome.MFA_REQUIRED: Status.MFA_REQUIRED,
    SignInOutcome.OTP_REJECTED: Status.OTP_REJECTED,
    SignInOutcome.UPDATE_REQUIRED: Status.UPDATE_REQUIRED,
    SignInOutcome.UNRECOGNIZED: Status.UNRECOGNIZED_PAGE,
}
