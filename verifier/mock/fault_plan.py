"""Which requests misbehave: the fault rules in play and their deterministic hit counters.

Faults are counted deterministically (the first N hits, or a share drawn from a seeded generator),
so a test can say exactly what the verifier should have seen. The plan lives in the site's state
(`MockState.faults`); `FaultInjector` (verifier.mock.faults) asks it per request.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from verifier.mock.scenario import ANSWERING_KINDS, FaultRule


@dataclass(frozen=True)
class FaultRequest:
    path: str
    method: str
    username: str | None
    signed_in: bool


class FaultPlan:
    """The active rules and their hit counters. Thread-safe: tests read `fired()` from their thread."""

    def __init__(self, rules: Sequence[FaultRule] = ()) -> None:
        self.rules = list(rules)
        self._patterns: dict[str, re.Pattern[str]] = {}
        self._hits: Counter[tuple[str, str]] = Counter()
        self._fired: Counter[str] = Counter()
        self._random: dict[tuple[str, str], random.Random] = {}

    def select(self, request: FaultRequest, account_rules: Sequence[FaultRule] = ()) -> list[FaultRule]:
        """The rules that fire for this request, in order: any latency/expiry, then at most one that
        answers it. The account's own rules come first (they are the more specific)."""
        labelled = [(f"{request.username}:{i}:{r.kind}", r, True) for i, r in enumerate(account_rules)]
        labelled += [(r.name or f"{i}:{r.kind}", r, False) for i, r in enumerate(self.rules)]
        chosen: list[FaultRule] = []
        answered = False
        for label, rule, own in labelled:
            if answered and rule.kind in ANSWERING_KINDS:
                continue  # not reached, so not counted: counts stay what a test can predict
            if not self._matches(rule, request, own):
                continue
            if self._fires(rule.name or label, rule, request.username):
                chosen.append(rule)
                answered = rule.kind in ANSWERING_KINDS
        return chosen

    def fired(self) -> dict[str, int]:
        return dict(self._fired)

    def _matches(self, rule: FaultRule, request: FaultRequest, own: bool) -> bool:
        pattern = self._patterns.get(rule.path)
        if pattern is None:
            pattern = self._patterns[rule.path] = re.compile(rule.path)
        if not pattern.search(request.path):
            return False
        if rule.method and rule.method.upper() != request.method:
            return False
        if rule.username and not own and (request.username or "") != rule.username.strip().lower():
            return False
        # Only a live session can expire; counting other hits would make "the first N" unpredictable.
        return not (rule.kind == "expire_session" and not request.signed_in)

    def _fires(self, label: str, rule: FaultRule, username: str | None) -> bool:
        key = (label, (username or "") if rule.per_username else "")
        self._hits[key] += 1
        if rule.times is not None:
            fires = self._hits[key] <= rule.times
        elif rule.rate is not None:
            generator = self._random.get(key)
            if generator is None:
                # A string seed is hashed with SHA-512 by `random`: the same on every run and machine.
                generator = self._random[key] = random.Random(f"{rule.seed}:{key[1]}")
            fires = generator.random() < rule.rate
        else:
            fires = True
        if fires:
            self._fired[label] += 1
        return fires
