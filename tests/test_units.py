"""Small pure pieces: settings precedence, secrets in models, addresses, shards, checkpoint, rate limit."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import make_result
from pydantic import SecretStr

from verifier.check.site import SiteMap, UnsafeBaseUrl, check_base_url
from verifier.config import load_settings
from verifier.errors import UsageError
from verifier.models import Account, Result, Status
from verifier.run._ratelimit import RateLimiter
from verifier.run.shard import Shard
from verifier.store.checkpoint import CheckpointWriter, done_keys, iter_checkpoint, latest_results

# --- settings: flags > environment > .env > defaults -------------------------------------------------


def test_settings_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("PACER_VERIFY_RATE=7\nPACER_VERIFY_TIMEOUT=11\nPACER_VERIFY_RETRIES=4\n")
    monkeypatch.setenv("PACER_VERIFY_TIMEOUT", "22")
    monkeypatch.setenv("PACER_VERIFY_RETRIES", "5")
    settings = load_settings(env_file, retries=6)
    assert settings.rate_per_minute == 7  # from .env
    assert settings.timeout_s == 22  # environment beats .env
    assert settings.retries == 6  # flag beats both
    assert load_settings(None).rate_per_minute == 30  # default


def test_settings_ignore_generic_environment_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USERNAME", "someone-else")
    monkeypatch.delenv("PACER_USERNAME", raising=False)
    assert load_settings(None).username is None


def test_password_from_environment_is_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACER_PASSWORD", "Sup3r-Secret-Value")
    settings = load_settings(None)
    assert "Sup3r-Secret-Value" not in repr(settings)
    assert settings.password is not None and settings.password.get_secret_value() == "Sup3r-Secret-Value"


def test_account_never_shows_its_secrets() -> None:
    account = Account(username="ab1234", password=SecretStr("hunter2hunter2"), otp_secret=SecretStr("JBSWY3DPEHPK3PXP"))
    text = repr(account) + str(account) + account.model_dump_json()
    assert "hunter2hunter2" not in text and "JBSWY3DPEHPK3PXP" not in text


# --- addresses -------------------------------------------------------------------------------------


def test_real_addresses_by_default() -> None:
    site = SiteMap.for_base_url(None)
    assert site.login_url == "https://pacer.login.uscourts.gov/csologin/login.jsf"
    assert site.account_url == "https://pacer.psc.uscourts.gov/pscof/manage/maint.jsf"
    assert site.court_login_url("COD") == "https://ecf.cod.uscourts.gov/cgi-bin/login.pl"
    assert site.may_receive_pacer_credentials("https://pacer.login.uscourts.gov/csologin/login.jsf?x=1")
    assert not site.may_receive_pacer_credentials("https://pacer.login.uscourts.gov.evil.example/")


def test_base_url_maps_every_page_to_one_origin() -> None:
    site = SiteMap.for_base_url("http://127.0.0.1:8765/")
    assert site.login_url == "http://127.0.0.1:8765/csologin/login.jsf"
    assert site.court_login_url("utb") == "http://127.0.0.1:8765/ecf/utb/cgi-bin/login.pl"
    assert site.may_receive_court_credentials("http://127.0.0.1:8765/ecf/utb/cgi-bin/login.pl", "utb")
    assert not site.may_receive_court_credentials("http://127.0.0.1:8765/ecf/cod/cgi-bin/login.pl", "utb")
    assert not site.may_receive_pacer_credentials("http://127.0.0.1:9999/csologin/login.jsf")


@pytest.mark.parametrize("url", ["http://pacer.example.com", "ftp://127.0.0.1", "not a url", "http://10.0.0.5:80"])
def test_unsafe_base_urls_are_refused(url: str) -> None:
    with pytest.raises(UnsafeBaseUrl):
        check_base_url(url)


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://pacer.example.com", "https://pacer.example.com"),
        ("http://localhost:8000", "http://localhost:8000"),
        # As a browser writes the origin: the default port dropped, scheme and host lower-cased.
        ("http://[::1]:80", "http://[::1]"),
        ("HTTP://LOCALHOST:8000/", "http://localhost:8000"),
        ("HTTPS://Pacer.Example.COM:443", "https://pacer.example.com"),
    ],
)
def test_safe_base_urls(url: str, origin: str) -> None:
    assert check_base_url(url) == origin


# --- shards ----------------------------------------------------------------------------------------


def test_shards_partition_a_roster_exactly() -> None:
    names = [f"user{i:04d}" for i in range(500)]
    shards = [Shard(k, 4) for k in range(1, 5)]
    slices = [[n for n in names if s.slot_of(n) == s.index] for s in shards]
    assert sorted(n for part in slices for n in part) == sorted(names)
    assert all(40 < len(part) < 200 for part in slices)
    assert Shard(2, 4).slot_of("User0001") == Shard(2, 4).slot_of("user0001")


@pytest.mark.parametrize("text", ["0/4", "5/4", "a/b", "3", "1/0"])
def test_bad_shards(text: str) -> None:
    with pytest.raises(UsageError):
        Shard.parse(text)


# --- checkpoint --------------------------------------------------------------------------------------


def _result(username: str, status: Status = Status.UPGRADED, row: int = 1) -> Result:
    return make_result(name=f"Name {username}", username=username, status=status, row=row)


def test_checkpoint_survives_a_torn_last_line(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    with CheckpointWriter(path) as writer:
        writer.write(_result("aa1111"))
        writer.write(_result("bb2222", Status.LEGACY))
    with path.open("a") as handle:
        handle.write('{"name": "torn", "usern')  # the process died mid-line
    assert [r.username for r in iter_checkpoint(path)] == ["aa1111", "bb2222"]
    with CheckpointWriter(path) as writer:  # the next run starts on a fresh line
        writer.write(_result("cc3333"))
    assert [r.username for r in iter_checkpoint(path)] == ["aa1111", "bb2222", "cc3333"]
    assert done_keys(path) == {"aa1111|name aa1111", "bb2222|name bb2222", "cc3333|name cc3333"}


def test_a_fixed_row_replaces_its_error(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    with CheckpointWriter(path) as writer:
        writer.write(_result("", Status.INVALID_INPUT, row=7))
        writer.write(_result("", Status.INVALID_INPUT, row=8))
        writer.write(_result("gg7777", Status.UPGRADED, row=7))
    assert done_keys(path) == {"row:7", "row:8", "gg7777|name gg7777"}
    assert [(r.row, r.status) for r in latest_results(path)] == [(8, Status.INVALID_INPUT), (7, Status.UPGRADED)]


# --- rate limit ---------------------------------------------------------------------------------------


def test_rate_limit_spaces_sign_ins(run_core: Callable[..., float]) -> None:
    async def three() -> float:
        limiter = RateLimiter(per_minute=600)  # one per 0.1 s
        start = time.monotonic()
        await asyncio.gather(*(limiter.acquire() for _ in range(3)))
        return time.monotonic() - start

    assert run_core(three()) >= 0.19


def test_rate_zero_is_unlimited(run_core: Callable[..., float]) -> None:
    async def many() -> float:
        limiter = RateLimiter(per_minute=0)
        start = time.monotonic()
        await asyncio.gather(*(limiter.acquire() for _ in range(100)))
        return time.monotonic() - start

    assert run_core(many()) < 1.0


def test_resume_checks_an_account_again_while_its_latest_result_is_a_site_error(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    with CheckpointWriter(path) as writer:
        writer.write(_result("aa1111", Status.SITE_ERROR))
        writer.write(_result("bb2222", Status.SITE_ERROR))
        writer.write(_result("bb2222", Status.LEGACY))  # fixed by an earlier --resume
        writer.write(_result("cc3333", Status.UPGRADED))
        writer.write(_result("cc3333", Status.SITE_ERROR))  # failed on the latest run
    assert done_keys(path) == {"bb2222|name bb2222"}
