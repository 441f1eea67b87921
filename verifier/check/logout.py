"""Leave PACER as it was found: every session a check opened is ended when the check is done, whatever
its outcome (flows.logout does each kind).

- The Authentication API's token: `POST /services/cso-logout` with the token, to the sign-on origin only.
- A session the sign-on form made (the browser's `NextGenCSO` cookie, when it is not the API's token):
  Manage My Account's own Logout; if that cannot be pressed or does not end it, the same logout service
  with that cookie's token.
- Both, when the form was used after the API (a refused API session).

Bounded: once the run is stopping (a signal, the lockout rule) or the check is being cancelled, all of
it gets `STOPPING_BUDGET_S` (the checks in flight log out side by side, so the run ends within that);
otherwise the run's per-page timeout. A logout that fails or runs out of time is a warning in the log,
never a changed result: PACER ends the session itself when it expires. One warning per check at most,
however many of its steps failed (a request that times out at the budget's end is also the budget's end).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from flows.errors import LogoutFailed, TransientSiteError, first_line
from flows.logout import end_token, log_out_of_account, session_tokens
from flows.navigation import DocumentWatch
from verifier.check.site import SiteMap

log = logging.getLogger(__name__)

#: All the logouts of a check once the run is stopping or the check is cancelled: the checks in flight log
#: out side by side, so a stopped run ends within this, however a logout hangs.
STOPPING_BUDGET_S = 5.0
#: Kept for the logout service when the page's own Logout is tried first.
API_RESERVE_S = 1.5
UNENDED = "{who}: could not end the PACER session ({why}); PACER ends it when it expires. The result stands"


@dataclass
class Sessions:
    """What one check opened on PACER, noted as it happens, for its logout."""

    api_token: str | None = field(default=None, repr=False)  # a live session's key: never in a log line
    """The Authentication API's token, once it gave one (a pending update included)."""


def being_cancelled() -> bool:
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


async def end_sessions(
    page: Page, site: SiteMap, who: str, sessions: Sessions, *, timeout_s: float, stopping: bool = False
) -> None:
    """End what `sessions` and the browser's cookies say is open. Never raises, except to pass on a
    cancellation that arrives while it runs."""
    hurry = stopping or being_cancelled()
    budget = STOPPING_BUDGET_S if hurry else max(STOPPING_BUDGET_S, timeout_s)
    deadline = asyncio.get_running_loop().time() + budget
    problems: list[str] = []
    try:
        await asyncio.wait_for(_end_all(page, site, who, sessions, deadline, timeout_s, problems), budget)
    except TimeoutError:
        problems.append(f"the logout took more than {budget:g} s")
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # a closed page or browser: nothing more can be sent from it
        problems.append(f"{type(exc).__name__}: {first_line(exc)}")
    finally:
        if problems:
            log.warning(UNENDED.format(who=who, why="; ".join(problems)))


async def _end_all(
    page: Page, site: SiteMap, who: str, sessions: Sessions, deadline: float, timeout_s: float, problems: list[str]
) -> None:
    """Each session ended in turn; what could not be is added to `problems`."""
    loop = asyncio.get_running_loop()

    def left_s(reserve_s: float = 0.0) -> float:
        return max(0.1, min(timeout_s, deadline - loop.time() - reserve_s))

    request = page.context.request
    if sessions.api_token:
        try:
            await end_token(request, site.login_origin, sessions.api_token, timeout_ms=left_s() * 1000)
        except LogoutFailed as exc:
            problems.append(str(exc))
    form_tokens = await session_tokens(page.context, [site.login_url, site.account_url])
    form_tokens.discard(sessions.api_token or "")
    for token in form_tokens:  # one: the form's own session
        why = await _by_the_page(page, site, left_s(API_RESERVE_S))
        if not why:
            continue
        try:
            await end_token(request, site.login_origin, token, timeout_ms=left_s() * 1000)
            log.info("%s: %s; the form's session was ended by the logout service instead", who, why)
        except LogoutFailed as exc:
            problems.append(f"{why}; {exc}")


async def _by_the_page(page: Page, site: SiteMap, limit_s: float) -> str:
    """Manage My Account's own Logout, within `limit_s`: "" when pressed (or no session was left), else why not."""
    watch = DocumentWatch(page)
    try:
        await asyncio.wait_for(log_out_of_account(page, site, watch, limit_s * 1000), limit_s)
        return ""
    except TimeoutError:
        return f"Manage My Account's Logout did not finish within {limit_s:.1f} s"
    except (LogoutFailed, TransientSiteError) as exc:
        return str(exc)
    except PlaywrightError as exc:
        return f"the page could not be used: {first_line(exc)}"
    finally:
        watch.close()
