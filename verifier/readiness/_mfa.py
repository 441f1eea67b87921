"""The MFA item of the checklist, said as PACER says it (docs/real-site.md, "MFA enrollment advice").

MFA is required for CM/ECF filers (since Dec 31, 2025), and PACER enforces it itself: a "User Update
Required" prompt at sign-in, three skips, then access restricted until the user enrolls. Since
November 2025 the PACER Service Center (and courts repeating it: gand, laeb, cadc, …) asks users to
enroll only when that prompt appears; without a prompt no action is needed, and calls about MFA before
then only lengthen its queue. So the item has four readings:

- **now**: the prompt was seen (``update_required`` demanding MFA): "enroll now: N skips left", or
  "enroll now: access restricted" once no skip is left. A step to do.
- **not asked**: not enrolled, and the sign-in went through without a prompt: "not enrolled yet; PACER
  will ask at sign-in; enroll then". A heads-up (``StepState.INFO``): nothing to do now, so it never makes
  an attorney "not ready", nor the exit code 1, by itself.
- **optional**: not enrolled, and the roster says the attorney does not file (no court, no CM/ECF login):
  PACER-only users may choose. A note.
- **done** / **unknown**: enrolled, or not read.

Pure: the rules take what was read and return the step; `mfa_advice` reads the reading back from a
stored result's checklist, for every output that groups attorneys by it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from flows.update_prompt import Demand
from verifier.models import Status, Step, StepKind, StepState, UpdateDemand

MFA_DEADLINE = dt.date(2025, 12, 31)
"""The day MFA became required for CM/ECF filers; PACER's prompt, not this date, is what enforces it."""
MFA_PATH = "Manage My Account → Settings → Manage MFA Settings → Add App"
#: The titles tell the readings apart in a stored checklist (`mfa_advice`): keep each one distinct.
ENROLL_NOW = "Enroll in multi-factor authentication now"
NOT_ASKED = "MFA not enrolled yet"
OPTIONAL = "MFA optional"
ENROLLED = "Multi-factor authentication"
#: How to enroll once asked; the same words for everyone, so the report says them once (its how-to box).
HOW_NOW = (
    "PACER asks at sign-in (User Update Required). Enroll from the prompt (Update Now), or "
    f"{MFA_PATH}; the check never presses Skip: the skips are yours"
)
HEADS_UP = (
    "not enrolled yet; PACER will ask at sign-in; enroll then. Nothing to do before PACER asks: "
    "the PACER Service Center asks users to enroll only when prompted"
)


class MfaAdvice(StrEnum):
    """What the MFA item asks of the attorney (see the module's docstring)."""

    NOW = "now"
    NOT_ASKED = "not_asked"
    OPTIONAL = "optional"
    DONE = "done"
    UNKNOWN = "unknown"


def skips_said(update: UpdateDemand) -> str:
    """ "2 skips left", "1 skip left", "access restricted" (no skip left), or "" when the prompt did not say."""
    if update.restricted or update.skips_left == 0:
        return "access restricted"
    if update.skips_left is None:
        return ""
    return f"{update.skips_left} skip{'' if update.skips_left == 1 else 's'} left"


def mfa_step(
    update: UpdateDemand | None,
    status: Status,
    enrolled: bool | None,
    *,
    files: bool,
    legacy: bool,
    shown: str | None = None,
) -> Step:
    """The MFA item. `update`: PACER's prompt, when the sign-in stopped at one; `enrolled`: what Manage My
    Account said; `files`: the roster says the attorney files in CM/ECF; `legacy`: not upgraded yet;
    `shown`: the page's own words for the field, quoted when they were read as neither enrolled nor not."""
    if update is not None and update.mfa:
        # The title carries this attorney's own part (the skips), the detail the how-to everyone shares:
        # "Enroll in multi-factor authentication now (2 skips left)".
        said = skips_said(update)
        return Step(
            kind=StepKind.MFA,
            title=f"{ENROLL_NOW} ({said})" if said else ENROLL_NOW,
            state=StepState.TODO,
            detail=HOW_NOW,
        )
    if enrolled is None and status in (Status.MFA_REQUIRED, Status.OTP_REJECTED):
        # The sign-in asked for a one-time code, which PACER does only for enrolled accounts.
        return Step(
            kind=StepKind.MFA, title=ENROLLED, state=StepState.DONE, detail="the sign-in asked for a one-time code"
        )
    if enrolled is True:
        return Step(kind=StepKind.MFA, title=ENROLLED, state=StepState.DONE)
    if enrolled is False and not files:
        return Step(
            kind=StepKind.MFA,
            title=OPTIONAL,
            state=StepState.INFO,
            detail="optional for PACER-only users (no court and no CM/ECF login on file); required to file in "
            "CM/ECF, and PACER will then ask at sign-in",
        )
    if enrolled is False:
        after = " (after the upgrade: a legacy account cannot change its settings)" if legacy else ""
        return Step(kind=StepKind.MFA, title=NOT_ASKED, state=StepState.INFO, detail=HEADS_UP + after)
    unread = (
        f"Manage My Account shows Multifactor Auth: {shown!r}, which pacer-verify does not read as enrolled or "
        f"not; look at {MFA_PATH.rsplit(' → ', 1)[0]}"
        if shown
        else "MFA status not read from Manage My Account"
    )
    return Step(kind=StepKind.MFA, title=ENROLLED, state=StepState.UNKNOWN, detail=unread)


def mfa_advice(steps: Iterable[Step]) -> MfaAdvice | None:
    """The MFA reading of a checklist, or None when it has no MFA item (an unusable roster row).

    A checklist from before this reading (an MFA item "to do" with a deadline) reads as NOW: re-run to
    have it read as PACER asks."""
    for step in steps:
        if step.kind is not StepKind.MFA:
            continue
        if step.state is StepState.TODO:
            return MfaAdvice.NOW
        if step.state is StepState.DONE:
            return MfaAdvice.DONE
        if step.state is StepState.INFO:
            return MfaAdvice.OPTIONAL if step.title == OPTIONAL else MfaAdvice.NOT_ASKED
        return MfaAdvice.UNKNOWN
    return None


def enroll_now_is_the_fix(update: UpdateDemand | None, steps: Iterable[Step]) -> bool:
    """PACER's prompt asked for MFA enrollment alone, and the checklist says "enroll now": that step is all
    the sign-in needs, so outputs name it rather than the status's general "do the update" (said twice)."""
    return update is not None and update.demand is Demand.MFA_ENROLLMENT and mfa_advice(steps) is MfaAdvice.NOW
