"""results.jsonl: one JSON result per finished account, flushed and fsynced as it is written.

It is the run's memory: `--resume` reads it to skip what is done (everything but `site_error`, and but
what `--recheck` names), and `report` renders it again.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from verifier import outputs
from verifier.errors import UsageError
from verifier.models import Result, Status
from verifier.system import files

log = logging.getLogger(__name__)

RESULTS_FILE = "results.jsonl"


def row_key(row: int | None) -> str:
    """The key of a roster row that could not be used: it has no trustworthy username, so its row number."""
    return f"row:{row}"


def account_key(username: str, name: str, row: int | None) -> str:
    """What makes a result "the same account" across runs and edited rosters: its username, and the
    person's name, so two people sharing one login are two results (a row without a username: its row)."""
    if not username:
        return row_key(row)
    return f"{username.strip().lower()}|{' '.join(name.split()).lower()}"


def key_of(result: Result) -> str:
    """A result's key: its account's (``account_key``), or an unusable row's (``row_key``)."""
    if result.status is Status.INVALID_INPUT:
        return row_key(result.row)
    return account_key(result.username, result.name, result.row)


def iter_checkpoint(path: Path) -> Iterator[Result]:
    """Results in file order. A torn last line (the process was killed mid-write) is skipped."""
    if not path.exists():
        return
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                # Not a torn line (those are skipped): the file was edited or is another file. Skipping
                # the line would sign that account in again, so the user decides.
                raise UsageError(
                    f"{path}: line {number} is not UTF-8 text (byte 0x{raw[exc.start]:02x}); pacer-verify writes "
                    "UTF-8 only: fix or remove that line"
                ) from None
            if not line.strip():
                continue
            try:
                yield Result.model_validate_json(line)
            except (ValidationError, json.JSONDecodeError):
                log.warning("%s line %d is incomplete or not a result; skipped", path.name, number)


def done_keys(
    path: Path, recheck: frozenset[str] = frozenset(), recheck_statuses: frozenset[Status] = frozenset()
) -> set[str]:
    """Accounts (and unreadable rows) already recorded, which `--resume` skips. A row fixed since is a
    new key and runs. An account whose latest result is `site_error` is not done: the site or network
    failed, or a sign-in was not sent again in that run, so `--resume` checks it again (once more).

    `recheck` (lower-case usernames) and `recheck_statuses`: accounts to check again although done
    (`--recheck`, `--recheck-status`), once the firm has fixed what their result asked for."""
    latest: dict[str, Result] = {}
    for result in iter_checkpoint(path):
        key = key_of(result)
        if key not in latest or replaces(latest[key], result):
            latest[key] = result
    return {
        key
        for key, result in latest.items()
        if result.status is not Status.SITE_ERROR
        and result.status not in recheck_statuses
        and result.username.strip().lower() not in recheck
    }


def replaces(earlier: Result, later: Result) -> bool:
    """Whether a later line for the same account replaces an earlier one: it does, unless the later one
    is only an attempt (`serve`'s failed sign-in, which anyone who reaches its page can cause) and the
    earlier one says something about the account. Then the earlier reading stays what the account is.
    Every reader of results.jsonl keeps this rule (`bulk --resume`, `report`, `notices`, /admin)."""
    if not later.attempt_only:
        return True
    return earlier.attempt_only or earlier.status in (Status.SITE_ERROR, Status.INVALID_INPUT)


def latest_results(path: Path) -> list[Result]:
    """One result per account, the latest line winning (an attempt does not win over a reading: see
    `replaces`); an unreadable row's result is dropped once the same row was later checked (the user
    fixed it and resumed)."""
    latest: dict[str, Result] = {}
    for result in iter_checkpoint(path):
        keep(latest, result)
    return list(latest.values())


def keep(latest: dict[str, Result], result: Result) -> None:
    """Add the next line of a results file to one-result-per-account `latest` (in place)."""
    key = key_of(result)
    if key in latest and not replaces(latest[key], result):
        return  # an attempt after a reading: the reading stays
    if result.status is not Status.INVALID_INPUT and result.row is not None:
        latest.pop(f"row:{result.row}", None)
    latest.pop(key, None)  # re-inserted, so the order follows the latest line
    latest[key] = result


class CheckpointWriter:
    """Appends results durably; safe to kill at any moment (at worst the last line is torn), and a
    failed write (a full disk) leaves the file as it was before that line, then raises OutputError."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = outputs.open_append(path)  # a symlinked checkpoint is refused here
        self._repair_torn_tail()

    def _repair_torn_tail(self) -> None:
        # A kill mid-write leaves a line without its newline; start the next result on a fresh line.
        assert self._fd is not None
        size = os.fstat(self._fd).st_size
        if size and files.read_at(self._fd, 1, size - 1) != b"\n":
            outputs.append_line(self._fd, self.path, b"\n")

    def write(self, result: Result) -> None:
        if self._fd is None:
            raise ValueError(f"{self.path} is closed")
        outputs.append_line(self._fd, self.path, (result.model_dump_json() + "\n").encode("utf-8"))

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def __enter__(self) -> CheckpointWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
