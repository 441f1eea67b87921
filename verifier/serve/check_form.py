"""POST /check: the attorney's form, refused before any sign-in whenever it must be, in this order:

1. a stale or forged form (the CSRF token; the `Origin` was checked already);
2. too many posts from one client address, or with one personal link;
3. with a roster, any post without a valid personal link (the link decides the username: a username
   field sent with it is ignored);
4. a username PACER cannot have (printable ASCII, no spaces, at most 64 characters), no password,
   a code that is not 6 digits;
5. a username with 2 failed sign-ins in 24 hours (verifier.serve.failures);
6. a code already used for the account in this 30-second step.

Only then is the check handed to the check service, which signs in once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import SecretStr
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from verifier.models import Account
from verifier.roster import username_problem
from verifier.serve.checks import AlreadyChecking, CheckService, QueueFull
from verifier.serve.form_view import FormView, court_names, form_field
from verifier.serve.people import Person
from verifier.serve.security import RateLimit, client_address

MAX_PASSWORD = 256
#: Longer than any PACER username described anywhere (docs/real-site.md), and short enough for any log.
MAX_USERNAME = 64
CSRF_FIELD = "csrf"


@dataclass
class Limits:
    """Posts per client address and per personal link."""

    per_address: int = 10
    per_link: int = 5
    window_s: float = 600.0


class CheckForm:
    def __init__(
        self,
        roster_only: bool,
        limits: Limits,
        contact: str,
        view: FormView,
        checks: CheckService,
        person_for: Callable[[str], Person | None],
    ) -> None:
        self.roster_only = roster_only
        self.contact = contact
        self.view = view
        self.checks = checks
        self.person_for = person_for
        self.by_address = RateLimit(limits.per_address, limits.window_s)
        self.by_link = RateLimit(limits.per_link, limits.window_s)

    async def check(self, request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=8)
        if not self.view.csrf.valid(request, form_field(form, CSRF_FIELD)):
            return self.view.forbidden()
        if not self.by_address.allow(client_address(request)):
            return self.view.message(
                request, 429, "Too many checks from here", "Please wait ten minutes, then try again."
            )
        token = form_field(form, "link")
        person = self.person_for(token) if token else None
        if token and person is None:
            return self.view.message(
                request, 404, "This link does not work", f"It has expired; ask {self.contact} for a new one."
            )
        if self.roster_only and person is None:
            return self.view.message(
                request,
                403,
                "Please use your personal link",
                f"This page checks the firm's attorneys only through the personal link each was sent. "
                f"Open yours from IT's e-mail, or ask {self.contact} for it.",
            )
        back = f"/a/{token}" if person else "/"
        if person and not self.by_link.allow(f"row:{person.row}"):
            return self.view.message(
                request, 429, "Too many checks with this link", "Please wait ten minutes, then try again.", back
            )
        username = person.username if person else form_field(form, "username").strip()
        password = form_field(form, "password")
        code = "".join(form_field(form, "otp_code").split())
        problem = form_problem(username, password, code)
        if problem:
            return self._form_again(request, person, token, username, problem)
        refusal = await self._refusal(request, username, bool(code), back)
        if refusal is not None:
            return refusal
        account = _account(person, username, password, code)
        del password, code, form  # only the account holds them now, for this one check
        return self._submit(request, account, back)

    async def _refusal(self, request: Request, username: str, with_code: bool, back: str) -> Response | None:
        """Why this username is not tried now, as a page; None when it may be."""
        closed = self.closed_page(request, username, back)
        if closed is not None:
            return closed
        if with_code and not await self.checks.spend_typed_code(username):
            return self.view.message(
                request,
                409,
                "This one-time code was used already",
                "A code was already sent for this account in this 30-second step, and PACER takes each code "
                "once. Wait until your authenticator app shows a new code, then check again with it.",
                back,
            )
        return None

    def closed_page(self, request: Request, username: str, back: str) -> Response | None:
        """The page saying until when this username is not tried (two failed sign-ins in 24 hours), or None.
        Also shown instead of the form on the attorney's own link, so nobody types a password in vain."""
        until = self.checks.failures.open_again(username)
        if until is not None:
            return self.view.message(
                request,
                429,
                "Not checked: please wait before trying this account again",
                f"PACER refused two sign-ins for {username} in the last 24 hours. Every refused sign-in counts "
                "towards locking the account, so this page will not try it again until "
                f"{_when(until)}.",
                back,
                notes=(
                    "Check your username and password on pacer.uscourts.gov first.",
                    f"If you did not make these attempts, or must check sooner, ask {self.contact}.",
                ),
            )
        return None

    def _form_again(self, request: Request, person: Person | None, token: str, username: str, problem: str) -> Response:
        """The form again with the one line that says what to fix; a username shown back only if it is one."""
        shown_name = "" if username_problem(username) or len(username) > MAX_USERNAME else username
        return self.view.html(
            request,
            "attorney.html.j2",
            400,
            person=person,
            link=token,
            error=problem,
            username=shown_name,
            court_names=court_names(self.checks.courts, person),
        )

    def _submit(self, request: Request, account: Account, back: str) -> Response:
        try:
            job = self.checks.submit(account)
        except AlreadyChecking:
            return self.view.message(
                request, 409, "Already checking", "A check of this account is running; wait for it."
            )
        except QueueFull:
            return self.view.message(
                request, 503, "Busy", "Many checks are waiting; please try again in a few minutes."
            )
        job.back = back
        return RedirectResponse(f"/check/{job.id}", status_code=303)


def form_problem(username: str, password: str, code: str) -> str:
    """One line naming the field; never repeating what was typed in Password or One-time code."""
    if not username:
        return "PACER username: please fill it in."
    if len(username) > MAX_USERNAME:
        return f"PACER username: longer than {MAX_USERNAME} characters; PACER's are shorter."
    problem = username_problem(username)
    if problem:
        return f"PACER username: {problem}."
    if not password:
        return "Password: please fill it in."
    if len(password) > MAX_PASSWORD:
        return f"Password: longer than {MAX_PASSWORD} characters; PACER's are shorter."
    if code and not (len(code) == 6 and code.isascii() and code.isdigit()):
        if len(code) > 6:
            return "One-time code: the 6 digits your authenticator app shows now, not its secret key."
        return "One-time code: 6 digits, or leave it empty."
    return ""


def _account(person: Person | None, username: str, password: str, code: str) -> Account:
    secret_password = SecretStr(password)
    otp = SecretStr(code) if code else None
    if person is not None:
        return person.account(secret_password, otp)
    return Account(username=username, password=secret_password, otp_code=otp)


def _when(moment: dt.datetime) -> str:
    """A time as the server's clock shows it, with its zone: the attorney and IT read the same."""
    return moment.astimezone().strftime("%A %d %B %Y at %H:%M %Z").replace(" 0", " ")
