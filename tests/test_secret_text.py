"""The scrub every site text goes through before a result holds it (verifier.evidence.secret_text), and the
rule that decides whether Manage My Account may decide a status (verifier.check._page_trust). Pure: no browser."""

from __future__ import annotations

import json
import time

from helpers import make_result
from pydantic import SecretStr

from flows.account import AccountField, AccountReading, Conflict
from flows.otp import PERIOD_S, code_at
from verifier.check._page_trust import distrust, foreign_origin
from verifier.check.site import SiteMap
from verifier.evidence._spellings import replace_secret
from verifier.evidence._trace_scrub import scrub_members, secret_patterns
from verifier.evidence.secret_text import SecretText, scrub_text
from verifier.models import Account, AccountPage, CourtCheck, Status

OTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = 'Pa"ss\\w~rd é'


def account() -> Account:
    return Account(
        username="jdoe1234",
        password=SecretStr(PASSWORD),
        otp_secret=SecretStr(OTP),
        cmecf_password=SecretStr("Old-CmEcf-77"),
    )


def test_every_spelling_of_every_secret_is_taken_out() -> None:
    said = (
        f'Invalid password {PASSWORD} / Pa%22ss%5Cw%7Erd+%C3%A9 / Pa&quot;ss\\w~rd é / Pa\\"ss\\\\w~rd \\u00e9 '
        f"/ cm/ecf Old-CmEcf-77"
    )
    clean = scrub_text(said, account())
    for piece in (PASSWORD, "Pa%22ss", "Pa&quot;ss", 'Pa\\"ss', "Old-CmEcf-77"):
        assert piece not in clean
    assert clean.startswith("Invalid password ********")


def test_recent_one_time_codes_go_but_other_numbers_stay() -> None:
    now = time.time()
    used = code_at(OTP, now - 3 * PERIOD_S)  # typed a minute and a half ago, in this attempt
    clean = SecretText.of(account(), now).scrub(f"code {used} was already used; account 1{used}; row {used}7")
    assert clean == f"code ******** was already used; account 1{used}; row {used}7"


def test_a_whole_result_is_scrubbed_courts_and_labels_included() -> None:
    result = make_result(
        name="J Doe",
        username="jdoe1234",
        status=Status.UNRECOGNIZED_PAGE,
        message=f"the site said: {PASSWORD}",
        firm_billing=f"PAA {PASSWORD}",
        courts=[CourtCheck(court="cod", message=f"login {PASSWORD} refused", menus=[PASSWORD])],
    )
    clean = SecretText.of(account()).scrub_model(result)
    assert PASSWORD not in clean.model_dump_json() and "\\u00e9" not in clean.model_dump_json()
    assert clean.message == "the site said: ********" and clean.courts[0].menus == ["********"]
    untouched = result.model_copy(update={"message": "fine", "firm_billing": None, "courts": []})
    assert SecretText.of(account()).scrub_model(untouched) is untouched


def reading(username: str | None, *conflicts: Conflict) -> AccountReading:
    return AccountReading(AccountPage(username=username, account_type_label="Legacy PACER Account"), conflicts)


def test_the_page_must_be_the_account_that_signed_in() -> None:
    assert distrust(reading("JDOE1234"), "jdoe1234") is None
    other = distrust(reading("otheruser99"), "jdoe1234")
    assert other is not None and other.status is Status.SITE_ERROR and other.other_account
    assert "another account" in other.message and "otheruser99" not in other.message
    two = distrust(reading("jdoe1234", Conflict(AccountField.USERNAME, ("jdoe1234", "otheruser99"))), "jdoe1234")
    assert two is not None and two.status is Status.SITE_ERROR and two.other_account


def test_no_username_or_two_values_is_for_a_person_to_check() -> None:
    none = distrust(reading(None), "jdoe1234")
    assert none is not None and none.status is Status.UNRECOGNIZED_PAGE and not none.other_account
    both = distrust(reading("jdoe1234", Conflict(AccountField.ACCOUNT_TYPE, ("A", "B"))), "jdoe1234")
    assert both is not None and both.status is Status.UNRECOGNIZED_PAGE and "'A' and 'B'" in both.message
    said = "Manage My Account shows more than one value, so none was taken: Account Type shows 'A' and 'B'"
    assert both.message == said


def test_a_page_from_another_origin_is_never_read() -> None:
    site = SiteMap.for_base_url("http://127.0.0.1:8765")
    assert foreign_origin("http://127.0.0.1:8765/pscof/manage/maint.jsf", site) is None
    refused = foreign_origin("http://127.0.0.2:8765/pscof/manage/maint.jsf", site)
    assert refused is not None and refused.status is Status.UNRECOGNIZED_PAGE and "127.0.0.2" in refused.message
    real = SiteMap.for_base_url(None)
    assert foreign_origin("https://pacer.psc.uscourts.gov/pscof/manage/maint.jsf", real) is None
    assert foreign_origin("https://pacer.example.com/pscof/manage/maint.jsf", real) is not None


def trace_members(shown: str) -> dict[str, bytes]:
    snapshot = {"type": "frame-snapshot", "snapshot": {"html": ["BODY", {}, ["DIV", {}, shown]]}}
    frame = {"type": "screencast-frame", "pageId": "page@1", "file": "screencast/page@1-1.jpeg", "sha1": "x"}
    events = "\n".join(json.dumps(e) for e in (snapshot, frame)).encode()
    return {"trace.trace": events, "screencast/page@1-1.jpeg": b"\xff\xd8 a picture"}


def test_a_trace_whose_page_showed_a_secret_loses_its_screencast_only_then() -> None:
    patterns = secret_patterns([SecretStr(PASSWORD)])
    kept = scrub_members(trace_members("Welcome back"), patterns)
    assert "screencast/page@1-1.jpeg" in kept and b"screencast-frame" in kept["trace.trace"]
    echoed = scrub_members(trace_members(f"We could not process {PASSWORD}"), patterns)
    assert "screencast/page@1-1.jpeg" not in echoed and b"screencast-frame" not in echoed["trace.trace"]
    assert PASSWORD.encode() not in echoed["trace.trace"] and b"frame-snapshot" in echoed["trace.trace"]


def test_a_long_secret_is_found_in_any_case_and_spelled_out() -> None:
    account = Account(username="jdoe1234", password=SecretStr("Mock-Passw0rd-1"))
    said = (
        "1 MOCK-PASSW0RD-1 | 2 mock-passw0rd-1 | 3 M o c k - P a s s w 0 r d - 1 | 4 M.o.c.k-P.a.s.s.w.0.r.d-1 | "
        "5 M-o-c-k--P-a-s-s-w-0-r-d--1 | 6 Mock-Passw0rd-1 | 7 MOCK%2DPASSW0RD%2D1"
    )
    clean = scrub_text(said, account)
    assert clean == " | ".join(f"{n} ********" for n in range(1, 8))
    # Another password, or the same one's beginning, stays: the whole secret in order is what goes.
    assert scrub_text("Mock-Passw0rd-2 and Mock-Passw0rd", account) == "Mock-Passw0rd-2 and Mock-Passw0rd"


def test_a_short_secret_is_found_only_as_it_is() -> None:
    # Under 8 characters, any case and separators would find ordinary words and numbers: "Ab1x" in any
    # case with dots between matches far too much. Only the secret as it is goes.
    account = Account(username="jdoe1234", password=SecretStr("Ab1x"))
    assert scrub_text("Ab1x / AB1X / A b 1 x / a.b.1.x", account) == "******** / AB1X / A b 1 x / a.b.1.x"


def test_the_typed_code_goes_in_its_3_3_spellings_but_not_inside_other_numbers() -> None:
    account = Account(username="cwong2003", password=SecretStr("Mock-Passw0rd-3"), otp_code=SecretStr("246810"))
    said = "code 246810, 246 810, 246-810, 246.810, 246\u00a0810, 2 4 6 8 1 0"
    assert scrub_text(said, account) == "code " + ", ".join(["********"] * 6)
    kept = "1246810, 2468101, 246 8107, 246-810-1234, 2026-12-01, 24681"
    assert scrub_text(kept, account) == kept


def test_a_trace_loses_a_spelled_out_password_too() -> None:
    secret = "Mock-Passw0rd-1"
    members = {"resources/page.html": b"<p>We could not use M O C K - P A S S W 0 R D - 1 today</p>"}
    clean = scrub_members(members, secret_patterns([SecretStr(secret)]))
    assert clean["resources/page.html"] == b"<p>We could not use ******** today</p>"


def test_a_text_that_cannot_hold_the_secret_is_passed_without_compiling_its_pattern() -> None:
    # A long secret's pattern is kilobytes of alternatives; compiling it per account was most of bulk's
    # CPU. The gate must never let a spelling through, only skip texts lacking a character's every spelling.
    (pattern,) = secret_patterns([SecretStr("Mock-Passw0rd-1")])
    message = b"Account Type: Upgraded PACER Account"
    assert not pattern.may_hold(message) and "pattern" not in vars(pattern)
    for spelled in ("MOCK-PASSW0RD-1", "M o c k - P a s s w 0 r d - 1", "Mock%2DPassw0rd%2D1"):
        text = f"said: {spelled}!".encode()
        assert pattern.may_hold(text), spelled
        assert b"********" in replace_secret(text, pattern), spelled


def test_the_walk_finds_what_the_whole_pattern_finds_without_compiling_it() -> None:
    # `match_end` walks each character's spellings in the order the regular expression tries them, so
    # it must end every match where `re` ends it, and find none where `re` finds none: checked here at
    # every position of texts full of near-misses, against the compiled pattern as the reference.
    import random

    from verifier.evidence._spellings import _spellings

    # (the last: "&#x78;" spells its first character and holds the whole secret's start inside it)
    secrets = [
        "Mock-Passw0rd-1",
        'Up"grade\\d\tTab~tilde-é-😀-1',
        "ab\r\ncd-ef",
        "Wxyz",
        "JBSWY3DPEHPK3PXP",
        "x78;Passw0rd",
    ]
    chooser = random.Random(31)
    for secret in secrets:
        (pattern,) = secret_patterns([SecretStr(secret)])
        texts = []
        for _ in range(40):
            pieces = []
            whole = chooser.random() < 0.6
            for char in secret[: len(secret) if whole else chooser.randint(1, len(secret))]:  # or cut short
                pieces.append(
                    chooser.choice(sorted(_spellings(chooser.choice([char] * 8 + [char.upper(), char.lower()]))))
                )
                if chooser.random() < 0.2:  # a separator a person would read past, or a letter that breaks it
                    pieces.append(chooser.choice([" ", "-", ".", "&nbsp;", "%20", "  ", "x"]))
            texts.append(("<p>" + "".join(pieces) + "</p>").encode("utf-8"))
        # Line breaks a password input strips: characters a match may leave out altogether.
        texts.append(b"x" + secret.replace("\r", "").replace("\n", "").encode("utf-8") + b"y")
        walked = [pattern.match_end(text, at) for text in texts for at in range(len(text))]
        assert "pattern" not in vars(pattern), "the walk must not compile the whole pattern"
        reference = [
            m.end() if (m := pattern.pattern.match(text, at)) else None for text in texts for at in range(len(text))
        ]
        assert walked == reference, secret
        assert any(end is not None for end in walked), f"the texts must hold some whole spellings of {secret!r}"
        # And the whole text replaced as re.sub replaces it: every match, leftmost first, none skipped
        # where a match starts inside a spelling of the first character ("&#x78;" holds "x78;").
        for text in [*texts, b"&#" + secret.encode("utf-8"), b"&#x25;" * 3 + secret.upper().encode("utf-8")]:
            expected = pattern.pattern.sub(b"********", text)
            for literal in pattern.literals:
                expected = expected.replace(literal, b"********")
            assert replace_secret(text, pattern) == expected, (secret, text)
