"""A short note to each attorney with something to do: their own steps in order, deadlines, how-to links.

Pure: results in, notices out (``verifier.commands.notices`` writes them). A notice is built from the
result's status and checklist, the court registry's CM/ECF addresses and the public PACER help pages in
``HOWTO``; never from a password or secret, which results do not hold anyway.

Who gets none: attorneys with nothing left to do, and results where the next move is the firm's, not the
attorney's (``site_error``: run again; ``invalid_input``: fix the roster row).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from verifier.models import Result, Status, Step, StepKind, StepState
from verifier.readiness import enroll_now_is_the_fix, ordered_todo
from verifier.statuses import FACTS
from verifier.text import shown_lines


@dataclass(frozen=True)
class Link:
    title: str
    url: str


# The official how-to pages, one place for all of them. Sources: PACER's public FAQ and announcement pages
# as found in 2025-26 (see docs/real-site.md). PACER moves pages now and then: when one breaks, fix it here.
# Uncertain: "paa" is a page of PACER's account-and-billing FAQ list, whose paging may shift; PACER has no
# page on filing agents that we know of, so "filing_agents" points to the court lookup, from which each
# court's own NextGen notice (where filing agents are explained) is found.
HOWTO: dict[str, tuple[Link, ...]] = {
    "upgrade": (
        Link(
            "PACER FAQ: My PACER account is not upgraded. How do I upgrade my account?",
            "https://pacer.uscourts.gov/help/faqs/my-pacer-account-not-upgraded-how-do-i-upgrade-my-account",
        ),
    ),
    "mfa": (
        Link(
            "PACER: MFA tips and resources",
            "https://pacer.uscourts.gov/announcements/2026/02/05/mfa-tips-and-resources",
        ),
    ),
    "link": (
        Link(
            "PACER FAQ: How do I link my CM/ECF e-filing credentials to my upgraded PACER account?",
            "https://pacer.uscourts.gov/help/faqs/how-do-i-link-my-cmecf-electronic-filing-credentials-my-"
            "upgraded-pacer-account",
        ),
    ),
    "own_account": (
        Link(
            "PACER: register for your own individual PACER account",
            "https://pacer.psc.uscourts.gov/pscof/registration.jsf",
        ),
    ),
    "filing_agents": (
        Link(
            "PACER: Court CM/ECF Lookup (each court's site and NextGen notices)",
            "https://pacer.uscourts.gov/file-case/court-cmecf-lookup",
        ),
    ),
    "paa": (
        Link(
            "PACER FAQ: accounts and billing (PACER Administrative Accounts)",
            "https://pacer.uscourts.gov/my-account-billing?page=4",
        ),
    ),
    "sign_in": (
        Link(
            "PACER FAQ: Why am I getting an invalid login message?",
            "https://pacer.uscourts.gov/help/faqs/why-am-i-getting-invalid-login-message",
        ),
    ),
    "password": (
        Link(
            "PACER: password and security requirements",
            "https://pacer.uscourts.gov/announcements/2025/06/27/additional-security-enhancements-coming-soon",
        ),
    ),
    "manage_account": (Link("PACER: Manage My Account", "https://pacer.psc.uscourts.gov/pscof/login.xhtml"),),
}
PSC_CONTACT = "the PACER Service Center: (800) 676-6856, pacer@psc.uscourts.gov"

#: A checklist item's kind → its how-to pages.
STEP_TOPIC = {
    StepKind.OWN_ACCOUNT: "own_account",
    StepKind.UPGRADED: "upgrade",
    StepKind.MFA: "mfa",
    StepKind.LINKED: "link",
    StepKind.FILING_AGENTS: "filing_agents",
    StepKind.FIRM_BILLING: "paa",
}

#: Statuses whose next move is the firm's, not the attorney's: no notice.
FIRM_TO_DO = {
    Status.SITE_ERROR: "not checked (site error): run again with --resume",
    Status.INVALID_INPUT: "the roster row could not be used: fix it and run again",
}

_CHECK_TYPE = (
    'Sign in to Manage My Account and check that Account Type reads "Upgraded PACER Account"; '
    'if it reads "Legacy PACER Account", upgrade it.'
)


@dataclass(frozen=True)
class _StatusStep:
    title: str
    how: str
    topics: tuple[str, ...]


#: What a sign-in that did not get through asks of the attorney, first (nothing else was checked).
STATUS_STEP: dict[Status, _StatusStep] = {
    Status.INVALID_CREDENTIALS: _StatusStep(
        "Check your PACER username and password",
        "PACER rejected the login the firm has on file for you (it was not tried again, to avoid a lockout). "
        "If your username or password changed (an upgrade gives you a new username), update the firm's record "
        "the usual secure way.",
        ("sign_in",),
    ),
    Status.LOCKED: _StatusStep(
        "Have your PACER account unlocked",
        f"PACER says the account is locked, disabled or inactive. Contact {PSC_CONTACT}.",
        ("manage_account",),
    ),
    Status.OTP_REJECTED: _StatusStep(
        "Check your authenticator set-up key",
        "PACER accepted your password but refused the one-time code made from the authenticator set-up key "
        "the firm has on file (it was not tried again, to avoid a lockout). Check that key with the firm, "
        "and that the clock of the machine that runs the check is right.",
        ("mfa", "manage_account"),
    ),
    Status.UPDATE_REQUIRED: _StatusStep(
        "Do the update PACER asks for at sign-in",
        'PACER shows "User Update Required" when you sign in: most often it asks you to enroll in multi-factor '
        "authentication, sometimes for a new password (the result says which, and how many skips are left). "
        "Sign in, do it as asked, and let the firm know when it is done.",
        ("mfa", "password", "manage_account"),
    ),
    Status.MFA_REQUIRED: _StatusStep(
        "Check your account type",
        "Your account asks for a one-time code at sign-in, so the check went no further. " + _CHECK_TYPE,
        ("manage_account", "upgrade"),
    ),
    Status.UNRECOGNIZED_PAGE: _StatusStep(
        "Check your account type",
        "The check could not read your account page. " + _CHECK_TYPE,
        ("manage_account", "upgrade"),
    ),
}


@dataclass
class NoticeStep:
    title: str
    how: str = ""
    deadline: dt.date | None = None
    court: str | None = None
    links: tuple[Link, ...] = ()

    def is_overdue(self, today: dt.date) -> bool:
        return self.deadline is not None and self.deadline < today

    def due(self, today: dt.date) -> str:
        if self.deadline is None:
            return ""
        if self.deadline < today:
            return f"overdue: was due {self.deadline.isoformat()}"
        return f"by {self.deadline.isoformat()}"


@dataclass
class Notice:
    result: Result
    subject: str
    steps: list[NoticeStep]
    done: list[str] = field(default_factory=list)
    notes: list[NoticeStep] = field(default_factory=list)  # information, nothing to do (firm billing)
    today: dt.date = field(default_factory=dt.date.today)
    link: str = ""  # the attorney's personal `serve` link, to check again once the steps are done

    @property
    def checked_on(self) -> str:
        return self.result.checked_at.astimezone(dt.UTC).date().isoformat()

    @property
    def greeting_name(self) -> str:
        return _one_line(self.result.name or self.result.username or "colleague")

    # A detail may quote the site; its control characters are written as escapes, its line breaks kept. The
    # mail merge carries these very strings (tested byte for byte against the .txt file).
    def text(self) -> str:
        return shown_lines(_TEXT.render(n=self, today=self.today).strip() + "\n")

    def html(self) -> str:
        return shown_lines(_HTML.render(n=self, today=self.today).rstrip("\n") + "\n")  # a file's last line ends


def _one_line(text: str) -> str:
    """No line breaks or control characters: a name from a roster goes into a mail subject."""
    return " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", text).split())


def _topic_links(step: Step) -> tuple[Link, ...]:
    topic = STEP_TOPIC.get(step.kind)
    return HOWTO[topic] if topic else ()


def _court_link(court: str | None, courts: Mapping[str, Link]) -> tuple[Link, ...]:
    return (courts[court],) if court and court in courts else ()


def _checklist_step(step: Step, courts: Mapping[str, Link]) -> NoticeStep:
    links = _topic_links(step) + _court_link(step.court, courts)
    return NoticeStep(title=step.title, how=step.detail, deadline=step.deadline, court=step.court, links=links)


def _todo(result: Result) -> list[Step]:
    """The checklist's to-dos in the one order every output uses (``readiness.ordered_todo``)."""
    return ordered_todo(result.steps)


def notice_steps(result: Result, courts: Mapping[str, Link]) -> list[NoticeStep]:
    """The attorney's steps in order: what the sign-in needs first, then the checklist's to-dos."""
    steps = []
    # PACER's prompt asking for MFA alone: the checklist's "enroll now" is that update, said once.
    first = None if enroll_now_is_the_fix(result.update, result.steps) else STATUS_STEP.get(result.status)
    if first is not None:
        steps.append(NoticeStep(first.title, first.how, links=tuple(link for t in first.topics for link in HOWTO[t])))
    steps += [_checklist_step(s, courts) for s in _todo(result)]
    if not steps and result.status is Status.LEGACY:  # results from before checklists: the status says it
        steps.append(NoticeStep("Upgrade your PACER account", FACTS[Status.LEGACY].next_step, links=HOWTO["upgrade"]))
    return steps


def _subject(result: Result, steps: Sequence[NoticeStep], today: dt.date) -> str:
    who = _one_line(result.name or result.username)
    subject = f"PACER NextGen: {len(steps)} step{'' if len(steps) == 1 else 's'} for {who}"
    dates = sorted(s.deadline for s in steps if s.deadline)
    if dates:
        subject += f", overdue since {dates[0].isoformat()}" if dates[0] < today else f", first by {dates[0]}"
    return subject


def skip_reason(result: Result) -> str | None:
    """Why this attorney gets no notice, or None when they get one."""
    if result.status in FIRM_TO_DO:
        return FIRM_TO_DO[result.status]
    if not result.needs_action:
        return "nothing to do"
    return None


def build_notice(result: Result, courts: Mapping[str, Link], today: dt.date) -> Notice | None:
    """The attorney's notice, or None (see ``skip_reason``)."""
    if skip_reason(result) is not None:
        return None
    steps = notice_steps(result, courts)
    if not steps:
        return None
    done = [s.title + (f" ({s.court})" if s.court else "") for s in result.steps if s.state is StepState.DONE]
    return Notice(result, _subject(result, steps, today), steps, done, good_to_know(result), today)


#: A note's words after "Good to know, ": the MFA heads-up, not its checklist title.
_NOTE_TITLE = {StepKind.MFA: "multi-factor authentication (MFA)", StepKind.FIRM_BILLING: "firm billing"}


def good_to_know(result: Result) -> list[NoticeStep]:
    """What is good to know and nothing to do now: MFA not asked for yet by PACER (or optional), firm
    billing. The MFA heads-up comes first, where the checklist has it."""
    found = []
    for step in result.steps:
        if step.state is StepState.INFO and step.kind in _NOTE_TITLE and step.detail:
            found.append(NoticeStep(_NOTE_TITLE[step.kind], step.detail, links=_topic_links(step)))
    return found


def court_links(registry: object) -> dict[str, Link]:
    """Court id → its CM/ECF site, from the court registry, where it has one (https only)."""
    links: dict[str, Link] = {}
    for court in registry:  # type: ignore[attr-defined]
        url = (court.cmecf_url or "").strip()
        if url.lower().startswith("https://"):  # the court's name says its kind: "Utah Bankruptcy Court CM/ECF"
            links[court.id] = Link(f"{court.name} CM/ECF", url)
    return links


# --- E-mail addresses and the mail merge ------------------------------------------------------------------

_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*/?^_`{|}~.+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
#: A would-be address that starts like a formula is refused outright (see csv_report.FORMULA_START).
_FORMULA_START = ("=", "+", "-", "@")


def is_email(value: str) -> bool:
    """A plain addr-spec (no display name, no comments): what a mail tool's "To" column wants."""
    value = value.strip()
    return len(value) <= 254 and not value.startswith(_FORMULA_START) and bool(_EMAIL.match(value))


MAIL_MERGE_COLUMNS = ("email", "name", "subject", "body_text", "body_html")


def mail_merge_rows(notices: Sequence[Notice]) -> list[tuple[str, str, str, str, str]]:
    """(email, name, subject, body_text, body_html) for each notice whose attorney has a usable address."""
    return [
        (n.result.email.strip(), n.greeting_name, n.subject, n.text(), n.html())
        for n in notices
        if n.result.email and is_email(n.result.email)
    ]


#: The templates sit with the reports' (packaged with them). Text: not escaped (it is not markup);
#: HTML: always escaped, names and details come from rosters and web pages.
TEMPLATES = Path(__file__).resolve().parents[1] / "reports" / "templates"
_TEXT = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=False,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
).get_template("notice.txt.j2")
_HTML = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
).get_template("notice.html.j2")
