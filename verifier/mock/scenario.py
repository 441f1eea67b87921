"""What the mock PACER site holds: accounts, courts and fault rules, read from a JSON file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, model_validator

Variant = Literal["inline", "split", "table", "dl", "spacing", "link", "broken"]
VARIANTS: tuple[str, ...] = ("inline", "split", "table", "dl", "spacing", "link", "broken")


class FaultRule(BaseModel):
    """One way for the mock to misbehave. Rules are checked in order; the first that fires wins.

    `times` fires on the first N matching requests only; `rate` fires on that share of them, drawn
    from a random generator seeded with `seed` (repeatable); neither means every matching request.
    """

    kind: Literal["status", "drop", "retry_after", "latency", "expire_session"]
    path: str = Field(default=".*", description="regular expression searched in the request path")
    method: str | None = None
    status: int = 503
    times: int | None = None
    rate: float | None = Field(default=None, ge=0, le=1)
    seed: int = 0
    delay_s: float = 0.0
    retry_after_s: int = 1


class CmecfLogin(BaseModel):
    """An attorney's old CM/ECF login in one court, and whether it is linked to the PACER account."""

    login: str
    password: str
    linked: bool = False


class MockAccount(BaseModel):
    username: str
    password: str
    name: str = ""
    account_number: str = "1000000"
    account_type: Literal["upgraded", "legacy"] = "upgraded"
    filer: bool = False
    otp_secret: str | None = None
    state: Literal["active", "disabled", "inactive"] = "active"
    update_required: bool = False
    skips_left: int = 3
    mfa_enrolled: bool | None = None
    paa: str | None = None
    variant: Variant = "inline"
    cmecf: dict[str, CmecfLogin] = Field(default_factory=dict)
    faults: list[FaultRule] = Field(default_factory=list)
    """Faults that fire only for requests made with this account's session."""

    @model_validator(mode="after")
    def _mfa_follows_secret(self) -> MockAccount:
        if self.mfa_enrolled is None:
            self.mfa_enrolled = self.otp_secret is not None
        return self


class MockCourt(BaseModel):
    id: str
    cso_id: str
    name: str
    kind: Literal["district", "bankruptcy", "appellate"] = "district"
    generation: Literal["nextgen", "currentgen"] = "nextgen"


class MockScenario(BaseModel):
    accounts: list[MockAccount] = Field(default_factory=list)
    courts: list[MockCourt] = Field(default_factory=list)
    faults: list[FaultRule] = Field(default_factory=list)
    lockout_after: int | None = Field(default=None, ge=1)
    """Wrong passwords (or codes) in a row after which the account is locked, right password or not."""
    session_ttl_s: float = 3600.0
    latency_ms: int = 0
    variant: Variant | None = None
    """A markup variant forced on every account page (markup drift)."""


def load_scenario(path: Path | str) -> MockScenario:
    return MockScenario.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))
