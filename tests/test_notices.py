"""Notices: for every status the right steps, in order, with the official links; e-mail checks; the mail merge
is spreadsheet-safe; the command writes private files and warns about a bad address by row."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from helpers import make_result, run_cli

from flows.update_prompt import Demand
from verifier.models import Result, Status, Step, StepState, UpdateDemand
from verifier.readiness._mfa import mfa_step
from verifier.readiness.courts import load_courts
from verifier.weekly.notices import (
    HOWTO,
    PSC_CONTACT,
    build_notice,
    court_links,
    is_email,
    mail_merge_rows,
    skip_reason,
)

TODAY = dt.date(2026, 12, 1)
AT = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
DONE, TODO, UNKNOWN, INFO = StepState.DONE, StepState.TODO, StepState.UNKNOWN, StepState.INFO
LINKS = court_links(load_courts(None))


def url(topic: str) -> str:
    return HOWTO[topic][0].url


def step(
    step_id: str, state: StepState, title: str, court: str | None = None, deadline: str | None = None, detail: str = ""
) -> Step:
    return Step(
        id=step_id,
        title=title,
        state=state,
        court=court,
        detail=detail,
        deadline=dt.date.fromisoformat(deadline) if deadline else None,
    )


def result(status: Status, *steps: Step, **extra: object) -> Result:
    extra.setdefault("name", "Ann Able")
    extra.setdefault("username", "aable2001")
    return make_result(status=status, row=4, checked_at=AT, steps=list(steps), **extra)


OWN = step("own_account", DONE, "Own individual PACER account")
UPGRADE = step(
    "upgraded", TODO, "Upgrade the PACER account", deadline="2027-02-01", detail="Manage My Account → Upgrade"
)
#: MFA as readiness says it (PACER's advice since Nov 2025): not asked yet, a heads-up; asked, enroll now.
MFA = mfa_step(None, Status.LEGACY, False, files=True, legacy=True)
MFA_PROMPT = UpdateDemand(demand=Demand.MFA_ENROLLMENT, skips_left=2)
MFA_NOW = mfa_step(MFA_PROMPT, Status.UPDATE_REQUIRED, None, files=True, legacy=False)
#: A change PACER asked for by a date already past (TODAY is 2026-12-01): the overdue example.
REMINDER = step("site_reminder", TODO, "PACER's reminder at sign-in", deadline="2026-11-30", detail="Change it")
LINK_COD = step(
    "linked:cod",
    TODO,
    "Link your CM/ECF account",
    court="cod",
    detail="Utilities → Link a CM/ECF account to my PACER account",
)
UNKNOWN_UPGRADE = step("upgraded", UNKNOWN, "Upgraded PACER account")


def test_legacy_gets_every_step_in_the_one_order_with_its_links() -> None:
    notice = build_notice(result(Status.LEGACY, OWN, UPGRADE, MFA, LINK_COD, REMINDER), LINKS, TODAY)
    assert notice is not None
    assert [s.title for s in notice.steps] == [  # the upgrade first; MFA not asked yet is no step
        "Upgrade the PACER account",
        "Link your CM/ECF account",
        "PACER's reminder at sign-in",
    ]
    text = notice.text()
    assert "overdue: was due 2026-11-30" in text and "by 2027-02-01" in text
    assert "overdue since 2025-12-31" not in text and "was due 2025-12-31" not in text
    for topic in ("mfa", "upgrade", "link"):
        assert url(topic) in text and url(topic) in notice.html()
    assert "https://ecf.cod.uscourts.gov" in text  # the court's own CM/ECF, from the registry
    assert text.index(url("upgrade")) < text.index(url("link")) < text.index(url("mfa"))  # the heads-up after
    assert "Good to know, multi-factor authentication (MFA): not enrolled yet; PACER will ask at sign-in" in text
    assert "Already done: Own individual PACER account." in text
    assert notice.subject == "PACER NextGen: 3 steps for Ann Able, overdue since 2026-11-30"


def test_without_a_dated_step_the_subject_says_no_overdue() -> None:
    notice = build_notice(result(Status.LEGACY, OWN, UPGRADE, MFA, LINK_COD), LINKS, TODAY)
    assert notice is not None and notice.subject == "PACER NextGen: 2 steps for Ann Able, first by 2027-02-01"


@pytest.mark.parametrize(
    ("status", "first_title", "topics"),
    [
        (Status.INVALID_CREDENTIALS, "Check your PACER username and password", ("sign_in",)),
        (Status.LOCKED, "Have your PACER account unlocked", ("manage_account",)),
        (Status.UPDATE_REQUIRED, "Do the update PACER asks for at sign-in", ("mfa", "password", "manage_account")),
        (Status.OTP_REJECTED, "Check your authenticator set-up key", ("mfa", "manage_account")),
        (Status.MFA_REQUIRED, "Check your account type", ("manage_account", "upgrade")),
        (Status.UNRECOGNIZED_PAGE, "Check your account type", ("manage_account", "upgrade")),
    ],
)
def test_a_sign_in_problem_comes_first(status: Status, first_title: str, topics: tuple[str, ...]) -> None:
    later = step("linked:utb", TODO, "Link CM/ECF to PACER after go-live", court="utb", deadline="2027-03-01")
    notice = build_notice(result(status, OWN, UNKNOWN_UPGRADE, later), LINKS, TODAY)
    assert notice is not None
    assert [s.title for s in notice.steps] == [first_title, "Link CM/ECF to PACER after go-live"]
    assert [link.url for link in notice.steps[0].links] == [url(t) for t in topics]
    if status is Status.LOCKED:
        assert PSC_CONTACT in notice.text()


def test_upgraded_and_not_asked_for_mfa_gets_no_notice() -> None:
    # Not an action: PACER will ask at sign-in, and the Service Center asks users not to enroll before.
    heads_up = mfa_step(None, Status.UPGRADED, False, files=True, legacy=False)
    ready = result(Status.UPGRADED, OWN, step("upgraded", DONE, "Upgraded PACER account"), heads_up)
    assert build_notice(ready, LINKS, TODAY) is None and skip_reason(ready) == "nothing to do"


def test_asked_at_sign_in_the_notice_says_enroll_now_once() -> None:
    asked = result(Status.UPDATE_REQUIRED, OWN, UNKNOWN_UPGRADE, MFA_NOW, update=MFA_PROMPT)
    notice = build_notice(asked, LINKS, TODAY)
    assert notice is not None
    # The prompt's demand is the MFA step itself: no general "do the update" before it.
    assert [s.title for s in notice.steps] == ["Enroll in multi-factor authentication now (2 skips left)"]
    assert url("mfa") in notice.text() and "Update Now" in notice.text() and "Good to know" not in notice.text()
    assert "overdue" not in notice.subject
    restricted = UpdateDemand(demand=Demand.MFA_ENROLLMENT, skips_left=0, restricted=True)
    no_skip = mfa_step(restricted, Status.UPDATE_REQUIRED, None, files=True, legacy=False)
    notice = build_notice(result(Status.UPDATE_REQUIRED, no_skip, update=restricted), LINKS, TODAY)
    assert notice is not None and notice.steps[0].title.endswith("now (access restricted)")
    # A prompt for a new password keeps the general step first.
    password = UpdateDemand(demand=Demand.PASSWORD, skips_left=0, restricted=True)
    notice = build_notice(result(Status.UPDATE_REQUIRED, OWN, update=password), LINKS, TODAY)
    assert notice is not None and notice.steps[0].title == "Do the update PACER asks for at sign-in"


def test_roster_wide_steps_and_firm_billing_have_their_links() -> None:
    shared = step("own_account", TODO, "Get your own individual PACER account", detail="shared with Bo Bell")
    agents = step("filing_agents", TODO, "Use one account with filing agents", detail="two CM/ECF logins")
    billing = step("firm_billing", INFO, "Firm billing", detail="Billed to firm PACER Administrative Account: S&J")
    notice = build_notice(result(Status.UPGRADED, shared, agents, billing), LINKS, TODAY)
    assert notice is not None
    text = notice.text()
    assert url("own_account") in text and url("filing_agents") in text and url("paa") in text
    assert "Good to know, firm billing: Billed to firm PACER Administrative Account: S&J" in text
    assert "S&amp;J" in notice.html()


@pytest.mark.parametrize("status", [Status.SITE_ERROR, Status.INVALID_INPUT])
def test_no_notice_where_the_firm_must_act(status: Status) -> None:
    res = result(status, message="the site answered HTTP 503")
    assert build_notice(res, LINKS, TODAY) is None and skip_reason(res)


def test_no_notice_when_nothing_is_left() -> None:
    ready = result(Status.UPGRADED, OWN, step("upgraded", DONE, "Upgraded"), step("mfa", DONE, "MFA"))
    assert build_notice(ready, LINKS, TODAY) is None and skip_reason(ready) == "nothing to do"


def test_old_results_without_a_checklist_still_say_upgrade() -> None:
    notice = build_notice(result(Status.LEGACY), LINKS, TODAY)
    assert notice is not None and url("upgrade") in notice.text()


def test_every_link_is_an_official_https_page() -> None:
    for links in HOWTO.values():
        for link in links:
            assert link.url.startswith(("https://pacer.uscourts.gov/", "https://pacer.psc.uscourts.gov/"))
    assert all(link.url.startswith("https://") for link in LINKS.values())


def test_hostile_names_are_escaped_and_kept_to_one_line() -> None:
    notice = build_notice(result(Status.LEGACY, UPGRADE, name="<script>x</script>\nBcc: all@x"), LINKS, TODAY)
    assert notice is not None
    assert "\n" not in notice.subject and "<script>" not in notice.html() and "&lt;script&gt;" in notice.html()


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("ann@firm.com", True),
        ("a.b+c@law.firm.co.uk", True),
        ("ann at firm", False),
        ("ann@", False),
        ("=cmd|' /C calc'!A0@x.com", False),
        ("Ann <ann@firm.com>", False),
        ("ann@firm", False),
    ],
)
def test_is_email(value: str, ok: bool) -> None:
    assert is_email(value) is ok


def test_mail_merge_rows_are_only_for_good_addresses() -> None:
    good = build_notice(result(Status.LEGACY, UPGRADE, email="ann@firm.com"), LINKS, TODAY)
    bad = build_notice(result(Status.LEGACY, UPGRADE, email="ann at firm", username="bad2001"), LINKS, TODAY)
    assert good is not None and bad is not None
    rows = mail_merge_rows([good, bad])
    assert [r[0] for r in rows] == ["ann@firm.com"] and rows[0][3] == good.text() and rows[0][4] == good.html()


def write_jsonl(path: Path, results: list[Result]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(r.model_dump_json() + "\n" for r in results), encoding="utf-8")
    return path


def test_notices_command_writes_private_files_and_a_safe_mail_merge(tmp_path: Path, cli_env: dict[str, str]) -> None:
    results = [
        result(Status.LEGACY, UPGRADE, name='=HYPERLINK("http://evil")', username="evil2001", email="e@firm.com"),
        result(Status.UPGRADED, LINK_COD, name="Bo Bell", username="bbell2002", email="bo at firm"),
        result(Status.SITE_ERROR, name="Cy Cole", username="ccole2003", email="cy@firm.com"),
        result(Status.UPGRADED, OWN, name="Di Dunn", username="ddunn2004", email="di@firm.com"),
    ]
    source = write_jsonl(tmp_path / "out" / "results.jsonl", results)
    out = tmp_path / "notices"
    done = run_cli("notices", str(source), "--out", str(out), env=cli_env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "row 4 (Bo Bell): email 'bo at firm' is not an e-mail address" in done.stderr
    assert "2 notices written" in done.stdout and "(1 in mail-merge.csv)" in done.stdout
    assert "1 without a notice (nothing to do): Di Dunn (row 4)" in done.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "bbell2002.html",
        "bbell2002.txt",
        "evil2001.html",
        "evil2001.txt",
        "index.csv",
        "mail-merge.csv",
    ]
    assert out.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in out.iterdir())
    merge = list(csv.reader(io.StringIO((out / "mail-merge.csv").read_text(encoding="utf-8-sig"))))
    assert merge[0] == ["email", "name", "subject", "body_text", "body_html"]
    assert merge[1][4].startswith("<!DOCTYPE html>") and "<style" not in merge[1][4]
    assert len(merge) == 2 and merge[1][0] == "e@firm.com"
    for cell in merge[1]:  # nothing a spreadsheet would run
        assert not cell.startswith(("=", "+", "-", "@")), cell
    assert merge[1][1].startswith("'=HYPERLINK")
    assert "bbell2002.txt" in (out / "index.csv").read_text(encoding="utf-8-sig")

    # A week later Bo is done: his old note must not linger in the folder.
    results[1] = result(Status.UPGRADED, OWN, name="Bo Bell", username="bbell2002")
    write_jsonl(source, results)
    again = run_cli("notices", str(source.parent), "--out", str(out), env=cli_env, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert not (out / "bbell2002.txt").exists() and (out / "evil2001.txt").exists()


def test_the_html_notice_is_a_letter_with_inline_styles_and_links_that_read_well() -> None:
    from verifier.readiness.courts import load_courts

    links = court_links(load_courts(None))
    assert links["utb"].title == "Utah Bankruptcy Court CM/ECF"  # not "CM/ECF of ... (bankruptcy court), utb"
    later = step("linked:utb", TODO, "Link CM/ECF to PACER after go-live", court="utb", deadline="2027-03-01")
    notice = build_notice(result(Status.LEGACY, OWN, UPGRADE, MFA, later, REMINDER), links, TODAY)
    assert notice is not None
    page = notice.html()
    # Mail clients drop <style> and classes mean nothing without it: every look is inline.
    assert "<style" not in page and "class=" not in page
    assert 'style="' in page and "font-family:Arial" in page
    # The page's own policy lets those inline styles apply (a bare default-src 'none' blocked them all).
    assert "style-src 'unsafe-inline'" in page and "<script" not in page
    overdue = page[page.index("PACER&#39;s reminder") :]
    overdue = overdue[: overdue.index("</table>")]
    assert "Overdue</span>" in overdue and "background:#cf222e" in overdue and "was due 2026-11-30" in overdue
    heads_up = page[page.index("Good to know</strong>, multi-factor authentication (MFA)") :]
    assert "not enrolled yet; PACER will ask at sign-in; enroll then" in heads_up[: heads_up.index("</p>")]
    on_time = page[page.index("Link CM/ECF to PACER") :]
    assert "By 2027-03-01" in on_time[: on_time.index("</table>")]
    assert ">Utah Bankruptcy Court CM/ECF</a>" in page


def test_the_mail_merge_sends_each_notice_as_written(tmp_path: Path, cli_env: dict[str, str]) -> None:
    """Read mail-merge.csv as a mail tool's merge does (Python's csv, then an e-mail built from the row,
    sent as bytes and read back): each body is its notice's .txt and .html, byte for byte, with real line
    breaks, not a backslash and an n."""
    from email import message_from_bytes, policy
    from email.message import EmailMessage

    results = [
        result(Status.LEGACY, UPGRADE, MFA, LINK_COD, name="Ann Able", email="ann@firm.com"),
        result(Status.INVALID_CREDENTIALS, name="Bo Bell", username="bbell2002", email="bo@firm.com"),
    ]
    source = write_jsonl(tmp_path / "out" / "results.jsonl", results)
    out = tmp_path / "notices"
    run_cli("notices", str(source), "--out", str(out), env=cli_env, cwd=tmp_path, check_exit=0)
    files = {row["email"]: row for row in csv.DictReader(io.StringIO((out / "index.csv").read_text("utf-8-sig")))}
    with (out / "mail-merge.csv").open(encoding="utf-8-sig", newline="") as merge:
        rows = list(csv.DictReader(merge))
    assert [row["email"] for row in rows] == ["ann@firm.com", "bo@firm.com"]
    for row in rows:
        message = EmailMessage()
        message["To"], message["Subject"] = row["email"], row["subject"]
        message.set_content(row["body_text"])
        message.add_alternative(row["body_html"], subtype="html")
        sent = message_from_bytes(message.as_bytes(), policy=policy.default)
        text = sent.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        html = sent.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
        assert text.encode() == (out / files[row["email"]]["text_file"]).read_bytes()
        assert html.encode() == (out / files[row["email"]]["html_file"]).read_bytes()
        assert text.startswith(f"Dear {row['name']},\n\nThe firm's") and "\\n" not in text
        assert "\n" in html and "\\n" not in html


def test_a_court_has_one_name_the_registrys_in_the_demo_and_in_a_notice() -> None:
    """The demo's report uses the mock's courts; `notices` later, the bundled registry: one name in both."""
    from verifier.mock.scenario import court_registry, load_default_scenario

    bundled = load_courts(None)
    scenario = load_default_scenario()
    for court in scenario.courts:
        known = bundled.get(court.id)
        assert known is not None and court.name == known.name, court.id
    demo = court_links(court_registry(scenario))
    assert demo["cod"].title == LINKS["cod"].title == "Colorado District Court CM/ECF"
