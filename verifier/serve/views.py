"""The pages, rendered from templates shipped in the package. Autoescaped always: names come from the
roster and messages from PACER's pages. No page ever receives a password or a code to render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment

from verifier.models import Result, Status, StepState
from verifier.reports.html import html_templates
from verifier.serve.checks import Job, Stage
from verifier.statuses import FACTS, FAILED_SIGN_INS
from verifier.weekly.notices import Link, NoticeStep, good_to_know, notice_steps

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

#: What the attorney reads first, in the attorney's terms; any other status falls back to its meaning.
HEADLINE: dict[Status, str] = {
    Status.UPGRADED: "Your PACER account is upgraded",
    Status.LEGACY: "Your PACER account is a legacy account: it must be upgraded",
    Status.INVALID_CREDENTIALS: "PACER did not accept this username and password",
    Status.LOCKED: "PACER says this account is locked, disabled or inactive",
    Status.MFA_REQUIRED: "PACER asked for a one-time code",
    Status.OTP_REJECTED: "PACER accepted your password but not the one-time code",
    Status.UPDATE_REQUIRED: "PACER demands an update at sign-in first",
    Status.UNRECOGNIZED_PAGE: "The check could not read your account page",
    Status.SITE_ERROR: "PACER could not be checked just now",
}
#: Why a refused sign-in is not simply tried again (the page's limit: verifier.serve.failures).
NOT_TRIED_AGAIN = (
    "It was not tried again: every failed sign-in counts towards locking your account, so this page tries a "
    "username at most twice in 24 hours."
)
#: Said instead of the firm-facing wording of a notice, where the attorney is the one at the keyboard.
SAID: dict[Status, str] = {
    Status.INVALID_CREDENTIALS: (
        f"{NOT_TRIED_AGAIN} Check your username and password on pacer.uscourts.gov (an upgrade gives you a new "
        "username) before checking here again."
    ),
    Status.MFA_REQUIRED: (
        "Your account uses multi-factor authentication. Check again and type the 6 digits your authenticator "
        "app shows at that moment in “One-time code”."
    ),
    Status.OTP_REJECTED: (
        f"{NOT_TRIED_AGAIN} Codes change every 30 seconds and each is accepted once: check again with the code "
        "your authenticator app shows at that moment."
    ),
    Status.SITE_ERROR: "Nothing was wrong with your account as far as we know. Please check again in a few minutes.",
}
FIRST_STEP_TITLE: dict[Status, str] = {
    Status.INVALID_CREDENTIALS: "Check your PACER username and password on PACER itself",
    Status.MFA_REQUIRED: "Check again with your one-time code",
    Status.OTP_REJECTED: "Check again with a new one-time code",
}
STAGE_TEXT = {
    Stage.WAITING: "Waiting for a free slot ({ahead} ahead of you)…",
    Stage.CHECKING: "Signing in to PACER and reading the account ({seconds} s)…",
    Stage.DONE: "Done.",
}


def environment() -> Environment:
    return html_templates(TEMPLATES)


class Pages:
    def __init__(self, firm: str, pacer_host: str, contact: str = "your firm's IT") -> None:
        self._env = environment()
        self._common = {"firm": firm, "pacer_host": pacer_host, "contact": contact}

    def render(self, name: str, **values: Any) -> str:
        return self._env.get_template(name).render(**self._common, **values)

    def result(self, job: Job, courts: Mapping[str, Link], today: dt.date, again: str) -> str:
        result = job.result
        if result is None:
            return self.render("result.html.j2", job=job, result=None, again=again)
        steps = attorney_steps(result, courts)
        accepted = result.status not in FAILED_SIGN_INS
        if not accepted:
            # PACER did not take the password: nothing about the account (its courts, what is done) is
            # shown to whoever typed it, only what to do about the sign-in.
            steps = steps[:1]
        return self.render(
            "result.html.j2",
            job=job,
            result=result,
            headline=headline(result, steps),
            ready=not steps and not result.needs_action,
            explanation=explanation(result, steps),
            steps=steps,
            notes=good_to_know(result) if accepted else [],
            done=[s.title + (f" ({s.court})" if s.court else "") for s in result.steps if s.state is StepState.DONE]
            if accepted
            else [],
            today=today,
            checked_on=result.checked_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            again=again,
        )


def attorney_steps(result: Result, courts: Mapping[str, Link]) -> list[NoticeStep]:
    """The attorney's steps as their notice lists them; a rejected login's first step in their words. Its
    explanation is the page's opening paragraph (``explanation``), so the step is its title and links only:
    the page does not say the same paragraph twice."""
    steps = notice_steps(result, courts)
    if result.status in SAID and steps and result.status is not Status.SITE_ERROR:
        title = FIRST_STEP_TITLE.get(result.status, steps[0].title)
        steps[0] = NoticeStep(title, links=steps[0].links)
    return steps


def headline(result: Result, steps: list[NoticeStep]) -> str:
    """The status in the attorney's words; an upgraded account with steps left does not read as done."""
    said = HEADLINE.get(result.status, FACTS[result.status].meaning)
    if result.status is Status.UPGRADED and steps:
        return f"{said}, with {len(steps)} step{'' if len(steps) == 1 else 's'} left"
    return said


def explanation(result: Result, steps: list[NoticeStep]) -> str:
    if result.status in SAID:
        return SAID[result.status]
    if result.status.needs_action or steps:
        return "What is left to do for NextGen CM/ECF is below."
    return "Nothing left to do for NextGen CM/ECF on what was checked."


def stage_text(stage: Stage, ahead: int, seconds: int) -> str:
    return STAGE_TEXT[stage].format(ahead=ahead, seconds=seconds)
