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


def _file_console(out: io.StringIO) -> Console:
    from verifier.reports.terminal import unwrapped

    return unwrapped(Console(file=out, force_terminal=False, color_system=None))  # a file: not a terminal


def test_sent_to_a_file_no_line_is_wrapped_and_none_ends_in_blanks() -> None:
    from verifier.reports.terminal import render_again

    long_name = "Maximiliana Genoveva Featherstonehaugh-Cholmondeley"
    results = [
        make_result(Status.INVALID_CREDENTIALS, name=long_name, username="mfeather2001"),
        make_result(Status.LEGACY, name="Elena Garcia", username="egarcia2005", next_steps=["Upgrade " + "x" * 120]),
    ]
    out = io.StringIO()
    console = _file_console(out)
    render_summary(results, console)
    again = "pacer-verify bulk '/srv/pacer/a rather long folder name/roster.csv' --out /srv/pacer/out --resume"
    render_again(results, again, console)
    lines = out.getvalue().splitlines()
    assert any(long_name in line and "mfeather2001" in line for line in lines)  # one attorney, one line
    assert f"    {again} --recheck mfeather2001" in lines  # the command whole, on its own line
    assert all(line == line.rstrip() for line in lines)
    assert max(len(line) for line in lines) > 80  # nothing folded at 80 columns


def test_at_80_columns_a_bullet_wraps_under_its_text() -> None:
    from verifier.reports.terminal import print_bullets

    step = "Check the username (--username or PACER_USERNAME) and the password (PACER_PASSWORD, " * 2
    out = io.StringIO()
    print_bullets(Console(file=out, width=80, force_terminal=False, color_system=None), [step.strip(), "Short."])
    lines = [line.rstrip() for line in out.getvalue().splitlines()]
    assert lines[0].startswith("  • Check the username") and all(len(line) <= 80 for line in lines)
    assert len(lines) > 2 and all(line.startswith("    ") and line[4] != " " for line in lines[1:-1])
    assert lines[-1] == "  • Short."


def test_sent_to_a_file_a_bullet_is_one_line() -> None:
    from verifier.reports.terminal import print_bullets

    step = "word " * 40
    out = io.StringIO()
    print_bullets(_file_console(out), [step.strip()])
    assert out.getvalue() == f"  • {step.strip()}\n"
