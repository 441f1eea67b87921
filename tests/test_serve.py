"""`pacer-verify serve`: attorneys check themselves in a real browser, against the mock PACER site.

The server runs in a subprocess (pytest-playwright's sync page and a second Playwright in this thread
would clash); the mock is the suite's own (`pacer_mock_server`), so its sign-in counters can be read.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import free_port, make_result, run_cli, start_cli
from playwright.sync_api import Page, expect
from secret_spellings import holds_code
from test_step_order import _legacy_without_mfa

from flows.otp import code_at
from verifier.mock.server import MockServer

#: Where the browser test leaves its screenshots for a person to look at (its own tmp_path by default).
SHOTS_ENV = "PACER_VERIFY_SHOTS"
ADMIN_TOKEN = "test-admin-token-0123456789-abcdefXYZ"
AS_OF = "2026-12-01"
ACCOUNTS = {  # username: (name, password, courts, roster password for bulk)
    "asmith2001": ("Alice Smith", "Mock-Passw0rd-1", "cod"),
    "egarcia2005": ("Elena Garcia", "Mock-Passw0rd-5", ""),
    "cwong2003": ("Carmen Wong", "Mock-Passw0rd-3", "cod utd"),
    "bjones2002": ("Brian Jones", "Mock-Passw0rd-2", "utb"),
    "imartin2009": ("Irene Martin", "Mock-Passw0rd-9", ""),
}
MFA_SECRET = "7GIYCPFAMKVZ2CIPUBR42BBLN573O7R2"  # cwong2003's, from the mock's accounts
WRONG_PASSWORD = "Not-Her-Passw0rd-77"
NOT_ON_ROSTER = ("hlee2008", "Henry Lee")


@dataclass
class Serve:
    url: str
    out: Path
    log: Path
    process: subprocess.Popen[str]

    def read_log(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _roster(path: Path, with_passwords: bool) -> Path:
    lines = ["name,username,courts" + (",password,otp_secret" if with_passwords else "")]
    people = [(u, *v) for u, v in ACCOUNTS.items()] + [(NOT_ON_ROSTER[0], NOT_ON_ROSTER[1], "Mock-Passw0rd-8", "")]
    for username, name, password, courts in people:
        secret = MFA_SECRET if username == "cwong2003" else ""
        lines.append(f"{name},{username},{courts}" + (f",{password},{secret}" if with_passwords else ""))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def start_serve(
    tmp: Path,
    mock: MockServer | str,
    env: dict[str, str],
    *extra: str,
    scheme: str = "http",
    roster: bool = True,
    log_name: str = "serve.log",
) -> Serve:
    """`serve` on a free loopback port against the mock (or another site's URL), once it answers.
    Without `roster`, the open page (anyone may check any username)."""
    port = free_port()
    out = tmp / "week1"
    log = tmp / log_name
    args = ["serve", "--out", str(out), "--port", str(port)]
    if roster:
        args += ["--roster", str(_roster(tmp / "roster-without-passwords.csv", with_passwords=False))]
    base_url = mock if isinstance(mock, str) else mock.url
    args += ["--base-url", base_url, "--rate", "0", "--as-of", AS_OF, "--firm", "Smith & Jones LLP", *extra]
    handle = log.open("wb")
    process = start_cli(*args, env=env, stdout=handle, stderr=subprocess.STDOUT, cwd=tmp)
    handle.close()
    url = f"{scheme}://127.0.0.1:{port}"
    for _ in range(600):  # until it answers (the browser starts first), or it ended
        if process.poll() is not None:
            raise AssertionError(f"serve ended: {log.read_text()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1, verify=False).status_code == 200:
                return Serve(url, out, log, process)
        except httpx.HTTPError:
            pass
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.2)
    raise AssertionError("serve did not start")


def stop(serve: Serve) -> None:
    serve.process.terminate()
    try:
        serve.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        serve.process.kill()
        serve.process.wait()


@pytest.fixture
def serve_env(cli_env: dict[str, str]) -> dict[str, str]:
    return {**cli_env, "PACER_VERIFY_ADMIN_TOKEN": ADMIN_TOKEN, "PACER_VERIFY_LOG_LEVEL": "DEBUG"}


@pytest.fixture
def serve(pacer_mock: MockServer, serve_env: dict[str, str], tmp_path: Path) -> Iterator[Serve]:
    running = start_serve(tmp_path, pacer_mock, serve_env)
    yield running
    stop(running)


def links(serve: Serve) -> dict[str, str]:
    text = (serve.out / "links.csv").read_text(encoding="utf-8-sig")
    return {m.group(1): m.group(2) for m in re.finditer(r'"[^"]*","([^"]+)","[^"]*","(http[^"]+)"', text)}


def link_token(serve: Serve, username: str) -> str:
    """The part of the attorney's personal link after /a/."""
    return links(serve)[username].rsplit("/", 1)[1]


def client(serve: Serve, **headers: str) -> httpx.Client:
    """A client posting as the server's own pages do: with their Origin."""
    return httpx.Client(base_url=serve.url, headers={"Origin": serve.url, **headers})


def sign_ins(mock: MockServer) -> dict[str, int]:
    """Every sign-in the mock received, by the form or the Authentication API, per username."""
    stats = mock.stats()
    total: dict[str, int] = {}
    for counter in (stats["login_posts"], stats["api_login_posts"]):
        for username, count in counter.items():
            total[username] = total.get(username, 0) + count
    return total


def check(page: Page, pages: list[str], password: str, code: str = "", username: str | None = None) -> None:
    if username is not None:
        page.get_by_label("PACER username").fill(username)
    page.get_by_label("Password").fill(password)
    if code:
        page.get_by_label("One-time code").fill(code)
    pages.append(page.content())
    page.get_by_role("button", name="Check my account").click()
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("Checking", timeout=120_000)
    pages.append(page.content())


def test_attorneys_check_themselves_and_the_record_matches_bulk(
    page: Page, pacer_mock: MockServer, serve_env: dict[str, str], cli_env: dict[str, str], tmp_path: Path
) -> None:
    # bulk first, on the same accounts with their passwords (the firm's old way), then a fresh mock
    bulk_out = tmp_path / "bulk"
    roster = _roster(tmp_path / "roster-with-passwords.csv", with_passwords=True)
    bulk = run_cli(
        "bulk",
        str(roster),
        "--out",
        str(bulk_out),
        "--base-url",
        pacer_mock.url,
        "--rate",
        "0",
        "--retries",
        "0",
        "--as-of",
        AS_OF,
        "--json",
        env=cli_env,
        cwd=tmp_path,
    )
    assert bulk.returncode == 1, bulk.stderr
    assert pacer_mock.stats()["open_sessions"] == {}  # every session bulk opened was ended
    pacer_mock.reset()

    # The mock forgot the codes bulk spent; so does the ledger (serve refuses a code whose 30-second step
    # was used for the account, and bulk may just have used this one for Carmen).
    serve_env = {**serve_env, "PACER_VERIFY_STATE_DIR": str(tmp_path / "serve-state")}
    serve = start_serve(tmp_path, pacer_mock, serve_env)
    pages: list[str] = []
    codes: list[str] = []
    try:
        personal = links(serve)
        shots = Path(os.environ.get(SHOTS_ENV) or tmp_path / "shots")
        shots.mkdir(parents=True, exist_ok=True)

        # Upgraded, through her personal link: the page knows her name and asks only for the password.
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(personal["asmith2001"])
        expect(page.get_by_role("heading", level=1)).to_contain_text("Alice Smith")
        expect(page.get_by_label("PACER username")).to_have_value("asmith2001")
        expect(page.get_by_label("PACER username")).not_to_be_editable()
        expect(page.get_by_text("never stored").first).to_be_visible()
        page.screenshot(path=str(shots / "attorney-link-375.png"), full_page=True)
        check(page, pages, ACCOUNTS["asmith2001"][1])
        # Not enrolled in MFA, and PACER did not ask: nothing to do, and a heads-up that says so.
        expect(page.get_by_role("heading", level=1)).to_have_text("Your PACER account is upgraded")
        expect(page.get_by_role("heading", name="What to do, in this order")).to_have_count(0)
        heads_up = page.locator("ul.notes li").filter(has_text="Multi-factor authentication (MFA)")
        expect(heads_up).to_contain_text("not enrolled yet; PACER will ask at sign-in; enroll then")
        page.screenshot(path=str(shots / "result-upgraded-375.png"), full_page=True)

        # Legacy, at a laptop's width.
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(personal["egarcia2005"])
        page.screenshot(path=str(shots / "attorney-1280.png"), full_page=True)
        check(page, pages, ACCOUNTS["egarcia2005"][1])
        expect(page.get_by_role("heading", level=1)).to_contain_text("legacy account")
        expect(page.get_by_role("listitem").filter(has_text="Upgrade").first).to_be_visible()
        page.screenshot(path=str(shots / "result-legacy-1280.png"), full_page=True)

        # MFA, with the code the authenticator shows now.
        page.goto(personal["cwong2003"])
        code = code_at(MFA_SECRET)
        codes.append(code)
        check(page, pages, ACCOUNTS["cwong2003"][1], code=code)
        expect(page.get_by_role("heading", level=1)).to_have_text("Your PACER account is upgraded, with 1 step left")
        expect(page.get_by_role("listitem").filter(has_text="Link your CM/ECF account")).to_contain_text("utd")

        # A wrong password: said plainly, once, not retried.
        page.goto(personal["bjones2002"])
        check(page, pages, WRONG_PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text("PACER did not accept this username and password")
        expect(page.get_by_text("not tried again").first).to_be_visible()

        # Locked (disabled at PACER).
        page.goto(personal["imartin2009"])
        check(page, pages, ACCOUNTS["imartin2009"][1])
        expect(page.get_by_role("heading", level=1)).to_contain_text("locked, disabled or inactive")
        expect(page.get_by_text("PACER Service Center").first).to_be_visible()

        # IT's view: who has checked, who has not.
        page.goto(serve.url + "/admin")
        expect(page.get_by_role("heading", name="IT's view: sign in")).to_be_visible()
        page.get_by_label("Admin token").fill(ADMIN_TOKEN)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name=re.compile("Not checked yet: 1"))).to_be_visible()
        expect(page.locator(".serve-pending")).to_contain_text("Henry Lee")
        pages.append(page.content())
        page.screenshot(path=str(shots / "admin-1280.png"), full_page=True)
        admin = httpx.get(f"{serve.url}/admin", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).text
    finally:
        stop(serve)

    # Every sign-in was sent once, the wrong password included; one per account.
    stats = pacer_mock.stats()
    sent = {u: stats["login_posts"].get(u, 0) + stats["api_login_posts"].get(u, 0) for u in ACCOUNTS}
    assert sent == dict.fromkeys(ACCOUNTS, 1)
    assert stats["open_sessions"] == {} and stats["sign_ons"]  # each check's session was ended

    # results.jsonl as bulk writes it, and the same statuses and checklists as bulk's.
    def by_user(lines: list[dict[str, Any]]) -> dict[str, tuple[str, list[tuple[str, str]]]]:
        return {r["username"]: (r["status"], sorted((s["id"], s["state"]) for s in r["steps"])) for r in lines}

    served = [json.loads(line) for line in (serve.out / "results.jsonl").read_text().splitlines()]
    bulk_results = [r for r in json.loads(bulk.stdout)["results"] if r["username"] in ACCOUNTS]
    expected, got = by_user(bulk_results), by_user(served)
    # bulk had Brian's right password; here he typed a wrong one
    assert got.pop("bjones2002")[0] == "invalid_credentials"
    assert expected.pop("bjones2002")[0] == "upgraded"
    assert got == expected
    assert {r["username"]: r["name"] for r in served} == {u: v[0] for u, v in ACCOUNTS.items()}
    for username, (status, _) in by_user(served).items():
        row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{username}(?:(?!</tr>).)*</tr>", admin, re.S)
        assert row and status in row.group(0), username

    # Stopping the server wrote bulk's reports beside results.jsonl.
    report_html = (serve.out / "report.html").read_text()
    assert all(username in report_html for username in ACCOUNTS)
    assert (serve.out / "results.csv").is_file() and (serve.out / "junit.xml").is_file()

    report = run_cli("report", str(serve.out / "results.jsonl"), "--format", "json", env=cli_env)
    assert report.returncode == 0, report.stderr

    # No password or code in any file, log or page.
    secrets = [v[1] for v in ACCOUNTS.values()] + [WRONG_PASSWORD]
    texts = [*pages, admin, serve.read_log()]
    texts += [p.read_text(errors="replace") for p in serve.out.rglob("*") if p.is_file() and p.suffix != ".png"]
    for text in texts:
        for secret in secrets:
            assert secret not in text
        for code in codes:
            assert not holds_code(text, code)


def test_admin_says_a_long_how_to_once_and_each_row_points_to_it(
    page: Page, pacer_mock: MockServer, serve_env: dict[str, str], tmp_path: Path
) -> None:
    # Three attorneys on the roster have checked themselves (lines serve wrote before a restart), each
    # legacy: the long upgrade instruction would otherwise be read three times on IT's page.
    legacy = _legacy_without_mfa()
    needing = ["asmith2001", "egarcia2005", "cwong2003"]
    week = tmp_path / "week1"
    week.mkdir()
    lines = [
        legacy.model_copy(update={"name": ACCOUNTS[u][0], "username": u, "row": n}).model_dump_json()
        for n, u in enumerate(needing, 1)
    ]
    (week / "results.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    upgrade_line = next(line for line in legacy.next_steps if line.startswith("Upgrade"))
    how = upgrade_line.partition(": ")[2].rpartition(" — ")[0]  # the instruction, without its deadline
    assert len(how) > 100  # the long text this is about, not a word that could appear anywhere

    serve = start_serve(tmp_path, pacer_mock, serve_env)
    try:
        page.set_extra_http_headers({"Authorization": f"Bearer {ADMIN_TOKEN}"})
        for width in (390, 1280):  # a phone's cards and a laptop's table
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(serve.url + "/admin")
            expect(page.locator(".serve-pending")).to_contain_text("Henry Lee")  # the live page, not a copy
            assert page.locator("body").inner_text().count(how) == 1, width
            links = page.locator("#results a.next-title", has_text="Upgrade the PACER account")
            expect(links).to_have_count(len(needing))
            targets = {link.get_attribute("href") for link in links.all()}
            assert len(targets) == 1, targets  # every row points to the same place
            expect(page.locator(f"section.how-to {targets.pop()}")).to_contain_text(how)
    finally:
        stop(serve)


def _form_token(client: httpx.Client, url: str) -> str:
    page = client.get(url)
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert found, page.text
    return found.group(1)


def test_the_guards_answer_before_any_sign_in(
    pacer_mock: MockServer, serve_env: dict[str, str], tmp_path: Path
) -> None:
    serve = start_serve(tmp_path, pacer_mock, serve_env, "--limit-per-address", "3")
    try:
        with client(serve) as http:
            alice = link_token(serve, "asmith2001")
            token = _form_token(http, f"/a/{alice}")
            home = http.get("/")
            assert home.headers["referrer-policy"] == "same-origin"
            csp = home.headers["content-security-policy"]
            assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp

            # IT's view: 401 without the token or with a wrong one, the report with it.
            assert http.get("/admin").status_code == 401
            assert http.get("/admin", headers={"Authorization": "Bearer wrong-token-000000"}).status_code == 401
            admin = http.get("/admin", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
            assert admin.status_code == 200 and "Not checked yet: 6 on the roster" in admin.text

            # A post without the CSRF token, or with another browser's: 403.
            form = {"link": alice, "password": ACCOUNTS["asmith2001"][1]}
            assert http.post("/check", data=form).status_code == 403
            other = httpx.post(f"{serve.url}/check", data={**form, "csrf": token}, headers={"Origin": serve.url})
            assert other.status_code == 403

            # A forged or altered personal link does not open the page.
            assert http.get(f"/a/{alice}").status_code == 200
            assert http.get(f"/a/{alice[:-2]}xx").status_code == 404
            assert http.get("/a/1.99999999999.AAAAAAAAAAAAAAAAAAAAAA").status_code == 404

            # A body over the limit: 413, nothing read.
            assert http.post("/check", content=b"x" * 100_000).status_code == 413

            # A burst from one address: the first three are answered (each is a bad form), then 429.
            bad = {"csrf": token, "link": alice, "password": ""}
            answers = [http.post("/check", data=bad).status_code for _ in range(6)]
            assert answers == [400, 400, 400, 429, 429, 429]
    finally:
        stop(serve)
    assert sign_ins(pacer_mock) == {}


def test_a_code_that_is_a_secret_is_refused_with_one_line(
    pacer_mock: MockServer, serve_env: dict[str, str], tmp_path: Path
) -> None:
    serve = start_serve(tmp_path, pacer_mock, serve_env)
    try:
        with client(serve) as http:
            carmen = link_token(serve, "cwong2003")
            token = _form_token(http, f"/a/{carmen}")
            form = {"csrf": token, "link": carmen, "password": "Mock-Passw0rd-3", "otp_code": MFA_SECRET}
            answer = http.post("/check", data=form)
            # A personal link has its own limit (5 per 10 minutes), below the address's (10).
            by_link = {"csrf": token, "link": link_token(serve, "egarcia2005"), "password": ""}
            assert [http.post("/check", data=by_link).status_code for _ in range(6)] == [400] * 5 + [429]
    finally:
        stop(serve)
    assert answer.status_code == 400
    assert "not its secret key" in answer.text
    assert MFA_SECRET not in answer.text and "Mock-Passw0rd-3" not in answer.text
    assert sign_ins(pacer_mock) == {}


def test_serve_holds_its_folder_so_a_bulk_run_there_is_refused(
    pacer_mock: MockServer, serve_env: dict[str, str], cli_env: dict[str, str], tmp_path: Path
) -> None:
    serve = start_serve(tmp_path, pacer_mock, serve_env)
    try:
        roster = _roster(tmp_path / "roster-with-passwords.csv", with_passwords=True)
        done = run_cli("bulk", roster, "--out", serve.out, "--base-url", pacer_mock.url, env=cli_env, cwd=tmp_path)
    finally:
        stop(serve)
    assert done.returncode == 2, done.stderr
    assert (
        f"(PID {serve.process.pid}," in done.stderr and "another pacer-verify run is using this folder" in done.stderr
    )
    stats = pacer_mock.stats()
    assert sum(stats["login_posts"].values()) + sum(stats["api_login_posts"].values()) == 0


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::"])
def test_another_host_without_tls_refuses_to_start(host: str, cli_env: dict[str, str], tmp_path: Path) -> None:
    done = run_cli("serve", "--host", host, "--out", str(tmp_path / "out"), env=cli_env)
    assert done.returncode == 2
    assert done.stderr.startswith(f"pacer-verify: error: --host {host} would carry passwords")
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_links_go_to_notices_and_the_mail_merge(cli_env: dict[str, str], tmp_path: Path) -> None:
    from verifier.models import Status, Step, StepState

    roster = tmp_path / "roster.csv"
    roster.write_text(
        "name,username,email,courts\nElena Garcia,egarcia2005,elena@firm.example,cod\n"
        "Henry Lee,hlee2008,henry@firm.example,\nNo Mail,nomail2001,,\n",
        encoding="utf-8",
    )
    roster.chmod(0o600)
    week = tmp_path / "week1"
    public = "https://pacer-check.firm.example"
    listed = run_cli(
        "serve", "--roster", str(roster), "--out", str(week), "--links", "--public-url", public, env=cli_env
    )
    assert listed.returncode == 0, listed.stderr
    printed = dict(line.split("\t")[1:] for line in listed.stdout.splitlines())
    assert set(printed) == {"egarcia2005", "hlee2008", "nomail2001"}
    assert all(url.startswith(f"{public}/a/") for url in printed.values())
    assert (week / "links.csv").stat().st_mode & 0o777 == 0o600
    assert (week / "serve-links.key").stat().st_mode & 0o777 == 0o600

    legacy = make_result(
        name="Elena Garcia",
        username="egarcia2005",
        row=1,
        email="elena@firm.example",
        status=Status.LEGACY,
        steps=[Step(id="upgraded", title="Upgrade the PACER account", state=StepState.TODO)],
    )
    (week / "results.jsonl").write_text(legacy.model_dump_json() + "\n", encoding="utf-8")
    notices = run_cli("notices", str(week / "results.jsonl"), "--out", str(tmp_path / "notices"), env=cli_env)
    assert notices.returncode == 0, notices.stderr
    assert "2 invitations to check" in notices.stdout
    import csv

    with (tmp_path / "notices" / "mail-merge.csv").open(encoding="utf-8-sig", newline="") as file:
        merge = list(csv.DictReader(file))  # a body holds line breaks: read as a CSV file, not line by line
    by_mail = {row["email"]: row for row in merge}
    assert set(by_mail) == {"elena@firm.example", "henry@firm.example"}  # no address, no mail-merge line
    assert by_mail["elena@firm.example"]["link"] == printed["egarcia2005"]
    assert printed["egarcia2005"] in by_mail["elena@firm.example"]["body_text"]
    assert by_mail["henry@firm.example"]["link"] == printed["hlee2008"]
    assert "check your PACER account" in by_mail["henry@firm.example"]["subject"]
    assert printed["nomail2001"] in (tmp_path / "notices" / "nomail2001.txt").read_text()


def _check_over_http(http: httpx.Client, form: dict[str, str]) -> str:
    """Posts the attorney's form and follows the check to its end (by its own state, not by time)."""
    page = f"/a/{form['link']}" if "link" in form else "/"
    answer = http.post("/check", data={**form, "csrf": _form_token(http, page)})
    assert answer.status_code == 303, answer.text
    job = answer.headers["location"]
    while not http.get(f"{job}/state").json()["done"]:
        time.sleep(0.2)
    return http.get(job).text


def test_api_sign_in_uses_the_typed_code_once_and_a_rejected_login_is_not_tried_a_third_time(
    pacer_mock: MockServer, serve_env: dict[str, str], tmp_path: Path
) -> None:
    serve = start_serve(tmp_path, pacer_mock, serve_env, "--sign-in", "api")
    try:
        with client(serve) as http:
            carmen = {"link": link_token(serve, "cwong2003"), "password": ACCOUNTS["cwong2003"][1]}
            without = _check_over_http(http, carmen)
            assert "PACER asked for a one-time code" in without and "Check again with your one-time code" in without
            code = code_at(MFA_SECRET)
            page = _check_over_http(http, {**carmen, "otp_code": code[:3] + " " + code[3:]})
            assert "Your PACER account is upgraded" in page and "Multi-factor authentication" in page
            wrong = {"link": link_token(serve, "bjones2002"), "password": WRONG_PASSWORD}
            for _ in range(2):
                assert "PACER did not accept this username and password" in _check_over_http(http, wrong)
            # His link now shows no form; a POST made by hand (a form token from another page) is refused.
            assert 'name="password"' not in http.get(f"/a/{wrong['link']}").text
            third = http.post("/check", data={**wrong, "csrf": _form_token(http, f"/a/{carmen['link']}")})
            assert third.status_code == 429
            assert "will not try it again until" in third.text
            log = serve.read_log()
    finally:
        stop(serve)
    stats = pacer_mock.stats()
    assert stats["api_login_posts"] == {"cwong2003": 2, "bjones2002": 2}  # without the code, then with it
    assert not stats["login_posts"]
    assert stats["sign_ons"] == {"cwong2003": 1} and stats["open_sessions"] == {}
    assert WRONG_PASSWORD not in log and not holds_code(log, code)


def test_a_roster_without_passwords_gives_people_and_their_links_expire(tmp_path: Path) -> None:
    import datetime as dt

    from pydantic import SecretStr

    from verifier.readiness.courts import load_courts
    from verifier.serve.links import make_link, person_for
    from verifier.serve.people import read_people

    roster = tmp_path / "roster.csv"
    roster.write_text(
        "name,username,courts,password,otp_secret\nAlice Smith,asmith2001,COD,Secret-Not-Read-1,not-base32!\n"
        "Bad Row,has space,,,\n",
        encoding="utf-8",
    )
    roster.chmod(0o600)
    people = read_people(roster, load_courts(None))
    assert [(p.row, p.username, p.courts) for p in people.people] == [(1, "asmith2001", ("cod",))]
    assert any("row 2" in w and "username" in w for w in people.warnings)
    assert "Secret-Not-Read-1" not in repr(people.people[0].account(SecretStr(""), None))

    key, now = b"k" * 32, dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    link = make_link(key, people.people[0], now, days=14)
    assert person_for(key, link.token, people, now + dt.timedelta(days=13)) == people.people[0]
    assert person_for(key, link.token, people, now + dt.timedelta(days=15)) is None  # expired
    assert person_for(b"x" * 32, link.token, people, now) is None  # another key
    row, expires, signature = link.token.split(".")
    assert person_for(key, f"{row}.{int(expires) + 86400}.{signature}", people, now) is None  # extended by hand


def test_stopping_the_server_signs_in_no_one_waiting(
    pacer_mock: MockServer, serve_env: dict[str, str], tmp_path: Path
) -> None:
    # Alice's account page takes two minutes, so the others wait behind her (one check at a time).
    pacer_mock.set_faults([{"kind": "latency", "path": "^/pscof/", "delay_s": 120, "username": "asmith2001"}])
    serve = start_serve(tmp_path, pacer_mock, serve_env, "--concurrency", "1", "--sign-in", "api", roster=False)
    try:
        with client(serve) as http:
            jobs = []
            waiting = [
                ("asmith2001", "Mock-Passw0rd-1"),
                ("egarcia2005", "Mock-Passw0rd-5"),
                ("hlee2008", "Mock-Passw0rd-8"),
            ]
            for username, password in waiting:
                form = {"username": username, "password": password, "csrf": _form_token(http, "/")}
                answer = http.post("/check", data=form)
                assert answer.status_code == 303
                jobs.append(answer.headers["location"])
            while http.get(f"{jobs[0]}/state").json()["stage"] != "checking":
                time.sleep(0.2)
            assert [http.get(f"{job}/state").json()["stage"] for job in jobs[1:]] == ["waiting", "waiting"]
            while pacer_mock.stats()["open_sessions"] != {"asmith2001": 1}:  # signed in, waiting on her page
                time.sleep(0.2)
    finally:
        stop(serve)
    assert serve.process.returncode is not None
    stats = pacer_mock.stats()
    # Alice's check was in flight (its sign-in sent or not yet, as the stop found it); no one waiting was sent.
    assert stats["api_login_posts"] in ({}, {"asmith2001": 1})
    assert not stats["login_posts"]
    assert stats["open_sessions"] == {}  # Alice was signed in when the server stopped: logged out on the way
    assert not (serve.out / "results.jsonl").read_text()  # nothing half-done recorded


def test_the_admin_token_comes_from_the_environment_or_dotenv(tmp_path: Path) -> None:
    from verifier.errors import UsageError
    from verifier.serve.launch import admin_token

    dotenv = tmp_path / ".env"
    dotenv.write_text("PACER_VERIFY_ADMIN_TOKEN=from-dotenv-0123456789-abcdefghij\n", encoding="utf-8")
    assert admin_token({"PACER_VERIFY_ADMIN_TOKEN": "from-env-0123456789-abcdefghijklm"}, dotenv) == (
        "from-env-0123456789-abcdefghijklm",
        False,
    )
    assert admin_token({}, dotenv) == ("from-dotenv-0123456789-abcdefghij", False)
    made, generated = admin_token({}, tmp_path / "none")
    assert generated and len(made) >= 32
    with pytest.raises(UsageError, match="PACER_VERIFY_ADMIN_TOKEN: 5 characters; at least 32"):
        admin_token({"PACER_VERIFY_ADMIN_TOKEN": "short"}, None)
    with pytest.raises(UsageError, match="only 1 different character; at least 10"):
        admin_token({"PACER_VERIFY_ADMIN_TOKEN": "a" * 40}, None)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a certificate")
def test_tls_with_a_certificate(pacer_mock: MockServer, serve_env: dict[str, str], tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    serve = start_serve(tmp_path, pacer_mock, serve_env, "--certfile", str(cert), "--keyfile", str(key), scheme="https")
    try:
        home = httpx.get(f"{serve.url}/", verify=False)
    finally:
        stop(serve)
    assert home.status_code == 200 and "Open your personal link" in home.text
    assert home.headers["strict-transport-security"].startswith("max-age=")
    assert home.headers["set-cookie"].startswith("__Host-pv_csrf=") and "Secure" in home.headers["set-cookie"]
