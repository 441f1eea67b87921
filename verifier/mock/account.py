"""Manage My Account (`/pscof/...`): the landing page with the account's fields, its tabs, and the
legacy-account upgrade (Person → Address → Security → "Upgrade complete").

The fields and their order follow PACER's help pages (docs/real-site.md §3); their HTML is not
public, so the markup, in every drift variant, is the mock's guess.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from verifier.mock.render import (
    ACCOUNT_PATH,
    LOGIN_PATH,
    PSCOF_LOGIN_PATH,
    UPGRADE_PATH,
    page,
    see_other,
    simple_page,
    to_sign_on,
)
from verifier.mock.signon import SignOnPages, password_problem

if TYPE_CHECKING:
    from verifier.mock.live import LiveState
    from verifier.mock.scenario import MockAccount
    from verifier.mock.state import MockState

MFA_SETTINGS = "/pscof/manage/settings.jsf#mfa"

#: (path name, tab label, options) per tab; options as the PACER FAQs and court guides list them.
TABS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "settings",
        "Settings",
        (
            "Set PACER Billing Preferences",
            "Update PACER Billing Email",
            "Manage MFA Settings",
            "Remove Your PACER Account from a PAA",
        ),
    ),
    (
        "maint",
        "Maintenance",
        (
            "Update Address Information",
            "Update E-Filer Email Noticing and Frequency",
            "Attorney Admissions / E-File Registration",
            "Non-Attorney E-File Registration",
            "Activate Case Search Privileges",
            "View All My Requests",
        ),
    ),
    ("payments", "Payments", ("Make One-Time PACER Fee Payment", "Manage My Stored Payment Information")),
    ("usage", "Usage", ("View Quarterly Invoice/Statement of Account", "View Detailed Transactions")),
    ("paa", "PAA Maintenance", ("Add Existing PACER Account to My PAA", "Remove PACER Account(s) from My PAA")),
)
UPGRADE_STEPS = ("person", "address", "security")
USER_TYPES = ("INDIVIDUAL", "ATTORNEY", "FEDERAL GOVERNMENT", "STATE GOVERNMENT", "LOCAL GOVERNMENT")


@dataclass(frozen=True)
class AccountField:
    label: str
    value: str
    link_text: str = ""
    link_href: str = ""


def account_fields(account: MockAccount, variant: str) -> list[AccountField]:
    """The landing page's fields in page order: account number above the username (PACER's help)."""
    fields = [AccountField("Account Number", account.account_number), AccountField("Username", account.username)]
    if variant != "broken":  # the "broken" drift variant shows no account type at all
        if account.account_type == "legacy":
            fields.append(AccountField("Account Type", "Legacy PACER Account", "(Upgrade)", UPGRADE_PATH))
        else:
            fields.append(AccountField("Account Type", "Upgraded PACER Account"))
    searching = account.state == "active" and account.case_search == "active"
    fields.append(AccountField("Case Search Status", "Active" if searching else "Inactive"))
    fields.append(mfa_field(account))
    if account.paa:
        # Whether the landing page names the PAA is not known (docs/real-site.md §3): a guess.
        fields.append(AccountField("PACER Administrative Account", account.paa))
    return fields


#: What "Multifactor Auth" shows once enrolled, per `MockAccount.mfa_shown`; all guesses (docs/real-site.md §3).
ENROLLED_AS = {"words": "Enrolled", "link": "Enrolled", "app": "Authenticator app: Work phone", "date": "05/12/2025"}


def mfa_field(account: MockAccount) -> AccountField:
    """The "Multifactor Auth" field: the Enroll link (PACER's learning aid), alone or after "Not Enrolled";
    once enrolled, a word, the app's name or the day, as the account's `mfa_shown` says."""
    if account.mfa_enrolled:
        return AccountField("Multifactor Auth", ENROLLED_AS[account.mfa_shown])
    if account.mfa_shown == "link":
        return AccountField("Multifactor Auth", "", "Enroll", MFA_SETTINGS)
    return AccountField("Multifactor Auth", "Not Enrolled", "Enroll", MFA_SETTINGS)


class AccountPages:
    def __init__(self, live: LiveState, sign_on: SignOnPages) -> None:
        self.live = live
        self.sign_on = sign_on  # the "own" Manage-My-Account login is the sign-on form at another path

    @property
    def state(self) -> MockState:
        return self.live.state

    async def pscof_login(self, request: Request) -> Response:
        # The real Manage-My-Account login is its own page (docs/real-site.md §1) whose markup is not
        # public; a 2026 report has the account pages sign in through Central Sign-On instead. The
        # scenario's `pscof_login` picks: "cso" sends it on to sign-on with the account page as
        # appurl; "own" is a sign-on form of its own, posting to itself (the same steps).
        if self.live.scenario.pscof_login == "own":
            if request.method == "POST":
                return await self.sign_on.post(request)
            return await self.sign_on.get(request)
        return to_sign_on(request, ACCOUNT_PATH)

    async def tab(self, request: Request) -> Response:
        name = request.path_params.get("tab", "maint")
        account = self.live.signed_in(request)
        if account is None:
            if self.live.scenario.pscof_login == "own":
                return see_other(f"{PSCOF_LOGIN_PATH}?appurl={quote(request.url.path, safe='')}")
            return to_sign_on(request, request.url.path)
        tabs = [t for t in TABS if t[0] != "paa" or account.paa_admin]
        if name not in {t[0] for t in tabs}:
            return simple_page("Not Found", ["There is no such page in Manage My Account."], status_code=404)
        variant = self.live.scenario.variant or account.variant
        return page(
            "account.html",
            title="Manage My Account",
            account=account,
            variant=variant,
            fields=account_fields(account, variant),
            tabs=tabs,
            active=name,
        )

    async def upgrade(self, request: Request) -> Response:
        account = self.live.signed_in(request)
        token = self.live.session_token(request)
        if account is None or token is None:
            return to_sign_on(request, UPGRADE_PATH)
        with self.state.lock:
            reached = self.state.upgrades.get(token, "person")
        if account.account_type == "upgraded":
            return self.render(account, "already")
        if request.method == "GET":
            return self.render(account, reached)
        form = await request.form()
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        if values.get("step", reached) != reached:
            return self.render(account, reached)  # the tabs go in order; a post for another tab is ignored
        problem = upgrade_problem(reached, values, account)
        if problem:
            return self.render(account, reached, problem, values)
        if reached != "security":
            following = UPGRADE_STEPS[UPGRADE_STEPS.index(reached) + 1]
            with self.state.lock:
                self.state.upgrades[token] = following
            return self.render(account, following)
        with self.state.lock:
            account.account_type = "upgraded"
            # The Security tab also asks for a new username; the mock keeps the old one so that the
            # roster still matches (a simplification), but the new password is the password from now on.
            account.password = values["newPassword"]
            self.state.upgrades.pop(token, None)
        return self.render(account, "done")

    def render(
        self, account: MockAccount, step: str, message: str = "", values: dict[str, str] | None = None
    ) -> Response:
        return page(
            "upgrade.html",
            title="Upgrade PACER Account",
            account=account,
            step=step,
            steps=UPGRADE_STEPS,
            message=message,
            values=values or {},
            user_types=USER_TYPES,
            account_path=ACCOUNT_PATH,
            login_path=LOGIN_PATH,
        )


def upgrade_problem(step: str, values: dict[str, str], account: MockAccount) -> str | None:
    if step == "person":
        try:
            born = dt.datetime.strptime(values.get("dob", "").strip(), "%m/%d/%Y").date()
        except ValueError:
            return "Enter your date of birth as MM/DD/YYYY."
        if born >= dt.date.today():
            return "The date of birth must be in the past."
        if values.get("userType", "ATTORNEY") not in USER_TYPES:
            return "Select a user type."
        return None
    if step == "address":
        return None if values.get("county", "").strip() else "Select the county of your address."
    new = values.get("newPassword", "")
    problem = password_problem(new, account)
    if problem is None and "confirmPassword" in values and values["confirmPassword"] != new:
        problem = "The passwords do not match"
    return problem
