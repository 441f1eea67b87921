"""One next-step order in every output: a sign-in problem, the upgrade, MFA, case search, then linking per
court (soonest deadline first within each). A legacy account cannot change its settings until it is
upgraded, and the upgrade gives a new username, so MFA after the upgrade. MFA is a next step only once
PACER asked at sign-in (enroll now); not asked yet, it is a heads-up in no output's list of steps."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET

from pydantic import SecretStr
from rich.console import Console

from flows.update_prompt import Demand
from verifier.check.outcome import AccountOutcome
from verifier.models import Account, AccountPage, Result, Status, UpdateDemand
from verifier.readiness import finalizer, roster_findings
from verifier.readiness.courts import Court, CourtRegistry
from verifier.reports import ReportMeta, render
from verifier.reports.terminal import render_summary
from verifier.run.results import result_of
from verifier.statuses import FACTS
from verifier.weekly.notices import build_notice, court_links

TODAY = dt.date(2026, 11, 22)
COURTS = CourtRegistry(
    {
        c.id: c
        for c in [
            Court(id="utb", name="District of Utah", kind="bankruptcy", nextgen_go_live=dt.date(2027, 3, 1)),
            Court(id="mdd", name="District of Maryland", kind="district", nextgen_go_live=dt.date(2027, 1, 4)),
        ]
    }
)
#: What each output must name, in this order: the upgrade (due 2027-03-01), then linking in mdd
#: (2027-01-04) before utb (2027-03-01), though the roster lists utb first. MFA, not asked for yet, is
#: not among them: `_in_order` would name it, and the order would not match.
ORDER = ("Upgrade", "(mdd)", "(utb)")


def _legacy_without_mfa() -> Result:
    account = Account(username="lgacy1", name="Lee Gacy", password=SecretStr("Passw0rd-1"), courts=("utb", "mdd"))
    found = AccountOutcome(Status.LEGACY, page=AccountPage(mfa_enrolled=False))
    finalize = finalizer(roster_findings([account]), COURTS, TODAY)
    return result_of(account, found, finalize(found, account, found.page))


def _in_order(texts: list[str]) -> list[str]:
    """Which of ORDER each text names, in the texts' order (a text naming none is left out)."""
    named = []
    for text in texts:
        court = re.search(r"\((mdd|utb)\)", text) or re.search(r"\b(mdd|utb)\b", text)
        if "Upgrade" in text:
            named.append("Upgrade")
        elif "multi-factor" in text:
            named.append("multi-factor")
        elif court:
            named.append(f"({court.group(1)})")
    return named


def test_the_result_lists_upgrade_then_courts_by_deadline() -> None:
    result = _legacy_without_mfa()
    assert _in_order(result.next_steps) == list(ORDER)
    assert [s.id for s in result.steps][:3] == ["own_account", "upgraded", "mfa"]  # the heads-up, in the checklist


def _asked_for_mfa() -> Result:
    """PACER's prompt demanded MFA at sign-in, with 2 skips left; the roster shares the username."""
    account = Account(username="asked1", name="Ann Asked", password=SecretStr("Passw0rd-1"), courts=("mdd",))
    other = Account(username="asked1", name="Bo Other", password=SecretStr("Passw0rd-1"))
    update = UpdateDemand(demand=Demand.MFA_ENROLLMENT, skips_left=2)
    found = AccountOutcome(Status.UPDATE_REQUIRED, "User Update Required", update=update)
    finalize = finalizer(roster_findings([account, other]), COURTS, TODAY)
    return result_of(account, found, finalize(found, account, None))


def test_enroll_now_follows_the_sign_in_problem_and_the_own_account_in_every_output() -> None:
    result = _asked_for_mfa()
    lines = result.next_steps
    assert lines[0] == FACTS[Status.UPDATE_REQUIRED].next_step
    assert lines[1].startswith("Get your own individual PACER account")
    assert lines[2].startswith("Enroll in multi-factor authentication now (2 skips left): ")
    assert lines[3].startswith("Link CM/ECF to PACER after go-live (mdd)")  # dated, so known without a sign-in
    assert len(lines) == 4
    meta = ReportMeta(as_of=TODAY)
    row = next(csv.DictReader(io.StringIO(render("csv", [result], meta))))
    assert row["next_steps"].split(" | ") == lines
    page = render("html", [result], meta)
    listed = re.search(r'<ol class="next">(.*?)</ol>', page, re.S)
    assert listed is not None and listed.group(1).index("own individual") < listed.group(1).index("now (2 skips")
    notice = build_notice(result, court_links(COURTS), TODAY)
    assert notice is not None  # the prompt's demand is the MFA step: said once, after the own account
    assert [s.title for s in notice.steps] == [
        "Get your own individual PACER account",
        "Enroll in multi-factor authentication now (2 skips left)",
        "Link CM/ECF to PACER after go-live",
    ]


def test_json_and_csv_keep_the_order() -> None:
    result = _legacy_without_mfa()
    meta = ReportMeta(as_of=TODAY)
    data = json.loads(render("json", [result], meta))
    rows = data["results"] if isinstance(data, dict) else data
    assert _in_order(rows[0]["next_steps"]) == list(ORDER)
    row = next(csv.DictReader(io.StringIO(render("csv", [result], meta))))
    assert _in_order(row["next_steps"].split(" | ")) == list(ORDER)


def test_html_next_steps_keep_the_order() -> None:
    page = render("html", [_legacy_without_mfa()], ReportMeta(as_of=TODAY))
    listed = re.search(r'<ol class="next">(.*?)</ol>', page, re.S)
    assert listed is not None
    items = re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)
    assert _in_order(items) == list(ORDER)


def test_junit_names_the_upgrade_first_and_lists_the_rest_in_order() -> None:
    tree = ET.fromstring(render("junit", [_legacy_without_mfa()], ReportMeta(as_of=TODAY)))
    failure = tree.find(".//failure")
    assert failure is not None
    assert "Upgrade" in (failure.get("message") or "")
    assert _in_order((failure.text or "").splitlines()) == list(ORDER)


def test_terminal_names_the_upgrade_first() -> None:
    console = Console(record=True, width=200, color_system=None)
    render_summary([_legacy_without_mfa()], console, TODAY)
    text = console.export_text()
    assert "Upgrade the PACER account" in text
    assert "Link" not in text  # the first step only, with "(+2 more)"
    assert "+2 more" in text


def test_the_notice_lists_the_steps_in_the_same_order() -> None:
    notice = build_notice(_legacy_without_mfa(), court_links(COURTS), TODAY)
    assert notice is not None
    assert _in_order([s.title + (f" ({s.court})" if s.court else "") for s in notice.steps]) == list(ORDER)
    for body in (notice.text(), notice.html()):
        positions = [body.find(word) for word in ("Upgrade the", "(mdd)", "(utb)")]
        assert -1 not in positions and positions == sorted(positions), body
        # MFA not asked yet: after the steps, as "good to know", not among them.
        assert body.find("(utb)") < body.find("multi-factor authentication (MFA)"), body
