"""What `pacer-verify mock` tells a person to run next: a `bulk` command that works as printed.

It names the mock's own scenario as the courts file (its CurrentGen court otherwise reads as a NextGen
court whose menus were not found) and, for a `--scenario` of the user's, a roster of that scenario's own
accounts (the bundled sample roster's passwords would all be wrong there).
"""

from __future__ import annotations

import csv
import io
import shlex
from pathlib import Path

from verifier import outputs
from verifier.mock.scenario import MockScenario

ROSTER_NAME = "mock-roster.csv"


def bulk_hint(url: str, roster: Path | str, scenario_file: Path | str) -> str:
    """The command line, each path quoted for a POSIX shell."""
    return (
        f"pacer-verify bulk {shlex.quote(str(roster))} --base-url {shlex.quote(url)} "
        f"--courts {shlex.quote(str(scenario_file))} --rate 0"
    )


def write_scenario_roster(scenario: MockScenario, folder: Path) -> Path:
    """A roster of the scenario's accounts (private: it holds their passwords, fake as they are): each with
    the courts it has a CM/ECF login in, and the first of those logins (a roster row holds one)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("name", "username", "password", "otp_secret", "courts", "cmecf_username", "cmecf_password"))
    for account in scenario.accounts:
        first = next(iter(account.cmecf.values()), None)
        writer.writerow(
            (
                account.name,
                account.username,
                account.password,
                account.otp_secret or "",
                " ".join(account.cmecf),
                first.login if first else "",
                first.password if first else "",
            )
        )
    return outputs.write_text(outputs.ensure_dir(folder) / ROSTER_NAME, buffer.getvalue())
