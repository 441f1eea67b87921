"""The terminal summary at 80 columns: the counts per status wrap between two statuses, never inside one."""

from __future__ import annotations

import io

from helpers import make_result
from rich.console import Console

from verifier.models import Status
from verifier.reports.terminal import render_summary


def test_the_counts_per_status_wrap_between_statuses_at_80_columns() -> None:
    # The demo's mix, whose line once broke as "… legacy" / "16 · upgraded 35".
    mix = {"locked": 2, "invalid_credentials": 1, "otp_rejected": 1, "update_required": 2, "mfa_required": 1}
    mix |= {"invalid_input": 4, "unrecognized_page": 1, "site_error": 1, "legacy": 16, "upgraded": 35}
    results = [make_result(Status(s), username=f"{s}{n}") for s, count in mix.items() for n in range(count)]
    out = io.StringIO()
    render_summary(results, Console(file=out, width=80, force_terminal=False, color_system=None))
    text = out.getvalue()
    start = text.index("By status:")
    lines = text[start : text.index(" ready", start)].splitlines()[:-1]
    assert len(lines) > 1 and all(len(line) <= 80 for line in lines)
    for line in lines:
        words = line.replace("By status:", "").replace("·", " ").split()
        # every status name is followed by its count on the same line
        assert all(b.isdigit() for a, b in zip(words[::2], words[1::2], strict=True)), line
