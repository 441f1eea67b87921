"""The `pacer-verify` command. Thin: parse, call a function that does the work, print, exit.

Exit codes: 0 every account is ready on what was checked; 1 some account needs action;
2 usage or input error; 3 the run could not complete; 130/143 interrupted.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Annotated

import typer

from verifier import outputs
from verifier.commands.bulk import bulk_command
from verifier.commands.check import check_command
from verifier.commands.courts import courts_command
from verifier.commands.demo import demo_command
from verifier.commands.doctor import doctor_command
from verifier.commands.mock import mock_command
from verifier.commands.notices import notices_command
from verifier.commands.report import report_command
from verifier.config import LOG_LEVELS
from verifier.errors import ExitCode, exit_for
from verifier.text import shown

app = typer.Typer(
    name="pacer-verify",
    help=(
        "Check, per attorney, what must still be done before a court moves to NextGen CM/ECF: "
        "signs into PACER with a real browser, reads 'Account Type' on Manage My Account "
        "(Upgraded or Legacy), MFA, and each court's CM/ECF linking.\n\n"
        "Start with `pacer-verify demo` (runs against the bundled mock site), then "
        "`pacer-verify check --username NAME` for one account or `pacer-verify bulk roster.csv` for a firm."
    ),
    no_args_is_help=True,
    add_completion=False,
    # Never print a traceback with local variables: they can hold passwords.
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

def _print_version(value: bool) -> None:
    if value:
        from verifier import __version__

        typer.echo(f"pacer-verify {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Options before the command."""


app.command("check")(check_command)
app.command("bulk")(bulk_command)
app.command("demo")(demo_command)
app.command("report")(report_command)
app.command("notices")(notices_command)
app.command("courts")(courts_command)
app.command("mock")(mock_command)
app.command("doctor")(doctor_command)


class _ShownFormatter(logging.Formatter):
    """Log lines can quote roster cells (a header, a file name): their control characters shown escaped."""

    def format(self, record: logging.LogRecord) -> str:
        return shown(super().format(record))


def main() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(_ShownFormatter("%(levelname)s %(name)s: %(message)s"))
    # The level from the environment until the settings (which also read .env) apply their own.
    level = os.environ.get("PACER_VERIFY_LOG_LEVEL", "WARNING").strip().upper()
    logging.basicConfig(level=level if level in LOG_LEVELS else "WARNING", handlers=[handler])
    outputs.use_process_umask()  # private outputs unless the settings say shared
    try:
        code = app(standalone_mode=False, prog_name="pacer-verify")
    except BaseException as exc:
        if isinstance(exc, SystemExit):
            raise
        exit_code, line = exit_for(exc)
        if exit_code is ExitCode.INCOMPLETE and line.startswith("internal error") and os.environ.get(
                "PACER_VERIFY_DEBUG"):
            import traceback

            traceback.print_exception(type(exc), exc, exc.__traceback__)
        if line:
            typer.secho(f"pacer-verify: {shown(line)}", err=True, fg=typer.colors.RED)
        sys.exit(int(exit_code))
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
