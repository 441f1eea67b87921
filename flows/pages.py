"""What a page says, as plain values: the flows' own types (verifier.models re-exports them, and a
`Result` carries them)."""

from __future__ import annotations

from pydantic import BaseModel, Field


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
