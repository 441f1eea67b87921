"""The label rules: what a person reads on Manage My Account becomes a status."""

from __future__ import annotations

import pytest
from helpers import LoginMessage, classify_login_message, extract_field_values
from hypothesis import given
from hypothesis import strategies as st

from flows.classify import classify_account_type, clean_account_type, parse_mfa
from verifier.models import Status


@pytest.mark.parametrize(
    ("label", "status"),
    [
        ("Upgraded PACER Account", Status.UPGRADED),
        ("  upgraded   pacer\naccount ", Status.UPGRADED),
        ("UPGRADED PACER ACCOUNT:", Status.UPGRADED),
        ("Legacy PACER Account", Status.LEGACY),
        ("Legacy PACER Account (Upgrade)", Status.LEGACY),
        ("legacy pacer account   (upgrade)", Status.LEGACY),
        ("Legacy PACER Account Upgrade", Status.LEGACY),
        ("Legacy PACER Account(Upgrade)", Status.LEGACY),
        ("PACER Administrative Account", Status.UNRECOGNIZED_PAGE),
        ("Upgraded PACER Account pending", Status.UNRECOGNIZED_PAGE),
        ("", Status.UNRECOGNIZED_PAGE),
        (None, Status.UNRECOGNIZED_PAGE),
    ],
)
def test_account_type_label(label: str | None, status: Status) -> None:
    assert classify_account_type(label) is status


def test_clean_label_drops_the_upgrade_link_text() -> None:
    assert clean_account_type(" legacy  PACER account (Upgrade) ") == "Legacy PACER Account"
    assert clean_account_type("Something New") == "Something New"


@given(st.text(max_size=80))
def test_any_text_classifies_without_error(text: str) -> None:
    assert classify_account_type(text) in {Status.UPGRADED, Status.LEGACY, Status.UNRECOGNIZED_PAGE}


@given(
    st.sampled_from(["Upgraded PACER Account", "Legacy PACER Account"]),
    st.text(alphabet=" \t\n", max_size=5),
    st.booleans(),
)
def test_spacing_and_case_never_change_the_answer(label: str, pad: str, upper: bool) -> None:
    text = pad + (label.upper() if upper else label).replace(" ", " " + pad) + pad
    assert classify_account_type(text) is classify_account_type(label)


@pytest.mark.parametrize(
    ("chunks", "value"),
    [
        (["Account Type: Upgraded PACER Account"], "Upgraded PACER Account"),
        (["Account Type:", "Legacy PACER Account", "(Upgrade)"], "Legacy PACER Account (Upgrade)"),
        (["Account Type", "Upgraded PACER Account"], "Upgraded PACER Account"),
        (["ACCOUNT  TYPE :  upgraded\n pacer  account"], "upgraded pacer account"),
        (
            ["Account Number: 1234567", "Username: ab1234", "Account Type:", "Upgraded PACER Account"],
            "Upgraded PACER Account",
        ),
        (["Account Types we offer", "Account Type", "Legacy PACER Account"], "Legacy PACER Account"),
        (["Nothing here"], None),
    ],
)
def test_extract_field_reads_like_a_person(chunks: list[str], value: str | None) -> None:
    first = extract_field_values(chunks, "Account Type")[:1]
    assert first == ([value] if value else [])


@pytest.mark.parametrize(
    ("text", "enrolled"),
    [("Enrolled", True), ("Not Enrolled Enroll", False), ("not enrolled", False), ("", None), ("Pending", None)],
)
def test_mfa_status(text: str, enrolled: bool | None) -> None:
    assert parse_mfa(text) is enrolled


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("Invalid username or password", LoginMessage.INVALID),
        ("Password must be at least 8 characters", LoginMessage.INVALID),
        ("Invalid one-time passcode", LoginMessage.INVALID),
        ("Your PACER account has been disabled. Please contact the PACER Service Center.", LoginMessage.LOCKED),
        ("Your PACER account has been locked.", LoginMessage.LOCKED),
        ("We show your account is currently inactive", LoginMessage.INACTIVE),
        ("Your session has expired. Please log in again.", LoginMessage.SESSION_EXPIRED),
        ("Something else", LoginMessage.UNKNOWN),
    ],
)
def test_login_messages(message: str, kind: LoginMessage) -> None:
    assert classify_login_message(message) is kind


def test_a_label_is_a_whole_word_and_every_value_is_found() -> None:
    chunks = ["Username:", "mfa2102", "MFA Settings", "Multifactor Auth:", "Enrolled", "Multifactor Auth: Not Enrolled"]
    assert extract_field_values(chunks, "MFA") == ["Settings"]  # not "2102" from the username
    assert extract_field_values(chunks, "Multifactor Auth") == ["Enrolled", "Not Enrolled"]
