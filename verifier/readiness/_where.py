"""Where a run's accounts came from, for the words of their first next step.

A status means the same wherever the credentials came from (verifier.statuses); what to check and how
to check again do not: a roster row and the `bulk` command that checks that attorney again, `check`'s
variables and options, or what the attorney typed on `serve`'s page.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.models import Status
from verifier.statuses import SIGN_IN_PROBLEMS, Source, next_step
from verifier.text import shell_word


@dataclass(frozen=True)
class Where:
    source: Source = Source.ROSTER
    again: str = ""
    """`bulk`: the command that resumes this run, as a person types it (`pacer-verify bulk ROSTER --out
    DIR --resume`, with the options that choose the accounts and their secrets); one attorney's adds
    `--recheck USERNAME`. Empty: no command is named (the demo, a library caller)."""

    def recheck(self, username: str) -> str:
        """The command that checks this one attorney again, keeping everyone else's result."""
        return f"{self.again} --recheck {shell_word(username)}" if self.again and username else ""

    def status_step(self, status: Status, username: str = "", row: int | None = None) -> str:
        """What a result's status asks first, in the words of where its credentials came from, with the
        command that checks again when the run has one."""
        said = next_step(status, self.source)
        if self.source is not Source.ROSTER or not self.again:
            return said
        # The command comes last, after the first clause, which is what a terminal's table shows.
        if status is Status.INVALID_INPUT:
            where = f"roster row {row}" if row is not None else "the roster row"
            return f"Fix {where} as the message says; then check it again: {self.again}"
        if status is Status.SITE_ERROR:
            return f"{said} Check again: {self.again}"
        recheck = self.recheck(username)
        if status in SIGN_IN_PROBLEMS and recheck:
            return f"{said} Once that is done, check again: {recheck}"
        return said


#: `bulk` without a command to name (the library's `run_bulk`, the demo): the status table's words.
ROSTER = Where()
