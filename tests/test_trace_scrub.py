"""The trace scrubber, on synthetic traces shaped like Playwright's: by structure, and by every spelling.

The property test draws secrets from printable ASCII, control characters and non-ASCII (accents,
CJK, emoji) and writes each into every place Playwright puts typed text, in the encodings a browser
and Playwright use; the encoders here are written independently of verifier.evidence._trace_scrub's.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr
from secret_spellings import chromium_form, js_json
from secret_spellings import leaks as spelled_leaks

from verifier.evidence._trace_scrub import REDACTED, scrub_members, scrub_trace, secret_patterns


def synthetic_trace(secret: str) -> dict[str, bytes]:
    """Every place a Playwright trace keeps what was typed, as Playwright writes it."""
    form_body = f"loginForm%3AloginName=jdoe1234&loginForm%3Apassword={chromium_form(secret)}&x=1"
    body_name = hashlib.sha1(form_body.encode()).hexdigest() + ".dat"
    events = [
        {
            "type": "before",
            "callId": "c1",
            "class": "Frame",
            "method": "fill",
            "params": {"selector": "internal:label=/password/i", "value": secret},
        },
        {"type": "log", "callId": "c1", "message": f"  fill({json.dumps(secret, ensure_ascii=False)})"},
        {
            "type": "log",
            "callId": "c1",
            "message": f'  locator resolved to <input type="password" name="pw" value="{html.escape(secret)}"/>',
        },
        {
            "type": "frame-snapshot",
            "snapshot": {
                "html": [
                    "HTML",
                    {},
                    [
                        "BODY",
                        {},
                        [
                            "FORM",
                            {"method": "post"},
                            [
                                "INPUT",
                                {"__playwright_value_": secret, "type": "password", "name": "loginForm:password"},
                            ],
                            ["INPUT", {"__playwright_value_": secret, "autocomplete": "one-time-code", "name": "code"}],
                            ["P", {}, f"You typed {secret}"],
                        ],
                    ],
                ]
            },
        },
    ]
    network = [
        {
            "type": "resource-snapshot",
            "snapshot": {
                "request": {
                    "method": "POST",
                    "url": "https://pacer.login.uscourts.gov/csologin/login.jsf",
                    "headers": [{"name": "Cookie", "value": "JSESSIONID=ABCDEF0123456789"}],
                    "cookies": [{"name": "JSESSIONID", "value": "ABCDEF0123456789"}],
                    "postData": {
                        "mimeType": "application/x-www-form-urlencoded",
                        "text": form_body,
                        "params": [{"name": "loginForm:password", "value": secret}],
                        "_file": f"resources/{body_name}",
                    },
                },
                "response": {
                    "headers": [{"name": "set-cookie", "value": "NextGenCSO=SESSIONTOKEN0123456789; Path=/"}],
                    "cookies": [{"name": "PacerSession", "value": "SESSIONTOKEN0123456789"}],
                },
            },
        }
    ]
    page = f'<input type="password" value="{html.escape(secret)}"><script>var p="{js_json(secret)}"</script>'
    return {
        "trace.trace": "\n".join(json.dumps(e, ensure_ascii=False) for e in events).encode("utf-8") + b"\n",
        "trace.network": "\n".join(json.dumps(e, ensure_ascii=False) for e in network).encode("utf-8") + b"\n",
        f"resources/{body_name}": form_body.encode(),
        "resources/page.html": page.encode("utf-8"),
        "resources/blob.txt": b"data:application/octet-stream;base64,"
        + base64.b64encode(b"prefix-" + form_body.encode() + secret.encode("utf-8")),
    }


def leaks(members: dict[str, bytes], secret: str) -> list[str]:
    return spelled_leaks(list(members.items()), {secret})


SECRETS = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),  # printable ASCII
        st.characters(min_codepoint=0x00, max_codepoint=0x1F),  # control characters
        st.sampled_from("\x7f\x85\xa0éßñØ€中文😀🔑\u200b\u202e"),  # DEL, C1, non-ASCII, emoji, invisible
    ),
    min_size=8,
    max_size=40,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(secret=SECRETS)
@example(secret='Quote"Back\\slash\tTab~tilde é 😀')
@example(secret="~~~~tilde~~~~")
@example(secret="new\nline\r\npassword")
def test_no_spelling_of_a_secret_survives(secret: str) -> None:
    assume(set(secret) != {"*"})
    members = synthetic_trace(secret)
    assert leaks(members, secret), "the synthetic trace must hold the secret to begin with"
    scrubbed = scrub_members(members, secret_patterns([SecretStr(secret)]))
    assert not leaks(scrubbed, secret)


@settings(max_examples=60, deadline=None)
@given(secret=SECRETS)
def test_structure_alone_removes_typed_and_posted_values(secret: str) -> None:
    """Without being told the secret (a value the second line cannot know), the places Playwright
    keeps typed text, post bodies and session cookies are still emptied."""
    assume(set(secret) != {"*"})
    scrubbed = scrub_members(synthetic_trace(secret), [])
    events = [json.loads(line) for line in scrubbed["trace.trace"].splitlines()]
    assert events[0]["params"]["value"] == REDACTED
    assert events[1]["message"] == f'  fill("{REDACTED}")'
    assert f'value="{REDACTED}"' in events[2]["message"]
    inputs = events[3]["snapshot"]["html"][2][2]
    assert inputs[2][1]["__playwright_value_"] == REDACTED and inputs[3][1]["__playwright_value_"] == REDACTED
    network = json.loads(scrubbed["trace.network"])["snapshot"]
    post = network["request"]["postData"]
    assert post["text"] == REDACTED and post["params"][0]["value"] == REDACTED
    body = scrubbed[post["_file"]]
    assert secret.encode("utf-8") not in body and chromium_form(secret).encode() not in body
    assert all(h["value"] == REDACTED for h in network["request"]["headers"] + network["response"]["headers"])
    assert all(c["value"] == REDACTED for c in network["request"]["cookies"] + network["response"]["cookies"])
    assert b"SESSIONTOKEN" not in scrubbed["trace.network"] and b"ABCDEF0123456789" not in scrubbed["trace.network"]


def test_the_body_file_is_renamed_so_its_hash_does_not_betray_the_password() -> None:
    members = synthetic_trace("Correct-Horse-Battery-9!")
    old = next(name for name in members if name.endswith(".dat"))
    scrubbed = scrub_members(members, [])
    assert old not in scrubbed
    assert PurePosixPath(old).stem.encode() not in b"".join(scrubbed.values())


def test_scrub_trace_rewrites_the_zip_privately(tmp_path: Path) -> None:
    trace = tmp_path / "trace.zip"
    secret = 'Zip"Secret\\~é'
    with zipfile.ZipFile(trace, "w") as archive:
        for name, data in synthetic_trace(secret).items():
            archive.writestr(name, data)
    scrub_trace(trace, [SecretStr(secret), None])
    with zipfile.ZipFile(trace) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    assert not leaks(members, secret)
    assert trace.stat().st_mode & 0o777 == 0o600


def test_an_unreadable_trace_is_deleted_not_kept(tmp_path: Path) -> None:
    trace = tmp_path / "trace.zip"
    trace.write_bytes(b"PK\x03\x04 not really a zip, but it could hold Secret-Password-1")
    with pytest.raises(zipfile.BadZipFile):
        scrub_trace(trace, [SecretStr("Secret-Password-1")])
    assert not trace.exists()
