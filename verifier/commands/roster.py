"""`pacer-verify roster template`: an empty roster to fill in, with references instead of passwords."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from verifier import outputs
from verifier.commands.helpfmt import PlainHelpCommand, PlainHelpGroup
from verifier.errors import UsageError
from verifier.roster.template import template_text

GROUP = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True, cls=PlainHelpGroup)


@GROUP.callback()
def roster_group() -> None:
    """Start a roster: every column explained, with passwords kept in the keyring or KeePass."""


@GROUP.command("template", cls=PlainHelpCommand)
def roster_template_command(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help="Write to this file (mode 0600) instead of printing.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write a roster header with every column, a comment line per column and commented keyring:/keepass:
    examples. Lines starting with # are comments: the template reads as an empty roster."""
    text = template_text()
    if out is None:
        typer.echo(text, nl=False)
        return
    if out.exists():
        raise UsageError(f"--out {out}: already exists; pacer-verify does not overwrite a roster")
    outputs.write_text(out, text)
    typer.echo(f"roster template: {out}", err=True)
