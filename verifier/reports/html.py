"""report.html: one self-contained page a firm can e-mail, archive or print.

Self-contained means no request of any kind: CSS and JavaScript are inline, the chart is SVG drawn
here, fonts are the system's. A Content-Security-Policy in the page pins that down: only the page's
own style and script (by hash) may run, so even a name that slipped past escaping could not run code
or load anything. Autoescaping is always on: names and messages come from rosters and web pages.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from verifier.models import Result, Status, StepState
from verifier.readiness import summarize_by_court
from verifier.reports.common import (
    ReportMeta,
    display_order,
    ready_count,
    summary_counts,
)
from verifier.reports.history_chart import BASELINE
from verifier.reports.history_chart import KINDS as HISTORY_KINDS
from verifier.reports.history_chart import columns as history_columns
from verifier.reports.html_rows import STATE_ICON, attorney_row, hover_texts, how_to
from verifier.reports.who import DUTIES, HEADS_UP_LABEL, filter_counts, who_must_act
from verifier.statuses import FACTS, ORDER, SEVERITY, next_step
from verifier.text import shown
from verifier.weekly.changes import COUNT_WORDS

if TYPE_CHECKING:
    from verifier.readiness.courts import CourtRegistry

TEMPLATES = Path(__file__).parent / "templates"
#: "NextGen since" for a court the lookup lists as NextGen without a go-live date.
UNDATED = "date not known"
#: What each checklist mark means, said once above the table.
STATE_MEANING = {
    StepState.DONE: "done",
    StepState.TODO: "to do",
    StepState.UNKNOWN: "not known: not checked (a court not visited, an unknown court id, a page not read)",
    StepState.INFO: "a note, nothing to do",
}


@dataclass(frozen=True)
class Card:
    """A number at the top, and the link that shows those attorneys in the table."""

    key: str
    label: str
    number: int
    note: str


@dataclass
class Bar:
    status: Status
    count: int
    y: int
    width: float
    color: str


@dataclass
class CourtRow:
    court: str
    name: str
    go_live: str
    ready: int
    not_ready: int
    unknown: int

    @property
    def total(self) -> int:
        return self.ready + self.not_ready + self.unknown

    @property
    def ready_width(self) -> float:
        return round(100 * self.ready / self.total, 1) if self.total else 0.0


def _breakable(value: str) -> Markup:
    """A snake_case status that a narrow printed column may break after an underscore, not mid-word.

    The break is a print-only zero-width space from CSS (not <wbr>, which Chromium honours even in
    a nowrap badge on screen); it is not text, so search and copy see the plain status."""
    return Markup('_<span class="brk"></span>').join(escape(part) for part in value.split("_"))


def _shown(value: object) -> object:
    """Every {{ value }} of the template: text shows its control characters escaped (our Markup is ours)."""
    return shown(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def html_templates(folder: Path) -> Environment:
    """Templates for HTML that shows names from rosters and words from web pages: always escaped, and
    every text's control characters shown (the report's and `serve`'s pages both)."""
    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_shown,
    )


def _environment() -> Environment:
    env = html_templates(TEMPLATES)
    env.filters["breakable"] = _breakable
    return env


@cache
def _asset(name: str) -> tuple[Markup, str]:
    """A static CSS/JS file shipped beside the template, and its CSP hash ('sha256-...')."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return Markup(text), f"'sha256-{digest}'"  # our own file, not user input: inserted as is


def _bars(counts: dict[str, int]) -> list[Bar]:
    top = max(counts.values(), default=0) or 1
    return [
        Bar(
            status,
            counts[status.value],
            y=index * 30,
            width=round(260 * counts[status.value] / top, 1),
            color=FACTS[status].bar_color,
        )
        for index, status in enumerate(ORDER)
    ]


def _registry(courts: CourtRegistry | None) -> CourtRegistry | None:
    """The run's registry, or (a report rebuilt without one) the bundled one; a report renders without."""
    if courts is not None:
        return courts
    try:
        from verifier.readiness.courts import load_courts

        return load_courts()
    except Exception:  # the registry is a nicety here, never a reason to lose the report
        return None


def _court_names(courts: CourtRegistry | None, wanted: set[str]) -> dict[str, tuple[str, str]]:
    """Court id → (name, NextGen since) for the courts in the report."""
    registry = _registry(courts)
    names: dict[str, tuple[str, str]] = {}
    for court_id in wanted if registry is not None else ():
        assert registry is not None
        court = registry.get(court_id)
        if court is None:
            continue
        go_live = court.nextgen_go_live.isoformat() if court.nextgen_go_live else UNDATED
        if court.generation != "nextgen":
            go_live = "not on NextGen yet"
        names[court_id] = (court.name, go_live)
    return names


def _courts(results: Sequence[Result], courts: CourtRegistry | None) -> list[CourtRow]:
    per_court = summarize_by_court(results)
    names = _court_names(courts, set(per_court)) if per_court else {}
    return [
        CourtRow(court, *names.get(court, ("", "")), s.ready, s.not_ready, s.unknown)
        for court, s in sorted(per_court.items())
    ]


def _cards(results: Sequence[Result], counts: dict[str, int], unreached: int = 0) -> list[Card]:
    """The cards after "Ready", each a filter of the table: enrolling now apart from not asked yet.
    `unreached`: attorneys a stopped run did not reach, counted with the not checked (the banner above
    says why)."""
    return [
        Card("action", "Need action", len(results) - ready_count(results), "a status to resolve or an item to do"),
        Card("upgrade", "To upgrade", counts.get("upgrade", 0), "legacy PACER accounts"),
        Card("mfa-now", "MFA: enroll now", counts.get("mfa-now", 0), "PACER asked at sign-in"),
        Card("mfa-not-asked", "MFA: not asked yet", counts.get("mfa-not-asked", 0), "heads-up: enroll when PACER asks"),
        Card("sign-in", "Sign-in problems", counts.get("sign-in", 0), "locked, rejected, code or new password"),
        Card(
            "not-checked",
            "Not checked",
            counts.get("not-checked", 0) + unreached,
            "site errors, unreadable pages, bad rows"
            + (f"; {unreached} the stopped run did not reach" if unreached else ""),
        ),
    ]


def _filters(results: Sequence[Result], counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(tag, words, count) for the "Show" filter: who needs action, each duty, each heads-up, who is ready."""
    options = [("action", "Need action", len(results) - ready_count(results))]
    options += [(duty.key, duty.label, counts[duty.key]) for duty in DUTIES if counts.get(duty.key)]
    options += [(tag, words, counts[tag]) for tag, words in HEADS_UP_LABEL.items() if counts.get(tag)]
    return [*options, ("ready", "Ready", ready_count(results))]


@dataclass(frozen=True)
class LiveView:
    """What IT's live page (`serve`'s /admin) adds to the report: who on the roster has not checked
    yet (name, username), a reload every `refresh_s` seconds, the failed sign-ins recorded since each
    account's last reading (by lower-case username and name), and, for a signed-in session, the form
    that signs out (its CSRF token)."""

    not_checked: list[tuple[str, str]]
    refresh_s: int
    attempts: Mapping[tuple[str, str], Sequence[Result]] = field(default_factory=dict)
    sign_out_csrf: str = ""

    def attempts_for(self, result: Result) -> Sequence[Result]:
        return self.attempts.get(live_key(result), ())


def live_key(result: Result) -> tuple[str, str]:
    return result.username.strip().lower(), " ".join(result.name.split()).lower()


def report_policy(live: bool = False) -> str:
    """The page's Content-Security-Policy: only its own inline style and script (by hash), nothing
    fetched, no form posted (IT's live view: its sign-out, to itself). Written into the page, and sent
    as a header where the page is served."""
    _, css_hash = _asset("report.css")
    _, js_hash = _asset("report.js")
    forms = "'self'" if live else "'none'"
    return f"default-src 'none'; style-src {css_hash}; script-src {js_hash}; base-uri 'none'; form-action {forms}"


def render(
    results: Sequence[Result], meta: ReportMeta, courts: CourtRegistry | None = None, live: LiveView | None = None
) -> str:
    """The page. `courts` names the per-court table's courts: the registry the run used (with the user's
    `--courts` file); the bundled registry when None. `live` makes it IT's live view (`serve`)."""
    css, _ = _asset("report.css")
    js, _ = _asset("report.js")
    counts = summary_counts(results)
    today = meta.day
    present = [s for s in ORDER if counts[s.value]]
    rows = [attorney_row(r, today, n) for n, r in enumerate(display_order(results), start=1)]
    tag_counts = filter_counts(results)
    guides = how_to(rows)
    hover_texts(rows, guides)
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            meta=meta,
            css=css,
            js=js,
            csp=report_policy(live is not None),
            live=live,
            total=len(results),
            ready=ready_count(results),
            cards=_cards(results, tag_counts, meta.stopped.left if meta.stopped else 0),
            filters=_filters(results, tag_counts),
            groups=who_must_act([(row.result, row.anchor) for row in rows]),
            bars=_bars(counts),
            counts=counts,
            present=present,
            severity=SEVERITY,
            meaning={s: f.meaning for s, f in FACTS.items()},
            next_step={s: next_step(s, meta.source) for s in FACTS},
            courts=_courts(results, courts),
            rows=rows,
            how_to=guides,
            marks=[(STATE_ICON[state], state.value, STATE_MEANING[state]) for state in STATE_ICON],
            changes=meta.changes,
            change_counts=_change_counts(meta),
            history=history_columns(meta.history),
            history_kinds=HISTORY_KINDS,
            baseline=BASELINE,
        )
    )


def _change_counts(meta: ReportMeta) -> list[tuple[str, str, int]]:
    """(key, words, count) of the non-zero change counts, for the cards of the Changes section."""
    if meta.changes is None:
        return []
    counts = meta.changes.counts
    return [(key, several, counts[key]) for key, _, several in COUNT_WORDS if counts.get(key)]
