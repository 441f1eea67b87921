"""A field's values as a person finds them on a page: pure rules on what the page showed (no browser).

A person reads a field by its structure first: the value a `<label>` names, the cell beside a row's
header or below a column's, the `<dd>` after a `<dt>`, the text just right of the label on its line.
Only where none of that exists do they read on from the label in reading order. Reading order alone
goes wrong when the markup keeps labels apart from their values (a table with a header row, a grid
whose labels column comes before its values column, read-only inputs that hold the values): there the
text after "Account Type" is the next label, not the value.

Every value found is kept, from the markup and from each place the label is shown, because the page
must say one thing: the caller treats values with different meanings as a conflict and takes none
(issue 19). A field name found where a value should be ("Username", "Email:") is an empty place, not
a value.

The real Manage My Account markup is not public (docs/real-site.md §3): these are the ways a page
built with JSF/PrimeFaces, or by hand, ties a label to its value.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property

from flows.classify import inline_value, label_pattern, normalize, value_after


@dataclass(frozen=True)
class SeenText:
    """One text a person sees, and where it lies on the page (CSS px from the page's top left)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    paired: bool = False
    """Inside an element the markup ties to a value (a <label for>, a <th>, a <dt>): read through the pair."""

    def on_the_line_of(self, other: SeenText) -> bool:
        """Whether the two share most of a line's height."""
        shared = min(self.bottom, other.bottom) - max(self.top, other.top)
        return shared >= 0.5 * min(self.bottom - self.top, other.bottom - other.top)


@dataclass(frozen=True)
class MarkedPair:
    """A label and a value the markup ties together (`how`: label, aria-labelledby, dl, row, column)."""

    label: str
    value: str
    how: str


@dataclass(frozen=True)
class PageFields:
    """What a person saw on one page: its texts with their places, and the markup's label-value pairs."""

    texts: list[SeenText]
    pairs: list[MarkedPair]

    @cached_property
    def chunks(self) -> list[str]:
        """The seen texts in reading order."""
        return [text.text for text in self.texts]

    def values(self, label: str, other_labels: Collection[str] = ()) -> list[str]:
        """Every value the page shows for `label`: what the markup ties to it, and for each other place
        the label is shown, what a person reads there (`_read_at`). `other_labels` are the page's other
        field names, never taken as a value."""
        wanted = normalize(label)
        names = [label_pattern(name) for name in {*other_labels, label}]
        found = [pair.value for pair in self.pairs if normalize(pair.label) == wanted]
        pattern = label_pattern(label)
        for index, text in enumerate(self.texts):
            inline = inline_value(text.text, pattern)
            if text.paired or inline is None:
                continue  # a label the markup has already answered for, or not this label
            found += self._read_at(index, inline, pattern, names)
        return found

    def _read_at(self, index: int, inline: str, pattern: re.Pattern[str], names: list[re.Pattern[str]]) -> list[str]:
        """The values at one place the label is shown. Written in the label's own text, that is it.
        Else the text right of the label on its line: close by (within three line heights), that is
        the value; further away (a labels column, or a sidebar?) it is kept together with the text
        just below the label, if any, so that two there are the page saying two things. A label with
        neither is read on in reading order. A field name in any of those places is no value."""
        label = self.texts[index]
        if inline:
            return [value_after(self.chunks, index, pattern) or inline]
        beside, under = self._beside(label, names), self._under(label, names)
        if beside is not None and (under is None or beside.left - label.right <= 3 * (label.bottom - label.top)):
            return [beside.text]
        placed = [text.text for text in (beside, under) if text is not None]
        if placed:
            return list(dict.fromkeys(placed))
        following = value_after(self.chunks, index, pattern)
        return [following] if following and not _is_a_label(following, names) else []

    def _beside(self, label: SeenText, names: list[re.Pattern[str]]) -> SeenText | None:
        """The nearest text right of the label on its line, however far, unless it is a field name."""
        right = [t for t in self.texts if t is not label and t.left >= label.right - 1 and t.on_the_line_of(label)]
        nearest = min(right, key=lambda t: t.left, default=None)
        return nearest if nearest is not None and not _is_a_label(nearest.text, names) else None

    def _under(self, label: SeenText, names: list[re.Pattern[str]]) -> SeenText | None:
        """The text just below the label (within a line's height) and under it, unless it is a field name."""
        line = label.bottom - label.top
        below = [
            t
            for t in self.texts
            if label.bottom - 1 <= t.top <= label.bottom + line and t.left < label.right and t.right > label.left
        ]
        nearest = min(below, key=lambda t: t.top, default=None)
        return nearest if nearest is not None and not _is_a_label(nearest.text, names) else None


def _is_a_label(value: str, names: list[re.Pattern[str]]) -> bool:
    """A field's name where a value should be: "Username", "Username: jdoe1234" (the next field, with
    its value), or any text that ends with a colon."""
    return value.rstrip().endswith(":") or any(name.match(value) for name in names)
