"""Take secrets out of a Playwright trace zip, by structure first and by spelling second.

A trace (Playwright 1.4x-1.6x) is a zip of ``*.trace`` / ``*.network`` files of JSON lines (calls
with their parameters, log lines, DOM snapshots of every frame, HAR-like request records) and
``resources/`` (request and response bodies, named by their SHA-1). Secrets reach it as:

- the ``value`` of ``fill``/``type`` calls and the ``fill("...")`` log lines;
- ``__playwright_value_`` / ``value`` of password and one-time-code inputs in DOM snapshots, and an
  input's ``value="..."`` in "locator resolved to <input ...>" log lines;
- request bodies (sign-on, one-time code, CM/ECF login): ``postData`` and its ``resources/*.dat``;
- session cookies (NextGenCSO, PacerSession, JSESSIONID) in Cookie/Set-Cookie headers and cookie lists.

The structural pass removes all of these whatever the secret is. Then, as a second line, every
member is searched for every spelling of every secret (verifier.evidence._spellings). A trace that
cannot be scrubbed is deleted, never kept.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlencode

from pydantic import SecretStr

from verifier import outputs
from verifier.evidence._spellings import (
    REDACTED,
    SecretPattern,
    replace_secret,
    search_and_replace,
    secret_patterns,
)

#: Calls whose text parameter is what was typed into the page.
TYPED_CALLS = frozenset(
    {
        "fill",
        "type",
        "pressSequentially",
        "press_sequentially",
        "keyboardType",
        "keyboardInsertText",
        "insertText",
        "insert_text",
    }
)
SECRET_HEADERS = frozenset({"cookie", "set-cookie", "authorization", "proxy-authorization"})
#: An input whose type, name, id or autocomplete says it holds a password or a code.
SECRET_INPUT = re.compile(r"pass|pwd|otp|mfa|one-time|totp|code|token|secret|key|pin", re.IGNORECASE)
_TYPED_LOG = re.compile(r"^(\s*(?:" + "|".join(sorted(TYPED_CALLS)) + r")\()(.*)(\)\s*)$", re.DOTALL)
_INPUT_TAG = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_VALUE_ATTR = re.compile(r'(\bvalue=)("[^"]*"|\'[^\']*\')', re.IGNORECASE)


# --- the structural pass -------------------------------------------------------------------------


def _secret_input(attrs: dict[str, Any]) -> bool:
    kind = str(attrs.get("type", "")).lower()
    if kind == "password":
        return True
    if kind in ("hidden", "submit", "button", "checkbox", "radio"):
        return False
    return any(SECRET_INPUT.search(str(attrs.get(key, ""))) for key in ("name", "id", "autocomplete"))


def _scrub_dom(node: Any) -> None:
    """A snapshot node is [tag, {attrs}, *children], a [[ref]] to an earlier one, or text."""
    if not isinstance(node, list) or not node or not isinstance(node[0], str):
        return
    attrs = node[1] if len(node) > 1 and isinstance(node[1], dict) else None
    if attrs is not None and node[0].upper() in ("INPUT", "TEXTAREA") and _secret_input(attrs):
        for key in ("__playwright_value_", "value"):
            if key in attrs:
                attrs[key] = REDACTED
    for child in node[2 if attrs is not None else 1 :]:
        _scrub_dom(child)


def _scrub_log(message: str) -> str:
    typed = _TYPED_LOG.match(message)
    if typed:
        return f'{typed.group(1)}"{REDACTED}"{typed.group(3)}'

    def tag(match: re.Match[str]) -> str:
        text = match.group(0)
        attrs = dict(re.findall(r'\b(type|name|id|autocomplete)="([^"]*)"', text, re.IGNORECASE))
        if not _secret_input({k.lower(): v for k, v in attrs.items()}):
            return text
        return _VALUE_ATTR.sub(lambda m: f'{m.group(1)}"{REDACTED}"', text)

    return _INPUT_TAG.sub(tag, message)


def _scrub_headers(headers: Any) -> None:
    for header in headers if isinstance(headers, list) else ():
        if isinstance(header, dict) and str(header.get("name", "")).lower() in SECRET_HEADERS:
            header["value"] = REDACTED


def _scrub_cookies(cookies: Any) -> None:
    # Every cookie: NextGenCSO, PacerSession and JSESSIONID are PACER's, but any cookie may be a session.
    for cookie in cookies if isinstance(cookies, list) else ():
        if isinstance(cookie, dict) and "value" in cookie:
            cookie["value"] = REDACTED


def _scrub_post(post: dict[str, Any], bodies: dict[str, tuple[str, bytes]]) -> None:
    """Keep the field names (they help reading a trace), never the values; re-point the body file."""
    params = [p for p in post.get("params") or () if isinstance(p, dict)]
    for param in params:
        param["value"] = REDACTED
    post["text"] = REDACTED if post.get("text") else ""
    body = (
        urlencode([(str(p.get("name", "")), REDACTED) for p in params], safe="*").encode()
        if params
        else REDACTED.encode()
    )
    for key in ("_file", "_sha1"):
        name = post.get(key)
        if isinstance(name, str) and name:
            post[key] = _renamed(name, body, bodies)


def _renamed(name: str, body: bytes, bodies: dict[str, tuple[str, bytes]]) -> str:
    """A body file is named by the SHA-1 of its content: with the password in it, that name alone
    would let anyone holding the trace test guesses offline. The redacted body gets its own name."""
    path = PurePosixPath(name)
    new = path.with_name(hashlib.sha1(body).hexdigest() + path.suffix)
    bodies[path.name] = (new.name, body)
    return str(new)


def _scrub_event(event: dict[str, Any], bodies: dict[str, tuple[str, bytes]]) -> None:
    kind = event.get("type")
    params = event.get("params")
    if kind == "before" and event.get("method") in TYPED_CALLS and isinstance(params, dict):
        for key in ("value", "text"):
            if key in params:
                params[key] = REDACTED
    elif kind == "log" and isinstance(event.get("message"), str):
        event["message"] = _scrub_log(event["message"])
    elif kind == "frame-snapshot" and isinstance(event.get("snapshot"), dict):
        _scrub_dom(event["snapshot"].get("html"))
    elif kind == "resource-snapshot" and isinstance(event.get("snapshot"), dict):
        snapshot = event["snapshot"]
        for side in ("request", "response"):
            part = snapshot.get(side)
            if isinstance(part, dict):
                _scrub_headers(part.get("headers"))
                _scrub_cookies(part.get("cookies"))
        request = snapshot.get("request")
        if isinstance(request, dict) and isinstance(request.get("postData"), dict):
            _scrub_post(request["postData"], bodies)


def scrub_events(data: bytes, bodies: dict[str, tuple[str, bytes]]) -> bytes:
    """One ``*.trace`` / ``*.network`` member, line by line; a line that is not JSON is dropped."""
    lines = []
    for line in data.splitlines():
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except ValueError:
            continue  # cannot be read, so cannot be checked: not kept
        if isinstance(event, dict):
            _scrub_event(event, bodies)
        lines.append(json.dumps(event, ensure_ascii=False).encode("utf-8"))
    return b"\n".join(lines) + (b"\n" if lines else b"")


# --- the zip -------------------------------------------------------------------------------------------


def _is_events(name: str) -> bool:
    return name.endswith((".trace", ".network"))


def _page_showed_secret(events: dict[str, bytes], patterns: list[SecretPattern]) -> bool:
    """Whether a DOM snapshot still holds a secret after the structural pass: the page itself showed
    it (a site repeating the password in a message, or in a field re-drawn as text)."""
    for data in events.values():
        for line in data.splitlines():
            if b'"frame-snapshot"' in line and any(replace_secret(line, p) != line for p in patterns):
                return True
    return False


def _without_screencast(events: dict[str, bytes]) -> tuple[dict[str, bytes], set[str]]:
    """The event files without the screencast, and the frames' member names: the frames are pictures,
    which no pass can scrub."""
    frames: set[str] = set()
    kept = {}
    for name, data in events.items():
        lines = []
        for line in data.splitlines():
            event = json.loads(line) if b'"screencast-frame"' in line else None
            if isinstance(event, dict) and event.get("type") == "screencast-frame":
                frames |= {str(event.get("file", "")), f"resources/{event.get('sha1', '')}"}
                continue
            lines.append(line)
        kept[name] = b"\n".join(lines) + (b"\n" if lines else b"")
    return kept, frames


def scrub_members(members: dict[str, bytes], patterns: list[SecretPattern]) -> dict[str, bytes]:
    """Every member of a trace, scrubbed: event files by structure, then everything by spelling. When
    the page itself showed a secret, the screencast's frames are left out (issue 19 §3)."""
    bodies: dict[str, tuple[str, bytes]] = {}
    scrubbed = {name: scrub_events(data, bodies) for name, data in members.items() if _is_events(name)}
    if patterns and _page_showed_secret(scrubbed, patterns):
        scrubbed, frames = _without_screencast(scrubbed)
        members = {name: data for name, data in members.items() if name not in frames}
    for name, data in members.items():
        if _is_events(name):
            continue
        path = PurePosixPath(name)
        if path.name in bodies:  # a request body: replaced by its redacted self, under its new name
            new_name, body = bodies[path.name]
            scrubbed[str(path.with_name(new_name))] = body
        else:
            scrubbed[name] = data
    return {name: search_and_replace(data, patterns) for name, data in scrubbed.items()}


def scrub_trace(trace: Path, secrets: Iterable[SecretStr | None]) -> None:
    """Rewrite a trace zip without its secrets; on any failure the trace is deleted, then the error raised."""
    if not trace.exists():
        return
    patterns = secret_patterns(secrets)
    try:
        with zipfile.ZipFile(trace) as source:
            members = {item.filename: source.read(item) for item in source.infolist() if not item.is_dir()}
        clean = scrub_members(members, patterns)
        outputs.write_zip(trace, clean)
    except BaseException:
        trace.unlink(missing_ok=True)
        raise
