"""results.json: everything, for machines."""

from __future__ import annotations

import json
from collections.abc import Sequence

from verifier.models import Result
from verifier.reports import ReportMeta, summary_counts


def render(results: Sequence[Result], meta: ReportMeta) -> str:
    return json.dumps({
        "meta": meta.model_dump(mode="json"),
        "summary": summary_counts(results),
        "results": [r.model_dump(mode="json") for r in results],
    }, indent=2, ensure_ascii=False) + "\n"
