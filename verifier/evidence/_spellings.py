"""The second line of the trace scrubber (verifier.evidence._trace_scrub), and of every text the site
said (verifier.evidence.secret_text): every spelling of every secret, found in bytes and replaced.

A spelling is the secret raw, JSON-escaped, percent/form-encoded (Chromium's rules, either hex case),
HTML-escaped, nested combinations of those, and base64 at every alignment; a long secret also in any
letter case and with spaces, dashes or dots between its characters, as a person would still read it.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property

from pydantic import SecretStr

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
    """A secret's spellings as one pattern, and the bytes any match can start with (the fast scan).

    Compiled on first use only: a long secret's pattern is kilobytes of alternatives, and compiling it
    cost more CPU than anything else a check did (about 0.1 s per account in `bulk`), while most texts
    cannot hold the secret at all, which `may_hold` tells from the bytes present."""

    source: bytes
    starts_source: bytes
    required: tuple[frozenset[int], ...]
    """For each character a match cannot leave out: the bytes its spellings start with. Every match holds
    one byte of each set, so a text missing any set holds no spelling of the secret."""
    literals: tuple[bytes, ...]  # base64 cores: plain bytes, replaced by the fast bytes.replace

    @cached_property
    def pattern(self) -> re.Pattern[bytes]:
        return re.compile(self.source)

    @cached_property
    def starts(self) -> re.Pattern[bytes]:
        return re.compile(self.starts_source)

    def may_hold(self, data: bytes) -> bool:
        present = set(data)
        return all(not required.isdisjoint(present) for required in self.required)


def _cases(char: str) -> set[str]:
    return {char, char.lower(), char.upper()}


@cache
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
    required: list[frozenset[int]] = []
    leading = True
    for char in secret:
        group, starts_with, optional = _char_group(char, variants)
        if not optional:
            required.append(starts_with)
        if leading:
            first_bytes |= starts_with
            leading = optional  # an optional first character: a match may start at the next one
        elif between:
            parts.append(between)
        parts.append(group)
    raw = secret.encode("utf-8")
    form = "".join(chr(b) if b in _FORM_SAFE else "+" if b == 0x20 else f"%{b:02X}" for b in raw).encode()
    cores = sorted(_base64_cores(raw) | _base64_cores(form), key=len, reverse=True)
    starts = b"[" + b"".join(re.escape(bytes([b])) for b in sorted(first_bytes)) + b"]"
    return SecretPattern(b"".join(parts), starts, tuple(set(required)), tuple(cores))


@cache
def _char_group(char: str, variants: bool) -> tuple[bytes, frozenset[int], bool]:
    """One character's spellings as a group of the pattern, the bytes they start with, and whether it
    may be left out. The same for every secret holding the character: made once per run."""
    forms = _cases(char) if variants else {char}
    options = sorted({s.encode("utf-8") for form in forms for s in _spellings(form)}, key=len, reverse=True)
    optional = b"" in options
    options = [o for o in options if o]
    group = b"(?:" + b"|".join(re.escape(o) for o in options) + b")" + (b"?" if optional else b"")
    return group, frozenset(o[0] for o in options), optional


def secret_patterns(secrets: Iterable[SecretStr | None]) -> list[SecretPattern]:
    values = {s.get_secret_value() for s in secrets if s is not None}
    # Longer secrets first: one secret may contain another.
    patterns = (secret_pattern(v) for v in sorted(values, key=len, reverse=True))
    return [p for p in patterns if p is not None]


def replace_secret(data: bytes, secret: SecretPattern) -> bytes:
    """re.sub's result, found faster: the many-branched pattern is tried only where a match can start."""
    pieces: list[bytes] = []
    done = 0
    for candidate in secret.starts.finditer(data) if secret.may_hold(data) else ():
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
        data = replace_secret(data, secret)
    return data
