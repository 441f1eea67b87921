"""The data that flows through pacer-verify: accounts in, results out.

Passwords and one-time-code secrets are ``SecretStr`` from the moment they are read, so that
``repr()``, logging and ``model_dump()`` never show them.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class Status(StrEnum):
    """The outcome of checking one attorney's PACER account (snake_case in every output)."""

    UPGRADED = "upgraded"
    LEGACY = "legacy"
    INVALID_CREDENTIALS = "invalid_credentials"
    LOCKED = "locked"
    MFA_REQUIRED = "mfa_required"
    PASSWORD_CHANGE_REQUIRED = "password_change_required"
    UNRECOGNIZED_PAGE = "unrecognized_page"
    SITE_ERROR = "site_error"
    INVALID_INPUT = "invalid_input"

    @property
    def signed_in(self) -> bool:
        return self in (Status.UPGRADED, Status.LEGACY)

    @property
    def needs_action(self) -> bool:
        """True when a person must do something before this attorney is ready."""
        return self is not Status.UPGRADED


#: What the attorney (or firm IT) does next, per status. Readiness rules add court-specific steps.
NEXT_STEP: dict[Status, str] = {
    Status.UPGRADED: "Nothing for the account upgrade; after go-live, link the PACER account to CM/ECF "
    "in each NextGen court.",
    Status.LEGACY: "Upgrade the PACER account: Manage My Account > Upgrade (asks for date of birth, county, "
    "a new username and password, and security questions).",
    Status.INVALID_CREDENTIALS: "Check the username and password in the roster; the login was not retried "
    "to avoid a lockout.",
    Status.LOCKED: "Contact the PACER Service Center (800-676-6856) to unlock or reactivate the account.",
    Status.MFA_REQUIRED: "Add the authenticator secret (otp_secret) to the roster, or check this account by hand.",
    Status.PASSWORD_CHANGE_REQUIRED: "Sign in to PACER and change the password as asked, then re-run.",
    Status.UNRECOGNIZED_PAGE: "Check this account by hand and report the saved screenshot; the account page "
    "was not understood.",
    Status.SITE_ERROR: "Re-run later with --resume; the site or network failed after the allowed retries.",
    Status.INVALID_INPUT: "Fix the roster row named in the message, then re-run with --resume.",
}


class Account(BaseModel):
    """One attorney from a roster (or from the command line)."""

    model_config = ConfigDict(frozen=True)

    username: str
    password: SecretStr
    name: str = ""
    otp_secret: SecretStr | None = None
    courts: tuple[str, ...] = ()
    """Registry court ids (canonical: `cod`, however the roster wrote it); these are checked."""
    unknown_courts: tuple[str, ...] = ()
    """Court ids the registry does not know, as written (lowercased); listed in the checklist, not checked."""
    cmecf_username: str | None = None
    cmecf_password: SecretStr | None = None
    row: int | None = Field(default=None, description="1-based data row in the roster, for messages")
    email: str | None = Field(default=None, description="for the attorney's notice; not a secret")

    @property
    def display_name(self) -> str:
        return self.name or self.username

    @property
    def slug(self) -> str:
        """A file-system-safe name for this account's artifacts folder."""
        return re.sub(r"[^A-Za-z0-9_.-]+", "_", self.username)[:64] or "account"


class StepState(StrEnum):
    DONE = "done"
    TODO = "todo"
    UNKNOWN = "unknown"
    INFO = "info"


class Step(BaseModel):
    """One item of an attorney's NextGen readiness checklist."""

    id: str = Field(description="stable identifier, e.g. 'upgraded' or 'linked:cod'")
    title: str
    state: StepState
    court: str | None = None
    deadline: dt.date | None = None
    detail: str = ""


class AccountPage(BaseModel):
    """What the Manage My Account page showed, as plain values."""

    account_type_label: str | None = None
    name: str | None = None
    account_number: str | None = None
    username: str | None = None
    mfa_label: str | None = None
    mfa_enrolled: bool | None = None
    paa_label: str | None = None
    case_search_label: str | None = None
    """"Case Search Status" as shown ("Active" / "Inactive")."""

    @property
    def case_search_inactive(self) -> bool:
        return (self.case_search_label or "").strip().lower().startswith("inactive")


class CourtCheck(BaseModel):
    """What was found in one court's CM/ECF."""

    court: str
    nextgen: bool | None = None
    cmecf_login_ok: bool | None = None
    linked: bool | None = None
    menus: list[str] = Field(default_factory=list)
    message: str = ""


class Result(BaseModel):
    """The outcome for one attorney. Never holds a secret."""

    name: str
    username: str
    row: int | None = None
    email: str | None = None
    status: Status
    account_type: str | None = None
    needs_upgrade: bool = False
    mfa_enrolled: bool | None = None
    firm_billing: str | None = None
    next_steps: list[str] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    courts: list[CourtCheck] = Field(default_factory=list)
    message: str = ""
    checked_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))
    duration_s: float = 0.0
    attempts: int = 1
    artifacts: list[str] = Field(default_factory=list)

    @property
    def needs_action(self) -> bool:
        return self.status.needs_action or any(step.state is StepState.TODO for step in self.steps)
