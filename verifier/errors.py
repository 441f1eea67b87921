"""Every error pacer-verify raises on purpose, in one tree, and what each means when it ends a command.

Our exception hierarchy (the root lives in flows/errors.py, the lowest layer, so that flows need not
import verifier; the rest of flows' errors are there too, verifier's are here):

* PacerVerifyError ...................... the root; its message is one line, never a secret
  + FlowError ........................... one account's pages failed: that account's result says so
    - TransientSiteError ................ 5xx, 429, a dropped connection, a timeout: may pass
    - SignInUnanswered .................. the password went and no usable answer came: not sent again
    - SignInStopped ..................... the run stopped before the password was sent
    - CredentialOriginRefused ........... the sign-on form is on an origin that must not get it
    - LogoutFailed ...................... a session could not be ended: a warning, never a result
  + ApiAbsent ........................... no Authentication API: the sign-on form is used instead
  + BadOtpSecret (also a ValueError) .... a cell that is not an authenticator secret: that row's error
  + SecretRefError ...................... a keyring/KeePass/1Password/env reference not resolved: the row's
  + BadRow .............................. one roster row cannot be used: becomes a RowError
  + RunStopped .......................... the run stopped before this account's turn to sign in
  + QueueFull, AlreadyChecking .......... serve: said on the attorney's page
  + RequestTooLarge ..................... serve: answered 413
  + DroppedConnection ................... the mock: a fault that cuts the connection
  + CommandError ........................ ends the command with one line (exit 3)
    - UsageError ........................ the command line or an input file is wrong (exit 2)
      · RosterError ..................... the roster as a whole cannot be read
      · ChangesError .................... earlier results cannot be compared with these
      · ReportError ..................... results that cannot be read or put in one report
      · FolderBusy ...................... another run holds --out
      · UnsafeBaseUrl (also a ValueError)  a --base-url that could leak credentials
    - BrowserNotFound ................... no browser to sign in with (exit 3)
    - SiteUnreachable ................... the site does not answer (exit 3)
    - OutputError ....................... a result or report could not be written (exit 3)

Only CommandError's branch is meant to end a command; the others are caught where they are raised. One
that gets to `pacer-verify`'s main anyway is a bug, said as one "internal error" line (ENDINGS).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from flows.errors import ApiAbsent as ApiAbsent
from flows.errors import BadOtpSecret as BadOtpSecret
from flows.errors import CredentialOriginRefused as CredentialOriginRefused
from flows.errors import FlowError as FlowError
from flows.errors import LogoutFailed as LogoutFailed
from flows.errors import PacerVerifyError as PacerVerifyError
from flows.errors import SignInStopped as SignInStopped
from flows.errors import SignInUnanswered as SignInUnanswered
from flows.errors import TransientSiteError as TransientSiteError


class ExitCode(IntEnum):
    READY = 0
    NEEDS_ACTION = 1
    USAGE = 2
    INCOMPLETE = 3
    INTERRUPTED = 130
    TERMINATED = 143


class CommandError(PacerVerifyError):
    """An error for people that ends the command: one clear line, no traceback."""

    @property
    def exit_code(self) -> ExitCode:
        return ending_for(type(self)).code


class UsageError(CommandError):
    """The command line, a setting or an input file is wrong; nothing was checked because of it."""


class BrowserNotFound(CommandError):
    """No browser pacer-verify can launch or connect to."""


class SiteUnreachable(CommandError):
    """The site does not answer: no sign-in is spent on a run that cannot finish."""


class OutputError(CommandError):
    """A result, report or artifact could not be written (a full disk, a removed folder): the run ends."""


class RosterError(UsageError):
    """The roster as a whole cannot be read (one clear line naming the file)."""


class ChangesError(UsageError):
    """The earlier results cannot be compared with these; the report is written without its Changes."""


class ReportError(UsageError):
    """Results that cannot be read, or cannot be put in one report."""


class FolderBusy(UsageError):
    """Another pacer-verify run holds the folder (exit 2: nothing was checked)."""


class UnsafeBaseUrl(UsageError, ValueError):
    """A --base-url that could leak credentials (plain http to a non-loopback host)."""


class SecretRefError(PacerVerifyError):
    """A reference that cannot be resolved: the message says what was looked for and why (no secret)."""


class BadRow(PacerVerifyError):
    """One roster row that cannot be used: the field and why (verifier.roster turns it into a RowError)."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name
        self.message = message


class RunStopped(PacerVerifyError):
    """The run stopped before this account's sign-in was sent: nothing was sent, nothing is recorded
    (`--resume` checks the account)."""


class QueueFull(PacerVerifyError):
    """Too many checks are waiting: the attorney is asked to try again in a few minutes."""


class AlreadyChecking(PacerVerifyError):
    """A check for this username is running: a second one would send its password again."""


class RequestTooLarge(PacerVerifyError):
    """serve: a request body over the limit, answered 413 before the app reads it."""


class DroppedConnection(PacerVerifyError):
    """The mock site drops this connection (a fault the scenario asked for), raised where the connection
    cannot be cut directly: the server then aborts the response."""


@dataclass(frozen=True)
class Ending:
    """What an error means to the user when it ends a command."""

    code: ExitCode
    internal: bool = False
    """Caught where it is raised, so a bug if it gets to main: said as an "internal error" line."""


_BUG = Ending(ExitCode.INCOMPLETE, internal=True)

#: Every error class and what it means when it ends a command. tests/test_error_hierarchy.py keeps it
#: complete: each exception class in verifier/ and flows/ derives from PacerVerifyError and is here.
ENDINGS: dict[type[PacerVerifyError], Ending] = {
    PacerVerifyError: Ending(ExitCode.INCOMPLETE),
    FlowError: _BUG,
    TransientSiteError: _BUG,
    SignInUnanswered: _BUG,
    SignInStopped: _BUG,
    CredentialOriginRefused: _BUG,
    LogoutFailed: _BUG,
    ApiAbsent: _BUG,
    BadOtpSecret: _BUG,
    SecretRefError: _BUG,
    BadRow: _BUG,
    RunStopped: _BUG,
    QueueFull: _BUG,
    AlreadyChecking: _BUG,
    RequestTooLarge: _BUG,
    DroppedConnection: _BUG,
    CommandError: Ending(ExitCode.INCOMPLETE),
    UsageError: Ending(ExitCode.USAGE),
    RosterError: Ending(ExitCode.USAGE),
    ChangesError: Ending(ExitCode.USAGE),
    ReportError: Ending(ExitCode.USAGE),
    FolderBusy: Ending(ExitCode.USAGE),
    UnsafeBaseUrl: Ending(ExitCode.USAGE),
    BrowserNotFound: Ending(ExitCode.INCOMPLETE),
    SiteUnreachable: Ending(ExitCode.INCOMPLETE),
    OutputError: Ending(ExitCode.INCOMPLETE),
}


def ending_for(error: type[PacerVerifyError]) -> Ending:
    """The table's entry for this class or its nearest listed ancestor (a subclass made elsewhere)."""
    for cls in error.__mro__:
        if cls in ENDINGS:
            return ENDINGS[cls]
    return _BUG


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
        ending = ending_for(type(exc))
        if not ending.internal:
            return ending.code, str(exc)
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
