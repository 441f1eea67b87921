"""The `pacer-verify` command. Thin: parse, call a function that does the work, print, exit.

Exit codes: 0 every account is ready on what was checked; 1 some account needs action;
2 usage or input error; 3 the run could not complete; 130/143 interrupted.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from typing import Annotated, Any

import typer

from verifier import outputs, voice
from verifier.browser import early
from verifier.commands import _environment as environment
from verifier.commands.helpfmt import PlainHelpCommand, PlainHelpGroup
from verifier.errors import ExitCode, exit_for
from verifier.system import console, signals
from verifier.voice import VerboseFormatter, VoiceFormatter

#: name → (module, function, the first paragraph of its docstring). A command's module (and what it
#: needs: Playwright, pydantic, the mock's server) is imported only when that command runs or shows its
#: own help, so `pacer-verify --help` and a mistyped command answer at once. The texts are the
#: functions' own (tests/test_cli_startup.py keeps them equal).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "check": (
        "verifier.commands.check",
        "check_command",
        "Check one PACER account and print its status and the next step.",
    ),
    "bulk": (
        "verifier.commands.bulk",
        "bulk_command",
        "Check every attorney in ROSTER and write results and reports to --out.",
    ),
    "demo": (
        "verifier.commands.demo",
        "demo_command",
        "Start the bundled mock PACER site on a free loopback port and check the sample roster (every "
        "status pacer-verify can report), writing all reports to --out.",
    ),
    "report": (
        "verifier.commands.report",
        "report_command",
        "Render a report from results.jsonl file(s) without checking anything again.",
    ),
    "notices": (
        "verifier.commands.notices",
        "notices_command",
        "Write a short note for each attorney with something to do: their steps in order, the "
        "deadlines, and the official PACER how-to links (plain text and HTML, one pair per attorney).",
    ),
    "courts": (
        "verifier.commands.courts",
        "courts_command",
        "List the courts pacer-verify knows: id, name, kind and since when on NextGen (--long: sources).",
    ),
    "secrets": (
        "verifier.commands.secrets",
        "secrets_group",
        "Check where the roster's passwords and authenticator secrets are kept (keyring, KeePass, "
        "1Password, environment), without signing in anywhere.",
    ),
    "roster": (
        "verifier.commands.roster",
        "roster_group",
        "Start a roster: every column explained, with passwords kept in the keyring or KeePass.",
    ),
    "mock": (
        "verifier.commands.mock",
        "mock_command",
        "Serve the mock PACER site until Ctrl-C, then point pacer-verify at it with --base-url.",
    ),
    "serve": (
        "verifier.commands.serve",
        "serve_command",
        "Serve a page where each attorney checks their own PACER account (IT never holds a password).",
    ),
    "doctor": (
        "verifier.commands.doctor",
        "doctor_command",
        "Show which browser pacer-verify would use (and start it once to prove it works), and whether this "
        "machine's clock agrees with the site's (one-time codes depend on it).",
    ),
}


def _listed_only() -> None:
    """Stands in for a command in the command list; never run."""


class _LazyGroup(PlainHelpGroup):
    """Commands imported on use; the command list itself is drawn from COMMANDS alone."""

    _listing = False

    # Contexts and commands are typed Any: typer vendors click in some releases and not in others.
    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module, function, summary = entry
        single = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode="rich")
        if self._listing:  # the list needs the name and summary only: a stand-in, nothing imported
            single.command(cmd_name, help=summary, cls=PlainHelpCommand)(_listed_only)
        else:
            loaded = importlib.import_module(module)
            group = getattr(loaded, "GROUP", None)
            if isinstance(group, typer.Typer):  # a command with subcommands (`secrets check`)
                command = typer.main.get_group(group)
                command.name = cmd_name
                return command
            single.command(cmd_name, cls=PlainHelpCommand)(getattr(loaded, function))
        return typer.main.get_command(single)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    cls=_LazyGroup,
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
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log what each module does, in logging's own format.")
    ] = False,
) -> None:
    """Options before the command."""
    if verbose and os.environ.get("PACER_VERIFY_LOG_LEVEL", "").strip().upper() != "DEBUG":
        # Through the setting, so that the settings (which apply the log level) keep it.
        os.environ["PACER_VERIFY_LOG_LEVEL"] = "INFO"


class _VoiceHandler(logging.StreamHandler):
    """Warnings as `pacer-verify: warning: …` sentences; logging's own lines once INFO or DEBUG is asked for
    (--verbose, PACER_VERIFY_LOG_LEVEL), where a developer wants the module's name and tracebacks."""

    plain = VoiceFormatter()
    verbose = VerboseFormatter()

    def format(self, record: logging.LogRecord) -> str:
        chosen = self.verbose if logging.getLogger().getEffectiveLevel() <= logging.INFO else self.plain
        return chosen.format(record)


def main() -> None:
    handler = _VoiceHandler()
    handler.addFilter(voice.SaidOnce())  # each warning line once per run
    # The level from the environment until the settings (which also read .env) apply their own.
    level = os.environ.get("PACER_VERIFY_LOG_LEVEL", "WARNING").strip().upper()
    known = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")  # config.LOG_LEVELS, without importing pydantic
    logging.basicConfig(level=level if level in known else "WARNING", handlers=[handler])
    outputs.use_process_umask()  # private outputs unless the settings say shared
    console.prepare_streams()  # any code page: a name or an error line never crashes the output
    signals.break_means_interrupt()  # Windows' Ctrl-Break stops every command as Ctrl-C does
    try:
        if early.wanted(sys.argv[1:]):
            early.begin()  # done already when started by verifier.__main__
        try:
            environment.check_environment()
            code = app(standalone_mode=False, prog_name="pacer-verify")
        finally:
            early.discard()  # the command took it, or it is closed now: a usage error leaves no driver
    except BaseException as exc:
        if isinstance(exc, SystemExit):
            raise
        exit_code, line = exit_for(exc)
        if (
            exit_code is ExitCode.INCOMPLETE
            and line.startswith("internal error")
            and os.environ.get("PACER_VERIFY_DEBUG")
        ):
            import traceback

            traceback.print_exception(type(exc), exc, exc.__traceback__)
        if line:
            voice.error(line)
        sys.exit(int(exit_code))
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
