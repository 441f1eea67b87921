"""Where a run's accounts came from, for the words of their first next step.

A status means the same wherever the credentials came from (verifier.statuses); what to check and how
to check again do not: a roster row and the `bulk` command that checks that attorney again, `check`'s
variables and options, or what the attorney typed on `serve`'s page. `Where.status_step` records that as
data (a `NextStep` of kind `status`); `advice_of` says it, whenever an output shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.models import NextStep, Status, StepKind
from verifier.statuses import SIGN_IN_PROBLEMS, Advice, Source, advice
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

    def status_step(self, status: Status, username: str = "", row: int | None = None) -> NextStep:
        """What a result's status asks first, for where its credentials came from, with the command that
        checks again when the run has one (``advice_of`` says it)."""
        command = ""
        if self.source is Source.ROSTER and self.again:
            if status in (Status.INVALID_INPUT, Status.SITE_ERROR):
                command = self.again
            elif status in SIGN_IN_PROBLEMS:
                command = self.recheck(username)
        return NextStep(
            kind=StepKind.STATUS,
            status=status,
            source=self.source,
            command=command,
            row=row if status is Status.INVALID_INPUT else None,
        )


def advice_of(step: NextStep) -> Advice:
    """A status step's advice, in the words of where its credentials came from; the command that checks
    again comes last, after what to do, which is what a terminal's table shows."""
    status = step.status
    if status is None:
        raise ValueError(f"a {step.kind} step is no status's advice")
    said = advice(status, step.source)
    if not step.command:
        return said
    if status is Status.INVALID_INPUT:
        where = f"roster row {step.row}" if step.row is not None else "the roster row"
        return Advice(f"Fix {where} as the message says", f"then check it again: {step.command}")
    if status is Status.SITE_ERROR:
        return said.and_then(f"Check again: {step.command}")
    return said.and_then(f"Once that is done, check again: {step.command}")


#: `bulk` without a command to name (the library's `run_bulk`, the demo): the status table's words.
ROSTER = Where()
