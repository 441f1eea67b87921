"""One voice on standard error: `pacer-verify: warning: …` and `pacer-verify: error: …`, each a whole
sentence ending with a full stop, whether the line comes from a command or from a module's logger.

Logging's own format (`WARNING verifier.roster: …`, with tracebacks) is for `--verbose` (or
PACER_VERIFY_LOG_LEVEL=INFO/DEBUG), where a developer wants to know which module spoke.
"""

from __future__ import annotations

import logging

from verifier.text import shown

PROG = "pacer-verify"
_ENDS_A_SENTENCE = (".", "?", "!")


def sentence(text: str) -> str:
    """The text as one whole sentence: trimmed, control characters shown escaped, a full stop at the end."""
    line = shown(" ".join(text.split()))
    if line and not line.endswith(_ENDS_A_SENTENCE):
        line += "."
    return line


def plural(count: int, noun: str) -> str:
    """`1 attorney`, `2 attorneys`: the nouns pacer-verify counts all take an s."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def warning_line(text: str) -> str:
    return f"{PROG}: warning: {sentence(text)}"


def error_line(text: str) -> str:
    return f"{PROG}: error: {sentence(text)}"


def warn(text: str) -> None:
    """Print one warning line on standard error (yellow on a terminal), once per run."""
    import typer  # only where a command prints: the library's modules use `plural` and `sentence` alone

    line = warning_line(text)
    if _said is not None:
        if line in _said:
            return
        _said.add(line)
    typer.secho(line, err=True, fg=typer.colors.YELLOW)


#: The warning lines said in this run (the command's process), once `said_once` has begun it; None in a
#: library caller or a test that calls a command in-process, where nothing is held back.
_said: set[str] | None = None


class SaidOnce(logging.Filter):
    """Each warning line once per run, however many passes say it: the roster is read twice (once to guard
    the real site, once to run), a resumed run reads rows already done, a module may meet the same problem
    twice. The second time tells the reader nothing. With --verbose (INFO, DEBUG) every record is shown."""

    def __init__(self) -> None:
        super().__init__()
        global _said
        _said = set()
        self._said = _said

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING or logging.getLogger().getEffectiveLevel() <= logging.INFO:
            return True
        line = f"{record.levelno}:{sentence(record.getMessage())}"
        if line in self._said:
            return False
        self._said.add(line)
        return True


def error(text: str) -> None:
    """Print one error line on standard error (red on a terminal)."""
    import typer

    typer.secho(error_line(text), err=True, fg=typer.colors.RED)


class VoiceFormatter(logging.Formatter):
    """A log record as the user's line: `pacer-verify: warning: …` (no module name, no traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        level = "warning" if record.levelno < logging.ERROR else "error"
        if record.levelno < logging.WARNING:
            level = "note"
        return f"{PROG}: {level}: {sentence(record.getMessage())}"


class VerboseFormatter(logging.Formatter):
    """Logging's own format, for --verbose: which module spoke, and tracebacks; control characters escaped
    (log lines can quote roster cells: a header, a file name)."""

    def __init__(self) -> None:
        super().__init__("%(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return shown(super().format(record))
