"""`--keepass` / `--keepass-keyfile`, shared by `bulk`, `check` and `secrets check`, and the run's
secret sources built from them (the database opened once, before any sign-in)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from verifier.commands.options import ROSTER
from verifier.errors import UsageError
from verifier.roster.secret_refs import SecretSources
from verifier.text import shown

KeePassFile = Annotated[
    Path | None,
    typer.Option(
        "--keepass",
        metavar="FILE",
        help="KeePass database (.kdbx) for keepass: references. [env for its master password: "
        "PACER_VERIFY_KEEPASS_PASSWORD]",
        show_default=False,
        rich_help_panel=ROSTER,
    ),
]
KeePassKeyfile = Annotated[
    Path | None,
    typer.Option(
        "--keepass-keyfile",
        metavar="FILE",
        help="The KeePass database's key file, if it has one.",
        show_default=False,
        rich_help_panel=ROSTER,
    ),
]


def secret_sources(keepass: Path | None, keyfile: Path | None) -> SecretSources:
    """Where this run resolves references. A KeePass database that cannot be opened is a usage error
    now (exit 2), not a failure on every row."""
    if keepass is None:
        if keyfile is not None:
            raise UsageError("--keepass-keyfile needs --keepass FILE.kdbx")
        return SecretSources(env=os.environ)
    from verifier.roster.keepass import KeePassSource, master_password

    for given, flag in ((keepass, "--keepass"), (keyfile, "--keepass-keyfile")):
        if given is not None and not given.is_file():  # before the prompt: no password typed for nothing
            raise UsageError(f"{flag} {shown(str(given))}: no such file")
    source = KeePassSource.open(keepass, master_password(os.environ, keyfile), keyfile)
    return SecretSources(env=os.environ, keepass=source)
