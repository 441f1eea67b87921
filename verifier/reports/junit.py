"""junit.xml: one testcase per attorney, for CI dashboards. Ready passes; needs-action fails;
accounts that could not be checked are errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from verifier.models import Result, Status
from verifier.reports import ReportMeta

ERROR_STATUSES = frozenset({Status.SITE_ERROR, Status.UNRECOGNIZED_PAGE, Status.INVALID_INPUT})


def render(results: Sequence[Result], meta: ReportMeta) -> str:
    suite = ET.Element("testsuite", name="pacer-verify", timestamp=meta.generated_at.isoformat())
    failures = errors = 0
    total_time = 0.0
    for result in results:
        case = ET.SubElement(suite, "testcase", classname=f"pacer-verify.{result.status.value}",
                             name=f"{result.name} ({result.username or 'no username'})",
                             time=f"{result.duration_s:.3f}")
        total_time += result.duration_s
        text = "\n".join(result.next_steps) or result.message
        if result.status in ERROR_STATUSES:
            errors += 1
            ET.SubElement(case, "error", message=result.message, type=result.status.value).text = text
        elif result.needs_action:
            failures += 1
            ET.SubElement(case, "failure", message=result.message or result.status.value,
                          type=result.status.value).text = text
    suite.set("tests", str(len(results)))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    suite.set("time", f"{total_time:.3f}")
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"
