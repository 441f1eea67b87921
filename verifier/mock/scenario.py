"""What the mock PACER site holds: accounts, courts and fault rules, read from a JSON file.

The default scenario is `verifier/mock/data/mock_site.json`, shipped in the package (written by
`fixtures/generate.py`; `load_default_scenario()` reads it). Every model
refuses unknown fields, so a typo in a scenario file is an error, not a silently ignored setting.
"""

from __future__ import annotations

import json
import re
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from flows.otp import normalize_secret

if TYPE_CHECKING:
    from verifier.readiness.courts import CourtRegistry

Variant = Literal["inline", "split", "table", "columns", "readonly", "grid", "dl", "spacing", "link", "broken"]
#: Markup variants of Manage My Account (docs/mock-site.md, "Markup drift variants").
VARIANTS: tuple[str, ...] = get_args(Variant)

SignOnMode = Literal["ajax", "plain"]
#: "ajax": the sign-on page's script posts each step by PrimeFaces-style XHR and applies the
#: `<partial-response>` in place (the real site, docs/real-site.md §1); "plain": whole-page posts.
StepPresentation = Literal["dialog", "page"]
#: Each sign-on step drawn as a dialog over the form, or as a page of its own.
OtpWording = Literal["one_time_passcode", "2fa_code", "verification_code"]
#: The one-time-code step's wording; the real one is not public (docs/real-site.md).
ApiWording = Literal["guide", "verbose", "plain"]
#: The Authentication API's wording (verifier/mock/auth_api.py): "guide" the examples third-party tests
#: quote from PACER's guide; "verbose" and "plain" other ways a person reads the same (docs/mock-site.md).
UpdateKind = Literal["password", "mfa_enrollment"]
#: What "User Update Required" demands: a new password, or enrollment in MFA (mostly, since Aug 2025).
MfaShown = Literal["words", "link", "app", "date"]
#: How Manage My Account shows "Multifactor Auth" (docs/real-site.md §3; only the Enroll link is
#: documented): "words" Enrolled / Not Enrolled with an Enroll link; "link" an Enroll link alone when not
#: enrolled; "app" the enrolled authenticator app's name; "date" the day of enrolment.
CourtRedirect = Literal["http", "document_location", "location_assign"]
#: How a NextGen court page sends a signed-out browser to sign-on: a 303, or a page whose script
#: sets `document.location = ...` / calls `location.assign(...)` (both seen on real court pages).

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
    """Base32 TOTP secret: sign-on asks for a one-time passcode. Any form flows.otp accepts."""
    state: Literal["active", "disabled", "inactive"] = "active"
    case_search: Literal["active", "inactive"] = "active"
    """Manage My Account's "Case Search Status" for an account that can sign in: it turns inactive after
    six months without a search, while sign-in (and filing) still work."""
    update_required: bool = False
    """Sign-on shows "User Update Required" (what it demands: `update_kind`; `skips_left` 0: no Skip button)."""
    update_kind: UpdateKind = "password"
    password_reminder: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    """A date (YYYY-MM-DD): the Authentication API signs in with "Reminder: your password must be changed by
    <date>." (a reminder that does not block the sign-in)."""
    notice_step: bool = False
    """After the other steps, sign-on shows an "Important Notice" step pacer-verify does not know
    (a Review and a Skip button): for testing that a flow never presses what it does not understand."""
    skips_left: int = Field(default=3, ge=0)
    mfa_enrolled: bool | None = None
    """Shown as "Multifactor Auth"; defaults to whether there is an `otp_secret`."""
    mfa_shown: MfaShown = "words"
    """How the "Multifactor Auth" field says it (see `MfaShown`)."""
    paa: str | None = None
    """The firm's PACER Administrative Account this account belongs to (firm billing)."""
    client_code_required: bool = False
    """The firm's PAA requires a client code (its billing preferences): a sign-in by the Authentication API
    without `clientCode` succeeds with the note "A required Client Code was not entered…" (no PACER
    search in that session; filing works)."""
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

    @field_validator("otp_secret")
    @classmethod
    def _secret_usable(cls, value: str | None) -> str | None:
        # The same rule as the roster's, so the mock and pacer-verify agree on what a secret is.
        return normalize_secret(value) if value else None

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
            return "update_required"
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
    signon_mode: SignOnMode = "ajax"
    """How the sign-on page posts its steps (a browser without JavaScript always gets whole pages)."""
    step_presentation: StepPresentation = "dialog"
    otp_wording: OtpWording = "one_time_passcode"
    view_state_namespace: Literal["javax", "jakarta"] = "javax"
    """`javax.faces.ViewState` or `jakarta.faces.ViewState` (Jakarta Faces 3+, seen on pscof in 2026)."""
    view_state_index: int = Field(default=0, ge=0, le=1)
    """The ViewState field's id ends `:0` or `:1` (both seen)."""
    ajax_delay_ms: int = Field(default=300, ge=0)
    """Time before each AJAX answer, so a flow that reads the page before the answer fails in tests."""
    pscof_login: Literal["cso", "own"] = "cso"
    """Manage My Account's sign-in: through Central Sign-On, or its own `/pscof/login.xhtml` form."""
    court_redirect: CourtRedirect = "http"
    api_wording: ApiWording = "guide"
    api_absent: Literal[404, 405, 501] | None = None
    """The site has no Authentication API: `POST /services/cso-auth` answers this status (nothing is read)."""
    clock_offset_s: float = Field(default=0.0, ge=-86_400, le=86_400)
    """How far the site's clock is from this machine's, in seconds: the mock makes and checks one-time
    codes, and writes its HTTP `Date` header, on its own clock (a site 90 s ahead: 90)."""
    api_opens_account: bool = True
    """Whether Manage My Account takes a session made by the Authentication API. Unknown for the real
    site; False makes it send such a browser to the sign-on page, as if the API's token were not enough."""

    @property
    def view_state_name(self) -> str:
        return f"{self.view_state_namespace}.faces.ViewState"

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


def court_registry(scenario: MockScenario, base: CourtRegistry | None = None) -> CourtRegistry:
    """The court registry (the bundled one unless `base`) with the mock's own courts over it.

    The mock's courts are the mock's choices (its nysd is CurrentGen, to have a CurrentGen login page;
    the real court is on NextGen), so the real registry does not hold them: a run against the mock that
    should take the CurrentGen path uses this registry (the demo does), or `--courts mock_site.json`.
    """
    from verifier.readiness.courts import load_courts

    registry = base if base is not None else load_courts()
    return registry.with_courts([c.model_dump() for c in scenario.courts], "the mock's scenario")


def load_scenario(path: Path | str | Traversable) -> MockScenario:
    """A scenario file: a path, or a bundled resource (`verifier.data.MOCK_SCENARIO`)."""
    source = Path(path) if isinstance(path, str) else path
    return MockScenario.model_validate(json.loads(source.read_text(encoding="utf-8")))


def load_default_scenario() -> MockScenario:
    """The scenario shipped in the package: the accounts docs/pytest-plugin.md lists."""
    from verifier.data import MOCK_SCENARIO

    return load_scenario(MOCK_SCENARIO)
