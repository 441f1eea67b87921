"""What every report format shares: the report's metadata, counts, ordering and short texts.

Kept apart from ``verifier.reports.__init__`` so the format modules can import it without a cycle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, Field, field_validator

from verifier.models import NextStep, Result, Step, StepState
from verifier.readiness import enroll_now_is_the_fix, ordered_todo, said_short
from verifier.statuses import SEVERITY, Source, count_statuses
from verifier.store.history import RunPoint
from verifier.weekly.changes import Changes


def _tool_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pacer-verify")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return ""


class Pending(BaseModel):
    """An attorney of the roster a stopped run did not check."""

    name: str = ""
    username: str = ""
    row: int | None = None

    @property
    def label(self) -> str:
        who = self.name or self.username or (f"row {self.row}" if self.row is not None else "unnamed")
        return f"{who} ({self.username})" if self.username and self.username != who else who


class StoppedRun(BaseModel):
    """A run that stopped before every attorney of its roster was checked: said at the top of every report,
    so that a report of 8 attorneys never passes for the roster of 64."""

    checked: int
    """Attorneys of the roster with a result (this run's and, on --resume, the earlier ones')."""
    total: int
    """Attorneys of the roster (this shard's)."""
    reason: str
    """Why it stopped: "interrupted (Ctrl-C)", "terminated (SIGTERM)", or the run's own reason."""
    not_checked: list[Pending] = Field(default_factory=list)

    @property
    def left(self) -> int:
        return self.total - self.checked

    @property
    def line(self) -> str:
        """ "stopped after 8 of 64 attorneys: 56 not checked"; the reason is said beside it."""
        return f"stopped after {self.checked} of {self.total} attorneys: {self.left} not checked"


class ReportMeta(BaseModel):
    """What a report says about the run. Only labels: never a credential, never a roster path."""

    title: str = "PACER NextGen readiness"
    generated_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))
    site: str = ""
    roster: str = ""
    sources: list[str] = Field(default_factory=list, description="results files a report was rebuilt from")
    as_of: dt.date | None = Field(
        default=None, description="the day deadlines are read against (--as-of); the day the report is made when None"
    )
    tool_version: str = Field(default_factory=_tool_version)
    # Not labels but sections, filled when asked for (--since, a run folder with history); every format
    # renders them itself, so they stay out of the plain dump.
    changes: Changes | None = Field(default=None, exclude=True)
    history: list[RunPoint] = Field(default_factory=list, exclude=True)
    source: Source = Field(default=Source.ROSTER, exclude=True)
    """Where the results' credentials came from, for the words of the status legend's next steps."""
    stopped: StoppedRun | None = Field(default=None, exclude=True)
    """Set when the run stopped before the end (`bulk`): every format says so at its top."""

    @field_validator("site")
    @classmethod
    def _no_credentials_in_site(cls, value: str) -> str:
        # A base URL may carry user:password@ or a token in its query; a report is handed round.
        parts = urlsplit(value.strip())
        if not parts.scheme or not parts.netloc:
            return value.strip()
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, "", ""))

    @field_validator("generated_at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)

    @property
    def generated_label(self) -> str:
        return self.generated_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")

    @property
    def day(self) -> dt.date:
        """The day the report's deadlines are read against: "by …" still ahead, "overdue since …" past."""
        return self.as_of or self.generated_at.astimezone(dt.UTC).date()


def summary_counts(results: Iterable[Result]) -> dict[str, int]:
    """Every status with its count (zeros too, so machine readers see stable keys), in reading order."""
    return {status.value: n for status, n in count_statuses(r.status for r in results).items()}


def display_order(results: Sequence[Result]) -> list[Result]:
    """Who needs a person first: by status severity, then those with to-dos, then by name."""
    return sorted(
        results, key=lambda r: (SEVERITY[r.status], not r.needs_action, r.name.casefold(), r.username.casefold())
    )


def ready_count(results: Iterable[Result]) -> int:
    return sum(1 for r in results if not r.needs_action)


def todo_count(result: Result) -> int:
    return sum(1 for step in result.steps if step.state is StepState.TODO)


def first_todo(result: Result) -> Step | None:
    """The checklist item to name first, in the one order every output uses (``readiness.ordered_todo``)."""
    todo = ordered_todo(result.steps)
    return todo[0] if todo else None


def short_next_step(result: Result, day: dt.date | None = None) -> str:
    """The first next step in a few words, for a terminal: a step's title, not its how-to (for PACER's MFA
    prompt, "Enroll in … now (2 skips left)" rather than the status's general advice). Deadlines read
    against `day` (today when None): "(by …)" or "(overdue since …)"."""
    day = day or dt.date.today()
    step = first_todo(result) if result.status.signed_in or enroll_now_is_the_fix(result.update, result.steps) else None
    first = NextStep.of(step) if step is not None else next(iter(result.next), None)
    return said_short(first, day) if first is not None else ""
