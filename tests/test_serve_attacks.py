"""Issue 27: `serve` attacked as someone on the firm's network would, each measured attack again, now
against a real `serve` process and the mock PACER site, with the mock's sign-in counters asserted (0
wherever nothing may reach PACER).

The pages a person sees (the page asking for the personal link, the one saying when to try again, IT's
attempts column and sign-out) are looked at in tests/test_serve_pages.py.
"""

from __future__ import annotations

import json
import os
import re
import select
import socket
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import free_port, run_cli, start_cli
from hostile_site import hostile_site
from secret_spellings import holds_code
from test_serve import (
    ACCOUNTS,
    ADMIN_TOKEN,
    MFA_SECRET,
    WRONG_PASSWORD,
    Serve,
    _check_over_http,
    _form_token,
    client,
    link_token,
    sign_ins,
    start_serve,
    stop,
)

from flows.otp import code_at, step_at
from verifier.check.otp_ledger import OtpLedger
from verifier.check.site import SiteMap
from verifier.mock.server import MockServer

SECURITY_HEADERS = ("content-security-policy", "x-frame-options", "referrer-policy", "x-content-type-options")
#: Only so that a server that never cuts a slow client fails the test instead of hanging it.
CAP_S = 60.0


@pytest.fixture
def env(cli_env: dict[str, str]) -> dict[str, str]:
    """`serve`'s environment: it signs in by the API, the product's way (the attacks are on `serve`, not on
    the sign-on form; tests/test_serve.py signs in with both)."""
    return {
        **cli_env,
        "PACER_VERIFY_ADMIN_TOKEN": ADMIN_TOKEN,
        "PACER_VERIFY_LOG_LEVEL": "DEBUG",
        "PACER_VERIFY_SIGN_IN": "api",
    }


def guarded(answer: httpx.Response) -> bool:
    return all(name in answer.headers for name in SECURITY_HEADERS)


def post_check(http: httpx.Client, form: dict[str, str], page: str = "/") -> httpx.Response:
    return http.post("/check", data={**form, "csrf": _form_token(http, page)})


def lines_of(serve: Serve) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (serve.out / "results.jsonl").read_text().splitlines() if line.strip()]


# --- 1. anyone could sign in to PACER through the page, for any username -------------------------------


def test_with_a_roster_only_a_personal_link_signs_in_and_only_its_own_username(
    pacer_mock: MockServer, env: dict[str, str], tmp_path: Path
) -> None:
    serve = start_serve(tmp_path, pacer_mock, env)
    try:
        with client(serve) as http:
            home = http.get("/")
            assert home.status_code == 200 and "personal link" in home.text
            assert 'type="password"' not in home.text  # nothing to type a password into
            token = _form_token(http, f"/a/{link_token(serve, 'asmith2001')}")
            for username in ("asmith2001", "zzstranger99"):  # on the roster, and not
                answer = http.post("/check", data={"csrf": token, "username": username, "password": "Guess-1234"})
                assert answer.status_code == 403 and "personal link" in answer.text
            assert sign_ins(pacer_mock) == {}

            # Alice's link with Carmen's username in the form: Alice's account is the one checked.
            alice = {"link": link_token(serve, "asmith2001"), "username": "cwong2003"}
            page = _check_over_http(http, {**alice, "password": ACCOUNTS["asmith2001"][1]})
            assert "for PACER username <strong>asmith2001</strong>" in page

            # A wrong password through Carmen's link: nothing about her account is shown, her courts neither.
            carmen = {"link": link_token(serve, "cwong2003"), "password": WRONG_PASSWORD}
            refused = _check_over_http(http, carmen)
            assert "PACER did not accept this username and password" in refused
            assert "Already done" not in refused and "(utd)" not in refused and "(cod)" not in refused
            assert "Link your CM/ECF account" not in refused
    finally:
        stop(serve)
    assert sign_ins(pacer_mock) == {"asmith2001": 1, "cwong2003": 1}


def test_the_open_page_caps_usernames_before_anything_is_sent(
    pacer_mock: MockServer, env: dict[str, str], tmp_path: Path
) -> None:
    serve = start_serve(tmp_path, pacer_mock, env, roster=False)
    try:
        with client(serve) as http:
            answers = {
                name: post_check(http, {"username": name, "password": "Guess-1234"})
                for name in ("a" * 15_000, "x" * 65, "has space", "caf\u00e9user")
            }
    finally:
        stop(serve)
    assert {len(k): v.status_code for k, v in answers.items()} == {15_000: 400, 65: 400, 9: 400, 8: 400}
    assert "longer than 64 characters" in answers["a" * 15_000].text
    assert "a" * 65 not in answers["a" * 15_000].text  # not shown back either
    assert sign_ins(pacer_mock) == {}
    assert not (serve.out / "results.jsonl").read_text()


def test_the_progress_page_names_nobody() -> None:
    from verifier.serve.checks import Job, Stage
    from verifier.serve.views import Pages, stage_text

    job = Job("j0b", "cwong2003", "Carmen Wong", Stage.CHECKING)
    shown = Pages("Smith & Jones LLP", "pacer.example").render(
        "progress.html.j2", csrf="", job=job, stage_text=stage_text(job.stage, 0, 3)
    )
    assert "Carmen" not in shown and "cwong2003" not in shown and "Checking the PACER account" in shown


# --- 2. a failed sign-in overwrote what IT knew ---------------------------------------------------------


def test_a_failed_sign_in_is_an_attempt_beside_the_last_reading_for_every_reader(
    pacer_mock: MockServer, env: dict[str, str], cli_env: dict[str, str], tmp_path: Path
) -> None:
    serve = start_serve(tmp_path, pacer_mock, env)
    try:
        with client(serve) as http:
            alice = link_token(serve, "asmith2001")
            assert "upgraded" in _check_over_http(http, {"link": alice, "password": ACCOUNTS["asmith2001"][1]})
            assert "did not accept" in _check_over_http(http, {"link": alice, "password": WRONG_PASSWORD})
            admin = http.get("/admin", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).text
    finally:
        stop(serve)
    assert sign_ins(pacer_mock) == {"asmith2001": 2}
    recorded = lines_of(serve)
    assert [(r["status"], r["attempt_only"]) for r in recorded] == [("upgraded", False), ("invalid_credentials", True)]

    row = re.search(r'<tr [^>]*data-status="([a-z_]+)" data-username="asmith2001"[^>]*>(.*?)</tr>', admin, re.S)
    assert row and row.group(1) == "upgraded"
    failed = re.search(r'data-label="Failed sign-ins".*?</td>', row.group(2), re.S)
    assert (
        failed and "1</strong> since the last reading" in failed.group(0) and "invalid_credentials" in failed.group(0)
    )

    # report, notices and bulk --resume read the same file and keep the reading.
    report = run_cli("report", serve.out / "results.jsonl", "--format", "json", env=cli_env, check_exit=0)
    assert {r["username"]: r["status"] for r in json.loads(report.stdout)["results"]} == {"asmith2001": "upgraded"}
    at_stop = json.loads((serve.out / "results.json").read_text())["results"]  # written by serve at its stop
    assert [r["status"] for r in at_stop] == ["upgraded"]
    notices = run_cli("notices", serve.out / "results.jsonl", "--out", tmp_path / "notices", env=cli_env, check_exit=0)
    # Her reading leaves her nothing to do (MFA not asked yet is a heads-up), so she gets no notice; the
    # rejected attempt would have given her one asking to check her password.
    assert "0 notices written" in notices.stdout, notices.stdout
    assert not (tmp_path / "notices" / "asmith2001.txt").exists()
    pacer_mock.reset()
    roster = tmp_path / "alice.csv"
    roster.write_text(f"name,username,password\nAlice Smith,asmith2001,{ACCOUNTS['asmith2001'][1]}\n")
    roster.chmod(0o600)
    resumed = run_cli("bulk", roster, "--out", serve.out, "--resume", "--base-url", pacer_mock.url, env=cli_env)
    assert resumed.returncode == 0, resumed.stderr  # 0: her reading is ready (the attempt would make it 1)
    assert sign_ins(pacer_mock) == {}  # her reading is done: not signed in again


def test_the_record_rule_keeps_readings_and_lists_attempts_since() -> None:
    from helpers import make_result

    from verifier.models import Status
    from verifier.serve.record import known_from
    from verifier.store.checkpoint import done_keys, keep

    reading = make_result(Status.LEGACY)
    wrong = make_result(Status.INVALID_CREDENTIALS, attempt_only=True)
    code = make_result(Status.OTP_REJECTED, attempt_only=True)
    newer = make_result(Status.UPGRADED)
    latest: dict[str, Any] = {}
    for result in (reading, wrong, code):
        keep(latest, result)
    assert [r.status for r in latest.values()] == [Status.LEGACY]
    known = known_from([reading, wrong, code])
    assert known[0].shown is reading and known[0].attempts == [wrong, code]
    known = known_from([reading, wrong, newer, code])
    assert known[0].shown is newer and known[0].attempts == [code]
    only_attempts = known_from([wrong, code])
    assert only_attempts[0].shown is code and only_attempts[0].attempts == [wrong, code]
    site_error = make_result(Status.SITE_ERROR)
    assert known_from([site_error, wrong])[0].shown is wrong  # nothing was learned before it
    assert done_keys  # the same rule: exercised end to end above with bulk --resume


# --- 2 (cont.) and 3. strangers could lock attorneys out; counters forgot at restart --------------------


def test_two_failed_sign_ins_close_a_username_for_a_day_across_restarts(
    pacer_mock: MockServer, env: dict[str, str], tmp_path: Path
) -> None:
    args = ("--contact", "the IT help desk (ext. 4357)")
    serve = start_serve(tmp_path, pacer_mock, env, *args)
    try:
        with client(serve) as http:
            brian = {"link": link_token(serve, "bjones2002"), "password": WRONG_PASSWORD}
            assert "did not accept" in _check_over_http(http, brian)
            carmen = {"link": link_token(serve, "cwong2003"), "password": ACCOUNTS["cwong2003"][1]}
            code = code_at(MFA_SECRET)
            wrong_code = f"{(int(code) + 500_000) % 1_000_000:06d}"
            assert "not the one-time code" in _check_over_http(http, {**carmen, "otp_code": wrong_code})
            irene = {"link": link_token(serve, "imartin2009"), "password": ACCOUNTS["imartin2009"][1]}
            assert "locked" in _check_over_http(http, irene)
    finally:
        stop(serve)
    failures = serve.out / "serve-sign-in-failures.json"
    assert os.name != "posix" or failures.stat().st_mode & 0o777 == 0o600
    assert set(json.loads(failures.read_text())) == {"bjones2002", "cwong2003", "imartin2009"}

    serve = start_serve(tmp_path, pacer_mock, env, *args, log_name="serve-2.log")  # the counters outlive it
    try:
        with client(serve) as http:
            assert "did not accept" in _check_over_http(http, brian)
            assert "did not accept" in _check_over_http(http, {**carmen, "password": WRONG_PASSWORD})
            assert "locked" in _check_over_http(http, irene)
            alice = f"/a/{link_token(serve, 'asmith2001')}"  # a page with a form, for a token to post with
            for form in (brian, carmen, irene):
                # Their own page says so at once, with no form to type a password into in vain...
                page = http.get(f"/a/{form['link']}")
                assert page.status_code == 429 and 'name="password"' not in page.text, page.text
                assert "will not try it again until" in page.text and "the IT help desk (ext. 4357)" in page.text
                # ...and a post made anyway is refused before anything is sent.
                third = post_check(http, form, alice)
                assert third.status_code == 429, third.text
                assert "will not try it again until" in third.text and "the IT help desk (ext. 4357)" in third.text
    finally:
        stop(serve)
    serve = start_serve(tmp_path, pacer_mock, env, *args, log_name="serve-3.log")
    try:
        with client(serve) as http:
            alice = f"/a/{link_token(serve, 'asmith2001')}"
            assert post_check(http, carmen, alice).status_code == 429  # still, after a restart
    finally:
        stop(serve)
    assert sign_ins(pacer_mock) == {"bjones2002": 2, "cwong2003": 2, "imartin2009": 2}
    assert WRONG_PASSWORD not in failures.read_text() and wrong_code not in failures.read_text()


def test_a_code_used_in_this_step_is_refused_before_it_is_sent(
    pacer_mock: MockServer, env: dict[str, str], tmp_path: Path, run_core: Any
) -> None:
    # The ledger knows a code was sent for Carmen in this 30-second step (and the next two: time for the
    # test to run inside them whatever the clock shows), as when she pressed "Check" a moment ago.
    origin = SiteMap.for_base_url(pacer_mock.url).login_origin
    ahead = OtpLedger(read_clock=lambda _: None, now=lambda: time.time() + 60)
    taken = run_core(ahead.take(origin, "cwong2003"))
    assert taken.step > step_at(time.time())
    serve = start_serve(tmp_path, pacer_mock, env, "--sign-in", "api")
    try:
        with client(serve) as http:
            carmen = link_token(serve, "cwong2003")
            form = {"link": carmen, "password": ACCOUNTS["cwong2003"][1], "otp_code": code_at(MFA_SECRET)}
            answer = post_check(http, form, f"/a/{carmen}")
    finally:
        stop(serve)
    assert answer.status_code == 409 and "This one-time code was used already" in answer.text
    assert sign_ins(pacer_mock) == {}


def test_what_counts_as_a_failed_sign_in() -> None:
    from verifier.models import Status
    from verifier.serve.failures import counts_as_failure

    assert counts_as_failure(Status.MFA_REQUIRED, code_sent=True)
    assert not counts_as_failure(Status.MFA_REQUIRED, code_sent=False)  # PACER took the password, asked for a code
    assert all(counts_as_failure(s, False) for s in (Status.INVALID_CREDENTIALS, Status.OTP_REJECTED, Status.LOCKED))
    assert not any(counts_as_failure(s, True) for s in (Status.UPGRADED, Status.LEGACY, Status.SITE_ERROR))


def test_a_sign_in_is_counted_before_it_is_sent(tmp_path: Path) -> None:
    import datetime as dt

    from verifier.errors import UsageError
    from verifier.serve.failures import SignInFailures

    clock = [dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)]
    failures = SignInFailures(tmp_path, now=lambda: clock[0])
    first = failures.begin("BJones2002")
    assert failures.open_again("bjones2002") is None
    # The server dies here, its sign-in maybe sent: the next start counts it.
    failures = SignInFailures(tmp_path, now=lambda: clock[0])
    second = failures.begin("bjones2002")
    assert failures.open_again("bjones2002") == clock[0] + dt.timedelta(hours=24)
    failures.settle(second, failed=False)  # PACER took that one: it no longer counts
    assert failures.open_again("bjones2002") is None
    failures.settle(first, failed=True)
    clock[0] += dt.timedelta(hours=25)
    assert SignInFailures(tmp_path, now=lambda: clock[0]).open_again("bjones2002") is None
    (tmp_path / "serve-sign-in-failures.json").write_text("not json", encoding="utf-8")
    with pytest.raises(UsageError, match=r"serve-sign-in-failures\.json: not readable"):
        SignInFailures(tmp_path)


# --- 3 and 4. the limits trusted X-Forwarded-For; a guessed Bearer token was not limited ---------------


def test_proxy_headers_count_only_from_a_trusted_proxy_and_token_guesses_share_one_limit(
    pacer_mock: MockServer, env: dict[str, str], tmp_path: Path
) -> None:
    serve = start_serve(tmp_path, pacer_mock, env, "--limit-per-address", "3")
    try:
        with client(serve) as http:
            token = _form_token(http, f"/a/{link_token(serve, 'egarcia2005')}")
            answers = [
                http.post("/check", data={"csrf": token, "username": "asmith2001", "password": "Guess-1234"},
                          headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
                for n in range(6)
            ]  # fmt: skip
            assert answers == [403, 403, 403, 429, 429, 429]
            # Wrong tokens by header and by form count together, whatever X-Forwarded-For says.
            for n in range(5):
                wrong = {"Authorization": f"Bearer wrong-{n}", "X-Forwarded-For": f"198.51.100.{n}"}
                assert http.get("/admin", headers=wrong).status_code == 401
            sign_in_token = _form_token(http, "/admin")
            for n in range(5):
                form = {"csrf": sign_in_token, "token": f"wrong-{n}"}
                assert (
                    http.post("/admin/sign-in", data=form, headers={"X-Forwarded-For": f"192.0.2.{n}"}).status_code
                    == 401
                )
            right = http.get("/admin", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
            assert right.status_code == 429 and guarded(right)
            form = {"csrf": sign_in_token, "token": ADMIN_TOKEN}
            assert http.post("/admin/sign-in", data=form).status_code == 429
    finally:
        stop(serve)

    # Named as the proxy, 127.0.0.1's X-Forwarded-For is each attorney's address.
    serve = start_serve(tmp_path, pacer_mock, env, "--limit-per-address", "3", "--trusted-proxy", "127.0.0.1",
                        log_name="serve-2.log")  # fmt: skip
    try:
        with client(serve) as http:
            token = _form_token(http, f"/a/{link_token(serve, 'egarcia2005')}")
            form = {"csrf": token, "username": "asmith2001", "password": "Guess-1234"}
            by_one = [
                http.post("/check", data=form, headers={"X-Forwarded-For": "203.0.113.7"}).status_code for _ in range(4)
            ]
            by_others = [
                http.post("/check", data=form, headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
                for n in range(20, 24)
            ]
            for n in range(10):
                http.get("/admin", headers={"Authorization": f"Bearer wrong-{n}", "X-Forwarded-For": "198.51.100.9"})
            it = http.get(
                "/admin", headers={"Authorization": f"Bearer {ADMIN_TOKEN}", "X-Forwarded-For": "198.51.100.10"}
            )
    finally:
        stop(serve)
    assert by_one == [403, 403, 403, 429] and by_others == [403] * 4
    assert it.status_code == 200
    assert sign_ins(pacer_mock) == {}


def test_a_trusted_proxy_must_be_an_address(cli_env: dict[str, str], tmp_path: Path) -> None:
    done = run_cli("serve", "--trusted-proxy", "proxy.firm.example", "--out", tmp_path / "out", env=cli_env)
    assert done.returncode == 2 and done.stderr.startswith("pacer-verify: error: --trusted-proxy proxy.firm.example")
    assert len(done.stderr.strip().splitlines()) == 1


# --- 5. IT's sign-in never ended ---------------------------------------------------------------------


def _admin_session(serve: Serve) -> httpx.Client:
    http = client(serve)
    answer = http.post("/admin/sign-in", data={"csrf": _form_token(http, "/admin"), "token": ADMIN_TOKEN})
    assert answer.status_code == 303, answer.text
    return http


def test_it_signs_in_to_a_session_of_its_own_and_signs_out(
    pacer_mock: MockServer, env: dict[str, str], tmp_path: Path
) -> None:
    serve = start_serve(tmp_path, pacer_mock, env)
    laptop, desktop = _admin_session(serve), _admin_session(serve)
    try:
        cookies = [c.cookies.get("pv_admin") for c in (laptop, desktop)]
        assert cookies[0] and cookies[1] and cookies[0] != cookies[1] and ADMIN_TOKEN not in cookies[0]
        page = laptop.get("/admin")
        assert page.status_code == 200 and 'action="/admin/sign-out"' in page.text
        # Without the form's token, no sign-out; with it, the session is over (and only that one).
        assert laptop.post("/admin/sign-out", data={}).status_code == 403
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
        assert csrf
        out = laptop.post("/admin/sign-out", data={"csrf": csrf.group(1)})
        assert out.status_code == 200 and "Signed out" in out.text
        stale = httpx.get(f"{serve.url}/admin", headers={"Cookie": f"pv_admin={cookies[0]}"})
        assert stale.status_code == 401
        assert desktop.get("/admin").status_code == 200
        token_only = httpx.post(
            f"{serve.url}/admin/sign-in", data={"token": ADMIN_TOKEN}, headers={"Origin": serve.url}
        )
        assert token_only.status_code == 403  # the token without the form's own token: no session
    finally:
        laptop.close()
        desktop.close()
        stop(serve)
    assert sign_ins(pacer_mock) == {}


def test_a_session_ends_after_eight_hours_or_half_an_hour_idle() -> None:
    from starlette.requests import Request

    from verifier.serve.admin_auth import Access, AdminAuth

    now = [1000.0]
    auth = AdminAuth(ADMIN_TOKEN, "pv_admin", now=lambda: now[0])

    def request(cookie: str = "", bearer: str = "") -> Request:
        headers = [(b"cookie", f"pv_admin={cookie}".encode())] if cookie else []
        headers += [(b"authorization", f"Bearer {bearer}".encode())] if bearer else []
        return Request({"type": "http", "headers": headers, "client": ("192.0.2.1", 1)})

    access, session = auth.sign_in(request(), ADMIN_TOKEN)
    assert access is Access.ALLOWED
    for _ in range(17):  # active every 29 minutes: alive until 8 hours
        now[0] += 29 * 60
        assert auth.session(request(session)) is (now[0] - 1000 < 8 * 3600)
    access, idle = auth.sign_in(request(), ADMIN_TOKEN)
    now[0] += 30 * 60
    assert not auth.session(request(idle))
    for n in range(10):
        assert auth.access(request(bearer=f"wrong-{n}")) is Access.REFUSED
    assert auth.access(request(bearer=ADMIN_TOKEN)) is Access.TOO_MANY


@pytest.mark.parametrize(
    "token",
    ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "short-but-mixed-0123", "abababababababababababababababababab"],
)
def test_a_weak_admin_token_is_refused_at_start(token: str, cli_env: dict[str, str], tmp_path: Path) -> None:
    done = run_cli("serve", "--out", tmp_path / "out", env={**cli_env, "PACER_VERIFY_ADMIN_TOKEN": token})
    assert done.returncode == 2
    assert done.stderr.startswith("pacer-verify: error: PACER_VERIFY_ADMIN_TOKEN: ")
    assert len(done.stderr.strip().splitlines()) == 1 and token not in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_made_up_token_is_shown_once_on_a_terminal_and_never_written_to_a_log(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    pty = pytest.importorskip("pty", reason="a pseudo-terminal (POSIX) stands for IT's terminal")
    env = {k: v for k, v in cli_env.items() if k != "PACER_VERIFY_ADMIN_TOKEN"}
    args = ["serve", "--out", tmp_path / "week1", "--base-url", pacer_mock.url, "--rate", "0"]
    to_a_file = run_cli(*args, "--port", str(free_port()), env=env, cwd=tmp_path)
    assert to_a_file.returncode == 2 and "standard error is not a terminal" in to_a_file.stderr
    assert not (tmp_path / "week1").exists()

    port = free_port()
    main, terminal = pty.openpty()
    process = start_cli(*args, "--port", str(port), env=env, cwd=tmp_path, stdout=terminal, stderr=terminal)
    os.close(terminal)
    shown = b""
    try:
        deadline = time.monotonic() + CAP_S
        while b"Ctrl-C stops" not in shown and time.monotonic() < deadline and process.poll() is None:
            if select.select([main], [], [], 1.0)[0]:
                shown += os.read(main, 4096)
        found = re.search(
            rb"admin token, shown this once \(set PACER_VERIFY_ADMIN_TOKEN to choose one\):\r?\n  (\S+)", shown
        )
        assert found, shown
        token = found.group(1).decode()
        while process.poll() is None and time.monotonic() < deadline:  # until it listens (the browser first)
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz")
                break
            except httpx.ConnectError:
                if select.select([main], [], [], 0.2)[0]:  # keep the terminal drained meanwhile
                    shown += os.read(main, 4096)
        answer = httpx.get(f"http://127.0.0.1:{port}/admin", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=60)
        os.close(main)
    assert shown.count(token.encode()) == 1 and len(token) >= 32
    for path in (tmp_path / "week1").rglob("*"):
        assert not path.is_file() or token.encode() not in path.read_bytes(), path


# --- 6. a serve refused the folder still wrote into it ---------------------------------------------------


def test_a_second_serve_on_a_held_folder_writes_nothing_there(
    pacer_mock: MockServer, env: dict[str, str], tmp_path: Path
) -> None:
    serve = start_serve(tmp_path, pacer_mock, env)
    before = {p.name: p.read_bytes() for p in serve.out.iterdir() if p.is_file()}
    assert {"links.csv", "serve-links.key"} <= before.keys()
    roster = tmp_path / "roster-without-passwords.csv"
    attacker = [
        "--out",
        serve.out,
        "--roster",
        roster,
        "--public-url",
        "https://attacker.example",
        "--link-days",
        "365",
    ]
    try:
        second = run_cli("serve", *attacker, "--port", str(free_port()), "--base-url", pacer_mock.url, env=env)
        listed = run_cli("serve", *attacker, "--links", env=env)
        after = {p.name: p.read_bytes() for p in serve.out.iterdir() if p.is_file()}
    finally:
        stop(serve)
    for done in (second, listed):
        assert done.returncode == 2 and "another pacer-verify run is using this folder" in done.stderr, done.stderr
        assert "attacker.example" not in done.stdout
    assert after == before  # links.csv and the key, byte for byte
    assert sign_ins(pacer_mock) == {}


# --- 7. no Secure cookie or HSTS behind a TLS proxy; --insecure-http's address ------------------------


def test_behind_a_tls_proxy_cookies_are_secure_and_hsts_is_sent(
    pacer_mock: MockServer, env: dict[str, str], tmp_path: Path
) -> None:
    public = "https://pacer-check.firm.example"
    serve = start_serve(tmp_path, pacer_mock, env, "--public-url", public, "--insecure-http")
    try:
        proxied = {"Host": "pacer-check.firm.example"}
        as_proxied = httpx.get(f"{serve.url}/", headers=proxied)
        direct = httpx.get(f"{serve.url}/")
        # A post through the proxy: its Origin is the public address (a Secure cookie, sent back by hand:
        # httpx keeps Secure cookies for https).
        alice = link_token(serve, "asmith2001")
        page = httpx.get(f"{serve.url}/a/{alice}", headers=proxied)
        cookie = page.headers["set-cookie"].split(";")[0]
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
        assert token
        through_the_proxy = httpx.post(
            f"{serve.url}/check",
            data={"csrf": token.group(1), "link": alice, "password": ""},
            headers={**proxied, "Origin": public, "Cookie": cookie},
        )
        log = serve.read_log()
    finally:
        stop(serve)
    assert through_the_proxy.status_code == 400 and "Password: please fill it in" in through_the_proxy.text
    for answer in (as_proxied, direct):
        assert answer.status_code == 200
        assert answer.headers["strict-transport-security"].startswith("max-age=")
        cookie = answer.headers["set-cookie"]
        assert cookie.startswith("__Host-pv_csrf=") and "Secure" in cookie and "HttpOnly" in cookie
    assert f"attorneys' page: {public}/" in log
    assert "WARNING: serving plain HTTP" not in log  # --insecure-http without --host: loopback only
    assert links_of(serve.out).startswith(f"{public}/a/")


def links_of(out: Path) -> str:
    found = re.search(r'"(https?://[^"]+/a/[^"]+)"', (out / "links.csv").read_text(encoding="utf-8-sig"))
    assert found
    return found.group(1)


def test_insecure_http_alone_listens_on_loopback_only(
    pacer_mock: MockServer, env: dict[str, str], tmp_path: Path
) -> None:
    serve = start_serve(tmp_path, pacer_mock, env, "--insecure-http")
    try:
        other = _an_address_of_this_machine()
        reached = None
        if other:
            port = serve.url.rsplit(":", 1)[1]
            with socket.socket() as probe:
                probe.settimeout(5)
                reached = probe.connect_ex((other, int(port))) == 0
    finally:
        stop(serve)
    assert serve.url.startswith("http://127.0.0.1:")
    assert reached in (None, False)


def _an_address_of_this_machine() -> str | None:
    """A non-loopback address of this machine, if it has one (a sealed sandbox may have none)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: it only picks the outgoing interface
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


# --- 8. a crafted link was a 500 without the security headers, its traceback on standard error ---------


def test_every_answer_is_a_page_of_ours_with_the_headers(
    pacer_mock: MockServer, env: dict[str, str], tmp_path: Path
) -> None:
    serve = start_serve(tmp_path, pacer_mock, env, "--limit-per-address", "1")
    try:
        with client(serve) as http:
            answers = {
                "crafted link": http.get("/a/%C2%B2.1797626767.abc"),
                "superscript row": http.get("/a/\u00b2.1797626767.AAAAAAAAAAAAAAAAAAAAAA"),
                "no page": http.get("/nothing-here"),
                "wrong method": http.post("/", data={"x": "1"}),
                "too large": http.post("/check", content=b"x" * 100_000),
                "foreign host": http.get("/", headers={"Host": "attacker.example"}),
            }
            token = _form_token(http, f"/a/{link_token(serve, 'asmith2001')}")
            http.post("/check", data={"csrf": token})
            answers["too many"] = http.post("/check", data={"csrf": token})
            # An unexpected error: results.jsonl damaged under the running server.
            with (serve.out / "results.jsonl").open("ab") as damaged:
                damaged.write(b"\xff\xfe not a result\n")
            answers["internal error"] = http.get("/admin", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
            (serve.out / "results.jsonl").write_bytes(b"")  # mended, so the server can write its reports
            log = serve.read_log()
    finally:
        stop(serve)
    statuses = {name: answer.status_code for name, answer in answers.items()}
    assert statuses == {
        "crafted link": 404,
        "superscript row": 404,
        "no page": 404,
        "wrong method": 405,
        "too large": 413,
        "foreign host": 400,
        "too many": 429,
        "internal error": 500,
    }
    assert [name for name, answer in answers.items() if not guarded(answer)] == []
    assert "This link does not work" in answers["crafted link"].text
    assert "Something went wrong" in answers["internal error"].text
    assert "Traceback" not in log and "ValueError" not in log
    errors = [line for line in log.splitlines() if "internal error answering" in line]
    assert len(errors) == 1 and "GET /admin: UsageError" in errors[0], log


# --- 9. slow clients were never timed out ----------------------------------------------------------------


def _trickled_until_closed(port: int, head: bytes, trickle: bytes) -> bool:
    """Send `head`, then a byte of `trickle` every 0.2 s; True once the server has closed the connection
    (read gives b"" or the socket is reset), False if it never did within CAP_S."""
    with socket.create_connection(("127.0.0.1", port), timeout=CAP_S) as sock:
        sock.sendall(head)
        deadline = time.monotonic() + CAP_S
        position = 0
        while time.monotonic() < deadline:
            readable, _, _ = select.select([sock], [], [], 0.2)
            if readable:
                try:
                    if sock.recv(4096) == b"":
                        return True
                except ConnectionResetError:
                    return True
                continue
            try:
                sock.sendall(trickle[position % len(trickle) : position % len(trickle) + 1])
            except (BrokenPipeError, ConnectionResetError):
                return True
            position += 1
    return False


def test_a_slow_client_is_cut_off(pacer_mock: MockServer, env: dict[str, str], tmp_path: Path) -> None:
    serve = start_serve(tmp_path, pacer_mock, env, "--headers-timeout", "1", "--request-timeout", "2")
    port = int(serve.url.rsplit(":", 1)[1])
    try:
        slow_headers = _trickled_until_closed(port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n", b"X-Slow: yes\r\n")
        body_head = (
            b"POST /check HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + serve.url.encode() + b"\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\n"
        )
        slow_body = _trickled_until_closed(port, body_head, b"username=a&")
        after = httpx.get(f"{serve.url}/healthz")  # the server itself is fine
        log = serve.read_log()
    finally:
        stop(serve)
    assert slow_headers and slow_body
    assert after.status_code == 200
    assert "Traceback" not in log and "internal error" not in log
    assert sign_ins(pacer_mock) == {}


# --- 10. the Host header was not checked (DNS rebinding) -------------------------------------------------


def test_a_foreign_host_header_is_refused_before_anything_else(
    pacer_mock: MockServer, env: dict[str, str], tmp_path: Path
) -> None:
    serve = start_serve(tmp_path, pacer_mock, env)
    try:
        with client(serve) as http:
            alice = link_token(serve, "asmith2001")
            token = _form_token(http, f"/a/{alice}")
            form = {"csrf": token, "link": alice, "password": ACCOUNTS["asmith2001"][1]}
            rebound = {"Host": "pacer-check.attacker.example", "Origin": "http://pacer-check.attacker.example"}
            answers = [
                http.get(f"/a/{alice}", headers=rebound),
                http.post("/check", data=form, headers=rebound),
                http.get("/admin", headers={**rebound, "Authorization": f"Bearer {ADMIN_TOKEN}"}),
            ]
            local = http.get("/", headers={"Host": f"localhost:{serve.url.rsplit(':', 1)[1]}"})
    finally:
        stop(serve)
    assert [a.status_code for a in answers] == [400, 400, 400]
    assert all(guarded(a) for a in answers)
    assert local.status_code == 200
    assert sign_ins(pacer_mock) == {}


# --- 11. only exact copies of a secret were scrubbed ----------------------------------------------------

ECHOED_PASSWORD = "Echo-Me-Secret-9x"
ECHO_USER = "eecho3001"


def _echo_every_spelling(sent: dict[str, Any]) -> str:
    password, code = str(sent.get("password", "")), str(sent.get("otpCode", ""))
    return (
        f"Invalid: {password.upper()} / {' '.join(password)} / {'.'.join(password.lower())} / "
        f"{'-'.join(password)} / code {code[:3]} {code[3:]} / {code[:3]}-{code[3:]} / {' '.join(code)}"
    )


def test_a_site_echoing_the_secret_spelled_out_leaves_it_nowhere(env: dict[str, str], tmp_path: Path) -> None:
    code = "246810"
    with hostile_site(_echo_every_spelling) as (url, counts):
        serve = start_serve(tmp_path, url, env, "--sign-in", "api", roster=False)
        try:
            with client(serve) as http:
                page = _check_over_http(http, {"username": ECHO_USER, "password": ECHOED_PASSWORD, "otp_code": code})
                admin = http.get("/admin", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).text
        finally:
            stop(serve)
    assert counts.api_login_posts == {ECHO_USER: 1}
    stored = lines_of(serve)
    # The echo: "Invalid: PASSWORD / p a s s … / code 246 810 / 246-810 / 2 4 6 8 1 0", every spelling taken out.
    assert stored[0]["message"].endswith(
        "Invalid: ******** / ******** / ******** / ******** / code ******** / ******** / ********"
    )
    texts = [page, admin, serve.read_log()]
    texts += [p.read_text(errors="replace") for p in serve.out.rglob("*") if p.is_file() and p.suffix != ".png"]
    squeezed = re.sub(r"[ .\-]", "", ECHOED_PASSWORD.lower())
    for text in texts:
        assert squeezed not in re.sub(r"[ .\-\u00a0]", "", text.lower())
        assert not holds_code(text, code) and "246 810" not in text and "246-810" not in text
        assert "2 4 6 8 1 0" not in text


# --- 12. the CSRF cookie's value was chosen by the client; no Origin check ----------------------------


def test_a_csrf_cookie_the_server_did_not_make_is_worth_nothing(
    pacer_mock: MockServer, env: dict[str, str], tmp_path: Path
) -> None:
    serve = start_serve(tmp_path, pacer_mock, env)
    chosen = "attacker-chose-this-value-0123456789"
    try:
        alice = link_token(serve, "asmith2001")
        form = {"link": alice, "password": ACCOUNTS["asmith2001"][1]}
        with client(serve) as http:
            # The attacker's cookie gets replaced, and the token on the page is for the server's cookie only.
            http.cookies.set("pv_csrf", chosen)
            page = http.get(f"/a/{alice}")
            assert chosen not in page.headers["set-cookie"] and page.headers["set-cookie"].startswith("pv_csrf=")
            token = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
            assert token
            forged = httpx.post(
                f"{serve.url}/check",
                data={**form, "csrf": token.group(1)},
                headers={"Origin": serve.url, "Cookie": f"pv_csrf={chosen}"},
            )
            # A real cookie and token, posted from another site, or with no Origin or Referer at all.
            good = {**form, "csrf": _form_token(http, f"/a/{alice}")}
            elsewhere = http.post("/check", data=good, headers={"Origin": "https://attacker.example"})
            null = http.post("/check", data=good, headers={"Origin": "null"})
            http.headers.pop("Origin")
            nameless = http.post("/check", data=good)
            referred = http.post("/check", data={**good, "password": ""}, headers={"Referer": f"{serve.url}/a/{alice}"})
    finally:
        stop(serve)
    assert [a.status_code for a in (forged, elsewhere, null, nameless)] == [403] * 4
    assert referred.status_code == 400  # its Referer is the page's own: on to the form's own checks
    assert sign_ins(pacer_mock) == {}


def test_the_server_is_asyncio_and_h11_with_proxy_headers_off_and_a_connection_cap() -> None:
    from verifier.serve.launch import Listen
    from verifier.serve.listener import GuardedH11, Timeouts, server_config

    config = server_config(object(), Listen("127.0.0.1", 8080), [], Timeouts(headers_s=1.5, request_s=4))
    assert (config.loop, config.ws, config.proxy_headers, config.limit_concurrency) == ("asyncio", "none", False, 100)
    assert isinstance(config.http, type) and issubclass(config.http, GuardedH11)
    assert (config.http.headers_s, config.http.request_s) == (1.5, 4)
    proxied = server_config(object(), Listen("127.0.0.1", 8080), ["10.0.0.5"], Timeouts())
    assert proxied.proxy_headers and proxied.forwarded_allow_ips == ["10.0.0.5"]


def test_an_unexpected_error_is_one_line_and_its_traceback_only_when_debugging(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, run_core: Any
) -> None:
    from starlette.applications import Starlette
    from starlette.routing import Route

    from verifier.serve.security import SecurityHeaders

    async def broken(request: Any) -> Any:
        raise ValueError("a secret-looking detail")

    app = Starlette(routes=[Route("/a/{token}", broken)])
    app.add_middleware(SecurityHeaders, secure=False, error_page=lambda: b"<h1>Something went wrong</h1>")

    async def get() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as http:
            return await http.get("/a/1.2.personal-link")

    for debug in ("", "1"):
        monkeypatch.setenv("PACER_VERIFY_DEBUG", debug)
        caplog.clear()
        answer = run_core(get())
        assert answer.status_code == 500 and guarded(answer) and "Something went wrong" in answer.text
        (record,) = [r for r in caplog.records if "internal error" in r.getMessage()]
        assert record.getMessage().startswith("internal error answering GET /a/…: ValueError")
        assert "personal-link" not in record.getMessage() and "secret-looking" not in record.getMessage()
        assert (record.exc_info is not None) is bool(debug)
