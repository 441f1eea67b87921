"""A `Result` is made in one place (verifier.run.results), from the account, what the check found, what
its attempts took and the checklist, and never patched afterwards; one sign-in outcome enum in flows."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

from pydantic import SecretStr

from flows import answers, auth_api, signin
from flows.outcome import SIGN_IN_STATUS, SignInOutcome
from verifier.check.outcome import AccountOutcome
from verifier.models import Account, AccountPage, CourtCheck, NextStep, Status, Step, StepState
from verifier.readiness import Readiness
from verifier.roster import RowError
from verifier.run.results import Effort, result_of, result_of_invalid_row
from verifier.statuses import FACTS

VERIFIER = Path(__file__).resolve().parent.parent / "verifier"
BUILDER = "run/results.py"


def _modules() -> dict[str, ast.Module]:
    return {path.relative_to(VERIFIER).as_posix(): ast.parse(path.read_text()) for path in VERIFIER.rglob("*.py")}


def _called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def test_a_result_is_constructed_in_one_module() -> None:
    # Reading stored results back (Result.model_validate in store/loading) parses, it does not build.
    building = {
        name
        for name, tree in _modules().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _called(node) == "Result"
    }
    assert building == {BUILDER}


#: `pacer-verify report` showing stored results from another folder: their artifact paths, made relative to
#: the report's folder so its links work. A view of what was stored, not a run's result patched.
REBASED_FOR_A_REPORT = "commands/report.py: item.result.model_copy(update={'artifacts': artifacts})"


def test_no_result_or_report_meta_is_patched_after_it_is_made() -> None:
    """`x.model_copy(update=…)` on something named a result or a meta: the builder's job, done once."""
    patched = []
    for name, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called(node) == "model_copy" and isinstance(node.func, ast.Attribute):
                receiver = ast.unparse(node.func.value).lower()
                if receiver.endswith(("result", "meta", "_meta(results_files)")):
                    patched.append(f"{name}: {ast.unparse(node)}")
    assert patched == [REBASED_FOR_A_REPORT]


ACCOUNT = Account(username="asmith2001", name="Alice Smith", password=SecretStr("Passw0rd-1"), row=4, email="a@x.test")


def test_the_result_has_the_account_the_outcome_the_effort_and_the_checklist_once() -> None:
    step = Step(id="mfa", title="Enroll in multi-factor authentication", state=StepState.TODO)
    found = AccountOutcome(
        Status.LEGACY,
        "Account Type: Legacy PACER Account",
        page=AccountPage(account_type_label="Legacy PACER Account", mfa_enrolled=False, paa_label="Firm LLP"),
        courts=(CourtCheck(court="cod", nextgen=True),),
        reminder="change your password by 2026-06-30",
        reminder_due=dt.date(2026, 6, 30),
        notes=("the Authentication API noted: client code not entered",),
    )
    readiness = Readiness((step,), (NextStep.of(step),), ("Enroll in MFA",))
    result = result_of(ACCOUNT, found, readiness, Effort(2, 3.5, ("a.png",)))
    assert (result.name, result.username, result.row, result.email) == ("Alice Smith", "asmith2001", 4, "a@x.test")
    assert result.status is Status.LEGACY and result.needs_upgrade
    assert result.message == "Account Type: Legacy PACER Account; the Authentication API noted: client code not entered"
    read = (result.account_type, result.mfa_enrolled, result.firm_billing)
    assert read == ("Legacy PACER Account", False, "Firm LLP")
    assert [c.court for c in result.courts] == ["cod"]
    assert (result.reminder, result.reminder_due) == ("change your password by 2026-06-30", dt.date(2026, 6, 30))
    assert (result.attempts, result.duration_s, result.artifacts) == (2, 3.5, ["a.png"])
    assert result.steps == [step] and result.next_steps == ["Enroll in MFA"] and result.next == [NextStep.of(step)]


def test_without_a_checklist_the_next_step_is_the_status_tables() -> None:
    result = result_of(ACCOUNT, AccountOutcome(Status.LOCKED, "Your PACER account has been locked."))
    assert result.next_steps == [FACTS[Status.LOCKED].next_step] and result.steps == []
    assert result.message == "Your PACER account has been locked."
    assert result.account_type is None and not result.needs_upgrade


def test_notes_alone_make_the_message() -> None:
    found = AccountOutcome(Status.SITE_ERROR, notes=("one", "two"))
    assert result_of(ACCOUNT, found).message == "one; two"


def test_an_unusable_row_is_invalid_input_with_its_problem() -> None:
    error = RowError(row=7, line=8, field="password", message="empty password", username="bjones")
    result = result_of_invalid_row(error)
    assert (result.name, result.username, result.row, result.status) == ("row 7", "bjones", 7, Status.INVALID_INPUT)
    assert result.message == "row 7 (line 8), field 'password': empty password"
    assert result.next_steps == [FACTS[Status.INVALID_INPUT].next_step]
    named = result_of_invalid_row(RowError(row=2, line=3, field="otp_secret", message="not base32", name="Bo Jones"))
    assert named.name == "Bo Jones"


def test_the_api_and_the_form_share_one_sign_in_outcome() -> None:
    assert auth_api.SignInOutcome is SignInOutcome and signin.SignInOutcome is SignInOutcome
    assert not hasattr(auth_api, "ApiOutcome")
    assert not hasattr(answers, "Verdict")
    # Every refusal has its status; signed_in and an expired session are no result.
    assert set(SIGN_IN_STATUS) == set(SignInOutcome) - {SignInOutcome.SIGNED_IN, SignInOutcome.SESSION_EXPIRED}


def test_an_outcome_repeating_a_secret_is_scrubbed_and_keeps_its_status() -> None:
    from verifier.evidence.secret_text import SecretText

    echoed = AccountOutcome(
        Status.INVALID_CREDENTIALS,
        "wrong password Passw0rd-1",
        courts=(CourtCheck(court="cod", message="sent Passw0rd-1"),),
        notes=("the Authentication API noted: Passw0rd-1",),
    )
    clean = SecretText.of(ACCOUNT).scrub_dataclass(echoed)
    assert clean.status is Status.INVALID_CREDENTIALS
    assert "Passw0rd-1" not in result_of(ACCOUNT, clean).model_dump_json()
    assert clean.said.startswith("wrong password ") and clean.courts[0].court == "cod"
