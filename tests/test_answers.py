"""Sign-in answers read as a person reads them (flows.answers, flows.update_prompt): a table of wordings,
ours, the guide's examples (docs/real-site.md §1-2) and variants a person reads the same way, through the
API's reader and the sign-on form's."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from helpers import LoginMessage, classify_login_message, make_result

from flows.answers import Said, read_answer
from flows.auth_api import ApiAnswer, classify_answer
from flows.outcome import Status
from flows.screen import Screen
from flows.signin import SignInOutcome, _from_message
from flows.update_prompt import Demand, read_update_prompt
from verifier.mock import auth_api as mock_api
from verifier.mock.signon import OTP_WORDINGS
from verifier.models import Result

TOKEN = "t" * 128
GUIDE_INVALID = "Invalid username, password, or one-time passcode."
LOCKOUT_WARNING = GUIDE_INVALID + " Your account will be locked after 3 more failed attempts."

#: (errorDescription, code sent, expected outcome) for a refusal (no token).
REFUSALS: list[tuple[str, bool, SignInOutcome]] = [
    # The guide's examples, as third-party tests quote them.
    (GUIDE_INVALID, False, SignInOutcome.INVALID_CREDENTIALS),
    (GUIDE_INVALID, True, SignInOutcome.INVALID_CREDENTIALS),
    ("A one-time passcode is needed to continue.", False, SignInOutcome.MFA_REQUIRED),
    # The code asked for in other words.
    ("Login Failed. A one-time passcode (OTP) is required for this account.", False, SignInOutcome.MFA_REQUIRED),
    ("A one-time passcode is required.", False, SignInOutcome.MFA_REQUIRED),
    ("OTP required.", False, SignInOutcome.MFA_REQUIRED),
    ("2FA code missing.", False, SignInOutcome.MFA_REQUIRED),
    ("Two-factor authentication code required.", False, SignInOutcome.MFA_REQUIRED),
    ("Please enter the verification code from your authenticator app.", False, SignInOutcome.MFA_REQUIRED),
    ("One-time passcode not provided.", False, SignInOutcome.MFA_REQUIRED),
    # Asked for again although a code was sent: the site did not take the code.
    ("A one-time passcode is needed to continue.", True, SignInOutcome.OTP_REJECTED),
    # The code refused alone.
    ("Invalid one-time passcode.", True, SignInOutcome.OTP_REJECTED),
    ("The one-time code you entered is not valid.", True, SignInOutcome.OTP_REJECTED),
    ("Incorrect 2FA code.", True, SignInOutcome.OTP_REJECTED),
    ("Your one-time passcode has expired.", True, SignInOutcome.OTP_REJECTED),
    # A lockout threatened is not a lockout; a denied one neither.
    (LOCKOUT_WARNING, True, SignInOutcome.INVALID_CREDENTIALS),
    (
        "Invalid username or password. 2 attempts remaining before your account is locked.",
        False,
        SignInOutcome.INVALID_CREDENTIALS,
    ),
    ("Invalid username or password. Your account is not locked.", False, SignInOutcome.INVALID_CREDENTIALS),
    (
        "Login failed: the user name or password is incorrect. Your account isn't locked.",
        False,
        SignInOutcome.INVALID_CREDENTIALS,
    ),
    ("Login failed.", False, SignInOutcome.INVALID_CREDENTIALS),
    # Locked, disabled, inactive: said now.
    ("Your PACER account has been locked. Please contact the PACER Service Center.", False, SignInOutcome.LOCKED),
    ("Your account has been locked after 3 failed attempts.", False, SignInOutcome.LOCKED),
    ("Your PACER account has been disabled.", False, SignInOutcome.LOCKED),
    ("Your PACER account is currently inactive. Please contact the PACER Service Center.", False, SignInOutcome.LOCKED),
    ("Invalid username, password, or one-time passcode. Your account has been locked.", True, SignInOutcome.LOCKED),
    ("Cookies are disabled in your browser.", False, SignInOutcome.UNRECOGNIZED),  # not the account's
    ("Your account will be locked after 2 more failed attempts.", False, SignInOutcome.INVALID_CREDENTIALS),
    ("You have been locked out.", False, SignInOutcome.LOCKED),
    # Unknown wording: the site's text, as an unrecognized answer.
    ("All filers must redact: Social Security numbers; dates of birth.", False, SignInOutcome.UNRECOGNIZED),
    ("Something unexpected happened.", False, SignInOutcome.UNRECOGNIZED),
    ("", False, SignInOutcome.UNRECOGNIZED),
]


@pytest.mark.parametrize(("text", "code_sent", "outcome"), REFUSALS)
@pytest.mark.parametrize("login_result", ["13", "1", 13])
def test_api_refusals_read_as_a_person_reads_them(
    text: str, code_sent: bool, outcome: SignInOutcome, login_result: str | int
) -> None:
    answer = ApiAnswer(str(login_result), None, text, code_sent=code_sent)
    assert classify_answer(answer) is outcome


def test_a_refusal_naming_password_and_code_after_a_code_was_sent_names_both() -> None:
    message = ApiAnswer("13", None, GUIDE_INVALID, code_sent=True).message
    assert "password" in message and "one-time passcode" in message and "then the code" in message
    assert GUIDE_INVALID in message
    plain = ApiAnswer("13", None, GUIDE_INVALID, code_sent=False).message
    assert "then the code" not in plain  # no code was sent: it is about the username or password


def test_a_code_asked_for_again_says_the_code_was_sent() -> None:
    message = ApiAnswer("13", None, "A one-time passcode is needed to continue.", code_sent=True).message
    assert "although one was sent" in message


def test_a_lockout_warning_is_kept_as_a_warning() -> None:
    reading = read_answer(LOCKOUT_WARNING)
    assert reading.said is Said.CREDENTIALS_OR_CODE_REFUSED
    assert reading.warning == "Your account will be locked after 3 more failed attempts."


@pytest.mark.parametrize(
    ("text", "outcome", "due"),
    [
        ("", SignInOutcome.SIGNED_IN, None),
        ("Required client code not entered.", SignInOutcome.SIGNED_IN, None),
        ("Reminder: your password must be changed by 2026-06-30.", SignInOutcome.SIGNED_IN, dt.date(2026, 6, 30)),
        ("Your password must be changed by June 30, 2026.", SignInOutcome.SIGNED_IN, dt.date(2026, 6, 30)),
        (
            "Your password will expire on 6/30/2026. Please change your password.",
            SignInOutcome.SIGNED_IN,
            dt.date(2026, 6, 30),
        ),
        (
            "User Update Required: your password must be changed at login before you can continue.",
            SignInOutcome.UPDATE_REQUIRED,
            None,
        ),
        ("Your password has expired. Change your password to continue.", SignInOutcome.UPDATE_REQUIRED, None),
        (
            "User Update Required: multifactor authentication (MFA) is now required for your account.",
            SignInOutcome.UPDATE_REQUIRED,
            None,
        ),
    ],
)
@pytest.mark.parametrize("login_result", ["0", 0])
def test_a_success_with_a_reminder_reads_the_account(
    text: str, outcome: SignInOutcome, due: dt.date | None, login_result: str | int
) -> None:
    answer = ApiAnswer(str(login_result), TOKEN, text)
    assert classify_answer(answer) is outcome
    reminder = answer.reading.reminder
    assert (reminder.due if reminder else None) == due


def test_the_mock_wordings_read_as_they_mean() -> None:
    """Every wording the mock's API can give (docs/mock-site.md) means what the mock meant by it."""
    for wording, texts in mock_api.WORDINGS.items():
        said = {key: read_answer(text.format(left=3)).said for key, text in texts.items()}
        assert said["locked"] is Said.LOCKED, wording
        assert said["needs_code"] is Said.CODE_NEEDED, wording
        assert said["invalid"] in (Said.CREDENTIALS_REFUSED, Said.CREDENTIALS_OR_CODE_REFUSED), wording
        assert said["wrong_code"] in (Said.CODE_REFUSED, Said.CREDENTIALS_OR_CODE_REFUSED), wording


#: (form message, after the code step, expected form outcome)
FORM_MESSAGES: list[tuple[str, bool, SignInOutcome]] = [
    ("Invalid username or password", False, SignInOutcome.INVALID_CREDENTIALS),
    ("Username must be at least 6 characters", False, SignInOutcome.INVALID_CREDENTIALS),
    ("Password must be at least 8 characters", False, SignInOutcome.INVALID_CREDENTIALS),
    ("Your PACER account has been disabled. Please contact the PACER Service Center.", False, SignInOutcome.LOCKED),
    ("Your PACER account has been locked. Please contact the PACER Service Center.", True, SignInOutcome.LOCKED),
    ("Invalid username or password. Your account is not locked.", False, SignInOutcome.INVALID_CREDENTIALS),
    (
        "Invalid username or password. Your account will be locked after 2 more failed attempts.",
        False,
        SignInOutcome.INVALID_CREDENTIALS,
    ),
    *[(wording["wrong"], True, SignInOutcome.OTP_REJECTED) for wording in OTP_WORDINGS.values()],
    ("Invalid one-time passcode.", True, SignInOutcome.OTP_REJECTED),
    (GUIDE_INVALID, True, SignInOutcome.OTP_REJECTED),  # the password was taken before the code step
    (GUIDE_INVALID, False, SignInOutcome.INVALID_CREDENTIALS),
    ("Login failed.", True, SignInOutcome.OTP_REJECTED),
    ("A one-time passcode is required.", False, SignInOutcome.MFA_REQUIRED),
    ("Please try something else.", False, SignInOutcome.UNRECOGNIZED),
]


@pytest.mark.parametrize(("text", "after_code", "outcome"), FORM_MESSAGES)
def test_form_messages_read_with_the_same_rules(text: str, after_code: bool, outcome: SignInOutcome) -> None:
    assert _from_message(text, Screen(), code_sent=after_code).outcome is outcome


def test_an_expired_session_on_the_form_is_a_fault_to_retry() -> None:
    from flows.errors import TransientSiteError

    with pytest.raises(TransientSiteError):
        _from_message("Your session has expired. Please log in again.", Screen())


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Invalid username or password", LoginMessage.INVALID),
        ("Your PACER account has been locked.", LoginMessage.LOCKED),
        ("Your account will be locked after 3 more failed attempts.", LoginMessage.INVALID),
        ("Your account is not locked.", LoginMessage.UNKNOWN),
        ("User Not Activated", LoginMessage.INACTIVE),
    ],
)
def test_classify_login_message_shares_the_reader(text: str, kind: LoginMessage) -> None:
    assert classify_login_message(text) is kind


@pytest.mark.parametrize(
    ("text", "skip_button", "demand", "skips", "summary"),
    [
        (
            "User Update Required Multifactor authentication (MFA) is now required for your account. "
            "You may skip this update 2 more time(s).",
            True,
            Demand.MFA_ENROLLMENT,
            2,
            "PACER demands enrollment in multi-factor authentication at sign-in: 2 skips left",
        ),
        (
            "User Update Required Multifactor authentication (MFA) is now required for your account. "
            "Account access is restricted until you update your account.",
            False,
            Demand.MFA_ENROLLMENT,
            0,
            "PACER demands enrollment in multi-factor authentication at sign-in: "
            "no skips left (account access restricted)",
        ),
        (
            "User Update Required Your password must be changed to meet the current PACER password "
            "requirements. You may skip this 1 more time.",
            True,
            Demand.PASSWORD,
            1,
            "PACER demands a new password at sign-in: 1 skip left",
        ),
        (
            "User Update Required: You must enroll in two-factor authentication and choose a new password. "
            "Two skips remaining.",
            None,
            Demand.MFA_ENROLLMENT_AND_PASSWORD,
            2,
            "PACER demands enrollment in multi-factor authentication and a new password at sign-in: 2 skips left",
        ),
        (
            "User Update Required Please confirm your e-mail address.",
            True,
            Demand.OTHER,
            None,
            'PACER demands an update at sign-in (the prompt says: "Please confirm your e-mail address.")',
        ),
    ],
)
def test_user_update_required_is_read_for_what_it_asks(
    text: str, skip_button: bool | None, demand: Demand, skips: int | None, summary: str
) -> None:
    update = read_update_prompt(text, has_skip_button=skip_button)
    assert (update.demand, update.skips_left, update.summary()) == (demand, skips, summary)


def test_old_results_with_password_change_required_still_load() -> None:
    line = json.dumps({"name": "Liam Wilson", "username": "lwilson2012", "status": "password_change_required"})
    result = Result.model_validate_json(line)
    assert result.status is Status.UPDATE_REQUIRED and result.update is None
    assert Status("password_change_required") is Status.UPDATE_REQUIRED


def test_the_new_statuses_show_in_every_report() -> None:
    from rich.console import Console

    from verifier.reports import FORMATS, ReportMeta, render
    from verifier.reports.terminal import render_summary

    update = read_update_prompt("User Update Required MFA is now required. You may skip this 2 more times.", True)
    results = [
        make_result(
            name="Carmen Wong",
            username="cwong2003",
            status=Status.OTP_REJECTED,
            message="PACER accepted the password and refused the one-time passcode: Invalid one-time passcode",
        ),
        make_result(
            name="Liam Wilson",
            username="lwilson2012",
            status=Status.UPDATE_REQUIRED,
            update=update,
            message=update.summary(),
        ),
    ]
    meta = ReportMeta(generated_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    for fmt in FORMATS:
        text = render(fmt, results, meta)
        for status in ("otp_rejected", "update_required"):
            assert status in text, (fmt, status)
        assert "2 skips left" in text, fmt
    console = Console(record=True, width=200)
    render_summary(results, console)
    shown = console.export_text()
    assert "otp_rejected" in shown and "update_required" in shown
