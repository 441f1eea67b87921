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
