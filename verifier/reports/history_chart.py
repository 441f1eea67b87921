"""The readiness-over-runs chart of the HTML report: stacked columns, one per run, as plain SVG shapes.

Geometry only (no markup), so the template draws it with attributes alone: the report's CSP allows no
inline style, and the chart needs no script and no network.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from verifier.store.history import RunPoint

WIDTH, TOP, PLOT_HEIGHT = 520, 12, 150
BASELINE = TOP + PLOT_HEIGHT
#: Bottom to top, with the colours of the status chart (ready green, to do amber, not checked slate).
KINDS = (("ready", "Ready", "#1a7f37"), ("todo", "To do", "#b35c00"), ("not_checked", "Not checked", "#475569"))


@dataclass
class Segment:
    kind: str
    label: str
    count: int
    y: float
    height: float
    color: str


@dataclass
class Column:
    point: RunPoint
    x: float
    width: float
    center: float
    label: str
    segments: list[Segment]

    @property
    def top(self) -> float:
        return min((s.y for s in self.segments if s.count), default=BASELINE)


def date_label(point: RunPoint, *, with_time: bool = False) -> str:
    """ "12-01" under the column ("12-01 09:30" when another run shares the day); the run's full name is
    in its tooltip and the table."""
    if len(point.label) < 10:
        return point.label
    label = point.label[5:10]
    time = re.match(r"T(\d{2})(\d{2})", point.label[10:])
    return f"{label} {time.group(1)}:{time.group(2)}" if with_time and time else label


def columns(points: Sequence[RunPoint]) -> list[Column]:
    if not points:
        return []
    top = max(p.total for p in points) or 1
    step = WIDTH / len(points)
    width = min(44.0, step * 0.6)
    days = Counter(p.label[:10] for p in points)
    found = []
    for index, point in enumerate(points):
        y = float(BASELINE)
        segments = []
        for kind, label, color in KINDS:
            count = getattr(point, kind)
            height = round(PLOT_HEIGHT * count / top, 1)
            y = round(y - height, 1)
            segments.append(Segment(kind, label, count, y, height, color))
        center = round(step * index + step / 2, 1)
        label = date_label(point, with_time=days[point.label[:10]] > 1)
        found.append(Column(point, round(center - width / 2, 1), round(width, 1), center, label, segments))
    return found
