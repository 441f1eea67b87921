"""What IT knows of each account from results.jsonl: its last reading (the rule every reader keeps,
verifier.store.checkpoint.replaces: a failed sign-in through the page never replaces it), and the
failed sign-ins recorded since that reading."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from verifier.models import Result
from verifier.store.checkpoint import iter_checkpoint, key_of, replaces


@dataclass
class Known:
    shown: Result
    """The last reading; the last attempt when there is no reading yet."""
    attempts: list[Result] = field(default_factory=list)
    """Failed sign-ins recorded after that reading (every one, when there is no reading)."""


def what_is_known(path: Path) -> list[Known]:
    return known_from(iter_checkpoint(path))


def known_from(results: Iterable[Result]) -> list[Known]:
    known: dict[str, Known] = {}
    for result in results:
        key = key_of(result)
        item = known.get(key)
        if item is None:
            known[key] = Known(result, [result] if result.attempt_only else [])
            continue
        if result.attempt_only:
            item.attempts.append(result)
        else:
            item.attempts = []  # a new reading: what failed before it is history
        if replaces(item.shown, result):
            item.shown = result
    return list(known.values())
