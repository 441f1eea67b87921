"""The retry rule, the sign-on screen rule and TOTP secrets: pure functions, no browser."""

from __future__ import annotations

import base64

import pyotp
import pytest
from playwright.async_api import Error as PlaywrightError

from flows.errors import CredentialOriginRefused, Phase, SignInProgress, TransientSiteError
from flows.otp import BadOtpSecret, code_at, normalize_secret, verify_code
from flows.screen import Screen, Step, step_of
from verifier.run._retry import MAX_BACKOFF_S, backoff_s, decide

SITE_FAILURES = [
    TransientSiteError("the site answered the sign-in with HTTP 503"),
    PlaywrightError("net::ERR_CONNECTION_RESET"),
    TimeoutError(),
]


@pytest.mark.parametrize("exc", SITE_FAILURES)
@pytest.mark.parametrize("phase", [Phase.NOT_SENT, Phase.NOT_TAKEN])
def test_retried_only_while_the_site_cannot_have_taken_the_password(exc: BaseException, phase: Phase) -> None:
    assert decide(exc, phase, timeout_s=8).retry


@pytest.mark.parametrize("exc", SITE_FAILURES)
def test_a_sign_in_that_may_have_been_processed_is_not_sent_again(exc: BaseException) -> None:
    decision = decide(exc, Phase.SENT, timeout_s=8)
    assert not decision.retry and not decision.internal
    assert "not sent again in this run" in decision.message and "--resume" in decision.message


def test_a_timeout_names_the_limit() -> None:
    assert decide(TimeoutError(), Phase.SENT, timeout_s=8).message.startswith("no answer within 8 s")


@pytest.mark.parametrize("exc", SITE_FAILURES)
def test_after_the_password_was_accepted_there_is_no_new_sign_in(exc: BaseException) -> None:
    decision = decide(exc, Phase.ACCEPTED, timeout_s=8)
    assert not decision.retry and "does not sign in again" in decision.message


@pytest.mark.parametrize("phase", list(Phase))
def test_an_error_in_pacer_verify_itself_is_internal(phase: Phase) -> None:
    try:
        {}["account_type"]
    except KeyError as exc:
        decision = decide(exc, phase, timeout_s=8)
    assert not decision.retry and decision.internal
    assert decision.message.startswith("internal error in pacer-verify (")
    assert "test_retry_policy.py" in decision.message and "KeyError" in decision.message


def test_a_refused_origin_is_final_and_not_internal() -> None:
    decision = decide(CredentialOriginRefused("the sign-on form posts elsewhere"), Phase.NOT_SENT, timeout_s=8)
    assert not decision.retry and not decision.internal


def test_progress_only_moves_forward() -> None:
    progress = SignInProgress()
    progress.not_taken()
    assert progress.phase is Phase.NOT_SENT  # nothing was sent, so nothing was "not taken"
    progress.sent()
    progress.not_taken()
    assert progress.phase is Phase.NOT_TAKEN
    progress.sent()  # a second send (the retry) may be processed again
    assert progress.phase is Phase.SENT
    progress.accepted()
    progress.sent()
    assert progress.phase is Phase.ACCEPTED


# --- which step a screen shows ------------------------------------------------------------------------

LOGIN_FIELDS = (("Username", "text"), ("Password", "password"), ("Client Code", "text"))


@pytest.mark.parametrize(
    ("screen", "step"),
    [
        (Screen(fields=LOGIN_FIELDS, text="PACER Login Username Password"), Step.LOGIN_FORM),
        (Screen(fields=LOGIN_FIELDS, alerts=("Invalid username or password",)), Step.MESSAGE),
        (
            Screen(
                dialog=True,
                text="Two-Factor Authentication Enter your current 2FA code from your authentication app "
                "and click Submit",
                fields=(("2FA Code", "text"),),
            ),
            Step.CODE,
        ),
        (Screen(text="Verify Your Identity", fields=(("Verification Code", "text"),)), Step.CODE),
        (
            Screen(
                text="Enter your current 2FA code from your authentication app and click Submit", fields=(("", "text"),)
            ),
            Step.CODE,
        ),
        (Screen(text="Redaction Agreement IMPORTANT NOTICE ... I understand", checkbox=True), Step.REDACTION),
        (Screen(text="Redaction Agreement", checkbox=False), Step.OTHER),
        (Screen(dialog=True, text="User Update Required Your password must be changed"), Step.USER_UPDATE),
        (
            Screen(text="PACER User Inactive Our records indicate that your account is currently inactive"),
            Step.INACTIVE,
        ),
        # Manage My Account says "Inactive" of case search: that is not the inactive-user notice.
        (
            Screen(text="Manage My Account Case Search Status: Inactive Account Type: Upgraded PACER Account"),
            Step.OTHER,
        ),
        (Screen(dialog=True, text="Important Notice Please review Review Skip"), Step.OTHER),
    ],
)
def test_step_of_reads_what_is_on_screen(screen: Screen, step: Step) -> None:
    assert step_of(screen) is step


def test_describe_names_title_heading_and_text() -> None:
    screen = Screen(title="PACER Login", headings=("Important Notice",), text="word " * 200)
    described = screen.describe()
    assert "'PACER Login'" in described and "'Important Notice'" in described and described.endswith("...'")
    assert len(described) < 340


# --- TOTP secrets as people have them ------------------------------------------------------------------

SECRET_32 = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.mark.parametrize(
    "given",
    [
        SECRET_32,
        SECRET_32.lower(),
        "jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp",
        "JBSW-Y3DP-EHPK-3PXP-JBSW-Y3DP-EHPK-3PXP",
        "otpauth://totp/PACER:jdoe?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=PACER",
    ],
)
def test_the_forms_people_have_are_one_secret(given: str) -> None:
    assert normalize_secret(given) == SECRET_32
    assert code_at(given, when=1_700_000_000) == pyotp.TOTP(SECRET_32).at(1_700_000_000)


def test_a_16_character_secret_makes_codes_pyotp_refuses_to() -> None:
    secret = "JBSWY3DPEHPK3PXP"  # 80 bits: what many apps show; pyotp wants 112
    with pytest.raises(ValueError):
        pyotp.TOTP(secret).now()
    code = code_at(secret, when=1_700_000_000)
    assert len(code) == 6 and code.isdigit()
    assert verify_code(secret, code, when=1_700_000_000 + 29)
    assert not verify_code(secret, code, when=1_700_000_000 + 300)


def test_codes_match_the_rfc_6238_vectors() -> None:
    # RFC 6238 appendix B, SHA-1 key "12345678901234567890"; its 8-digit codes end in our 6 digits.
    key = base64.b32encode(b"12345678901234567890").decode()
    assert [code_at(key, when=t) for t in (59, 1111111109, 1234567890)] == ["287082", "081804", "005924"]


@pytest.mark.parametrize(
    ("given", "why"),
    [
        ("JBSWY3DPEHPK3PX", "too short"),
        ("JBSWY3DPEHPK3PX1", "not a base32"),
        ("otpauth://totp/PACER:jdoe?issuer=PACER", "without a secret"),
        ("otpauth://hotp/PACER:jdoe?secret=JBSWY3DPEHPK3PXP", "time-based"),
        ("otpauth://totp/PACER:jdoe?secret=JBSWY3DPEHPK3PXP&digits=8", "digits=8"),
    ],
)
def test_unusable_secrets_say_why(given: str, why: str) -> None:
    with pytest.raises(BadOtpSecret, match=why):
        normalize_secret(given)
    assert normalize_secret("  ") is None


def test_backoff_doubles_from_half_a_second_takes_retry_after_and_stays_under_thirty_seconds() -> None:
    plain = RuntimeError("boom")
    assert [backoff_s(n, plain, jitter=1.0) for n in (1, 2, 3)] == [0.5, 1.0, 2.0]
    assert backoff_s(20, plain, jitter=1.0) == MAX_BACKOFF_S
    assert 0.4 <= backoff_s(1, plain) <= 0.6
    assert backoff_s(1, TransientSiteError("busy", retry_after_s=7)) == 7.0
    assert backoff_s(1, TransientSiteError("busy", retry_after_s=500)) == MAX_BACKOFF_S
