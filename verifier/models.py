"""The data that flows through pacer-verify: accounts in, results out.

Passwords and one-time-code secrets are ``SecretStr`` from the moment they are read, so that
``repr()``, logging and ``model_dump()`` never show them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, SecretStr

# Re-exported: what a page says (flows.pages) and the status names (flows.outcome) are read from here.
from flows.pages import AccountPage as AccountPage
from flows.pages import CourtCheck as CourtCheck
from flows.update_prompt import UpdateDemand as UpdateDemand
from verifier.statuses import Status as Status
from verifier.system.paths import portable_name


class Account(BaseModel):
    """One attorney from a roster (or from the command line)."""

    model_config = ConfigDict(frozen=True)

    username: str
    password: SecretStr
    name: str = ""
    otp_secret: SecretStr | None = None
    otp_code: SecretStr | None = None
    """A one-time code the attorney typed (`serve`): sent as is, once, instead of one from `otp_secret`."""
    courts: tuple[str, ...] = ()
    """Registry court ids (canonical: `cod`, however the roster wrote it); these are checked."""
    unknown_courts: tuple[str, ...] = ()
    """Court ids the registry does not know, as written (lowercased); listed in the checklist, not checked."""
    cmecf_username: str | None = None
    cmecf_password: SecretStr | None = None
    row: int | None = Field(default=None, description="1-based data row in the roster, for messages")
    email: str | None = Field(default=None, description="for the attorney's notice; not a secret")
    client_code: str | None = Field(
        default=None, description="the firm's PACER client code, sent with the sign-in; a billing label, not a secret"
    )

    @property
    def display_name(self) -> str:
        return self.name or self.username

    @property
    def slug(self) -> str:
        """A file-system-safe name for this account's artifacts folder."""
        return portable_name(self.username, "account")


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
    update: UpdateDemand | None = None
    """What "User Update Required" demanded (update_required); optional, so older results still load."""
    reminder: str | None = None
    """A change the site asked for by a date ahead while letting the sign-in through, in its words."""
    reminder_due: dt.date | None = None
    client_code: str | None = None
    """The client code the sign-in carried (the roster's `client_code`, `--client-code`): not a secret."""
    client_code_note: str | None = None
    """PACER's note that the sign-in went without the firm's required client code, in its words."""
    checked_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))
    duration_s: float = 0.0
    attempts: int = 1
    artifacts: list[str] = Field(default_factory=list)
    attempt_only: bool = False
    """A failed sign-in recorded by `serve` (whoever reaches its page can type a wrong password): it never
    replaces an earlier reading of the account in what results.jsonl's readers keep
    (verifier.store.checkpoint.replaces); IT's view lists it beside that reading."""

    @property
    def needs_action(self) -> bool:
        return self.status.needs_action or any(step.state is StepState.TODO for step in self.steps)
