"""Standard output and error in any code page: pacer-verify never refuses to run for one, and a name it
cannot write there (李小龍 in cp1252) never crashes the output. Files are always UTF-8 whatever the
console is (verifier.outputs); this is only about the two streams.

- A stream that writes every character (UTF-8: a Windows console, most POSIX terminals) is left alone.
- A file or pipe in the locale's code page that nobody chose (a scheduled task's log on Windows, where
  Python writes the ANSI code page, cp1252) is switched to UTF-8, as Python itself will do from 3.15
  (PEP 686): the log then holds every name whole.
- A terminal, or an encoding named by PYTHONIOENCODING, keeps its encoding (the reader of that stream
  expects it); a character it cannot write does not end the command: on standard output it is a `?`, as
  a Windows console shows it (`??` for a wide one such as 李: the tables stay in line), and on standard
  error, where the messages are, an escape (`\\u674e`) that says exactly what it was.

Rich draws the tables: on a Windows console it uses its own Windows support (colours, widths), and on a
stream that is not UTF-8 it draws with ASCII lines.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import sys
import unicodedata
from collections.abc import Mapping
from typing import TextIO

#: Encodings that can write every character.
_UNIVERSAL = frozenset({"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})
_UNIVERSAL |= {"gb18030"}


#: The `errors=` handler of standard output: pacer-verify's own marks as a character of the same width
#: ("Manage My Account > Upgrade"), anything else a `?` per terminal cell it takes.
QUESTION_MARKS = "pacer-verify-cells"
_MARKS = {"\u2192": ">", "\u2190": "<", "\u2014": "-", "\u2013": "-", "\u2026": ".", "\u2022": "*", "\u2265": ">"}


def _question_marks(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    marks = "".join(
        _MARKS.get(c) or ("" if unicodedata.combining(c) else "??" if unicodedata.east_asian_width(c) in "WF" else "?")
        for c in text
    )
    return marks, error.end


codecs.register_error(QUESTION_MARKS, _question_marks)


def writes_everything(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name in _UNIVERSAL
    except LookupError:
        return True  # not a codec Python knows: Python reported it at start-up; nothing to decide here


def prepare_streams(environ: Mapping[str, str] = os.environ) -> None:
    """Make standard output and error safe for any name (see the module's note). Called once, before
    anything is written."""
    chosen = bool(environ.get("PYTHONIOENCODING"))
    if sys.stdout is not None:
        prepare(sys.stdout, encoding_chosen=chosen, unwritable=QUESTION_MARKS)
    if sys.stderr is not None:
        prepare(sys.stderr, encoding_chosen=chosen, unwritable="backslashreplace")


def prepare(stream: TextIO, *, encoding_chosen: bool, unwritable: str = "backslashreplace") -> None:
    """`unwritable`: what a character the stream's encoding cannot write becomes (an `errors=` of io)."""
    reconfigure = getattr(stream, "reconfigure", None)
    encoding = getattr(stream, "encoding", None)
    if reconfigure is None or not encoding:
        return  # not a text stream of io's (a test's capture): it has its own rules
    # A lone surrogate (a file name in bytes no encoding decodes) never ends the command either.
    errors = unwritable if getattr(stream, "errors", "strict") == "strict" else None
    with contextlib.suppress(AttributeError, ValueError, OSError, LookupError):
        if writes_everything(encoding):
            if errors:
                reconfigure(errors=errors)
        elif not encoding_chosen and not _is_terminal(stream):
            reconfigure(encoding="utf-8", errors=errors or unwritable)
        else:
            reconfigure(errors=unwritable)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False
