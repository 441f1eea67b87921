"""junit.xml: one testcase per attorney, for CI dashboards (Jenkins, GitLab, Azure DevOps...).

``upgraded`` with nothing left to do passes; ``legacy``, the sign-in problems and an ``upgraded`` account
whose checklist still has a to-do (MFA, linking in a court) fail: a person must act. Accounts that could
not be checked at all (site error, page not understood, unusable roster row) are errors. A stopped run's
attorneys that were not reached are testcases ``skipped`` with the reason (and the suite's ``skipped`` count,
as Jenkins' junit-10 schema and pytest write it).

The shape follows the strict Ant/Jenkins JUnit schema (JUnit.xsd): a ``testsuite`` with name,
timestamp (no zone), hostname, tests, failures, errors and time, then ``properties``, the testcases,
``system-out`` and ``system-err``; a testcase holds at most one ``failure`` or ``error``.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from verifier.models import Result, StepState
from verifier.readiness import said, said_all
from verifier.reports.common import ReportMeta, display_order
from verifier.statuses import FACTS
from verifier.text import shown

SUITE = "pacer-verify"
# XML 1.0 cannot carry most control characters, even escaped; ElementTree would write them anyway and
# the file would not parse. They can come from a web page's text or a roster cell.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", shown(text))


def case_name(result: Result) -> str:
    return _clean(f"{result.name or result.username or 'unnamed'} ({result.username or 'no username'})")


def _details(result: Result, day: dt.date) -> str:
    lines = said_all(result.next, day) or [FACTS[result.status].next_step]
    if result.message:
        lines.append(f"Message: {result.message}")
    lines += [f"Artifact: {a}" for a in result.artifacts]
    return "\n".join(_clean(line) for line in lines)  # each line cleaned: the breaks between them are real


def _testcase(suite: ET.Element, result: Result, day: dt.date) -> str | None:
    """Add the testcase; return "failure", "error" or None (passed)."""
    case = ET.SubElement(
        suite,
        "testcase",
        name=case_name(result),
        classname=f"{SUITE}.{result.status.value}",
        time=f"{max(result.duration_s, 0.0):.3f}",
    )
    if not result.needs_action:  # upgraded, and no checklist item left to do
        return None
    if FACTS[result.status].not_checked:
        kind, message = "error", result.message or FACTS[result.status].next_step
    else:
        # A failure leads with what to do: the first next step (an upgraded account's first to-do), not page text.
        todo = [s.title for s in result.steps if s.state is StepState.TODO]
        first = said(result.next[0], day) if result.next else None
        kind, message = "failure", first or (todo or [result.message or FACTS[result.status].next_step])[0]
    outcome = ET.SubElement(case, kind, message=_clean(f"{result.status.value}: {message}"), type=result.status.value)
    outcome.text = _details(result, day)
    return kind


def _skipped(suite: ET.Element, meta: ReportMeta) -> int:
    """A stopped run's attorneys that were not checked: a testcase each, skipped, with the reason."""
    stopped = meta.stopped
    if stopped is None:
        return 0
    why = _clean(f"not checked: {stopped.line} ({stopped.reason}); run bulk again with --resume")
    for pending in stopped.not_checked:
        case = ET.SubElement(
            suite,
            "testcase",
            name=_clean(f"{pending.name or pending.username or 'unnamed'} ({pending.username or 'no username'})"),
            classname=f"{SUITE}.not_checked",
            time="0.000",
        )
        ET.SubElement(case, "skipped", message=why)
    return len(stopped.not_checked)


def _change_properties(properties: ET.Element, meta: ReportMeta) -> None:
    """The Changes section as properties (dashboards show them with the suite): the summary line, then
    one "change:" property per attorney who moved."""
    changes = meta.changes
    if changes is None:
        return
    ET.SubElement(properties, "property", name="changes.since", value=changes.since_label)
    ET.SubElement(properties, "property", name="changes.summary", value=_clean(changes.summary_line()))
    for entry in changes.attorneys:
        parts = [f"{entry.kind.value}: {entry.transition}"]
        if entry.done:
            parts.append("done: " + ", ".join(s.label for s in entry.done))
        if entry.newly_due:
            parts.append("newly due: " + ", ".join(s.label for s in entry.newly_due))
        if entry.note:
            parts.append(entry.note)
        who = f"{entry.name or entry.username} ({entry.username or 'no username'})"
        ET.SubElement(properties, "property", name=_clean(f"change:{who}"), value=_clean("; ".join(parts)))


def render(results: Sequence[Result], meta: ReportMeta) -> str:
    ordered = display_order(results)
    suite = ET.Element(
        "testsuite",
        name=SUITE,
        # JUnit.xsd's timestamp has no zone: the time is UTC.
        timestamp=meta.generated_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        hostname="localhost",
    )  # required by the schema; the machine's name is nobody's business
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("title", meta.title),
        ("site", meta.site),
        ("roster", meta.roster),
        ("tool_version", meta.tool_version),
    ):
        if value:
            ET.SubElement(properties, "property", name=name, value=_clean(value))
    _change_properties(properties, meta)
    if meta.stopped is not None:
        ET.SubElement(properties, "property", name="stopped", value=_clean(meta.stopped.line))
    outcomes = [_testcase(suite, result, meta.day) for result in ordered]
    skipped = _skipped(suite, meta)
    ET.SubElement(suite, "system-out").text = ""
    ET.SubElement(suite, "system-err").text = ""
    suite.set("tests", str(len(ordered) + skipped))
    suite.set("failures", str(outcomes.count("failure")))
    suite.set("errors", str(outcomes.count("error")))
    if skipped:  # only then: a complete run's file keeps to the strict Ant schema's attributes
        suite.set("skipped", str(skipped))
    suite.set("time", f"{sum(max(r.duration_s, 0.0) for r in ordered):.3f}")
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"
