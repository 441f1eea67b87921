"""Errors that end a command, each with the exit code it means."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    READY = 0
    NEEDS_ACTION = 1
    USAGE = 2
    INCOMPLETE = 3
    INTERRUPTED = 130
    TERMINATED = 143


class PacerVerifyError(Exception):
    """An error for people: one clear line, no traceback."""

    exit_code: ExitCode = ExitCode.INCOMPLETE


class UsageError(PacerVerifyError):
    exit_code = ExitCode.USAGE


class BrowserNotFound(PacerVerifyError):
    exit_code = ExitCode.INCOMPLETE


class SiteUnreachable(PacerVerifyError):
    exit_code = ExitCode.INCOMPLETE


class OutputError(PacerVerifyError):
    """A result, report or artifact could not be written (a full disk, a removed folder): the run ends."""

    exit_code = ExitCode.INCOMPLETE
