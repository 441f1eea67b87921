"""Text from rosters and web pages, made safe to show: one function, used by every output.

A roster name or a page's message can carry terminal control sequences (ESC [ ... colours, OSC-8
links, a carriage return that lets a row overwrite its own line with a fake "upgraded"), or
Unicode bidi overrides that reorder what a reader sees. ``shown`` writes each such character as a
visible escape (``\\x1b``, ``\\r``, ``\\u202e``) so the reader sees what is really there.
"""

from __future__ import annotations

import re
import shlex
import subprocess

from verifier.system import is_windows

#: C0 controls (tab and line breaks included: one value, one line), DEL, C1 controls, the bidi
#: embeddings, overrides and isolates, and the Unicode line and paragraph separators. Zero-width
#: joiners stay: emoji and many scripts need them.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    named = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
    return named.get(code) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def shown(text: str) -> str:
    """The text with every control, bidi-override and separator character written as an escape."""
    return UNSAFE.sub(_escape, text)


def shown_lines(text: str) -> str:
    """`shown`, but line breaks (LF) are kept as they are: a letter's body, whose lines are real lines."""
    return "\n".join(shown(line) for line in text.split("\n"))


def has_unsafe(text: str) -> bool:
    return UNSAFE.search(text) is not None


#: Characters a shell word may hold unquoted, on every shell pacer-verify's commands are typed into.
_PLAIN_WORD = re.compile(r"[A-Za-z0-9_@%+=:,./\\-]+")


def shell_word(word: str) -> str:
    """One word of a command a person can paste: as is when plain, else quoted for this platform's shell
    (cmd.exe's rules on Windows, POSIX sh's elsewhere). Control characters are shown escaped first."""
    word = shown(word)
    windows = is_windows()
    if _PLAIN_WORD.fullmatch(word) and not (not windows and "\\" in word):
        return word
    return subprocess.list2cmdline([word]) if windows else shlex.quote(word)
