"""The data that flows through pacer-verify: accounts in, results out.

Passwords and one-time-code secrets are ``SecretStr`` from the moment they are read, so that
``repr()``, logging and ``model_dump()`` never show them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

# Re-exported: what a page says (flows.pages) and the status names (flows.outcome) are read from here.
from flows.pages import AccountPage as AccountPage
from flows.pages import CourtCheck as CourtCheck
from flows.update_prompt import UpdateDemand as UpdateDemand
from verifier.statuses import Source, next_step
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


class StepKind(StrEnum):
    """What a checklist item, or a next step, is about. Outputs choose by it (a duty, a how-to page, a
    column), never by a step's words or its id."""

    STATUS = "status"
    """Not a checklist item: what the result's status asks first (a sign-in to fix, a row to correct)."""
    OWN_ACCOUNT = "own_account"
    UPGRADED = "upgraded"
    MFA = "mfa"
    CASE_SEARCH = "case_search"
    CMECF_LOGIN = "cmecf_login"
    """Per court: the court's old CM/ECF login."""
    LINKED = "linked"
    """Per court: the PACER account linked to the CM/ECF account there."""
    UNKNOWN_COURT = "unknown_court"
    """A court id the registry does not know, not checked."""
    FILING_AGENTS = "filing_agents"
    FIRM_BILLING = "firm_billing"
    CLIENT_CODE = "client_code"
    SITE_REMINDER = "site_reminder"
    """A change PACER asked for by a date while letting the sign-in through."""


#: The one order of an attorney's steps, used by every output (terminal, CSV, JSON, HTML, JUnit, notices).
#: A sign-in problem (the status's own advice) comes before all of these. A legacy account is asked to
#: upgrade when it opens any setting, Manage MFA Settings included, and the upgrade may give it a new
#: username (docs/real-site.md), so the upgrade comes before MFA; MFA before case search; each court's
#: steps after the account-wide ones; notes (filing agents, PACER's reminder) last. A shared username comes
#: first of all: the upgrade is each person's own, on their own account. Kinds in one group share a rank.
STEP_ORDER: tuple[tuple[StepKind, ...], ...] = (
    (StepKind.STATUS,),
    (StepKind.OWN_ACCOUNT,),
    (StepKind.UPGRADED,),
    (StepKind.MFA,),
    (StepKind.CASE_SEARCH,),
    (StepKind.CMECF_LOGIN, StepKind.LINKED),
)
STEP_RANKS: dict[StepKind, int] = {kind: rank for rank, kinds in enumerate(STEP_ORDER) for kind in kinds}
#: Any other kind (notes such as filing agents, PACER's reminder): last.
OTHER_RANK = len(STEP_ORDER)


def step_id(kind: StepKind, about: str | None = None) -> str:
    """A checklist item's stable id, as results.jsonl and the CSV's columns name it: "upgraded", or
    "linked:cod" for a court's. A key to compare and look up by, never to take apart: the kind and the
    court are fields of their own."""
    return f"{kind.value}:{about}" if about else kind.value


class Step(BaseModel):
    """One item of an attorney's NextGen readiness checklist."""

    kind: StepKind
    id: str = Field(default="", description="stable identifier, e.g. 'upgraded' or 'linked:cod' (`step_id`)")
    """Made from the kind and the court when not given (``_id_and_kind``)."""
    title: str
    state: StepState
    court: str | None = None
    deadline: dt.date | None = None
    detail: str = ""

    @model_validator(mode="before")
    @classmethod
    def _id_and_kind(cls, data: Any) -> Any:
        if not isinstance(data, dict) or (data.get("kind") and data.get("id")):
            return data
        if data.get("kind"):  # made now: the id follows from the kind and the court
            return {**data, "id": step_id(StepKind(data["kind"]), data.get("court"))}
        if isinstance(data.get("id"), str):
            # Written before steps had a kind (0.2 and earlier): the id's head was the kind. Read once,
            # here, so that nothing after the load takes an id apart.
            return {**data, "kind": data["id"].partition(":")[0]}
        return data

    @property
    def rank(self) -> int:
        """Where the step stands in the one order (``STEP_RANKS``)."""
        return STEP_RANKS.get(self.kind, OTHER_RANK)


def ordered_todo(steps: Iterable[Step]) -> list[Step]:
    """The steps to do, in the one order: by rank (``STEP_RANKS``), and within a rank the soonest deadline
    first (no deadline last; the checklist's order on ties)."""
    todo = [s for s in steps if s.state is StepState.TODO]
    return sorted(todo, key=lambda s: (s.rank, s.deadline is None, s.deadline or dt.date.max))


class NextStep(BaseModel):
    """One of an attorney's next steps, as data: a checklist item to do, or what the status asks first.

    Every output says it in its own form from these fields (verifier.readiness: ``said``, ``said_short``;
    the HTML report shows the title, the how and the deadline apart). ``Result.next_steps`` keeps the
    sentences beside them, for readers of results.jsonl; no output reads those back.
    """

    model_config = ConfigDict(frozen=True)

    kind: StepKind
    title: str = ""
    """A checklist item's title, without its court ("Link your CM/ECF account")."""
    detail: str = ""
    """A checklist item's how-to."""
    court: str | None = None
    deadline: dt.date | None = None
    status: Status | None = None
    """Kind `status`: the status whose advice this is (verifier.statuses.advice)."""
    source: Source = Source.ROSTER
    """Kind `status`: where the credentials came from, whose words the advice uses."""
    command: str = ""
    """Kind `status`: the command that checks again once it is done (`bulk` with a command to name)."""
    row: int | None = None
    """Kind `status`: the roster row to fix (an unusable row)."""
    said: str = ""
    """Kind `status`, read from a result written before next steps were data, whose words match no
    advice of this version (they named a command): said as stored."""

    @classmethod
    def of(cls, step: Step) -> NextStep:
        """A checklist item to do, as a next step."""
        return cls(kind=step.kind, title=step.title, detail=step.detail, court=step.court, deadline=step.deadline)


def _stored_advice(status: Status, text: str) -> NextStep:
    """What an earlier version's result said its status asked, as data: the advice of this version's that
    reads the same (whichever source's words they are), or the words as stored."""
    for source in Source:
        if text == next_step(status, source):
            return NextStep(kind=StepKind.STATUS, status=status, source=source)
    return NextStep(kind=StepKind.STATUS, status=status, said=text)


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
    """The next steps as sentences (`next`, said on the day of the check), for readers of results.jsonl."""
    next: list[NextStep] = Field(default_factory=list)
    """The next steps, in the one order: what outputs render."""
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

    @model_validator(mode="after")
    def _next_from_an_earlier_version(self) -> Result:
        """A result written before next steps were data has their sentences only: its next steps are its
        checklist's to-dos (in the one order), after its status's advice where that came first."""
        if "next" in self.model_fields_set or not self.next_steps:
            return self
        todo = [NextStep.of(step) for step in ordered_todo(self.steps)]
        if not self.steps:  # from before checklists: each sentence as stored
            self.next = [_stored_advice(self.status, text) for text in self.next_steps]
        elif not self.status.signed_in or not todo:
            self.next = [_stored_advice(self.status, self.next_steps[0]), *todo]
        else:
            self.next = todo
        return self

    @property
    def needs_action(self) -> bool:
        return self.status.needs_action or any(step.state is StepState.TODO for step in self.steps)
