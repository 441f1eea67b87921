"""Check one attorney in one browser page: sign in once, read Manage My Account, visit their courts.

What happens to one attorney, in order:

1. **Sign in, once**, the run's way (`SignInSwitch.method`). `api` sends the username and password (and a
   one-time code) to PACER's Authentication API, the address PACER offers scripts, and hands the session
   it gives to the browser (flows/auth_api.py); `browser` types them into the sign-on form as a person
   does (flows/signin.py). A one-time code is made from the roster's secret on the site's clock and
   spent once (verifier.check.otp_ledger), or is the code the attorney typed (`serve`), sent once.
2. **What the site says about the sign-in is the result**, final and never tried again in this run:
   wrong password, locked, a code needed or refused, an update demanded before signing in.
3. **Manage My Account** is opened with the session and read as a person reads it; a status comes only
   from a page that is PACER's and shows this account, once (verifier.check._page_trust).
4. **Each court** is visited with the same session (verifier.check.court_visits).
5. **Every session opened is ended**: here when the caller gives no `sessions`, else by the caller once
   its screenshot is taken (verifier.check.logout).

The only second sign-in the run may ever make, and when it may not, is the switch from the API to the
form: `SignInSwitch` below holds it and says its rule, once.

Returns plain values: an `AccountOutcome` (verifier.check.outcome), which the run makes the account's
one `Result` of (verifier.run.results). Faults of the site (5xx, timeouts, dropped connections)
propagate as `TransientSiteError` / Playwright errors; `progress` says how far the sign-in had got, and
verifier.run._retry decides from it whether the attempt may be made again: only if the password cannot
have reached the site. A page not understood after the password was sent is `unrecognized_page`,
described, never a new sign-in.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace

from playwright.async_api import Page

from flows.account import ManageAccountPage
from flows.answers import Reminder
from flows.auth_api import ApiAbsent, request_token, use_token
from flows.classify import classify_account_type
from flows.cmecf import CourtCmEcf
from flows.errors import CredentialOriginRefused, Phase, SignInProgress, TransientSiteError
from flows.navigation import DocumentWatch, read_screen
from flows.otp import CodeSource
from flows.outcome import SIGN_IN_STATUS, SignInOutcome
from flows.signin import SignOnPage
from flows.update_prompt import read_update_prompt
from verifier.check._page_trust import distrust, foreign_origin
from verifier.check._switch import Event, SignInMethod, SwitchDecision, SwitchState, decide
from verifier.check.court_visits import CourtLookup, visit_courts
from verifier.check.logout import Sessions, end_sessions
from verifier.check.otp_ledger import OtpLedger, give_back_unseen, otp_clock_sentence
from verifier.check.outcome import AccountOutcome
from verifier.check.site import SiteMap
from verifier.evidence.secret_text import SecretText
from verifier.models import Account, CourtCheck, Status

log = logging.getLogger(__name__)

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


# --- the switch from the API to the form: its one owner ----------------------------------------------


class SignInSwitch:
    """How the run signs in, and its one switch from PACER's Authentication API to the sign-on form.

    The politeness rule it keeps (PACER may end the privileges of an account that signs in too often by
    script, so each account signs in once per run, and a login the site rejected is never retried):

    - every account signs in once, by the run's method: `api` (the default) or `browser`, the form;
    - a site without the API (HTTP 404, 405 or 501: no such service) did not process the password: the
      form is that account's one sign-in, and the run uses the form from then on;
    - when the API signed in but Manage My Account asks to sign on (it did not take the API's session),
      the API had processed the password, so the form would be a second sign-in. The first account this
      happens to makes it, the run's one extra sign-in; the run uses the form from then on, and new
      sign-ins wait until that account's check ends. Any other account this happens to is not signed in
      again (site_error; a later --resume checks it);
    - when that account's check ends with an answer of the site, the waiting sign-ins go on, by the form;
      when it ends in site_error or unrecognized_page, or fails, the form did not work either and the run
      stops: no sign-in starts after it.

    `decide` (verifier.check._switch) is this rule as a pure function; this object only applies it.
    `verify_account` asks it (`method`, `api_absent`, `form_after_refused_session`); the runner tells it
    when an account's check ends (`check_ended`) and waits on it before each sign-in (`wait_settled`, via
    verifier.run.signin_gate). Alone (one check, no run), it is that check's: its extra sign-in is that
    account's.
    """

    def __init__(self, method: SignInMethod = "api") -> None:
        self._state = SwitchState(method)
        self._settled = asyncio.Event()
        self._settled.set()

    @property
    def method(self) -> SignInMethod:
        return self._state.method

    @property
    def settled(self) -> bool:
        """No account is making the run's extra sign-in now."""
        return self._state.holder is None

    async def wait_settled(self) -> None:
        await self._settled.wait()

    def api_absent(self, account: Account) -> None:
        self._apply(Event.API_ABSENT, account)

    def form_after_refused_session(self, account: Account) -> bool:
        """Manage My Account refused the API's session: may this account sign in again, with the form?"""
        return self._apply(Event.SESSION_REFUSED, account).form

    def check_ended(self, account: Account, status: Status | None) -> str:
        """`account`'s check ended (`status` None: it failed): the reason the run stops, else ""."""
        worked = status is not None and status not in (Status.SITE_ERROR, Status.UNRECOGNIZED_PAGE)
        return self._apply(Event.FORM_WORKED if worked else Event.FORM_FAILED, account).stop

    def _apply(self, event: Event, account: Account) -> SwitchDecision:
        decision = decide(self._state, event, account)
        self._state = decision.state
        if decision.said:
            log.warning("%s", decision.said)
        if self._state.holder is None:
            self._settled.set()
        else:
            self._settled.clear()
        return decision


# --- one account's check -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckContext:
    """What checking one account is given, passed as one: the page, the account, the site, the run's
    settings for it, where its one-time codes come from, what it opened, and the run's switch."""

    page: Page
    account: Account
    site: SiteMap
    switch: SignInSwitch
    progress: SignInProgress
    codes: CodeSource
    sessions: Sessions
    timeout_ms: float = 30_000
    courts: CourtLookup | None = None
    check_courts: bool = True


@dataclass(frozen=True)
class _ApiSignIn:
    """What the API's answer leaves for the rest of the check: its note, reminder and client-code note."""

    note: str = ""
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
    progress: SignInProgress | None = None,
    sign_in: SignInMethod | SignInSwitch = "browser",
    codes: CodeSource | None = None,
    sessions: Sessions | None = None,
) -> AccountOutcome:
    """Check `account` in `page`. `sign_in`: the method, or the run's `SignInSwitch` (the runner's).
    `codes` makes each one-time code (by default: spent once per account, verifier.check.otp_ledger).

    Every PACER session the check opens is ended: before this returns or raises when `sessions` is None;
    given `sessions`, the check notes in it what it opened and the caller ends them."""
    check = CheckContext(
        page=page,
        account=account,
        site=site,
        switch=sign_in if isinstance(sign_in, SignInSwitch) else SignInSwitch(sign_in),
        progress=progress or SignInProgress(),
        codes=codes or OtpLedger().source(site.login_origin, account.username),
        sessions=sessions if sessions is not None else Sessions(),
        timeout_ms=timeout_ms,
        courts=courts,
        check_courts=check_courts,
    )
    try:
        return SecretText.of(account).scrub_dataclass(await _check(check))  # the site's words, without secrets
    finally:
        if sessions is None:
            await end_sessions(page, site, account.username, check.sessions, timeout_s=timeout_ms / 1000)


async def _check(check: CheckContext) -> AccountOutcome:
    api: _ApiSignIn | None = None
    absent: int | None = None
    if check.switch.method == "api":
        try:
            answered = await _sign_in_by_api(check)
        except ApiAbsent as exc:
            check.progress.not_taken()  # no such service: the password was not processed
            check.switch.api_absent(check.account)  # the form is this account's one sign-in
            absent = exc.status
        else:
            if isinstance(answered, AccountOutcome):
                return answered
            api = answered
    watch = DocumentWatch(check.page)
    try:
        outcome = await _on_the_site(check, watch, api)
    finally:
        watch.close()
    if absent is not None:
        outcome = replace(outcome, api_absent=absent, notes=(*outcome.notes, API_ABSENT.format(status=absent)))
    return outcome if api is None else _with_api_notes(outcome, api)


async def _sign_in_by_api(check: CheckContext) -> _ApiSignIn | AccountOutcome:
    """Sign in by the Authentication API: the site's refusal as a result, or what the check needs next."""
    account, progress = check.account, check.progress
    code = await _one_time_code(check)
    progress.before_sending()
    progress.sent()
    try:
        answer = await request_token(
            check.page.context.request,
            check.site.login_origin,
            account.username,
            account.password,
            code,
            timeout_ms=check.timeout_ms,
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
            await give_back_unseen(check.codes)
        raise
    if answer.token:
        check.sessions.api_token = answer.token  # a session now, whatever comes next: ended when done
    outcome = answer.outcome
    if outcome is not SignInOutcome.SIGNED_IN:
        if answer.token:  # signed in with a pending action that comes first (a forced update)
            progress.accepted()
        if outcome is SignInOutcome.UPDATE_REQUIRED:
            update = read_update_prompt(answer.description)
            return AccountOutcome(Status.UPDATE_REQUIRED, f"{update.summary()}; {answer.message}", update=update)
        status = SIGN_IN_STATUS[outcome]
        return AccountOutcome(status, _with_clock(answer.message, status, check))
    progress.accepted()
    assert answer.token is not None  # SIGNED_IN has one
    await use_token(check.page.context, answer.token, check.site.session_cookie_scope())
    reading = answer.reading
    return _ApiSignIn(note=answer.description, reminder=reading.reminder, client_code_note=reading.client_code)


async def _one_time_code(check: CheckContext) -> str | None:
    """The code typed by the attorney (serve) as is, or a new one from the roster's secret."""
    account = check.account
    if account.otp_code is not None:
        return account.otp_code.get_secret_value()
    return await check.codes(account.otp_secret) if account.otp_secret is not None else None


#: A refused code the attorney typed (`serve`): no clock here made it, so the clock is not a suspect.
TYPED_CODE = "the code was the one the attorney typed, sent as typed"


def _with_clock(message: str, status: Status, check: CheckContext) -> str:
    """A refused one-time code says whether the clocks differed: the reader's first two suspects are the
    secret and the clock (verifier.check.otp_ledger); for a typed code, that it was typed."""
    if status is not Status.OTP_REJECTED:
        return message
    said = TYPED_CODE if check.account.otp_code is not None else otp_clock_sentence(check.codes)
    return f"{message.rstrip().rstrip('.')}; {said}"  # the site's sentence, then ours: not "passcode.; the"


def _with_api_notes(outcome: AccountOutcome, api: _ApiSignIn) -> AccountOutcome:
    """What the API's answer adds: its note and reminder, and the client-code note."""
    reminder = api.reminder
    return replace(
        outcome,
        notes=(*outcome.notes, *([f"the Authentication API noted: {api.note}"] if api.note else [])),
        reminder=reminder.text if reminder is not None else outcome.reminder,
        reminder_due=reminder.due if reminder is not None else outcome.reminder_due,
        client_code_note=api.client_code_note or outcome.client_code_note,
    )


async def _on_the_site(check: CheckContext, watch: DocumentWatch, api: _ApiSignIn | None) -> AccountOutcome:
    """Manage My Account, signed in by the API already or by the form now, then read."""
    manage = ManageAccountPage(check.page, check.site, watch, check.timeout_ms)
    if api is not None:
        await _open_signed_in(manage)  # signed in already: a failed load may be tried again in place
    else:
        await manage.open()
        await manage.landed()
    sign_on = SignOnPage(check.page, check.site, watch, check.timeout_ms, check.progress, check.codes)
    if not await sign_on.is_showing():
        return await _read_when_shown(check, manage, watch)
    if api is None:
        return await _by_the_form(check, manage, sign_on, watch, typed=True)
    # The API signed in, yet Manage My Account asks to sign on: the form would be a second sign-in.
    if not check.switch.form_after_refused_session(check.account):
        return AccountOutcome(Status.SITE_ERROR, API_SESSION_NOT_RETRIED, api_session_refused=True)
    outcome = await _by_the_form(check, manage, sign_on, watch, typed=False)  # a typed code went to the API
    return replace(outcome, notes=(*outcome.notes, API_SESSION_REFUSED), api_session_refused=True)


async def _by_the_form(
    check: CheckContext, manage: ManageAccountPage, sign_on: SignOnPage, watch: DocumentWatch, *, typed: bool
) -> AccountOutcome:
    """Sign in with the form, then Manage My Account. `typed`: the code the attorney typed goes with it."""
    account = check.account
    try:
        signed = await sign_on.sign_in(
            account.username,
            account.password,
            account.otp_secret,
            otp_code=account.otp_code if typed else None,
            client_code=account.client_code,
        )
    except CredentialOriginRefused as exc:
        return AccountOutcome(Status.SITE_ERROR, str(exc))
    if signed.outcome is not SignInOutcome.SIGNED_IN:
        status = SIGN_IN_STATUS[signed.outcome]
        return AccountOutcome(status, _with_clock(signed.message, status, check), update=signed.update)
    if not await manage.is_showing():
        # The site may land elsewhere after sign-on (or on an error page): the session opens it.
        await _open_signed_in(manage)
        if await sign_on.is_showing():
            raise TransientSiteError("signed in, but the session ended before Manage My Account")
    return await _read_when_shown(check, manage, watch)


async def _read_when_shown(check: CheckContext, manage: ManageAccountPage, watch: DocumentWatch) -> AccountOutcome:
    """Manage My Account as read, once the page is PACER's and this account's, then its courts."""
    page = check.page
    if not await manage.is_showing():
        screen = await read_screen(page, check.timeout_ms)
        where = "after sign-on" if check.progress.phase is not Phase.NOT_SENT else "instead of the sign-on form"
        return AccountOutcome(
            Status.UNRECOGNIZED_PAGE, f"Manage My Account did not appear {where}: {screen.describe()}"
        )
    refused = foreign_origin(page.url, check.site)
    if refused is not None:
        return AccountOutcome(refused.status, refused.message)
    reading = await manage.read_all()
    doubt = distrust(reading, check.account.username)
    if doubt is not None:
        return AccountOutcome(doubt.status, doubt.message, other_account=doubt.other_account)
    data = reading.page
    status = classify_account_type(data.account_type_label)
    label = data.account_type_label
    message = f"Account Type: {label}" if label else "no 'Account Type' on Manage My Account"
    courts: list[CourtCheck] = []
    if check.check_courts and status.signed_in:
        flow = CourtCmEcf(page, check.site, watch, check.timeout_ms)
        courts = await visit_courts(flow, check.account, check.site, check.courts)
    return AccountOutcome(status, message, page=data, courts=tuple(courts))


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
