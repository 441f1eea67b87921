"""What a sign-on screen shows, read in one round trip, and which step it is (a pure rule).

A person looks at the top of the screen: an open dialog if there is one, else the page. So the
snapshot takes the topmost visible dialog (by role, or PrimeFaces' `ui-dialog` class) as the layer
to read, and reports its visible text, headings, labelled fields, checkbox and buttons. Which step
it is comes from what is written there (labels, headings, text), never from ids or from the
dialog role alone, so a step drawn as a page of its own reads the same (docs/real-site.md: the
real markup of the code step and of the dialogs beyond their quoted sentences is not public).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from flows.page_text import SEEN_TEXT_JS, SHOWN_JS

# One evaluate per look: cheap at hundreds of accounts.
SNAPSHOT_JS = (
    "() => {"
    + SEEN_TEXT_JS
    + SHOWN_JS
    + """
  const dialogs = [...document.querySelectorAll('[role=dialog], [role=alertdialog], .ui-dialog')].filter(shown);
  const layer = dialogs.length ? dialogs[dialogs.length - 1] : (document.body || document.documentElement);
  const labelOf = (input) => squash(
    (input.labels && input.labels.length ? input.labels[0].innerText : '') ||
    input.getAttribute('aria-label') || input.getAttribute('placeholder') || '');
  const fields = [...layer.querySelectorAll('input, textarea')]
    .filter((i) => !['hidden', 'checkbox', 'radio', 'submit', 'button'].includes(i.type) && shown(i))
    .map((i) => ({label: labelOf(i), type: i.type}));
  const boxes = [...layer.querySelectorAll('input[type=checkbox]')];
  const buttons = [...layer.querySelectorAll('button, input[type=submit], input[type=button], a[role=button]')]
    .filter(shown).map((b) => ({text: squash(b.innerText || b.value), disabled:
      b.disabled || b.getAttribute('aria-disabled') === 'true'}));
  // PrimeFaces' message classes (ui-messages-error, ui-message-error, ui-growl-message) as well as the role.
  const messages = '[role=alert], .ui-messages-error, .ui-message-error, .ui-growl-message';
  // A message decides a status: only one whose text a person can see (not clipped, off-screen, transparent).
  const alerts = [...document.querySelectorAll(messages)]
    .filter((a) => shown(a) && textsSeen(a, false).length).map((a) => squash(a.innerText)).filter((t) => t);
  const headings = [...layer.querySelectorAll('h1, h2, h3, .ui-dialog-title')].filter(shown)
    .map((h) => squash(h.innerText)).filter((t) => t);
  const pageHeading = [...document.querySelectorAll('h1')].filter(shown).map((h) => squash(h.innerText))[0] || '';
  return {
    url: location.href, title: document.title, dialog: dialogs.length > 0, headings, pageHeading,
    text: squash(layer.innerText).slice(0, 4000), fields, buttons, alerts: [...new Set(alerts)],
    checkbox: boxes.length > 0, checked: boxes.length > 0 && boxes.every((b) => b.checked),
  };
}
"""
)

USERNAME_LABEL = re.compile(r"^\s*(user\s*name|login(\s*id)?)\s*\*?\s*:?\s*$", re.I)
PASSWORD_LABEL = re.compile(r"^\s*password\s*\*?\s*:?\s*$", re.I)
# The real wording of the one-time-code prompt is not public (docs/real-site.md): accept the usual ones.
CODE_LABEL = re.compile(
    r"one[\s-]*time\s*(pass\s*)?code|verification\s*code|authenticat\w*\s*code|2fa\s*code|mfa\s*code|"
    r"security\s*code|passcode",
    re.I,
)
REDACTION = re.compile(r"redaction", re.I)
USER_UPDATE = re.compile(r"user\s+update\s+required", re.I)
# Specific sentences only: Manage My Account itself says "Case Search Status: Inactive".
INACTIVE = re.compile(
    r"user\s+inactive|user\s+not\s+activated|account\s+is\s+(currently\s+)?inactive|"
    r"privileges\s+are\s+not\s+activated",
    re.I,
)


class Step(StrEnum):
    LOGIN_FORM = "login_form"
    MESSAGE = "message"
    CODE = "code"
    REDACTION = "redaction"
    USER_UPDATE = "user_update"
    INACTIVE = "inactive"
    OTHER = "other"


@dataclass(frozen=True)
class Screen:
    url: str = ""
    title: str = ""
    dialog: bool = False
    headings: tuple[str, ...] = ()
    page_heading: str = ""
    text: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    """(label, input type) of each visible field in the layer."""
    buttons: tuple[tuple[str, bool], ...] = ()
    """(text, disabled) of each visible button in the layer."""
    alerts: tuple[str, ...] = ()
    checkbox: bool = False
    checked: bool = False

    @classmethod
    def from_js(cls, data: dict[str, Any]) -> Screen:
        return cls(
            url=str(data.get("url", "")),
            title=str(data.get("title", "")),
            dialog=bool(data.get("dialog")),
            headings=tuple(str(h) for h in data.get("headings", [])),
            page_heading=str(data.get("pageHeading", "")),
            text=str(data.get("text", "")),
            fields=tuple((str(f.get("label", "")), str(f.get("type", ""))) for f in data.get("fields", [])),
            buttons=tuple((str(b.get("text", "")), bool(b.get("disabled"))) for b in data.get("buttons", [])),
            alerts=tuple(str(a) for a in data.get("alerts", [])),
            checkbox=bool(data.get("checkbox")),
            checked=bool(data.get("checked")),
        )

    def has_field(self, label: re.Pattern[str]) -> bool:
        return any(label.search(name) for name, _ in self.fields)

    @property
    def login_form(self) -> bool:
        return self.has_field(PASSWORD_LABEL) and self.has_field(USERNAME_LABEL)

    def describe(self, limit: int = 240) -> str:
        """Title, heading and the start of the visible text: what a person would report."""
        heading = self.headings[0] if self.headings else self.page_heading
        excerpt = self.text if len(self.text) <= limit else self.text[:limit].rsplit(" ", 1)[0] + " ..."
        return f"title {self.title!r}, heading {heading!r}, text {excerpt!r}"


def _one_text_field(screen: Screen) -> bool:
    """A single field to type into, and it is not a password: a prompt for a code with no label."""
    return len(screen.fields) == 1 and screen.fields[0][1] in ("text", "tel", "number", "")


def step_of(screen: Screen) -> Step:
    """Which sign-on step the screen shows. Order matters: a message on a form is an answer to it."""
    if screen.alerts and (screen.login_form or screen.has_field(CODE_LABEL) or screen.dialog):
        return Step.MESSAGE
    if USER_UPDATE.search(screen.text):
        return Step.USER_UPDATE
    if INACTIVE.search(screen.text):
        return Step.INACTIVE
    if screen.has_field(CODE_LABEL) or (CODE_LABEL.search(screen.text) and _one_text_field(screen)):
        return Step.CODE
    if screen.checkbox and REDACTION.search(screen.text):
        return Step.REDACTION
    if screen.login_form:
        return Step.LOGIN_FORM
    return Step.OTHER
