"""report.html: one self-contained page (no external resource of any kind) a firm can hand round."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from verifier.models import Result, Status, StepState
from verifier.readiness import summarize_by_court
from verifier.reports import ReportMeta, summary_counts

TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                        autoescape=select_autoescape(["html", "j2"]))
COLORS = {
    Status.UPGRADED: "#1a7f37", Status.LEGACY: "#b35900", Status.INVALID_CREDENTIALS: "#c62828",
    Status.LOCKED: "#8e0000", Status.MFA_REQUIRED: "#6a1b9a", Status.PASSWORD_CHANGE_REQUIRED: "#7b1fa2",
    Status.UNRECOGNIZED_PAGE: "#00695c", Status.SITE_ERROR: "#455a64", Status.INVALID_INPUT: "#ad1457",
}
ICONS = {StepState.DONE: "✔", StepState.TODO: "✖", StepState.UNKNOWN: "?", StepState.INFO: "\u2139"}  # information sign


def chart(counts: dict[str, int]) -> list[dict[str, object]]:
    """Bars for an inline SVG chart, computed here so the page needs no chart library."""
    top = max(counts.values(), default=1)
    return [{"status": status, "count": n, "width": round(360 * n / top, 1), "y": 28 * i,
             "color": COLORS[Status(status)]} for i, (status, n) in enumerate(counts.items())]


def render(results: Sequence[Result], meta: ReportMeta) -> str:
    counts = summary_counts(results)
    ordered = sorted(results, key=lambda r: (not r.needs_action, r.status.value, r.name.lower()))
    return TEMPLATES.get_template("report.html.j2").render(
        meta=meta, results=ordered, counts=counts, bars=chart(counts), colors=COLORS, icons=ICONS,
        statuses=[s.value for s in Status if s.value in counts], per_court=sorted(summarize_by_court(results).items()),
        ready=sum(1 for r in results if not r.needs_action), total=len(results),
    )
