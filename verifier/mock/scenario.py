"""What the mock PACER site holds: accounts, courts and fault rules, read from a JSON file.

The default scenario is `fixtures/mock_site.json` (written by `fixtures/generate.py`). Every model
refuses unknown fields, so a typo in a scenario file is an error, not a silently ignored setting.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Variant = Literal["inline", "split", "table", "dl", "spacing", "link", "broken"]
#: Markup variants of Manage My Account (docs/mock-site.md, "Markup drift variants").
VARIANTS: tuple[str, ...] = get_args(Variant)

FaultKind = Literal["status", "retry_after", "latency", "expire_session", "drop", "empty", "protocol_error"]
#: Kinds that answer the request themselves (the page is never served); the others only add to it.
ANSWERING_KINDS = frozenset({"status", "retry_after", "drop", "empty", "protocol_error"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FaultRule(_Strict):
    """One way for the mock to misbehave, on the requests whose path matches `path`.

    Kinds:

    - `status`: answer `status` (500, 503, ...) with a short error page.
    - `retry_after`: answer 429 Too Many Requests with `Retry-After: retry_after_s`.
    - `latency`: wait `delay_s` seconds, then serve the page (a slow page; with `path` ".*", every page).
    - `expire_session`: end the caller's PACER session just before the page is served, so a signed-in
      browser is sent back to sign-on. Only requests that carry a live session count as hits.
    - `drop`: cut the connection mid-response: the headers announce a body, part of it is sent, then
      the connection is reset. Chromium commits the half page, reports the request failed
      (`net::ERR_CONTENT_LENGTH_MISMATCH`) and never finishes loading it, so a flow sees a timeout.
    - `protocol_error`: a reply no browser can read (two different Content-Length headers), then the
      connection is closed. Chromium fails the navigation at once (`net::ERR_RESPONSE_HEADERS_MULTIPLE_
      CONTENT_LENGTH`) and does not send the request again: the quick, deterministic "network error".
    - `empty`: close the connection without sending a byte. Chromium treats that on a reused keep-alive
      connection as a stale socket and silently sends the request again (POSTs too), so one request
      from the page may arrive (and count) more than once. Real behaviour; use it to test exactly that.

    Which hits fire: `times` fires on the first N matching requests only; `rate` fires on that share
    of them, drawn from a random generator seeded with `seed` (the same requests in the same order
    give the same faults); neither means every matching request. With `username`, only requests
    made by or for that account match (its session, its half-finished sign-on, or the username typed
    into the sign-on form). With `per_username`, `times`/`rate` count separately for each username.

    `status`/`retry_after`/`drop`/`empty`/`protocol_error` answer the request, so the first of them
    that fires wins; `latency` and `expire_session` rules all apply before it.
    """

    kind: FaultKind
    path: str = Field(default=".*", description="regular expression searched in the request path")
    method: str | None = Field(default=None, description="GET, POST, ... (any when unset)")
    username: str | None = None
    per_username: bool = False
    status: int = Field(default=503, ge=400, le=599)
    times: int | None = Field(default=None, ge=0)
    rate: float | None = Field(default=None, ge=0, le=1)
    seed: int = 0
    delay_s: float = Field(default=0.0, ge=0)
    retry_after_s: int = Field(default=1, ge=0)
    name: str | None = Field(default=None, description="label in stats()['faults']")

    @field_validator("path")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"path {value!r} is not a regular expression: {exc}") from None
        return value


class CmecfLogin(_Strict):
    """An attorney's old CM/ECF login in one court, and whether it is linked to the PACER account."""

    login: str
    password: str
    linked: bool = False


class MockAccount(_Strict):
    """A PACER account on the mock site. Mutable while the site runs (skips used, upgrades, links);
    the site works on copies, so `MockServer.reset()` restores the scenario's values."""

    username: str
    password: str
    name: str = ""
    account_number: str = Field(default="1000000", pattern=r"^\d{7}$")
    account_type: Literal["upgraded", "legacy"] = "upgraded"
    filer: bool = False
    """Has e-filing privileges somewhere: sign-on shows the Redaction Agreement."""
    otp_secret: str | None = None
    """Base32 TOTP secret: sign-on asks for a one-time passcode."""
    state: Literal["active", "disabled", "inactive"] = "active"
    update_required: bool = False
    """Sign-on shows "User Update Required" (password change due)."""
    skips_left: int = Field(default=3, ge=0)
    mfa_enrolled: bool | None = None
    """Shown as "Multifactor Auth"; defaults to whether there is an `otp_secret`."""
    paa: str | None = None
    """The firm's PACER Administrative Account this account belongs to (firm billing)."""
    paa_admin: bool = False
    """Owns a PACER Administrative Account: Manage My Account shows the PAA Maintenance tab."""
    variant: Variant = "inline"
    cmecf: dict[str, CmecfLogin] = Field(default_factory=dict)
    """Old CM/ECF logins by court id."""
    faults: list[FaultRule] = Field(default_factory=list)
    """Faults that fire only for this account's requests (as if each had `username` set)."""

    @model_validator(mode="after")
    def _mfa_follows_secret(self) -> MockAccount:
        if self.mfa_enrolled is None:
            self.mfa_enrolled = self.otp_secret is not None
        return self

    @field_validator("cmecf")
    @classmethod
    def _court_ids_lower(cls, value: dict[str, CmecfLogin]) -> dict[str, CmecfLogin]:
        return {court.lower(): login for court, login in value.items()}

    def expected_status(self) -> str:
        """The status pacer-verify should report for this account when the roster gives the right
        password and (where needed) the one-time-code secret. A `models.Status` value."""
        if self.state in ("disabled", "inactive"):
            return "locked"
        if self.update_required:
            return "password_change_required"
        if any(f.kind in ANSWERING_KINDS and f.times is None and f.rate is None for f in self.faults):
            return "site_error"
        if self.variant == "broken":
            return "unrecognized_page"
        return self.account_type


class MockCourt(_Strict):
    id: str
    """The court's id in its CM/ECF address, e.g. "cod" for ecf.cod.uscourts.gov."""
    cso_id: str
    """Its Central Sign-On id (`pscCourtId`), e.g. "CODC"."""
    name: str
    kind: Literal["district", "bankruptcy", "appellate"] = "district"
    generation: Literal["nextgen", "currentgen"] = "nextgen"
    note: str = ""

    @field_validator("id")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


class MockScenario(_Strict):
    accounts: list[MockAccount] = Field(default_factory=list)
    courts: list[MockCourt] = Field(default_factory=list)
    faults: list[FaultRule] = Field(default_factory=list)
    lockout_after: int | None = Field(default=None, ge=1)
    """Failed sign-ons in a row (wrong password or one-time code) after which the account is
    locked: from then on even the right password gets the locked message."""
    session_ttl_s: float = Field(default=3600.0, gt=0)
    latency_ms: int = Field(default=0, ge=0)
    """Delay added to every request."""
    variant: Variant | None = None
    """A markup variant forced on every account page (markup drift across the whole site)."""
    api_opens_account: bool = True
    """Whether Manage My Account takes a session made by the Authentication API. Unknown for the real
    site; False makes it send such a browser to the sign-on page, as if the API's token were not enough."""

    @model_validator(mode="after")
    def _unique_usernames(self) -> MockScenario:
        seen: set[str] = set()
        for account in self.accounts:
            key = account.username.lower()
            if key in seen:
                raise ValueError(f"username {account.username!r} appears twice (usernames are case-insensitive)")
            seen.add(key)
        return self

    def account(self, username: str) -> MockAccount | None:
        key = username.strip().lower()
        return next((a for a in self.accounts if a.username.lower() == key), None)


def load_scenario(path: Path | str) -> MockScenario:
    return MockScenario.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))
