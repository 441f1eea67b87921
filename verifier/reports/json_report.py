"""results.json: everything, for machines: {"meta", "summary", "readiness", "results"}, led by "stopped"
when the run stopped before every attorney was checked."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from verifier.models import Result
from verifier.readiness import summarize_by_court
from verifier.reports.common import ReportMeta, ready_count, summary_counts


def render(results: Sequence[Result], meta: ReportMeta) -> str:
    document: dict[str, object] = {}
    if meta.stopped is not None:  # first: a reader must not take a stopped run's counts for the roster's
        document["stopped"] = {"summary_line": meta.stopped.line, **meta.stopped.model_dump(mode="json")}
    document |= {
        "meta": meta.model_dump(mode="json"),
        "summary": summary_counts(results),  # every status, zeros included: stable keys for dashboards
        "readiness": {
            "total": len(results),
            "ready": ready_count(results),
            "needs_action": len(results) - ready_count(results),
            "per_court": {court: asdict(s) for court, s in sorted(summarize_by_court(results).items())},
        },
        "results": [result.model_dump(mode="json") for result in results],
    }
    if meta.changes is not None:
        document["changes"] = {"summary_line": meta.changes.summary_line(), **meta.changes.model_dump(mode="json")}
    if meta.history:
        document["history"] = [point.model_dump(mode="json") for point in meta.history]
    # ensure_ascii=False keeps names readable ("Núñez", not "N\u00fa\u00f1ez"); the file is UTF-8.
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
