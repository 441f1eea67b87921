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


def _click_exception() -> type[Exception]:
    # Typer ships its own copy of click; take its exception base from a public class rather than import
    # the private module.
    import typer

    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def _is_abort(exc: BaseException) -> bool:
    return type(exc).__name__ == "Abort" and type(exc).__module__.startswith("typer")


def exit_for(exc: BaseException) -> tuple[ExitCode, str]:
    """What an error that ends a command means to the user: the exit code and one line (no traceback,
    no local variables: they can hold passwords). The one table every command's errors go through."""
    if isinstance(exc, PacerVerifyError):
        return exc.exit_code, str(exc)
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED, ""
    if _is_abort(exc):
        return ExitCode.INTERRUPTED, "aborted"
    if isinstance(exc, _click_exception()):  # unknown option, missing argument, a value out of range
        ctx = getattr(exc, "ctx", None)
        hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
        return ExitCode.USAGE, exc.format_message() + hint  # type: ignore[attr-defined]
    if isinstance(exc, OSError) and exc.filename:
        return ExitCode.INCOMPLETE, f"{exc.filename}: {exc.strerror or exc}"
    text = str(exc).splitlines()[0] if str(exc) else ""
    return ExitCode.INCOMPLETE, (
        f"internal error: {type(exc).__name__}: {text} (set PACER_VERIFY_DEBUG=1 for the traceback)"
    )
