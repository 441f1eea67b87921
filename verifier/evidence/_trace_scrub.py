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
member is searched for every spelling of every secret (see ``secret_pattern``): raw, JSON-escaped,
percent/form-encoded (Chromium's rules, either hex case), HTML-escaped, nested combinations of those,
and base64 at every alignment. A trace that cannot be scrubbed is deleted, never kept.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlencode

from pydantic import SecretStr

from verifier import outputs

REDACTED = "********"
_REDACTED_BYTES = REDACTED.encode()
#: Secrets shorter than this are left to the structural pass: replacing every "abc" would shred the trace.
MIN_SEARCHED = 4
#: Secrets at least this long (PACER's shortest password) are also searched as a person would still
#: recognise them: in any letter case, and with spaces, dashes or dots between the characters. Shorter
#: ones only as they are: "abc1" in any case with dots between would find ordinary words and numbers.
MIN_VARIANTS = 8
#: Between two characters of a long secret, a person may see up to this many of these.
SEPARATORS = " \xa0-."
MAX_SEPARATORS = 3

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
        else _REDACTED_BYTES
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


# --- the second line: every spelling of every secret -------------------------------------------------

_JSON_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "/": "\\/"}
_HTML_NAMED = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "\xa0": "&nbsp;"}
#: Left as they are by Chromium's application/x-www-form-urlencoded serializer (WHATWG URL spec).
_FORM_SAFE = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*-._")


def _json_unicode(char: str, hex_case: str) -> str:
    units = char.encode("utf-16-be")  # an emoji is a surrogate pair: two escapes
    return "".join("\\u" + format(units[i] << 8 | units[i + 1], "04" + hex_case) for i in range(0, len(units), 2))


def _json_forms(text: str) -> set[str]:
    """The text inside a JSON string, as JSON.stringify writes it (short escapes, other controls as
    \\u00xx) and as ensure_ascii encoders do (everything past ASCII as \\uxxxx), hex in either case,
    "/" as "\\/" too. Applied character by character (see _spellings), so mixtures are covered."""
    forms = set()
    for hex_case in ("x", "X"):
        for solidus in (False, True):

            def one(char: str, hex_case: str = hex_case, solidus: bool = solidus) -> str:
                if char in _JSON_SHORT and (char != "/" or solidus):
                    return _JSON_SHORT[char]
                if ord(char) < 0x20 or ord(char) > 0x7E:
                    return _json_unicode(char, hex_case)
                return char

            forms.add("".join(one(c) for c in text))
    return forms


def _percent_forms(text: str) -> set[str]:
    forms = set()
    for upper in (True, False):
        hexed = "%{:02X}" if upper else "%{:02x}"
        every = "".join(hexed.format(b) for b in text.encode("utf-8"))
        form = "".join(
            chr(b) if b in _FORM_SAFE else "+" if b == 0x20 else hexed.format(b) for b in text.encode("utf-8")
        )
        forms |= {every, form, form.replace("+", "%20"), form.replace(hexed.format(0x7E), "~")}
    return forms


def _html_forms(text: str) -> set[str]:
    return {
        "".join(_HTML_NAMED.get(c, c) for c in text),
        "".join(f"&#{ord(c)};" for c in text),
        "".join(f"&#x{ord(c):x};" for c in text),
        "".join(f"&#x{ord(c):X};" for c in text),
    }


def _spellings(char: str) -> set[str]:
    """How one character of a secret can appear: itself, each encoding, and each encoding of those."""
    first = {char} | _json_forms(char) | _percent_forms(char) | _html_forms(char)
    if char in "\r\n":
        # A password input strips line breaks from its value; a form post turns \n into \r\n.
        first |= {"", "\r\n", "%0D%0A", "%0d%0a", "\\r\\n"}
    second = set(first)
    for form in first:
        if form and form != char:
            second |= _json_forms(form) | _percent_forms(form) | _html_forms(form)
    return second


def _base64_cores(data: bytes) -> set[bytes]:
    """Base64 of data as it shows inside a longer base64 text, at each of the three alignments."""
    cores = set()
    for offset in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            text = encode(b"\0" * offset + data)
            start = -(-8 * offset // 6)
            core = text[start : (8 * (offset + len(data))) // 6]
            if len(core) >= MIN_SEARCHED:
                cores.add(core)
    return cores


@dataclass(frozen=True)
class SecretPattern:
    """A secret's spellings as one pattern, and the bytes any match can start with (the fast scan)."""

    pattern: re.Pattern[bytes]
    starts: re.Pattern[bytes]
    literals: tuple[bytes, ...]  # base64 cores: plain bytes, replaced by the fast bytes.replace


def _cases(char: str) -> set[str]:
    return {char, char.lower(), char.upper()}


def _separator() -> bytes:
    """Up to MAX_SEPARATORS spaces, dashes or dots, each in any of its spellings."""
    options = sorted({s.encode("utf-8") for c in SEPARATORS for s in _spellings(c) if s}, key=len, reverse=True)
    return b"(?:" + b"|".join(re.escape(o) for o in options) + b"){0,%d}" % MAX_SEPARATORS


def secret_pattern(secret: str) -> SecretPattern | None:
    """Match the secret in any mixture of the spellings above, or its base64; None when too short.

    The rule: a secret of MIN_SEARCHED (4) characters or more is found as it is, in every spelling; one of
    MIN_VARIANTS (8) or more also in any letter case and with up to MAX_SEPARATORS spaces, dashes or dots
    between its characters (what a site upper-casing or spacing out an echo would show). Base64 is
    searched for the exact secret only."""
    significant = len(secret.replace("\r", "").replace("\n", ""))
    if significant < MIN_SEARCHED:
        return None
    variants = significant >= MIN_VARIANTS
    between = _separator() if variants else b""
    parts = []
    first_bytes: set[int] = set()
    leading = True
    for char in secret:
        forms = _cases(char) if variants else {char}
        options = sorted({s.encode("utf-8") for form in forms for s in _spellings(form)}, key=len, reverse=True)
        optional = b"" in options
        options = [o for o in options if o]
        if leading:
            first_bytes |= {o[0] for o in options}
            leading = optional  # an optional first character: a match may start at the next one
        elif between:
            parts.append(between)
        parts.append(b"(?:" + b"|".join(re.escape(o) for o in options) + b")" + (b"?" if optional else b""))
    raw = secret.encode("utf-8")
    form = "".join(chr(b) if b in _FORM_SAFE else "+" if b == 0x20 else f"%{b:02X}" for b in raw).encode()
    cores = sorted(_base64_cores(raw) | _base64_cores(form), key=len, reverse=True)
    pattern = re.compile(b"".join(parts))
    starts = re.compile(b"[" + b"".join(re.escape(bytes([b])) for b in sorted(first_bytes)) + b"]")
    return SecretPattern(pattern, starts, tuple(cores))


def secret_patterns(secrets: Iterable[SecretStr | None]) -> list[SecretPattern]:
    values = {s.get_secret_value() for s in secrets if s is not None}
    # Longer secrets first: one secret may contain another.
    patterns = (secret_pattern(v) for v in sorted(values, key=len, reverse=True))
    return [p for p in patterns if p is not None]


def _replace(data: bytes, secret: SecretPattern) -> bytes:
    """re.sub's result, found faster: the many-branched pattern is tried only where a match can start."""
    pieces: list[bytes] = []
    done = 0
    for candidate in secret.starts.finditer(data):
        at = candidate.start()
        if at < done:
            continue
        match = secret.pattern.match(data, at)
        if match and match.end() > at:
            pieces += [data[done:at], _REDACTED_BYTES]
            done = match.end()
    data = b"".join([*pieces, data[done:]]) if pieces else data
    for literal in secret.literals:
        data = data.replace(literal, _REDACTED_BYTES)
    return data


def search_and_replace(data: bytes, patterns: list[SecretPattern]) -> bytes:
    for secret in patterns:
        data = _replace(data, secret)
    return data


# --- the zip -------------------------------------------------------------------------------------------


def _is_events(name: str) -> bool:
    return name.endswith((".trace", ".network"))


def _page_showed_secret(events: dict[str, bytes], patterns: list[SecretPattern]) -> bool:
    """Whether a DOM snapshot still holds a secret after the structural pass: the page itself showed
    it (a site repeating the password in a message, or in a field re-drawn as text)."""
    for data in events.values():
        for line in data.splitlines():
            if b'"frame-snapshot"' in line and any(_replace(line, p) != line for p in patterns):
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
