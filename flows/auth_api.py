"""Sign in through PACER's Authentication API, the address PACER meant for scripts, instead of the form.

`POST {sign-on origin}/services/cso-auth` with JSON `loginId`, `password`, `redactFlag`, `otpCode` and,
when the roster gives one, `clientCode`;
the answer's `nextGenCSO` token becomes the browser context's `NextGenCSO` cookie, so the browser
then opens Manage My Account already signed in: one request instead of the sign-on page, its AJAX
steps and a redirect (docs/real-site.md, "Authentication API").

The request goes through the browser context's own request client, so it carries the context's
cookies and proxy settings and is part of its trace (whose scrubber removes the body by structure).

A 404, 405 or 501 means the site has no such service (`ApiAbsent`): the password was not processed,
and the caller uses the sign-on form instead.

Politeness: the password is sent once by this client. The answer decides everything, except when the site cannot
have taken the request (the connection failed before it was sent, or HTTP 429/503): only then may the
caller try again.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from playwright.async_api import APIRequestContext, BrowserContext
from playwright.async_api import Error as PlaywrightError
from pydantic import SecretStr

from flows.answers import Reading, Said, read_answer, verdict
from flows.errors import ApiAbsent as ApiAbsent
from flows.errors import SignInUnanswered, TransientSiteError, retry_after_s
from flows.outcome import SignInOutcome

API_PATH = "/services/cso-auth"
SESSION_COOKIE = "NextGenCSO"
CURRENTGEN_COOKIE = "PacerSession"  # CurrentGen courts read this one; juriscraper sets it to the same token

SUCCESS = "0"
# Statuses with which the site says it did not take the request (so the password was not processed).
_NOT_TAKEN = frozenset({429, 503})
#: "No such service": a site without the Authentication API. The password was not processed.
NO_SUCH_SERVICE = frozenset({404, 405, 501})
_NOT_AGAIN = "the sign-in may have been processed, so it is not sent again in this run (--resume tries it once more)"


@dataclass(frozen=True)
class ApiAnswer:
    """What the API said: `loginResult`, the token (when one was given) and `errorDescription`, and
    whether a one-time code went with the request (the answer is read in that light)."""

    login_result: str
    token: str | None
    description: str
    code_sent: bool = False

    @property
    def reading(self) -> Reading:
        return read_answer(self.description)

    @property
    def outcome(self) -> SignInOutcome:
        return classify_answer(self)

    @property
    def message(self) -> str:
        """The result's message for an answer that is not a plain sign-in."""
        said = self.description or f"loginResult {self.login_result or '(none)'}"
        if self.outcome is SignInOutcome.SIGNED_IN or (self.login_result == SUCCESS and self.token):
            return f"the Authentication API answered: {said}"
        _, message = verdict(self.reading, said, code_sent=self.code_sent)
        return f"the Authentication API answered: {message}"


def classify_answer(answer: ApiAnswer) -> SignInOutcome:
    """The API's answer as a sign-in outcome, its description read sentence by sentence (flows.answers).
    Pure: unit-tested on a table of wordings.

    "0" with a token is signed in, even with a description (PACER: signed in with something pending,
    such as a reminder to change the password by a date), except an update that blocks the sign-in
    until it is done. Anything else is a refusal, read for what it says; unknown wording is
    unrecognized, reported with the site's text.
    """
    reading = answer.reading
    if answer.login_result == SUCCESS and answer.token:
        return SignInOutcome.UPDATE_REQUIRED if reading.said is Said.UPDATE_REQUIRED else SignInOutcome.SIGNED_IN
    kind, _ = verdict(reading, answer.description, code_sent=answer.code_sent)
    # An API answer is not a page in a session that may expire: such wording is not understood.
    return SignInOutcome.UNRECOGNIZED if kind is SignInOutcome.SESSION_EXPIRED else kind


async def request_token(
    request: APIRequestContext,
    origin: str,
    username: str,
    password: SecretStr,
    otp_code: str | None,
    *,
    timeout_ms: float,
    client_code: str | None = None,
) -> ApiAnswer:
    """Ask the Authentication API for a session token; raise only where the answer says nothing.

    `TransientSiteError`: the request cannot have been taken (connection refused before sending, 429,
    503): safe to try again. `SignInUnanswered`: it was sent and may have been processed (no answer
    in time, another 5xx, an unreadable reply): the password must not be sent again in this run.
    """
    body = {
        "loginId": username,
        "password": password.get_secret_value(),
        # The filers' redaction agreement, which the browser flow accepts too; harmless for others.
        "redactFlag": "1",
    }
    if otp_code:
        body["otpCode"] = otp_code
    if client_code:
        body["clientCode"] = client_code  # the firm's billing code: without it a PAA that requires one allows no search
    try:
        response = await request.post(
            origin + API_PATH,
            data=json.dumps(body),
            timeout=timeout_ms,
            max_redirects=0,
            fail_on_status_code=False,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
    except PlaywrightError as exc:
        raise _request_failure(exc) from None
    if response.status in _NOT_TAKEN:
        raise TransientSiteError(
            f"the Authentication API answered HTTP {response.status}",
            retry_after_s=retry_after_s(response.headers.get("retry-after")),
        )
    if response.status in NO_SUCH_SERVICE:
        raise ApiAbsent(response.status)
    if response.status >= 400:
        raise SignInUnanswered(f"the Authentication API answered HTTP {response.status}; {_NOT_AGAIN}")
    try:
        data = await response.json()
    except (PlaywrightError, ValueError):
        raise SignInUnanswered(f"the Authentication API's answer could not be read; {_NOT_AGAIN}") from None
    if not isinstance(data, dict):
        raise SignInUnanswered(f"the Authentication API's answer could not be read; {_NOT_AGAIN}")
    token = data.get("nextGenCSO")
    return ApiAnswer(
        login_result=_login_result(data.get("loginResult")),
        token=token if isinstance(token, str) and token else None,
        description=str(data.get("errorDescription") or "").strip(),
        code_sent=bool(otp_code),
    )


async def use_token(context: BrowserContext, token: str, cookie_scope: dict[str, str | bool]) -> None:
    """Hand the API's session to the browser, as the sign-on page would have (both PACER cookies)."""
    await context.add_cookies(
        [
            {"name": name, "value": token, **cookie_scope, "httpOnly": True}  # type: ignore[typeddict-item]
            for name in (SESSION_COOKIE, CURRENTGEN_COOKIE)
        ]
    )


def _request_failure(exc: PlaywrightError) -> Exception:
    text = str(exc)
    # Refused or unresolvable: nothing reached the site. Anything else (a timeout, a reset mid-way)
    # may have reached it with the password.
    if re.search(r"ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ERR_NAME_NOT_RESOLVED|ERR_CONNECTION_REFUSED", text):
        return TransientSiteError("could not connect to the Authentication API")
    if "timeout" in text.lower():
        return SignInUnanswered(f"the Authentication API did not answer in time; {_NOT_AGAIN}")
    return SignInUnanswered(f"the connection to the Authentication API failed after the request was sent; {_NOT_AGAIN}")


def _login_result(value: object) -> str:
    """`loginResult` as text: the guide shows strings ("0"), but a number (0, 13) means the same."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
