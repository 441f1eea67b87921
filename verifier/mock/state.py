"""The mock's memory while it runs: sessions, half-finished sign-ons, counters and statistics.

Guarded by one lock: uvicorn serves from its own thread while tests read stats from theirs.
"""

from __future__ import annotations

import random
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from verifier.mock.scenario import MockAccount, MockScenario


@dataclass
class PendingSignOn:
    """A sign-on whose password was right, with the steps still to go (code, redaction, update)."""

    username: str
    steps: list[str]
    appurl: str


@dataclass
class Session:
    username: str
    created: float


@dataclass
class MockState:
    scenario: MockScenario
    lock: threading.RLock = field(default_factory=threading.RLock)
    accounts: dict[str, MockAccount] = field(default_factory=dict)
    view_states: dict[str, str] = field(default_factory=dict)
    pending: dict[str, PendingSignOn] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    court_sessions: dict[str, tuple[str, str]] = field(default_factory=dict)
    wrong_attempts: Counter[str] = field(default_factory=Counter)
    locked: set[str] = field(default_factory=set)
    requests: Counter[str] = field(default_factory=Counter)
    login_posts: Counter[str] = field(default_factory=Counter)
    fault_hits: Counter[int] = field(default_factory=Counter)
    fault_random: dict[int, random.Random] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Copies, so that an upgrade or a link made through the site can be undone by reset().
        self.accounts = {a.username.lower(): a.model_copy(deep=True) for a in self.scenario.accounts}

    def account(self, username: str) -> MockAccount | None:
        return self.accounts.get(username.strip().lower())

    def new_view_state(self, jsession: str) -> str:
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.view_states[jsession] = token
        return token

    def start_session(self, username: str) -> str:
        token = secrets.token_urlsafe(96)[:128]
        with self.lock:
            self.sessions[token] = Session(username.lower(), time.monotonic())
        return token

    def session_account(self, token: str | None) -> MockAccount | None:
        if not token:
            return None
        with self.lock:
            session = self.sessions.get(token)
            if session is None:
                return None
            if time.monotonic() - session.created > self.scenario.session_ttl_s:
                del self.sessions[token]
                return None
            return self.accounts.get(session.username)

    def end_session(self, token: str | None) -> None:
        with self.lock:
            self.sessions.pop(token or "", None)

    def stats(self) -> dict[str, dict[str, int]]:
        with self.lock:
            return {
                "requests": dict(self.requests),
                "login_posts": dict(self.login_posts),
                "wrong_attempts": dict(self.wrong_attempts),
            }
