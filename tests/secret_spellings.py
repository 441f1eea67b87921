"""Every spelling of a secret a browser, Playwright or a report could write, for the leak searches; the
fixture secrets to look for; and where to look (every byte a run wrote or printed).

Written independently of verifier.evidence._trace_scrub, so the tests do not grade the scrubber by its own rules.
"""

from __future__ import annotations

import base64
import csv
import html
import json
import re
import zipfile
from pathlib import Path
from urllib.parse import quote, quote_plus

import ahocorasick

from verifier.data import DEMO_ROSTER
from verifier.mock.server import MockServer

FORM_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*-._")


def chromium_form(value: str) -> str:
    """application/x-www-form-urlencoded as the WHATWG URL spec (and so Chromium) writes it."""
    return "".join(chr(b) if chr(b) in FORM_SAFE else "+" if b == 0x20 else f"%{b:02X}" for b in value.encode("utf-8"))


def js_json(value: str) -> str:
    """JSON.stringify's body: short escapes, \\u00xx for other controls, everything else raw."""
    return json.dumps(value, ensure_ascii=False)[1:-1]


def encodings(secret: str) -> dict[str, bytes]:
    raw = secret.encode("utf-8")
    forms = {
        "raw": secret,
        "json": js_json(secret),
        "json-ascii": json.dumps(secret)[1:-1],
        "form (Chromium)": chromium_form(secret),
        "form lower-case hex": chromium_form(secret).lower() if secret.isascii() and secret.islower() else "",
        "quote_plus": quote_plus(secret),
        "quote": quote(secret, safe=""),
        "html": html.escape(secret),
        "json of form": js_json(chromium_form(secret)),
        "json of html": js_json(html.escape(secret)),
        "base64": base64.b64encode(raw).decode(),
        "base64 of form": base64.b64encode(chromium_form(secret).encode()).decode(),
    }
    return {name: form.encode("utf-8") for name, form in forms.items() if form}


def every_byte(out: Path, streams: list[str]) -> list[tuple[str, bytes]]:
    """Every file under out, every member of every zip in it (traces, unpacked), and the given streams."""
    blobs = [(f"stream {i}", text.encode()) for i, text in enumerate(streams)]
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        blobs.append((str(path), path.read_bytes()))
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                blobs.extend((f"{path}!{name}", archive.read(name)) for name in archive.namelist())
    return blobs


def leaks(blobs: list[tuple[str, bytes]], secrets: set[str]) -> list[str]:
    """`where: spelling` for every spelling of every secret found in a blob.

    All spellings are searched at once (Aho-Corasick), so the search stays one pass over the bytes: a
    traced run writes tens of megabytes, and a thousand spellings each searched on its own took seconds.
    Bytes are read as Latin-1, one character per byte, so a match is a match of the bytes."""
    labels: dict[str, list[str]] = {}
    for secret in secrets:
        for label, form in encodings(secret).items():
            labels.setdefault(form.decode("latin-1"), []).append(label)
    automaton = ahocorasick.Automaton()
    for form in labels:
        automaton.add_word(form, form)
    automaton.make_automaton()
    found: list[str] = []
    for where, data in blobs:
        seen = {form for _, form in automaton.iter(data.decode("latin-1"))}
        found += [f"{where}: {label}" for form in sorted(seen) for label in labels[form]]
    return found


def fixture_secrets(server: MockServer) -> set[str]:
    """Every password and authenticator secret in the mock's accounts and the demo roster."""
    secrets: set[str] = set()
    for account in server.scenario.accounts:
        secrets.add(account.password)
        if account.otp_secret:
            secrets.add(account.otp_secret)
        for login in account.cmecf.values():
            secrets.add(login.password)
    with DEMO_ROSTER.open(newline="") as handle:
        for row in csv.DictReader(handle):
            for key in ("password", "otp_secret", "cmecf_password"):
                if len(row[key]) >= 8 and not row[key].startswith("env:"):
                    secrets.add(row[key])
    return secrets


def holds_code(text: str, code: str) -> bool:
    """The code as a number of its own (not the tail of a fraction of a second in a time stamp)."""
    return re.search(rf"(?<![\d.]){code}(?!\d)", text) is not None
