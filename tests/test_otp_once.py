"""Each one-time code spent once per account (RFC 6238 section 5.2) and made on the site's clock, end to
end against the mock, whose replay protection refuses a code whose 30-second step was already used."""

from __future__ import annotations

import asyncio
import json
import os
import re
import stat
import subprocess
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import run_cli, start_cli
from playwright.async_api import Browser
from pydantic import SecretStr
from test_signon_paths import account_of

from flows.otp import PERIOD_S, code_at, code_now, step_at
from verifier.check.otp_ledger import (
    LEDGER_FOLDER,
    OtpLedger,
    Taken,
    account_key,
    give_back_unseen,
    otp_clock_sentence,
)
from verifier.check.site_clock import ClockReading, clock_sentence, read_site_clock
from verifier.config import load_settings
from verifier.mock.server import MockServer
from verifier.models import Status
from verifier.run.runner import Runner

Factory = Callable[..., MockServer]
MFA = "kdavis2011"  # an upgraded account with an authenticator secret in the bundled scenario


def _no_code_refused(server: MockServer, username: str) -> None:
    stats = server.stats()
    assert stats["replayed_codes"].get(username, 0) == 0, stats["replayed_codes"]
    assert stats["wrong_attempts"].get(username, 0) == 0, stats["wrong_attempts"]


def _check(server: MockServer, env: dict[str, str], *extra: str) -> subprocess.Popen[str]:
    password = server.state.account(MFA).password  # type: ignore[union-attr]
    secret = server.state.account(MFA).otp_secret  # type: ignore[union-attr]
    full = {**env, "PACER_PASSWORD": password, "PACER_OTP_SECRET": secret or ""}
    return start_cli("check", "-u", MFA, "--base-url", server.url, "--json", *extra, env=full)


def _finished(process: subprocess.Popen[str]) -> tuple[dict[str, Any], str]:
    out, err = process.communicate(timeout=300)
    assert process.returncode in (0, 1), err
    return json.loads(out), err


def _ledger_step(server: MockServer) -> int:
    path = Path(os.environ["PACER_VERIFY_STATE_DIR"]) / LEDGER_FOLDER / f"{account_key(server.url, MFA)}.step"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    return int(path.read_text())


class SiteTime:
    """One clock for the ledgers of this process and the mock, so that a wait for the next 30-second step
    costs no time: the ledgers' clock stands still in the middle of a step (each test knows which step
    is taken), and a ledger's wait moves it on, and the mock's clock by as much, instead of sleeping.

    The mock's clock still runs in real time between waits, a few seconds ahead of the ledgers': its
    one-step window (RFC 6238 section 5.2) takes that, as it takes a real network's delay."""

    def __init__(self, server: MockServer, monkeypatch: pytest.MonkeyPatch) -> None:
        self.server = server
        self.base = (step_at(server.state.now()) + 0.5) * PERIOD_S  # the middle of the site's step now
        self.moved = 0.0
        self.waits: list[float] = []
        #: Awaited at a wait, before the clock moves: what must happen in the 30 s the wait stands for.
        self.meanwhile: Callable[[], Awaitable[None]] | None = None
        server.move_clock(self.base - server.state.now())
        ledger_init = OtpLedger.__init__

        def on_this_clock(ledger: OtpLedger, directory: Path | None = None, **given: Any) -> None:
            # Wherever the run makes its ledger: this clock, and no site clock read (the mock's is this one).
            ledger_init(ledger, directory, **{**given, "now": self.now, "sleep": self.sleep, "read_clock": _no_clock})

        monkeypatch.setattr(OtpLedger, "__init__", on_this_clock)

    def now(self) -> float:
        return self.base + self.moved

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        if self.meanwhile is not None:
            await self.meanwhile()
        self.moved += seconds
        self.server.move_clock(seconds)

    @property
    def step(self) -> int:
        return int(self.base // PERIOD_S)


def _no_clock(_origin: str) -> None:
    return None


def tmp_state() -> Path:
    """This test's state directory (conftest's `_own_otp_ledger`), where the runs keep their ledger."""
    return Path(os.environ["PACER_VERIFY_STATE_DIR"])


def _run_once(server: MockServer, browser: Browser, out: Path, sign_in: str = "browser") -> Any:
    """A run of one account (the MFA one) on the suite's browser: a coroutine for `run_core`."""
    settings = load_settings(None, base_url=server.url, rate_per_minute=0, concurrency=1, timeout_s=15, sign_in=sign_in)
    return Runner(settings, browser=browser, out_dir=out).run([account_of(server, MFA)])


@pytest.mark.browser
def test_the_form_fallback_waits_for_a_new_code_instead_of_sending_the_same_one(
    pacer_mock_factory: Factory,
    core_browser: Browser,
    run_core: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = pacer_mock_factory(api_opens_account=False)
    clock = SiteTime(server, monkeypatch)
    [result] = run_core(_run_once(server, core_browser, tmp_path / "out", sign_in="api")).results
    assert result.status is Status.UPGRADED, result.message
    # The API's code was of the middle step; the form's waited (half a step) for the next one.
    assert clock.waits == [pytest.approx(PERIOD_S / 2 + 0.05)]
    assert OtpLedger(tmp_state()).last_step(server.url, MFA) == clock.step + 1
    stats = server.stats()
    # One API call, whose session Manage My Account refused, then one form sign-in: 1 + 1, both accepted.
    assert stats["api_login_posts"][MFA] == 1 and stats["login_posts"][MFA] == 1
    assert stats["sign_ons"][MFA] == 2
    _no_code_refused(server, MFA)  # the form's code came from a later step than the API's


@pytest.mark.browser
def test_check_twice_in_a_row_spends_a_new_code(pacer_mock: MockServer, cli_env: dict[str, str]) -> None:
    first, _ = _finished(_check(pacer_mock, cli_env))
    step = _ledger_step(pacer_mock)
    # The site's clock a step on, which the second `check` reads from its Date header: no 30-second wait
    # here (the wait for a step already spent is tested below, in this process, on a clock the test moves).
    pacer_mock.move_clock(PERIOD_S)
    second, _ = _finished(_check(pacer_mock, cli_env))
    assert first["status"] == second["status"] == "upgraded"
    assert _ledger_step(pacer_mock) > step
    assert pacer_mock.stats()["sign_ons"][MFA] == 2
    _no_code_refused(pacer_mock, MFA)


@pytest.mark.browser
def test_a_second_run_in_the_same_step_waits_for_the_next_one(
    pacer_mock: MockServer,
    core_browser: Browser,
    run_core: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = SiteTime(pacer_mock, monkeypatch)
    for n in (1, 2):  # two runs, each with a ledger of its own on the same folder, as two `check`s have
        [result] = run_core(_run_once(pacer_mock, core_browser, tmp_path / f"out{n}")).results
        assert result.status is Status.UPGRADED, result.message
    assert clock.waits == [pytest.approx(PERIOD_S / 2 + 0.05)]  # the second waited for the next step
    assert OtpLedger(tmp_state()).last_step(pacer_mock.url, MFA) == clock.step + 1
    assert pacer_mock.stats()["sign_ons"][MFA] == 2
    _no_code_refused(pacer_mock, MFA)


@pytest.mark.browser
def test_two_sign_ins_at_once_never_share_a_step(
    pacer_mock: MockServer,
    core_browser: Browser,
    run_core: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One by the API, one by the form, both at once on one account, each run with a ledger of its own on the
    # same folder (as a `check` beside a `bulk` has: the file lock decides): one takes the step, the other
    # waits for the next and signs in with a code of its own step.
    clock = SiteTime(pacer_mock, monkeypatch)

    async def first_code_used() -> None:
        # What happens in the 30 s the wait stands for: the other run's code reaches the site.
        deadline = time.monotonic() + 120
        while MFA not in pacer_mock.state.code_steps and time.monotonic() < deadline:
            await asyncio.sleep(0.02)

    clock.meanwhile = first_code_used

    async def both() -> list[Any]:
        runs = (_run_once(pacer_mock, core_browser, tmp_path / sign_in, sign_in) for sign_in in ("api", "browser"))
        return list(await asyncio.gather(*runs))

    results = [summary.results[0] for summary in run_core(both())]
    assert [r.status for r in results] == [Status.UPGRADED, Status.UPGRADED], [r.message for r in results]
    assert clock.waits == [pytest.approx(PERIOD_S / 2 + 0.05)]  # one of them waited, once
    assert OtpLedger(tmp_state()).last_step(pacer_mock.url, MFA) == clock.step + 1
    assert pacer_mock.stats()["sign_ons"][MFA] == 2
    _no_code_refused(pacer_mock, MFA)


@pytest.mark.browser
@pytest.mark.parametrize("sign_in", ["api", "browser"])
def test_a_site_clock_90_s_off_is_warned_about_and_its_codes_are_accepted(
    pacer_mock_factory: Factory, cli_env: dict[str, str], sign_in: str
) -> None:
    server = pacer_mock_factory(clock_offset_s=90)
    result, err = _finished(_check(server, cli_env, "--sign-in", sign_in))
    assert result["status"] == "upgraded", result["message"]
    # The Date header is cut to the second and read over a round trip: 90 s, give or take that second (a
    # loaded machine's slow answer made it "91 s" and failed the test).
    behind = re.search(r"clock \(.* UTC\) is (\d+) s behind the site's \(.* UTC", err)
    assert behind and abs(int(behind.group(1)) - 90) <= 1, err
    _no_code_refused(server, MFA)


def test_the_mock_refuses_a_code_used_before_and_accepts_the_next_step(pacer_mock: MockServer) -> None:
    secret = pacer_mock.state.account(MFA).otp_secret  # type: ignore[union-attr]
    assert secret
    now = pacer_mock.state.now()
    code = code_at(secret, now)
    assert pacer_mock.state.accept_code(MFA, secret, code)
    assert not pacer_mock.state.accept_code(MFA, secret, code)  # the same code again: refused
    assert pacer_mock.stats()["replayed_codes"] == {MFA: 1}
    assert pacer_mock.state.accept_code(MFA, secret, code_at(secret, now + PERIOD_S))


def test_the_mocks_clock_moves_on_for_its_codes_and_its_date_header(pacer_mock: MockServer) -> None:
    # What the tests above rely on: `check` reads the moved clock from the Date header, the mock's codes follow it.
    secret = pacer_mock.state.account(MFA).otp_secret  # type: ignore[union-attr]
    assert secret
    before = read_site_clock(pacer_mock.url)
    assert before is not None and abs(before.offset_s) < 5
    pacer_mock.move_clock(2 * PERIOD_S)
    after = read_site_clock(pacer_mock.url)
    assert after is not None and 2 * PERIOD_S - 5 < after.offset_s < 2 * PERIOD_S + 5
    assert not pacer_mock.state.accept_code(MFA, secret, code_at(secret))  # this machine's step: two behind
    assert pacer_mock.state.accept_code(MFA, secret, code_at(secret, time.time() + 2 * PERIOD_S))
    pacer_mock.reset()
    assert abs(pacer_mock.state.now() - time.time()) < 5  # a reset puts the clock back


async def _spend_twice(ledger: OtpLedger, secret: SecretStr) -> tuple[str, str]:
    return await ledger.spend("http://127.0.0.1:1", "jdoe", secret), await ledger.spend(
        "http://127.0.0.1:1", "jdoe", secret
    )


def test_the_ledger_keys_by_a_hash_and_keeps_only_the_step(tmp_path: Path, run_core: Callable[..., Any]) -> None:
    waits: list[float] = []
    clock = [MID_STEP]

    async def sleep(seconds: float) -> None:  # waiting moves the ledger's clock: no real 15 s here
        clock[0] += seconds

    ledger = OtpLedger(
        tmp_path,
        on_wait=lambda _u, s: waits.append(s),
        read_clock=lambda _origin: None,
        now=lambda: clock[0],
        sleep=sleep,
    )
    secret = SecretStr("JBSWY3DPEHPK3PXPJBSWY3DP")
    first, second = run_core(_spend_twice(ledger, secret))
    # The second waited until just past the start of the next step (half a step from its middle), and no longer.
    assert waits == [pytest.approx(PERIOD_S / 2 + 0.05)]
    assert first == code_at(secret.get_secret_value(), MID_STEP)
    assert second == code_at(secret.get_secret_value(), MID_STEP + PERIOD_S) != first
    files = sorted(p.name for p in (tmp_path / LEDGER_FOLDER).iterdir())
    assert all("jdoe" not in name for name in files)
    for path in (tmp_path / LEDGER_FOLDER).iterdir():
        assert secret.get_secret_value() not in path.read_text(errors="replace")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / LEDGER_FOLDER).stat().st_mode) == 0o700


ORIGIN = "http://127.0.0.1:1"
SECRET = SecretStr("JBSWY3DPEHPK3PXPJBSWY3DP")
#: The middle of a 30-second step: the tests below set the ledger's clock, so they know each step taken.
MID_STEP = 1_800_000_015.0


def _no_wait(username: str, seconds: float) -> None:
    raise AssertionError(f"{username} waited {seconds:.0f} s: the step was taken already")


def _fixed_ledger(directory: Path, clock: list[float], on_wait: Callable[[str, float], None] = _no_wait) -> OtpLedger:
    """A ledger on `directory` whose clock reads clock[0] (set it to move time), without a site's clock."""
    return OtpLedger(directory, on_wait=on_wait, read_clock=lambda _origin: None, now=lambda: clock[0])


def test_a_step_given_back_can_be_taken_again(tmp_path: Path, run_core: Callable[..., Any]) -> None:
    clock = [MID_STEP - PERIOD_S]
    ledger = _fixed_ledger(tmp_path, clock)
    run_core(ledger.source(ORIGIN, "jdoe")(SECRET))  # an earlier step, used before
    earlier = ledger.last_step(ORIGIN, "jdoe")
    clock[0] = MID_STEP
    codes = ledger.source(ORIGIN, "jdoe")
    code = run_core(codes(SECRET))
    assert ledger.last_step(ORIGIN, "jdoe") == earlier + 1  # type: ignore[operator]
    assert run_core(codes.give_back())
    assert ledger.last_step(ORIGIN, "jdoe") == earlier  # the file holds the step before again
    assert not run_core(codes.give_back())  # given back once: nothing more to give
    again = ledger.source(ORIGIN, "jdoe")
    assert run_core(again(SECRET)) == code  # the same step, without a wait (_no_wait would fail)
    assert code == code_at(SECRET.get_secret_value(), MID_STEP)


def test_a_first_step_given_back_leaves_no_step(tmp_path: Path, run_core: Callable[..., Any]) -> None:
    ledger = _fixed_ledger(tmp_path, [MID_STEP])
    codes = ledger.source(ORIGIN, "jdoe")
    code = run_core(codes(SECRET))
    assert run_core(codes.give_back()) and ledger.last_step(ORIGIN, "jdoe") is None
    assert run_core(ledger.source(ORIGIN, "jdoe")(SECRET)) == code


def test_no_step_is_given_back_once_a_later_one_was_taken(tmp_path: Path, run_core: Callable[..., Any]) -> None:
    clock = [MID_STEP]
    ledger = _fixed_ledger(tmp_path, clock)
    codes = ledger.source(ORIGIN, "jdoe")
    run_core(codes(SECRET))
    step = ledger.last_step(ORIGIN, "jdoe")
    assert step is not None
    clock[0] = MID_STEP + PERIOD_S
    other_process = _fixed_ledger(tmp_path, clock)  # a ledger of its own on the same folder, as `check` has
    run_core(other_process.source(ORIGIN, "jdoe")(SECRET))
    assert not run_core(codes.give_back())
    assert ledger.last_step(ORIGIN, "jdoe") == step + 1  # the later step stays spent
    # Nor a step that was never the file's (a stale record): the file is only ever moved back from its own.
    assert not run_core(ledger.give_back(ORIGIN, "jdoe", Taken(step, None)))
    assert ledger.last_step(ORIGIN, "jdoe") == step + 1


def test_a_step_taken_again_is_not_given_back_twice(tmp_path: Path, run_core: Callable[..., Any]) -> None:
    # Given back, then the same step taken by another source: the first source has nothing left to give.
    clock = [MID_STEP]
    ledger = _fixed_ledger(tmp_path, clock)
    first, second = ledger.source(ORIGIN, "jdoe"), ledger.source(ORIGIN, "jdoe")
    run_core(first(SECRET))
    assert run_core(first.give_back())
    run_core(second(SECRET))
    assert not run_core(first.give_back())
    assert ledger.last_step(ORIGIN, "jdoe") == int(MID_STEP // PERIOD_S)


def test_a_plain_code_source_has_nothing_to_give_back(run_core: Callable[..., Any]) -> None:
    assert not run_core(give_back_unseen(code_now))


class _RecordingLedger(OtpLedger):
    """A ledger that keeps what each give-back did (True: the step went back)."""

    def __init__(self, waits: list[float]) -> None:
        super().__init__(on_wait=lambda _username, seconds: waits.append(seconds))
        self.given_back: list[bool] = []

    async def give_back(self, origin: str, username: str, taken: Taken) -> bool:
        given = await super().give_back(origin, username, taken)
        self.given_back.append(given)
        return given


@pytest.mark.browser
@pytest.mark.parametrize("absent", [404, 501])
def test_without_the_api_the_form_uses_the_step_the_api_call_took(
    pacer_mock_factory: Factory,
    core_browser: Browser,
    run_core: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    absent: int,
) -> None:
    # "No such service": the code in the API's request reached no verifier, so its step is given back and
    # the form signs in at once instead of waiting up to 30 s for the next step.
    server = pacer_mock_factory(api_absent=absent)
    waits: list[float] = []
    ledger = _RecordingLedger(waits)
    monkeypatch.setattr("verifier.run.account.OtpLedger", lambda: ledger)
    settings = load_settings(None, base_url=server.url, rate_per_minute=0, concurrency=1, timeout_s=15, sign_in="api")
    runner = Runner(settings, browser=core_browser, out_dir=tmp_path / "out")
    [result] = run_core(runner.run([account_of(server, MFA)])).results
    assert result.status is Status.UPGRADED, result.message
    assert f"Authentication API is not there (HTTP {absent}" in result.message
    assert ledger.given_back == [True] and waits == []
    stats = server.stats()
    assert stats["login_posts"][MFA] == 1 and stats["api_login_posts"].get(MFA, 0) == 0
    assert stats["sign_ons"][MFA] == 1
    _no_code_refused(server, MFA)
    assert ledger.last_step(server.url, MFA) is not None  # the form's step, spent


def test_the_clock_sentences() -> None:
    reading = ClockReading(site=1_800_000_090.0, local=1_800_000_000.0)
    assert reading.differs and reading.offset_s == 90
    assert "90 s behind the site's" in reading.warning() and "2027-01-15 08:01:30 UTC" in reading.warning()
    assert not ClockReading(site=100.0, local=99.0).differs and ClockReading(site=100.0, local=99.0).offset_s == 0
    assert (
        clock_sentence(90.0) == "this machine's clock was 90 s behind the site's; the code was made on the site's clock"
    )
    assert clock_sentence(0.0) == "this machine's clock agreed with the site's (within 10 s)"
    assert "could not be read" in clock_sentence(None)


@pytest.mark.browser
def test_doctor_compares_the_clocks(pacer_mock_factory: Factory, cli_env: dict[str, str], tmp_path: Path) -> None:
    server = pacer_mock_factory(clock_offset_s=-90)
    done = run_cli("doctor", "--base-url", server.url, "--json", env=cli_env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "90 s ahead of the site's" in json.loads(done.stdout)["site_clock"]
    assert "warning: this machine's clock" in done.stderr


def test_a_refused_code_can_say_whether_the_clocks_differed(tmp_path: Path, run_core: Callable[..., Any]) -> None:
    skewed = OtpLedger(tmp_path, read_clock=lambda _origin: ClockReading(site=time.time() + 90, local=time.time()))
    codes = skewed.source("http://127.0.0.1:1", "jdoe")
    run_core(codes(SecretStr("JBSWY3DPEHPK3PXPJBSWY3DP")))
    assert otp_clock_sentence(codes) == (
        "this machine's clock was 90 s behind the site's; the code was made on the site's clock"
    )


@pytest.mark.browser
def test_check_right_after_bulk_spends_a_new_code(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    account = pacer_mock.state.account(MFA)
    assert account is not None and account.otp_secret
    roster = tmp_path / "roster.csv"
    roster.write_text(f"name,username,password,otp_secret\nKim,{MFA},{account.password},{account.otp_secret}\n")
    roster.chmod(0o600)
    bulk = run_cli(
        "bulk",
        str(roster),
        "--base-url",
        pacer_mock.url,
        "--out",
        str(tmp_path / "out"),
        "--rate",
        "0",
        "--quiet",
        env=cli_env,
        cwd=tmp_path,
    )
    assert bulk.returncode in (0, 1), bulk.stderr
    step = _ledger_step(pacer_mock)
    pacer_mock.move_clock(PERIOD_S)  # a step on, read by `check` from the Date header: no 30-second wait
    result, _ = _finished(_check(pacer_mock, cli_env))
    assert result["status"] == "upgraded" and _ledger_step(pacer_mock) > step
    assert pacer_mock.stats()["sign_ons"][MFA] == 2
    _no_code_refused(pacer_mock, MFA)


def test_doctor_names_a_name_that_did_not_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not "no Date header" when the site's name did not resolve (no network use: the look-up fails here)."""
    import socket

    from verifier.check.site import LOOPBACK_ONLY_ENV
    from verifier.commands.doctor import site_clock_line

    def no_such_name(host: str, *args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.delenv(LOOPBACK_ONLY_ENV, raising=False)
    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    line, warning = site_clock_line("https://pacer.example.invalid")
    assert line == "not read (the name pacer.example.invalid did not resolve: Name or service not known)"
    assert warning is None
