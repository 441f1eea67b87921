"""results.jsonl: one JSON result per finished account, flushed and fsynced as it is written.

It is the run's memory: `--resume` reads it to skip what is done (everything but `site_error`), and
`report` renders it again.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from verifier.models import Result, Status

log = logging.getLogger(__name__)

RESULTS_FILE = "results.jsonl"


def result_key(username: str, name: str, row: int | None, status: Status | str) -> str:
    """What makes a result "the same account" across runs and edited rosters.

    Keyed by username (and the person's name, so two people sharing one login are two results).
    Rows that could not be read have no trustworthy username: they are keyed by row number.
    """
    if status == Status.INVALID_INPUT or not username:
        return f"row:{row}"
    return f"{username.strip().lower()}|{' '.join(name.split()).lower()}"


def key_of(result: Result) -> str:
    return result_key(result.username, result.name, result.row, result.status)


def iter_checkpoint(path: Path) -> Iterator[Result]:
    """Results in file order. A torn last line (the process was killed mid-write) is skipped."""
    if not path.exists():
        return
    with path.open("r", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield Result.model_validate_json(line)
            except (ValidationError, json.JSONDecodeError):
                log.warning("%s line %d is incomplete or not a result; skipped", path.name, number)


def done_keys(path: Path) -> set[str]:
    """Accounts (and unreadable rows) already recorded, which `--resume` skips. A row fixed since is a
    new key and runs. An account whose latest result is `site_error` is not done: the site or network
    failed, or a sign-in was not sent again in that run, so `--resume` checks it again (once more)."""
    latest: dict[str, Status] = {}
    for result in iter_checkpoint(path):
        latest[key_of(result)] = result.status
    return {key for key, status in latest.items() if status is not Status.SITE_ERROR}


def latest_results(path: Path) -> list[Result]:
    """One result per account, the latest line winning; an unreadable row's result is dropped once
    the same row was later checked (the user fixed it and resumed)."""
    latest: dict[str, Result] = {}
    for result in iter_checkpoint(path):
        if result.status is not Status.INVALID_INPUT and result.row is not None:
            latest.pop(f"row:{result.row}", None)
        latest.pop(key_of(result), None)
        latest[key_of(result)] = result
    return list(latest.values())


class CheckpointWriter:
    """Appends results durably; safe to kill at any moment (at worst the last line is torn)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._repair_torn_tail()
        self._handle: IO[str] = path.open("a", encoding="utf-8")

    def _repair_torn_tail(self) -> None:
        # A kill mid-write leaves a line without its newline; start the next result on a fresh line.
        if self.path.exists() and self.path.stat().st_size:
            with self.path.open("rb") as handle:
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":
                    with self.path.open("a", encoding="utf-8") as append:
                        append.write("\n")

    def write(self, result: Result) -> None:
        self._handle.write(result.model_dump_json() + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> CheckpointWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
