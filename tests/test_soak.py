"""Soak: 1,000 accounts through mixed faults, rate limit off. Nothing lost, nothing written twice.

Marked `soak`: skip it in quick runs with `-m "not soak"`; CI runs it.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser

from verifier.config import load_settings
from verifier.mock.scenario import FaultRule, MockAccount, MockScenario
from verifier.run.bulk import BulkPlan, run_bulk
from verifier.store.checkpoint import iter_checkpoint, key_of

COUNT = 1000


@pytest.mark.soak
def test_thousand_accounts_with_mixed_faults(
    core_browser: Browser, run_core: Callable[..., Any], pacer_mock_factory: Callable[..., Any], tmp_path: Path
) -> None:
    kinds = ["upgraded", "legacy"]
    accounts = [
        MockAccount(
            username=f"soak{i:05d}",
            password=f"Soak-Passw0rd-{i}",
            name=f"Soak {i}",
            account_type=kinds[i % 2],
            filer=i % 7 == 0,
        )
        for i in range(COUNT)
    ]
    faults = [
        FaultRule(kind="status", status=503, rate=0.03, seed=11),
        # A connection that fails at once (not `drop`, which Chromium only gives up on at the timeout),
        # on page loads: a sign-in POST cut that way may have been processed and is, rightly, not sent
        # again, which is tested on its own in tests/test_signon_paths.py and tests/test_api_sign_in.py.
        FaultRule(kind="protocol_error", method="GET", rate=0.01, seed=12),
        FaultRule(kind="retry_after", retry_after_s=0, rate=0.01, seed=13),
    ]
    # No AJAX delay: this test is about volume and faults, not about waiting for answers.
    server = pacer_mock_factory(MockScenario(accounts=accounts, faults=faults, ajax_delay_ms=0))
    roster = tmp_path / "soak.csv"
    with roster.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "username", "password"])
        writer.writerows((a.name, a.username, a.password) for a in accounts)
    roster.chmod(0o600)
    # The default sign-in (the Authentication API), whatever the suite's default is.
    settings = load_settings(None, base_url=server.url, rate_per_minute=0, retries=4, timeout_s=30, sign_in="api")
    plan = BulkPlan(roster=roster, out_dir=tmp_path / "out")
    run_core(run_bulk(settings, plan, browser=core_browser, today=dt.date(2026, 11, 22)), timeout=3000)

    results = list(iter_checkpoint(tmp_path / "out" / "results.jsonl"))
    keys = Counter(key_of(r) for r in results)
    assert len(keys) == COUNT, "no account lost"
    assert max(keys.values()) == 1, "no account written twice"
    expected = {a.username: a.account_type for a in accounts}
    wrong = [r for r in results if r.status.value not in (expected[r.username], "site_error")]
    assert not wrong, wrong[:3]
    errors = [r.message for r in results if r.status.value == "site_error"]
    assert len(errors) <= COUNT * 0.01, Counter(errors).most_common(5)
    assert sum(r.attempts > 1 for r in results) > 0, "the faults must actually have been met"
