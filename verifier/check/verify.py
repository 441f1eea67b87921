"""Check one attorney in one browser page: sign in, read Manage My Account, visit their courts.

Two ways to sign in: `browser` types the credentials into the sign-on form; `api` asks PACER's
Authentication API (the address PACER meant for scripts) for the session and hands it to the browser,
which then only opens Manage My Account (flows/auth_api.py). Should Manage My Account not take the
API's session, the form is used for that account (one more, accepted-first sign-in, reported so) and
the verification says so, for the runner to use the form for the rest of the run. Should the site
have no Authentication API (HTTP 404, 405 or 501: the password was not processed), the form is that
account's one sign-in, and the runner uses the form for the rest of the run too.

Returns plain values: an `AccountOutcome` (verifier.check.outcome), which the run makes the account's
one `Result` of (verifier.run.results). Transient faults (5xx, timeouts, dropped connections) propagate as
`TransientSiteError` / Playwright errors; `progress` says how far the sign-in had got, and
verifier.run._retry decides from that whether the runner may try again. Everything the site
*said* (wrong password, locked, MFA) is a final result and is never retried. Once the password was
sent, nothing here signs in again: a page not understood is `unrecognized_page`, described.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from flows.account import ManageAccountPage
from flows.answers import Reminder
from flows.auth_api import ApiAbsent, request_token, use_token
from flows.classify import classify_account_type
from flows.cmecf import CourtCmEcf
from flows.errors import CredentialOriginRefused, LogoutFailed, Phase, SignInProgress, TransientSiteError
from flows.navigation import DocumentWatch, read_screen
from flows.otp import CodeSource
from flows.outcome import SIGN_IN_STATUS, SignInOutcome
from flows.signin import SignOnPage
from flows.update_prompt import read_update_prompt
from verifier.check._page_trust import distrust, foreign_origin
from verifier.check.logout import Sessions, end_sessions
from verifier.check.otp_ledger import OtpLedger, give_back_unseen, otp_clock_sentence
from verifier.check.outcome import AccountOutcome
from verifier.check.site import SiteMap
from verifier.evidence.secret_text import SecretText
from verifier.models import Account, CourtCheck, Status

log = logging.getLogger(__name__)

SignInMethod = Literal["api", "browser"]

#: Loads of a page after sign-in, each with its own timeout, before the account is given up.
PAGE_TRIES = 3

API_SESSION_NOT_RETRIED = (
    "Manage My Account did not take the Authentication API's session; not signed in again with the form "
    "(at most one extra sign-in per run, and another account is spending it); --resume checks it again"
)
API_SESSION_REFUSED = (
    "Manage My Account did not take the Authentication API's session, so the sign-on form was used (one more sign-in)"
)
API_ABSENT = (
    "PACER's Authentication API is not there (HTTP {status}: no such service, the password was not processed), "
    "so the sign-on form was used"
)


class CourtInfo(Protocol):
    # Read-only, so a registry entry whose `generation` is a narrower Literal still fits.
    @property
    def generation(self) -> str: ...


class CourtLookup(Protocol):
    def get(self, court_id: str) -> CourtInfo | None: ...


@dataclass
class _ApiSignIn:
    """What the API sign-in left for the rest of the flow: a note from the site, and whether its
    session was refused."""

    note: str = ""
    refused: bool = False
    reminder: Reminder | None = None
    client_code_note: str = ""


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
    codes: CodeSource | None = None,
    may_fall_back: Callable[[], bool] | None = None,
    sessions: Sessions | None = None,
) -> AccountOutcome:
    """`codes` makes each one-time code (by default: spent once per account, verifier.check.otp_ledger).
    `may_fall_back` is asked when Manage My Account refuses the API's session: False means this
    account is not signed in again with the form (the run spends its one extra sign-in elsewhere).

    Every PACER session the check opens is ended (verifier.check.logout): before this returns or raises
    when `sessions` is None; given `sessions`, the check notes in it what it opened and the caller ends
    them (the runner does, once the result's screenshot is taken)."""
    ours = sessions is None
    opened = sessions if sessions is not None else Sessions()
    try:
        return await _verify_account(
            page, account, site, timeout_ms, courts, check_courts, on_sign_in, progress, sign_in, codes, may_fall_back,
            opened,
        )  # fmt: skip
    finally:
        if ours:
            await end_sessions(page, site, account.username, opened, timeout_s=timeout_ms / 1000)


async def _verify_account(
    page: Page,
    account: Account,
    site: SiteMap,
    timeout_ms: float,
    courts: CourtLookup | None,
    check_courts: bool,
    on_sign_in: Callable[[], None] | None,
    progress: SignInProgress | None,
    sign_in: SignInMethod,
    codes: CodeSource | None,
    may_fall_back: Callable[[], bool] | None,
    sessions: Sessions,
) -> AccountOutcome:
    progress = progress or SignInProgress()
    codes = codes or OtpLedger().source(site.login_origin, account.username)
    api = None
    absent: int | None = None
    if sign_in == "api":
        if on_sign_in:
            on_sign_in()
            on_sign_in = None  # the form, if the API is not there, is this one sign-in, not a second
        try:
            api_result = await _sign_in_by_api(page, account, site, timeout_ms, progress, codes, sessions)
        except ApiAbsent as exc:
            progress.not_taken()  # no such service: the password was not processed
            absent = exc.status
        else:
            if isinstance(api_result, AccountOutcome):
                return _without_secrets(api_result, account)
            api = api_result
    watch = DocumentWatch(page)
    try:
        outcome = await _verify(
            page,
            account,
            site,
            watch,
            timeout_ms,
            courts,
            check_courts,
            None if api else on_sign_in,
            progress,
            codes,
            api,
            may_fall_back,
        )
    finally:
        watch.close()
    return _without_secrets(_with_sign_in_notes(outcome, api, absent), account)


def _with_sign_in_notes(outcome: AccountOutcome, api: _ApiSignIn | None, absent: int | None) -> AccountOutcome:
    """What the way in adds: no API (the form was used), the API's session refused, the API's own note
    and reminder."""
    if absent is not None:
        outcome = replace(outcome, api_absent=absent, notes=(*outcome.notes, API_ABSENT.format(status=absent)))
    if api is None:
        return outcome
    notes = [API_SESSION_REFUSED] if api.refused else []
    notes += [f"the Authentication API noted: {api.note}"] if api.note else []
    reminder = api.reminder
    return replace(
        outcome,
        notes=(*outcome.notes, *notes),
        api_session_refused=outcome.api_session_refused or api.refused,
        reminder=reminder.text if reminder is not None else outcome.reminder,
        reminder_due=reminder.due if reminder is not None else outcome.reminder_due,
        client_code_note=api.client_code_note or outcome.client_code_note,
    )


def _without_secrets(outcome: AccountOutcome, account: Account) -> AccountOutcome:
    """Whatever the site said, repeated in a result, without the account's own secrets (issue 19 §3)."""
    return SecretText.of(account).scrub_dataclass(outcome)


#: A refused code the attorney typed (`serve`): no clock here made it, so the clock is not a suspect.
TYPED_CODE = "the code was the one the attorney typed, sent as typed"


def _with_clock(message: str, status: Status, codes: CodeSource, account: Account) -> str:
    """A refused one-time code says whether the clocks differed: the reader's first two suspects are the
    secret and the clock (verifier.check.otp_ledger); for a typed code, that it was typed."""
    if status is not Status.OTP_REJECTED:
        return message
    said = TYPED_CODE if account.otp_code is not None else otp_clock_sentence(codes)
    return f"{message.rstrip().rstrip('.')}; {said}"  # the site's sentence, then ours: not "passcode.; the"


async def _sign_in_by_api(
    page: Page,
    account: Account,
    site: SiteMap,
    timeout_ms: float,
    progress: SignInProgress,
    codes: CodeSource,
    sessions: Sessions,
) -> _ApiSignIn | AccountOutcome:
    """Sign in by the Authentication API: the site's refusal as a result, or what the flow needs next."""
    code = await _one_time_code(account, codes)
    progress.before_sending()
    progress.sent()
    try:
        answer = await request_token(
            page.context.request,
            site.login_origin,
            account.username,
            account.password,
            code,
            timeout_ms=timeout_ms,
            client_code=account.client_code,
        )
    except TransientSiteError:
        progress.not_taken()  # refused before sending, or 429/503: the site says it did not take it
        raise
    except ApiAbsent:
        if code is not None and account.otp_code is None:
            # No such service: no verifier saw the code, so the form that follows may use its step
            # rather than wait up to 30 s for the next (verifier.check.otp_ledger). Only here: any
            # other failure may have reached a verifier. A typed code took no step to give back.
            await give_back_unseen(codes)
        raise
    if answer.token:
        sessions.api_token = answer.token  # a session now, whatever comes next: ended when the check is done
    outcome = answer.outcome
    if outcome is not SignInOutcome.SIGNED_IN:
        if answer.token:  # signed in with a pending action that comes first (a forced update)
            progress.accepted()
        if outcome is SignInOutcome.UPDATE_REQUIRED:
            update = read_update_prompt(answer.description)
            return AccountOutcome(Status.UPDATE_REQUIRED, f"{update.summary()}; {answer.message}", update=update)
        status = SIGN_IN_STATUS[outcome]
        return AccountOutcome(status, _with_clock(answer.message, status, codes, account))
    progress.accepted()
    assert answer.token is not None  # SIGNED_IN has one
    await use_token(page.context, answer.token, site.session_cookie_scope())
    reading = answer.reading
    return _ApiSignIn(note=answer.description, reminder=reading.reminder, client_code_note=reading.client_code)


async def _one_time_code(account: Account, codes: CodeSource) -> str | None:
    """The code typed by the attorney (serve) as is, or a new one from the roster's secret."""
    if account.otp_code is not None:
        return account.otp_code.get_secret_value()
    return await codes(account.otp_secret) if account.otp_secret is not None else None


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
    codes: CodeSource,
    api: _ApiSignIn | None = None,
    may_fall_back: Callable[[], bool] | None = None,
) -> AccountOutcome:
    manage = ManageAccountPage(page, site, watch, timeout_ms)
    if api is not None:
        await _open_signed_in(manage)  # signed in already: a failed load may be tried again in place
    else:
        await manage.open()
        await manage.landed()
    sign_on = SignOnPage(page, site, watch, timeout_ms, progress, codes)
    if await sign_on.is_showing():
        if api is not None:
            if may_fall_back is not None and not may_fall_back():
                return AccountOutcome(Status.SITE_ERROR, API_SESSION_NOT_RETRIED, api_session_refused=True)
            api.refused = True
        if on_sign_in:
            on_sign_in()
        try:
            # A typed code the API already carried is spent: the form does not get it again.
            typed = account.otp_code if api is None else None
            signed = await sign_on.sign_in(
                account.username, account.password, account.otp_secret, otp_code=typed, client_code=account.client_code
            )
        except CredentialOriginRefused as exc:
            return AccountOutcome(Status.SITE_ERROR, str(exc))
        if signed.outcome is not SignInOutcome.SIGNED_IN:
            status = SIGN_IN_STATUS[signed.outcome]
            message = _with_clock(signed.message, status, codes, account)
            return AccountOutcome(status, message, update=signed.update)
        if not await manage.is_showing():
            # The site may land elsewhere after sign-on (or on an error page): the session opens it.
            await _open_signed_in(manage)
            if await sign_on.is_showing():
                raise TransientSiteError("signed in, but the session ended before Manage My Account")
    if not await manage.is_showing():
        screen = await read_screen(page, timeout_ms)
        where = "after sign-on" if progress.phase is not Phase.NOT_SENT else "instead of the sign-on form"
        return AccountOutcome(
            Status.UNRECOGNIZED_PAGE, f"Manage My Account did not appear {where}: {screen.describe()}"
        )
    return await _read_account(manage, account, site, watch, timeout_ms, courts, check_courts)


async def _read_account(
    manage: ManageAccountPage,
    account: Account,
    site: SiteMap,
    watch: DocumentWatch,
    timeout_ms: float,
    courts: CourtLookup | None,
    check_courts: bool,
) -> AccountOutcome:
    """Manage My Account, showing: the account as read, once the page is PACER's and this account's, then
    its courts."""
    page = manage.page
    refused = foreign_origin(page.url, site)
    if refused is not None:
        return AccountOutcome(refused.status, refused.message)
    reading = await manage.read_all()
    doubt = distrust(reading, account.username)
    if doubt is not None:
        return AccountOutcome(doubt.status, doubt.message, other_account=doubt.other_account)
    data = reading.page
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
    return AccountOutcome(status, message, page=data, courts=tuple(court_checks))


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
                    check = await flow.check_currentgen_login(court_id, account.cmecf_username, account.cmecf_password)
                    checks.append(check)
                    if check.cmecf_login_ok:
                        await _log_out_of_court(flow, court_id, account)
                else:
                    checks.append(CourtCheck(court=court_id, nextgen=False, message="no CM/ECF login given to check"))
            else:
                checks.append(await flow.check_nextgen(court_id))
        except (TransientSiteError, CredentialOriginRefused) as exc:
            # One court failing must not cost the account's main result.
            checks.append(CourtCheck(court=court_id, message=f"could not check: {exc}"))
    return checks


async def _log_out_of_court(flow: CourtCmEcf, court_id: str, account: Account) -> None:
    """The CurrentGen login this check made is ended at once; one that will not end is a warning only."""
    try:
        await flow.log_out_of_court(court_id)
    except (LogoutFailed, TransientSiteError, PlaywrightError) as exc:
        log.warning(
            "%s: could not log out of %s CM/ECF (%s); the court ends the login when it expires. The result stands",
            account.username,
            court_id,
            str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__,
        )


def _cmecf_elsewhere(site: SiteMap, court_id: str, court: CourtInfo | None) -> str:
    """The court's CM/ECF address when it is not where the flows look (`ecf.<id>.uscourts.gov`), else ""."""
    url = str(getattr(court, "cmecf_url", "") or "").rstrip("/")
    if site.base_url or not url:
        return ""  # a replica serves every court under /ecf/<id>
    return "" if url == site.court_base(court_id) else url
