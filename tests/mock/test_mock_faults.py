"""Fault injection on the mock: each kind, deterministic counting, per-account rules, run-time changes."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest
from pydantic import ValidationError
from site_client import ACCOUNT, LOGIN, SiteClient, alert_text

from verifier.mock.fault_plan import FaultPlan, FaultRequest
from verifier.mock.scenario import FaultRule, MockAccount
from verifier.mock.server import MockServer


def statuses(client: SiteClient, path: str, count: int) -> list[int]:
    return [client.get(path).status_code for _ in range(count)]


def test_status_for_the_first_n_hits(pacer_mock: MockServer, client: SiteClient) -> None:
    pacer_mock.set_faults([FaultRule(kind="status", path="^/csologin/", status=500, times=2, name="boom")])
    first = client.get(LOGIN)
    assert first.status_code == 500 and first.headers["cache-control"] == "no-store"
    assert "500 Internal Server Error" in first.text
    assert statuses(client, LOGIN, 2) == [500, 200]
    assert client.get("/").status_code == 200  # other paths do not match
    stats = pacer_mock.stats()
    assert stats["faults"] == {"boom": 2}
    assert stats["requests"][LOGIN] == 3  # faulted requests are counted too


def test_method_filter(pacer_mock: MockServer, client: SiteClient) -> None:
    pacer_mock.set_faults([FaultRule(kind="status", path="^/csologin/login", method="POST", status=503)])
    assert client.get(LOGIN).status_code == 200
    assert client.sign_in("asmith2001").status_code == 503


def test_status_at_a_seeded_rate_is_repeatable(pacer_mock: MockServer, client: SiteClient) -> None:
    rule = FaultRule(kind="status", rate=0.5, seed=7)
    pacer_mock.set_faults([rule])
    first = statuses(client, "/", 30)
    pacer_mock.set_faults([rule])
    assert statuses(client, "/", 30) == first
    assert 503 in first and 200 in first
    pacer_mock.set_faults([rule.model_copy(update={"seed": 8})])
    assert statuses(client, "/", 30) != first


def test_retry_after(pacer_mock: MockServer, client: SiteClient) -> None:
    pacer_mock.set_faults([FaultRule(kind="retry_after", retry_after_s=3, times=1)])
    response = client.get(LOGIN)
    assert response.status_code == 429 and response.headers["retry-after"] == "3"
    assert client.get(LOGIN).status_code == 200


def test_latency_and_slow_page(pacer_mock: MockServer, client: SiteClient) -> None:
    pacer_mock.set_faults([FaultRule(kind="latency", path="^/pscof/manage/", delay_s=0.4)], latency_ms=100)
    started = time.monotonic()
    assert client.get("/").status_code == 200
    assert time.monotonic() - started >= 0.1
    started = time.monotonic()
    assert client.get(ACCOUNT).status_code == 303  # latency serves the page after the delay
    assert time.monotonic() - started >= 0.5


@pytest.mark.parametrize("kind", ["drop", "protocol_error", "empty"])
def test_cut_connections(pacer_mock: MockServer, client: SiteClient, kind: str) -> None:
    pacer_mock.set_faults([FaultRule(kind=kind, path="^/csologin/", times=1)])
    with pytest.raises(httpx.TransportError):
        client.get(LOGIN)
    assert client.get(LOGIN).status_code == 200
    assert pacer_mock.stats()["faults"] == {f"0:{kind}": 1}


def test_expire_session_for_the_first_n_account_page_hits(pacer_mock: MockServer, client: SiteClient) -> None:
    pacer_mock.set_faults([FaultRule(kind="expire_session", path="^/pscof/manage/", times=1)])
    assert client.get(ACCOUNT).status_code == 303  # no session: not a hit
    client.sign_in("asmith2001")
    assert client.get(ACCOUNT).status_code == 303  # the session ended just before the page
    client.sign_in("asmith2001")
    assert client.get(ACCOUNT).status_code == 200
    assert pacer_mock.stats()["faults"] == {"0:expire_session": 1}


def test_lockout_switched_on_at_run_time(pacer_mock: MockServer, clients: Callable[[MockServer], SiteClient]) -> None:
    pacer_mock.set_faults(lockout_after=1)
    assert "has been locked" in alert_text(clients(pacer_mock).sign_in("asmith2001", "Wrong-Password-1").text)
    assert "has been locked" in alert_text(clients(pacer_mock).sign_in("asmith2001").text)


def test_forced_variant(pacer_mock: MockServer, client: SiteClient) -> None:
    pacer_mock.set_faults(variant="dl")
    client.sign_in("asmith2001")
    assert '<dl class="fields">' in client.get(ACCOUNT).text
    with pytest.raises(ValueError, match="variant"):
        pacer_mock.set_faults(variant="fancy")


def test_per_account_fault_from_the_fixture(
    pacer_mock: MockServer, clients: Callable[[MockServer], SiteClient]
) -> None:
    hit = clients(pacer_mock)
    hit.sign_in("oanderson2015")
    assert statuses(hit, ACCOUNT, 3) == [503, 503, 503]
    other = clients(pacer_mock)
    other.sign_in("asmith2001")
    assert other.get(ACCOUNT).status_code == 200
    assert pacer_mock.stats()["faults"] == {"oanderson2015:0:status": 3}


def test_rule_for_one_username_matches_the_typed_username(
    pacer_mock: MockServer, clients: Callable[[MockServer], SiteClient]
) -> None:
    pacer_mock.set_faults(
        [FaultRule(kind="status", path="^/csologin/login", method="POST", username="ASmith2001", times=1)]
    )
    assert clients(pacer_mock).sign_in("egarcia2005").status_code == 303
    assert clients(pacer_mock).sign_in("asmith2001").status_code == 503
    assert clients(pacer_mock).sign_in("asmith2001").status_code == 303
    # The faulted post never reached the sign-on: only the one that did counts as an attempt.
    assert pacer_mock.stats()["login_posts"]["asmith2001"] == 1


def test_per_username_counting(pacer_mock: MockServer, clients: Callable[[MockServer], SiteClient]) -> None:
    pacer_mock.set_faults([FaultRule(kind="status", path="^/pscof/manage/", times=1, per_username=True)])
    for username in ("asmith2001", "egarcia2005"):
        client = clients(pacer_mock)
        client.sign_in(username)
        assert statuses(client, ACCOUNT, 2) == [503, 200], username
    assert pacer_mock.stats()["faults"] == {"0:status": 2}


def test_per_account_fault_on_the_sign_on_post(
    pacer_mock_factory: Callable[..., MockServer], clients: Callable[[MockServer], SiteClient]
) -> None:
    flaky = MockAccount(
        username="flaky0001",
        password="Mock-Passw0rd-f",
        faults=[FaultRule(kind="status", path="^/csologin/login", method="POST", times=2)],
    )
    steady = MockAccount(username="steady001", password="Mock-Passw0rd-s")
    server = pacer_mock_factory(accounts=[flaky, steady])
    assert [clients(server).sign_in("flaky0001").status_code for _ in range(3)] == [503, 503, 303]
    assert clients(server).sign_in("steady001").status_code == 303


def test_set_faults_keeps_sessions_and_reset_clears_everything(pacer_mock: MockServer, client: SiteClient) -> None:
    client.sign_in("asmith2001")
    pacer_mock.set_faults([FaultRule(kind="status", path="^/$")])
    assert client.get(ACCOUNT).status_code == 200
    assert client.get("/").status_code == 503
    pacer_mock.set_faults()
    assert client.get("/").status_code == 200
    pacer_mock.reset()
    assert client.get(ACCOUNT).status_code == 303
    assert pacer_mock.stats()["sign_ons"] == {} and pacer_mock.stats()["requests"] == {ACCOUNT: 1}


def test_answering_rules_after_the_first_are_not_counted() -> None:
    plan = FaultPlan(
        [
            FaultRule(kind="latency", delay_s=0.1, name="slow"),
            FaultRule(kind="status", name="first"),
            FaultRule(kind="retry_after", name="second"),
            FaultRule(kind="expire_session", name="expire"),
        ]
    )
    chosen = plan.select(FaultRequest("/x", "GET", None, signed_in=False))
    assert [r.name for r in chosen] == ["slow", "first"]
    chosen = plan.select(FaultRequest("/x", "GET", "someone", signed_in=True))
    assert [r.name for r in chosen] == ["slow", "first", "expire"]
    assert plan.fired() == {"slow": 2, "first": 2, "expire": 1}


def test_bad_rules_are_refused() -> None:
    with pytest.raises(ValidationError, match="regular expression"):
        FaultRule(kind="status", path="(")
    with pytest.raises(ValidationError):
        FaultRule(kind="status", status=200)
    with pytest.raises(ValidationError):
        FaultRule.model_validate({"kind": "status", "tims": 2})
    with pytest.raises(ValidationError):
        FaultRule.model_validate({"kind": "meteor"})
