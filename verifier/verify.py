"""Check one attorney in one browser page: sign in, read Manage My Account, visit their courts.

Two ways to sign in: `browser` types the credentials into the sign-on form; `api` asks PACER's
Authentication API (the address PACER meant for scripts) for the session and hands it to the browser,
which then only opens Manage My Account (flows/auth_api.py). Should Manage My Account not take the
API's session, the form is used for that account (one more sign-in, reported so) and the verification
says so, for the runner to use the form for the rest of the run.

Returns plain values. Transient faults (5xx, timeouts, dropped connections) propagate as
`TransientSiteError` / Playwright errors; `progress` says how far the sign-in had got, and
verifier.retry_policy decides from that whether the runner may try again. Everything the site
*said* (wrong password, locked, MFA) is a final result and is never retried. Once the password was
sent, nothing here signs in again: a page not understood is `unrecognized_page`, described.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from playwright.async_api import Page

from flows.account import ManageAccountPage
from flows.auth_api import ApiOutcome, request_token, use_token
from flows.classify import classify_account_type
from flows.cmecf import CourtCmEcf
from flows.errors import CredentialOriginRefused, Phase, SignInProgress, TransientSiteError
from flows.navigation import DocumentWatch, read_screen
from flows.signin import SignInOutcome, SignOnPage
from verifier.models import NEXT_STEP, Account, AccountPage, CourtCheck, Result, Status
from verifier.otp import code_at
from verifier.site import SiteMap

SignInMethod = Literal["api", "browser"]

#: Loads of a page after sign-in, each with its own timeout, before the account is given up.
PAGE_TRIES = 3

SIGN_IN_STATUS: dict[SignInOutcome, Status] = {
    SignInOutcome.INVALID_CREDENTIALS: Status.INVALID_CREDENTIALS,
    SignInOutcome.LOCKED: Status.LOCKED,
    SignInOutcome.MFA_REQUIRED: Status.MFA_REQUIRED,
    SignInOutcome.PASSWORD_CHANGE_REQUIRED: Status.PASSWORD_CHANGE_REQUIRED,
    SignInOutcome.UNRECOGNIZED: Status.UNRECOGNIZED_PAGE,
}
API_STATUS: dict[ApiOutcome, Status] = {
    ApiOutcome.INVALID_CREDENTIALS: Status.INVALID_CREDENTIALS,
    ApiOutcome.LOCKED: Status.LOCKED,
    ApiOutcome.MFA_REQUIRED: Status.MFA_REQUIRED,
    ApiOutcome.PASSWORD_CHANGE_REQUIRED: Status.PASSWORD_CHANGE_REQUIRED,
    ApiOutcome.UNRECOGNIZED: Status.UNRECOGNIZED_PAGE,
}
API_SESSION_REFUSED = (
    "Manage My Account did not take the Authentication API's session, so the sign-on form was used (one more sign-in)"
)


class CourtInfo(Protocol):
    # Read-only, so a registry entry whose `generation` is a narrower Literal still fits.
    @property
    def generation(self) -> str: ...


class CourtLookup(Protocol):
    def get(self, court_id: str) -> CourtInfo | None: ...


@dataclass
class Verification:
    result: Result
    page: AccountPage | None = None
    api_session_refused: bool = False
    """The API signed in but Manage My Account asked for the form: the runner uses the form from now on."""


@dataclass
class _ApiSignIn:
    """What the API sign-in left for the rest of the flow: a note from the site, and whether its
    session was refused."""

    note: str = ""
    refused: bool = False


def result_for(account: Account, status: Status, message: str = "", **fields: object) -> Result:
    return Result(
        name=account.display_name,
        username=account.username,
        row=account.row,
        status=status,
        message=message,
        next_steps=[NEXT_STEP[status]],
        **fields,  # type: ignore[arg-type]
    )


async def verify_account(
    page: Page,
    account: Account,
    site: SiteMap,
    *,
    timeout_ms: float = 30_000,
    courts: CourtLookup | None = None,
    check_courts: bool = True,
    on_sign_in: Callable[[], None] | None = None,
    progress: SignInProgress | None = None,
    sign_in: SignInMethod = "browser",
) -> Verification:
    progress = progress or SignInProgress()
    api = None
    if sign_in == "api":
        if on_sign_in:
            on_sign_in()
        api_result = await _sign_in_by_api(page, account, site, timeout_ms, progress)
        if isinstance(api_result, Result):
            return Verification(api_result)
        api = api_result
    watch = DocumentWatch(page)
    try:
        verification = await _verify(
            page, account, site, watch, timeout_ms, courts, check_courts, None if api else on_sign_in, progress, api
        )
    finally:
        watch.close()
    if api is not None and (api.refused or api.note):
        notes = [API_SESSION_REFUSED] if api.refused else []
        notes += [f"the Authentication API noted: {api.note}"] if api.note else []
        message = "; ".join([verification.result.message, *notes]) if verification.result.message else "; ".join(notes)
        verification.result = verification.result.model_copy(update={"message": message})
        verification.api_session_refused = api.refused
    return verification


async def _sign_in_by_api(
    page: Page, account: Account, site: SiteMap, timeout_ms: float, progress: SignInProgress
) -> _ApiSignIn | Result:
    """Sign in by the Authentication API: the site's refusal as a result, or what the flow needs next."""
    code = _one_time_code(account)
    progress.sent()
    try:
        answer = await request_token(
            page.context.request, site.login_origin, account.username, account.password, code, timeout_ms=timeout_ms
        )
    except TransientSiteError:
        progress.not_taken()  # refused before sending, or 429/503: the site says it did not take it
        raise
    outcome = answer.outcome
    if outcome is not ApiOutcome.SIGNED_IN:
        if answer.token:  # signed in with a pending action that comes first (a forced update)
            progress.accepted()
        said = answer.description or f"loginResult {answer.login_result or '(none)'}"
        return result_for(account, API_STATUS[outcome], f"the Authentication API answered: {said}")
    progress.accepted()
    assert answer.token is not None  # SIGNED_IN has one
    await use_token(page.context, answer.token, site.session_cookie_scope())
    return _ApiSignIn(note=answer.description)


def _one_time_code(account: Account) -> str | None:
    """The code typed by the attorney (serve) as is, or the current one from the roster's secret."""
    if account.otp_code is not None:
        return account.otp_code.get_secret_value()
    return code_at(account.otp_secret.get_secret_value()) if account.otp_secret is not None else None


async def _verify(
    page: Page,
    account: Account,
    site: SiteMap,
    watch: DocumentWatch,
    timeout_ms: float,
    courts: CourtLookup | None,
    check_courts: bool,
    on_sign_in: Callable[[], None] | None,
    progress: SignInProgress,
    api: _ApiSignIn | None = None,
) -> Verification:
    manage = ManageAccountPage(page, site, watch, timeout_ms)
    if api is not None:
        await _open_signed_in(manage)  # signed in already: a failed load may be tried again in place
    else:
        await manage.open()
        await manage.landed()
    sign_on = SignOnPage(page, site, watch, timeout_ms, progress)
    if await sign_on.is_showing():
        if api is not None:
            api.refused = True
        if on_sign_in:
            on_sign_in()
        try:
            # A typed code the API already carried is spent: the form does not get it again.
            typed = account.otp_code if api is None else None
            signed = await sign_on.sign_in(account.username, account.password, account.otp_secret, otp_code=typed)
        except CredentialOriginRefused as exc:
            return Verification(result_for(account, Status.SITE_ERROR, str(exc)))
        if signed.outcome is not SignInOutcome.SIGNED_IN:
            return Verification(result_for(account, SIGN_IN_STATUS[signed.outcome], signed.message))
        if not await manage.is_showing():
            # The site may land elsewhere after sign-on (or on an error page): the session opens it.
            await _open_signed_in(manage)
            if await sign_on.is_showing():
                raise TransientSiteError("signed in, but the session ended before Manage My Account")
    if not await manage.is_showing():
        screen = await read_screen(page, timeout_ms)
        where = "after sign-on" if progress.phase is not Phase.NOT_SENT else "instead of the sign-on form"
        return Verification(
            result_for(
                account, Status.UNRECOGNIZED_PAGE, f"Manage My Account did not appear {where}: {screen.describe()}"
            )
        )

    data = await manage.read()
    status = classify_account_type(data.account_type_label)
    message = (
        f"Account Type: {data.account_type_label}"
        if data.account_type_label
        else "no 'Account Type' on Manage My Account"
    )
    court_checks = (
        await _check_courts(page, account, site, watch, timeout_ms, courts)
        if (check_courts and status.signed_in)
        else []
    )
    result = result_for(
        account,
        status,
        message,
        account_type=data.account_type_label,
        needs_upgrade=status is Status.LEGACY,
        mfa_enrolled=data.mfa_enrolled,
        firm_billing=data.paa_label,
        courts=court_checks,
    )
    return Verification(result, data)


async def _open_signed_in(manage: ManageAccountPage) -> None:
    """Open Manage My Account with the session, trying a failed load again in place: a page load
    with a session sends no password, so it may be repeated (unlike the sign-in)."""
    for attempt in range(1, PAGE_TRIES + 1):
        try:
            await manage.open()
            await manage.landed()
            return
        except TransientSiteError as exc:
            if attempt == PAGE_TRIES:
                raise
            await asyncio.sleep(min(8.0, exc.retry_after_s or 0.5 * 2 ** (attempt - 1)))


async def _check_courts(
    page: Page,
    account: Account,
    site: SiteMap,
    watch: DocumentWatch,
    timeout_ms: float,
    courts: CourtLookup | None,
) -> list[CourtCheck]:
    flow = CourtCmEcf(page, site, watch, timeout_ms)
    checks: list[CourtCheck] = []
    for court_id in account.courts:
        court = courts.get(court_id) if courts else None
        elsewhere = _cmecf_elsewhere(site, court_id, court)
        if elsewhere:
            # The bankruptcy appellate panels file in their circuit's CM/ECF (docs/courts.md): visiting
            # ecf.<id>.uscourts.gov would ask a host that does not exist.
            checks.append(CourtCheck(court=court_id, message=f"not checked: this court's CM/ECF is {elsewhere}"))
            continue
        try:
            if court is not None and court.generation == "currentgen":
                if account.cmecf_username and account.cmecf_password:
                    checks.append(
                        await flow.check_currentgen_login(court_id, account.cmecf_username, account.cmecf_password)
                    )
                else:
                    checks.append(
                        CourtCheck(court=court_id, nextgen=False, message="no CM/ECF login in the roster to check")
                    )
            else:
                checks.append(await flow.check_nextgen(court_id))
        except (TransientSiteError, CredentialOriginRefused) as exc:
            # One court failing must not cost the account's main result.
            checks.append(CourtCheck(court=court_id, message=f"could not check: {exc}"))
    return checks


def _cmecf_elsewhere(site: SiteMap, court_id: str, court: CourtInfo | None) -> str:
    """The court's CM/ECF address when it is not where the flows look (`ecf.<id>.uscourts.gov`), else ""."""
    url = str(getattr(court, "cmecf_url", "") or "").rstrip("/")
    if site.base_url or not url:
        return ""  # a replica serves every court under /ecf/<id>
    return "" if url == site.court_base(court_id) else url
