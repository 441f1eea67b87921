"""MFA advice as PACER gives it (PACER Service Center, Nov 2025: enroll when PACER prompts at sign-in; no
prompt, no action), seen where people read it: the checklist, the report's cards, a notice, the
self-check page and the terminal. Three attorneys: not asked yet, asked with 2 skips left, asked with no
skip left (access restricted); and a PACER-only one, for whom MFA is optional."""

from __future__ import annotations

import datetime as dt
import re

from firm import COURTS, MFA_0, MFA_2, TODAY
from pydantic import SecretStr
from rich.console import Console

from verifier.check.outcome import AccountOutcome
from verifier.models import Account, AccountPage, CourtCheck, Result, Status, StepState, UpdateDemand
from verifier.readiness import finalizer, roster_findings
from verifier.reports import ReportMeta, render
from verifier.reports.terminal import render_summary
from verifier.run.results import result_of
from verifier.serve.checks import Job, Stage
from verifier.serve.views import Pages
from verifier.weekly.notices import build_notice, court_links

LINKS = court_links(COURTS)


def _result(username: str, found: AccountOutcome, courts: tuple[str, ...] = ("cod",)) -> Result:
    account = Account(username=username, name=username.title(), password=SecretStr("Pw-1"), courts=courts, row=1)
    finalize = finalizer(roster_findings([account]), COURTS, TODAY)
    return result_of(account, found, finalize(found, account, found.page))


def not_asked(courts: tuple[str, ...] = ("cod",), username: str = "nasked") -> Result:
    page = AccountPage(mfa_enrolled=False)
    linked = tuple(CourtCheck(court=c, linked=True) for c in courts)
    return _result(
        username, AccountOutcome(Status.UPGRADED, "Account Type: Upgraded PACER Account", page, linked), courts
    )


def asked(update: UpdateDemand, username: str) -> Result:
    return _result(username, AccountOutcome(Status.UPDATE_REQUIRED, update.summary(), update=update))


def _mfa(result: Result) -> tuple[StepState, str, str]:
    step = next(s for s in result.steps if s.id == "mfa")
    return step.state, step.title, step.detail


def test_the_checklist_says_each_reading() -> None:
    state, title, detail = _mfa(not_asked())
    assert (state, title) == (StepState.INFO, "MFA not enrolled yet")
    assert detail.startswith("not enrolled yet; PACER will ask at sign-in; enroll then")
    assert _mfa(asked(MFA_2, "twoleft"))[:2] == (
        StepState.TODO,
        "Enroll in multi-factor authentication now (2 skips left)",
    )
    assert _mfa(asked(MFA_0, "noskip"))[:2] == (
        StepState.TODO,
        "Enroll in multi-factor authentication now (access restricted)",
    )
    state, title, detail = _mfa(not_asked(courts=(), username="pacerOnly"))
    assert (state, title) == (StepState.INFO, "MFA optional") and detail.startswith("optional for PACER-only users")
    # Not asked is not an action: the attorney is ready, and the run's exit code does not turn 1 for it.
    assert not not_asked().needs_action and asked(MFA_2, "twoleft").needs_action


def test_the_report_cards_count_enroll_now_apart_from_not_asked_yet() -> None:
    results = [not_asked(username=f"nasked{n}") for n in range(3)] + [asked(MFA_2, "twoleft"), asked(MFA_0, "noskip")]
    page = render("html", results, ReportMeta(as_of=TODAY))
    cards = dict(re.findall(r'<span class="card-label">([^<]+)</span>\s*<span class="big">(\d+)</span>', page))
    assert cards["MFA: enroll now"] == "2" and cards["MFA: not asked yet"] == "3"
    assert cards["Need action"] == "2"  # the three not asked are ready
    assert re.search(r'id="ready-count">3<', page)
    assert "overdue since 2025-12-31" not in page and "by 2025-12-31" not in page
    assert "3 attorneys not enrolled in MFA, and PACER has not asked them yet" in page


def test_a_notice_says_enroll_now_or_good_to_know() -> None:
    two = build_notice(asked(MFA_2, "twoleft"), LINKS, TODAY)
    assert two is not None and [s.title for s in two.steps] == [
        "Enroll in multi-factor authentication now (2 skips left)"
    ]
    none = build_notice(asked(MFA_0, "noskip"), LINKS, TODAY)
    assert none is not None and "now (access restricted)" in none.text()
    # Not asked: no notice for that alone; with another step, a line "good to know" after the steps.
    assert build_notice(not_asked(), LINKS, TODAY) is None
    legacy = _result(
        "legacy1", AccountOutcome(Status.LEGACY, "Account Type: Legacy PACER Account", AccountPage(mfa_enrolled=False))
    )
    notice = build_notice(legacy, LINKS, TODAY)
    assert notice is not None and [s.title for s in notice.steps] == ["Upgrade the PACER account"]
    text = notice.text()
    assert "Good to know, multi-factor authentication (MFA): not enrolled yet; PACER will ask at sign-in" in text
    assert "overdue" not in text and "overdue" not in notice.subject


def _page(result: Result) -> str:
    job = Job(id="j1", username=result.username, name=result.name, stage=Stage.DONE, result=result)
    return Pages("Smith & Jones LLP", "pacer.login.uscourts.gov").result(job, LINKS, TODAY, "/again")


def test_the_self_check_page_says_enroll_now_or_good_to_know() -> None:
    page = _page(asked(MFA_2, "twoleft"))
    steps = page[page.index("What to do, in this order") :]
    assert "Enroll in multi-factor authentication now (2 skips left)" in steps
    assert "Do the update PACER asks for" not in page  # said once, as the MFA step
    page = _page(asked(MFA_0, "noskip"))
    assert "Enroll in multi-factor authentication now (access restricted)" in page
    page = _page(not_asked())
    assert "What to do, in this order" not in page and "Your PACER account is upgraded<" in page
    notes = page[page.index("Good to know") :]
    assert "not enrolled yet; PACER will ask at sign-in; enroll then" in notes[: notes.index("</ul>")]


def test_the_terminal_says_enroll_now_apart_from_not_asked_yet() -> None:
    results = [not_asked(username=f"nasked{n}") for n in range(3)] + [asked(MFA_2, "twoleft"), asked(MFA_0, "noskip")]
    console = Console(record=True, width=120, color_system=None)
    render_summary(results, console, TODAY)
    text = console.export_text()
    assert "MFA: 2 to enroll now (PACER asked at sign-in); 3 not asked yet (a heads-up)." in text
    assert "Enroll in multi-factor authentication now (2 skips left)" in text  # the short next step
    assert "3 of 5 attorneys ready" in text
    assert "overdue since 2025-12-31" not in text


def test_an_older_result_with_mfa_to_do_still_reads_as_enroll_now() -> None:
    # results.jsonl from before this advice: the MFA item "to do" with its Dec 31, 2025 deadline.
    old = not_asked().model_copy(deep=True)
    step = next(s for s in old.steps if s.id == "mfa")
    step.state, step.deadline = StepState.TODO, dt.date(2025, 12, 31)
    page = render("html", [old], ReportMeta(as_of=TODAY))
    assert re.search(r'MFA: enroll now</span>\s*<span class="big">1<', page)
