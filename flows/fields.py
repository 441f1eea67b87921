"""A field's values as a person finds them on a page: pure rules on what the page showed (no browser).

A person reads a field by its structure first: the value a `<label>` names, the cell beside a row's
header or below a column's, the `<dd>` after a `<dt>`, the text just right of the label on its line.
Only where none of that exists do they read on from the label in reading order. Reading order alone
goes wrong when the markup keeps labels apart from their values (a table with a header row, a grid
whose labels column comes before its values column, read-only inputs that hold the values): there the
text after "Account Type" is the next label, not the value.

All three readings are kept, because the page must say one thing: the caller treats values with
different meanings as a conflict and takes none (issue 19). What one reading finds after a label that
is itself a label ("Username", "Email:") is an empty place in that reading, not a value.

The real Manage My Account markup is not public (docs/real-site.md §3): these are the ways a page
built with JSF/PrimeFaces, or by hand, ties a label to its value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

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

    @property
    def chunks(self) -> list[str]:
        """The seen texts in reading order."""
        return [text.text for text in self.texts]

    def values(
        self, label: str, other_labels: Collection[str] = (), known: Callable[[str], bool] | None = None
    ) -> list[str]:
        """Every value the page shows for `label`: what the markup ties to it, and for each other place
        the label is shown, what a person reads there (`_read_at`). `other_labels` are the page's other
        field names, never taken as a value; `known` tells a value the caller understands."""
        wanted = normalize(label)
        names = [label_pattern(name) for name in {*other_labels, label}]
        found = [pair.value for pair in self.pairs if normalize(pair.label) == wanted]
        pattern = label_pattern(label)
        for index, text in enumerate(self.texts):
            if text.paired or inline_value(text.text, pattern) is None:
                continue  # a label the markup has already answered for, or not this label
            found += self._read_at(index, pattern, names, known)
        return found

    def _read_at(
        self, index: int, pattern: re.Pattern[str], names: list[re.Pattern[str]], known: Callable[[str], bool] | None
    ) -> list[str]:
        """The value at one place the label is shown. Written in the label's own text, that is it.
        Else a person looks right of the label on its line, just below it, and reads on from it; a
        field name there is no value. Each of those that `known` understands is kept (two different
        ones are the page saying two things); else the first there is, which reads as not understood."""
        label = self.texts[index]
        inline = inline_value(label.text, pattern)
        if inline:
            return [value_after(self.chunks, index, pattern) or inline]
        seen = [self._beside(label), self._under(label), value_after(self.chunks, index, pattern)]
        readings = [value for value in dict.fromkeys(seen) if value and not _is_a_label(value, names)]
        understood = [value for value in readings if known is not None and known(value)]
        return understood or readings[:1]

    def _beside(self, label: SeenText) -> str | None:
        """The nearest text right of the label on its line, however far (a labels column)."""
        right = [t for t in self.texts if t is not label and t.left >= label.right - 1 and t.on_the_line_of(label)]
        return min(right, key=lambda t: t.left).text if right else None

    def _under(self, label: SeenText) -> str | None:
        """The text just below the label (within a line's height), under it: a value set below its label."""
        line = label.bottom - label.top
        below = [
            t
            for t in self.texts
            if label.bottom - 1 <= t.top <= label.bottom + line and t.left < label.right and t.right > label.left
        ]
        return min(below, key=lambda t: t.top).text if below else None


def _is_a_label(value: str, names: list[re.Pattern[str]]) -> bool:
    """A field's name where a value should be: "Username", "Username: jdoe1234" (the next field, with
    its value), or any text that ends with a colon."""
    return value.rstrip().endswith(":") or any(name.match(value) for name in names)
