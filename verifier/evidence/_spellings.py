"""The second line of the trace scrubber (verifier.evidence._trace_scrub), and of every text the site
said (verifier.evidence.secret_text): every spelling of every secret, found in bytes and replaced.

A spelling is the secret raw, JSON-escaped, percent/form-encoded (Chromium's rules, either hex case),
HTML-escaped, nested combinations of those, and base64 at every alignment; a long secret also in any
letter case and with spaces, dashes or dots between its characters, as a person would still read it.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Iterator
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
class _Group:
    """One character's spellings (or the separators'), tried in the order the pattern's alternation
    tries them: longest first."""

    options: tuple[bytes, ...]
    optional: bool

    @cached_property
    def source(self) -> bytes:
        """The group as a part of the whole regular expression."""
        return _alternation(self.options) + (b"?" if self.optional else b"")

    @cached_property
    def first_bytes(self) -> frozenset[int]:
        return frozenset(option[0] for option in self.options)

    @cached_property
    def by_first_byte(self) -> dict[int, tuple[bytes, ...]]:
        """The options that start with each byte, in their order: at a position, only those can match,
        so the walk tries a handful instead of a hundred (it was 18 million `startswith` per run)."""
        found: dict[int, list[bytes]] = {}
        for option in self.options:
            found.setdefault(option[0], []).append(option)
        return {byte: tuple(options) for byte, options in found.items()}


#: Past this many parts a secret is matched by its compiled pattern: the walk below recurses once per part.
_MAX_WALKED_PARTS = 400


@dataclass(frozen=True)
class SecretPattern:
    """A secret's spellings, and where in a text a match can start (the fast scan).

    `source` is the whole rule as one regular expression, made from `parts`. Compiling it is what a
    long secret cannot afford per account: it is kilobytes of alternatives (60-150 KB for 15-32
    characters, 40-120 ms to compile), which was most of `bulk`'s Python CPU with `--trace on`
    (bench/README.md). So a match is found by walking `parts` instead, each a group of options
    made once per run for its character, in the very order the regular expression would try them
    (`match_end`): the same first match, so the same end. Most texts cannot hold the secret at all,
    which `may_hold` tells from the bytes present; in the others, `starts` finds (in C) each place
    where the first character is spelled, and only there is the rest walked."""

    leading: tuple[_Group, ...]
    """The groups a match can start with: the first character's, and the next one's while the one
    before may be left out (a line break)."""
    required: tuple[frozenset[int], ...]
    """For each character a match cannot leave out: the bytes its spellings start with. Every match holds
    one byte of each set, so a text missing any set holds no spelling of the secret."""
    literals: tuple[bytes, ...]  # base64 cores: plain bytes, replaced by the fast bytes.replace
    parts: tuple[_Group | int, ...]
    """Each character's group, and between two characters the separators' group as the most times it
    may repeat (an int: `_separator_group()`, up to that many times)."""

    @property
    def source(self) -> bytes:
        return b"".join(_separator() if isinstance(part, int) else part.source for part in self.parts)

    @cached_property
    def pattern(self) -> re.Pattern[bytes]:
        """The rule compiled: only for a secret too long to walk (and for tests, as the reference)."""
        return re.compile(self.source)

    @cached_property
    def starts(self) -> re.Pattern[bytes]:
        return _starts(self.leading)

    def may_hold(self, data: bytes) -> bool:
        present = set(data)
        return all(not required.isdisjoint(present) for required in self.required)

    def match_end(self, data: bytes, at: int) -> int | None:
        """Where the match that `pattern.match(data, at)` finds ends, or None when there is none."""
        if len(self.parts) > _MAX_WALKED_PARTS:
            match = self.pattern.match(data, at)
            return match.end() if match else None
        return _walk(data, at, self.parts, 0)


def _walk(data: bytes, at: int, parts: tuple[_Group | int, ...], index: int) -> int | None:
    """Depth first, as `re` backtracks: a group's options in order, then (an optional group) none."""
    if index == len(parts):
        return at
    part = parts[index]
    if isinstance(part, int):
        return _separators(data, at, parts, index, part)
    for option in part.by_first_byte.get(data[at], ()) if at < len(data) else ():
        if data.startswith(option, at):
            end = _walk(data, at + len(option), parts, index + 1)
            if end is not None:
                return end
    return _walk(data, at, parts, index + 1) if part.optional else None


def _separators(data: bytes, at: int, parts: tuple[_Group | int, ...], index: int, left: int) -> int | None:
    """`(?:separator){0,left}`, greedy: one more separator first, then the rest of the secret."""
    group = _separator_group()
    for option in group.by_first_byte.get(data[at], ()) if left and at < len(data) else ():
        if data.startswith(option, at):
            end = _separators(data, at + len(option), parts, index, left - 1)
            if end is not None:
                return end
    return _walk(data, at, parts, index + 1)


def _cases(char: str) -> set[str]:
    return {char, char.lower(), char.upper()}


@cache
def _separator_group() -> _Group:
    """A space, dash or dot, in any of its spellings."""
    options = tuple(sorted({s.encode("utf-8") for c in SEPARATORS for s in _spellings(c) if s}, key=len, reverse=True))
    return _Group(options, False)


@cache
def _separator() -> bytes:
    """Up to MAX_SEPARATORS spaces, dashes or dots, each in any of its spellings."""
    return _separator_group().source + b"{0,%d}" % MAX_SEPARATORS


def _alternation(options: Iterable[bytes]) -> bytes:
    return b"(?:" + b"|".join(re.escape(o) for o in options) + b")"


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
    parts: list[_Group | int] = []
    leading_groups: list[_Group] = []
    required: list[frozenset[int]] = []
    leading = True
    for char in secret:
        group = _char_group(char, variants)
        if not group.optional:
            required.append(group.first_bytes)
        if leading:
            leading_groups.append(group)
            leading = group.optional  # an optional first character: a match may start at the next one
        elif variants:
            parts.append(MAX_SEPARATORS)
        parts.append(group)
    raw = secret.encode("utf-8")
    form = "".join(chr(b) if b in _FORM_SAFE else "+" if b == 0x20 else f"%{b:02X}" for b in raw).encode()
    cores = sorted(_base64_cores(raw) | _base64_cores(form), key=len, reverse=True)
    return SecretPattern(tuple(leading_groups), tuple(set(required)), tuple(cores), tuple(parts))


@cache
def _starts(leading: tuple[_Group, ...]) -> re.Pattern[bytes]:
    """Any spelling of a first character. Every option starts with a literal byte, so `re` scans for
    those bytes in C before it tries an option (a set of first bytes alone let through every "%", "&"
    and "\\" of a trace: 400,000 walks for 30 traces). Compiled once per run for each first character."""
    return re.compile(_alternation(sorted({o for group in leading for o in group.options}, key=len, reverse=True)))


@cache
def _char_group(char: str, variants: bool) -> _Group:
    """One character's spellings, longest first, and whether it may be left out. The same for every
    secret holding the character: made once per run."""
    forms = _cases(char) if variants else {char}
    options = sorted({s.encode("utf-8") for form in forms for s in _spellings(form)}, key=len, reverse=True)
    kept = tuple(o for o in options if o)
    return _Group(kept, b"" in options)


def secret_patterns(secrets: Iterable[SecretStr | None]) -> list[SecretPattern]:
    values = {s.get_secret_value() for s in secrets if s is not None}
    # Longer secrets first: one secret may contain another.
    patterns = (secret_pattern(v) for v in sorted(values, key=len, reverse=True))
    return [p for p in patterns if p is not None]


def replace_secret(data: bytes, secret: SecretPattern) -> bytes:
    """re.sub's result, found faster: the many-branched pattern is tried only where a match can start."""
    pieces: list[bytes] = []
    done = 0
    for at, end in _matches(data, secret):
        pieces += [data[done:at], _REDACTED_BYTES]
        done = end
    data = b"".join([*pieces, data[done:]]) if pieces else data
    for literal in secret.literals:
        data = data.replace(literal, _REDACTED_BYTES)
    return data


def _matches(data: bytes, secret: SecretPattern) -> Iterator[tuple[int, int]]:
    """Where `re.finditer` of the whole pattern finds the secret: leftmost first, none overlapping."""
    if not secret.may_hold(data):
        return
    starts = secret.starts
    # `search` from each next position, not `finditer`: a match may start inside a first character's
    # spelling ("&#x78;" spells "x" and holds "x78;"), and finditer would step over it.
    candidate = starts.search(data)
    while candidate is not None:
        at = candidate.start()
        end = secret.match_end(data, at)
        if end is not None and end > at:
            yield at, end
            candidate = starts.search(data, end)
        else:
            candidate = starts.search(data, at + 1)


def search_and_replace(data: bytes, patterns: list[SecretPattern]) -> bytes:
    for secret in patterns:
        data = replace_secret(data, secret)
    return data
