"""The mock's memory while it runs: accounts, sessions, half-finished sign-ons, counters.

Handlers run on uvicorn's event loop (one thread) while tests read `stats()` and accounts from
theirs; one re-entrant lock guards every compound change.
"""

from __future__ import annotations

import secrets
import string
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from flows.otp import matching_step
from verifier.mock.fault_plan import FaultPlan
from verifier.mock.scenario import MockAccount, MockScenario

_ALPHANUMERIC = string.ascii_letters + string.digits
#: JSF keeps several views per session (Mojarra's default numberOfViewsInSession is 15), so a form
#: from another tab of the same browser still posts; the mock keeps as many ViewStates per JSESSIONID.
VIEWS_PER_SESSION = 15


def session_token() -> str:
    """A 128-character token like the real NextGenCSO cookie (its alphabet is a guess)."""
    return "".join(secrets.choice(_ALPHANUMERIC) for _ in range(128))


def key_of(username: str) -> str:
    # The mock treats usernames case-insensitively; whether PACER does is not documented (a guess).
    return username.strip().lower()


#: What `MockState.stats()` reports, in this order:
COUNTERS = {
    "requests": "requests per path (every request, faulted or not)",
    "login_posts": "sign-on attempts per username: posts of the username/password form",
    "step_posts": "posts of the later sign-on steps (one-time code, redaction, user update)",
    "sign_ons": "sign-ons completed (sessions issued)",
    "wrong_attempts": "failed sign-ons in a row now (a success clears them)",
    "court_login_posts": 'old CM/ECF logins tried, as "court:login" (CurrentGen login form and the NextGen link page)',
    "api_login_posts": "Authentication API calls per username (`/services/cso-auth`)",
    "open_sessions": "PACER sessions open now per username (the API's and the form's; ended by a logout or by expiry)",
    "open_court_sessions": 'CurrentGen court logins open now, as "court:username" (ended by the court\'s Log Out)',
    "client_codes": 'client codes a sign-in carried (API `clientCode`, the form\'s Client Code), as "username:code"',
    "replayed_codes": "one-time codes refused because their 30-second step was already used",
    "locked": "usernames locked by the lockout rule",
    "faults": 'times each fault rule fired, by its name (or "<index>:<kind>", "<username>:<index>:<kind>")',
}
# The counters kept as Counter fields of MockState, read the same way; the others are worked out in stats().
_PER_KEY = tuple(name for name in COUNTERS if name not in ("locked", "faults", "open_sessions", "open_court_sessions"))


@dataclass
class PendingSignOn:
    """A sign-on whose password was right, with the steps still to go: "mfa", "redaction", "update"
    (and "change_password" once Update Now was pressed)."""

    username: str
    steps: list[str]
    appurl: str


@dataclass
class Session:
    username: str
    created: float


class CourtSession(NamedTuple):
    """A CurrentGen court's login (or a PACER session used there): whose, in which court, and whether
    a CM/ECF filer login made it (filing menus) rather than a PACER login."""

    court: str
    username: str
    filer: bool


@dataclass
class MockState:
    scenario: MockScenario
    lock: threading.RLock = field(default_factory=threading.RLock)
    accounts: dict[str, MockAccount] = field(default_factory=dict)
    faults: FaultPlan = field(init=False)
    view_states: dict[str, deque[str]] = field(default_factory=dict)
    pending: dict[str, PendingSignOn] = field(default_factory=dict)
    """Half-finished sign-ons by JSESSIONID."""
    sessions: dict[str, Session] = field(default_factory=dict)
    """PACER sessions by NextGenCSO token."""
    court_sessions: dict[str, CourtSession] = field(default_factory=dict)
    """CurrentGen court logins by their cookie's token."""
    pending_links: dict[tuple[str, str], str] = field(default_factory=dict)
    """(session token, court id) → the CM/ECF login verified on the link page, awaiting Submit."""
    upgrades: dict[str, str] = field(default_factory=dict)
    """Session token → the upgrade tab reached ("person", "address", "security")."""
    wrong_attempts: Counter[str] = field(default_factory=Counter)
    locked: set[str] = field(default_factory=set)
    requests: Counter[str] = field(default_factory=Counter)
    login_posts: Counter[str] = field(default_factory=Counter)
    step_posts: Counter[str] = field(default_factory=Counter)
    sign_ons: Counter[str] = field(default_factory=Counter)
    court_login_posts: Counter[str] = field(default_factory=Counter)
    api_login_posts: Counter[str] = field(default_factory=Counter)
    """Authentication API (`/services/cso-auth`) calls per username."""
    code_steps: dict[str, int] = field(default_factory=dict)
    """The latest 30-second step whose one-time code each account has accepted (RFC 6238 section 5.2)."""
    replayed_codes: Counter[str] = field(default_factory=Counter)
    """One-time codes refused because their step was already used, per username."""
    client_codes: Counter[str] = field(default_factory=Counter)
    """Client codes sent with a sign-in, as "username:code" (not a secret: a firm's billing label)."""
    browser_sign_on_due: set[str] = field(default_factory=set)
    """Sessions made by the Authentication API that Manage My Account does not take (a forced update is
    pending, or the scenario says the API's sessions do not open it): it sends them to sign-on."""
    clock_moved_s: float = 0.0
    """How far a test moved the site's clock on (`move_clock`), beside the scenario's `clock_offset_s`."""

    def __post_init__(self) -> None:
        # Copies, so that an upgrade, a link or a used skip can be undone by reset().
        self.accounts = {key_of(a.username): a.model_copy(deep=True) for a in self.scenario.accounts}
        self.faults = FaultPlan(self.scenario.faults)

    def account(self, username: str) -> MockAccount | None:
        return self.accounts.get(key_of(username))

    # --- JSF ViewState, bound to the JSESSIONID cookie ---------------------------------------------

    def new_view_state(self, jsession: str) -> str:
        token = f"{secrets.randbelow(10**18)}:{secrets.randbelow(10**18)}"  # Mojarra-like "n:n" (a guess)
        with self.lock:
            self.view_states.setdefault(jsession, deque(maxlen=VIEWS_PER_SESSION)).append(token)
        return token

    def view_state_ok(self, jsession: str, view_state: str) -> bool:
        with self.lock:
            known = self.view_states.get(jsession)
            return bool(jsession and view_state and known and view_state in known)

    # --- PACER sessions ------------------------------------------------------------------------------

    def start_session(self, username: str) -> str:
        token = session_token()
        with self.lock:
            self.sessions[token] = Session(key_of(username), time.monotonic())
            self.sign_ons[key_of(username)] += 1
        return token

    def session_account(self, token: str | None) -> MockAccount | None:
        if not token:
            return None
        with self.lock:
            session = self.sessions.get(token)
            if session is None:
                return None
            if time.monotonic() - session.created > self.scenario.session_ttl_s:
                self.end_session(token)
                return None
            return self.accounts.get(session.username)

    def end_session(self, token: str | None) -> bool:
        """End a PACER session (a logout, or expiry); whether there was one under this token."""
        with self.lock:
            ended = self.sessions.pop(token or "", None) is not None
            self.upgrades.pop(token or "", None)
            self.browser_sign_on_due.discard(token or "")
            for key in [k for k in self.pending_links if k[0] == token]:
                del self.pending_links[key]
        return ended

    # --- the site's clock and its one-time codes ----------------------------------------------------

    def now(self) -> float:
        """The site's clock: this machine's, moved by the scenario's `clock_offset_s` and by `move_clock`."""
        return time.time() + self.scenario.clock_offset_s + self.clock_moved_s

    def move_clock(self, seconds: float) -> None:
        """Move the site's clock on, for its one-time codes and `Date` header (sessions keep their own)."""
        with self.lock:
            self.clock_moved_s += seconds

    def accept_code(self, username: str, secret: str, code: str) -> bool:
        """Whether `code` is right now (±1 step) and newer than any this account used (RFC 6238 5.2)."""
        step = matching_step(secret, code, window=1, when=self.now())
        if step is None:
            return False
        key = key_of(username)
        with self.lock:
            if step <= self.code_steps.get(key, -1):
                self.replayed_codes[key] += 1
                return False
            self.code_steps[key] = step
        return True

    # --- failed sign-ons and lockout ----------------------------------------------------------------

    def is_locked(self, username: str) -> bool:
        with self.lock:
            return key_of(username) in self.locked

    def count_failure(self, username: str) -> bool:
        """Count a failed sign-on (wrong password or code); True when that locks the account."""
        key = key_of(username)
        with self.lock:
            self.wrong_attempts[key] += 1
            if (limit := self.scenario.lockout_after) is not None and self.wrong_attempts[key] >= limit:
                self.locked.add(key)
                return True
        return False

    def clear_failures(self, username: str) -> None:
        with self.lock:
            self.wrong_attempts.pop(key_of(username), None)

    # --- who is asking (for per-account faults) -----------------------------------------------------

    def username_for(self, session_token: str | None, jsession: str | None) -> str | None:
        """The account a request is made by: its PACER session, else its half-finished sign-on."""
        account = self.session_account(session_token)
        if account is not None:
            return key_of(account.username)
        with self.lock:
            pending = self.pending.get(jsession or "")
            return key_of(pending.username) if pending else None

    def stats(self) -> dict[str, Any]:
        """Counters since the last reset (usernames lower-cased), as `COUNTERS` describes them."""
        with self.lock:
            counts: dict[str, Any] = {name: dict(getattr(self, name)) for name in _PER_KEY}
            opened = _open_sessions(self)
            return {**counts, **opened, "locked": sorted(self.locked), "faults": self.faults.fired()}


def _open_sessions(state: MockState) -> dict[str, dict[str, int]]:
    """PACER sessions open now per username (issued, not logged out, not expired), and CurrentGen court
    logins open now as "court:username"."""
    now, ttl = time.monotonic(), state.scenario.session_ttl_s
    with state.lock:
        pacer = Counter(s.username for s in state.sessions.values() if now - s.created <= ttl)
        courts = Counter(f"{login.court}:{login.username}" for login in state.court_sessions.values())
    return {"open_sessions": dict(pacer), "open_court_sessions": dict(courts)}
