"""A firm of 64 attorneys shaped like the demo's, each result made by the run's own readiness rules (no
browser, no site): for tests of what the report, the notices and the terminal show a firm."""

from __future__ import annotations

import datetime as dt

from pydantic import SecretStr

from flows.update_prompt import Demand
from verifier.check.outcome import AccountOutcome
from verifier.models import Account, AccountPage, CourtCheck, Result, Status, UpdateDemand
from verifier.readiness import finalizer, roster_findings
from verifier.readiness.courts import Court, CourtRegistry
from verifier.roster import RowError
from verifier.run.results import result_of, result_of_invalid_row

TODAY = dt.date(2026, 11, 22)
COURTS = CourtRegistry(
    {
        "cod": Court(id="cod", name="District of Colorado", kind="district", nextgen_go_live=dt.date(2021, 8, 2)),
        "utb": Court(id="utb", name="Utah Bankruptcy Court", kind="bankruptcy", nextgen_go_live=dt.date(2027, 3, 1)),
    }
)
#: PACER's prompts: MFA with skips left, MFA with none, a new password with none.
MFA_2 = UpdateDemand(demand=Demand.MFA_ENROLLMENT, skips_left=2)
MFA_0 = UpdateDemand(demand=Demand.MFA_ENROLLMENT, skips_left=0, restricted=True)
PASSWORD_0 = UpdateDemand(demand=Demand.PASSWORD, skips_left=0, restricted=True)

#: How many of each kind the firm has (64 in all), for the tests' expectations.
COUNTS = {
    "sign-in": 6,  # 2 locked, invalid credentials, otp rejected, mfa required, a new password demanded
    "mfa-now": 2,  # PACER's MFA prompt: 2 skips left, and access restricted
    "not-checked": 6,  # 4 invalid rows, a site error, an unreadable page
    "upgrade": 16,
    "link": 10,  # upgraded, not linked in cod
    "mfa-not-asked": 24,  # filers not enrolled, PACER has not asked: 16 legacy (cod) and 8 upgraded
    "mfa-optional": 10,  # PACER-only, not enrolled
    "action": 40,
    "ready": 24,  # the heads-ups among them: not an action
}


def _account(n: int, name: str, courts: tuple[str, ...] = ()) -> Account:
    return Account(username=f"atty{1000 + n}", name=name, password=SecretStr("Passw0rd-1"), courts=courts, row=n)


def firm() -> list[Result]:
    """64 results: what needs a person, legacy, upgraded with and without MFA, rows not checked."""
    plan: list[tuple[str, tuple[str, ...], AccountOutcome | None]] = []

    def signed(status: Status, mfa: bool, courts: tuple[str, ...] = (), linked: bool | None = None) -> None:
        checks = tuple(CourtCheck(court=c, linked=linked) for c in courts)
        kind = "Legacy" if status is Status.LEGACY else "Upgraded"
        found = AccountOutcome(status, f"Account Type: {kind} PACER Account", AccountPage(mfa_enrolled=mfa), checks)
        plan.append((kind, courts, found))

    for status, note in [
        (Status.LOCKED, "PACER says the account is disabled"),
        (Status.LOCKED, "PACER says the account is inactive"),
        (Status.INVALID_CREDENTIALS, "Invalid username or password"),
        (Status.OTP_REJECTED, "Invalid one-time passcode"),
        (Status.MFA_REQUIRED, "A one-time passcode is needed"),
    ]:
        plan.append(("Signin", ("cod",), AccountOutcome(status, note)))
    for update in (PASSWORD_0, MFA_2, MFA_0):
        plan.append(("Prompted", ("cod",), AccountOutcome(Status.UPDATE_REQUIRED, update.summary(), update=update)))
    plan.append(("Unread", (), AccountOutcome(Status.UNRECOGNIZED_PAGE, "no 'Account Type' on Manage My Account")))
    plan.append(("Sitedown", (), AccountOutcome(Status.SITE_ERROR, "the site answered HTTP 503")))
    for _ in range(16):
        signed(Status.LEGACY, False, ("cod",), linked=None)
    for _ in range(10):
        signed(Status.UPGRADED, True, ("cod",), linked=False)
    for _ in range(8):
        signed(Status.UPGRADED, False, ("cod",), linked=True)
    for _ in range(10):
        signed(Status.UPGRADED, False)
    for _ in range(6):
        signed(Status.UPGRADED, True, ("cod",), linked=True)
    accounts = [_account(n, f"{kind} Attorney {n:02d}", courts) for n, (kind, courts, _) in enumerate(plan, 1)]
    finalize = finalizer(roster_findings(accounts), COURTS, TODAY)
    results = [
        result_of(account, found, finalize(found, account, found.page))
        for account, (_, _, found) in zip(accounts, plan, strict=True)
        if found is not None
    ]
    for n in range(len(plan) + 1, len(plan) + 5):
        error = RowError(row=n, line=n + 1, field="password", message="empty password", name=f"Rowerror Attorney {n}")
        results.append(result_of_invalid_row(error))
    assert len(results) == 64, len(results)
    return results
