"""The progress display at 80 columns: the bar, the count, accounts per minute and the ETA stay on one
readable line however many statuses appear; the counts per status go on the line below."""

from __future__ import annotations

from helpers import make_result
from rich.console import Console

from verifier.models import Status
from verifier.run.progress import BarProgress


def _drawn(progress: BarProgress, width: int) -> list[str]:
    screen = Console(width=width, record=True, color_system=None, force_terminal=False)
    for renderable in progress.renderables():
        screen.print(renderable)
    return screen.export_text().splitlines()


def test_every_status_seen_leaves_the_bar_line_whole_at_80_columns() -> None:
    progress = BarProgress(total=1000, console=Console(width=80, color_system=None, force_terminal=False))
    for status in Status:  # every status at once: the longest counts line there can be
        for _ in range(3):
            progress.finished(make_result(name="Alice Smith", username="asmith2001", status=status))
    lines = _drawn(progress, 80)
    bar = lines[0]
    assert bar.startswith("Checking") and f"{3 * len(Status)}/1000" in bar
    assert "/min" in bar and "ETA" in bar
    assert "…" not in "\n".join(lines)
    assert all(len(line) <= 80 for line in lines)
    counts = " ".join(lines[1:])
    for status in Status:  # every count shown whole, none cut
        assert f"{status.value} 3" in counts


def test_before_any_account_the_pace_is_not_guessed() -> None:
    progress = BarProgress(total=10, console=Console(width=80, color_system=None, force_terminal=False))
    (bar,) = _drawn(progress, 80)
    assert "0/10" in bar and "--/min" in bar
