"""The court registry: which courts are on NextGen CM/ECF, since when, and where that date comes from.

The bundled registry (verifier/data/courts.json, mirrored in fixtures/courts.json) is seeded from the
public facts in pacer-reference.md; a firm adds or corrects courts with its own file (`--courts`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from verifier.errors import UsageError


class Court(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    cso_id: str = ""
    name: str
    kind: Literal["district", "bankruptcy", "appellate"]
    nextgen_go_live: dt.date | None = None
    cmecf_url: str = ""
    generation: Literal["nextgen", "currentgen"] = "nextgen"
    source: str = "not found"
    note: str = ""

    def live_on(self, day: dt.date) -> bool:
        """On NextGen on that day (a NextGen court with no known date is taken as live)."""
        if self.generation != "nextgen":
            return False
        return self.nextgen_go_live is None or day >= self.nextgen_go_live


class CourtRegistry:
    def __init__(self, courts: dict[str, Court]) -> None:
        self._courts = courts

    def get(self, court_id: str) -> Court | None:
        return self._courts.get(court_id.strip().lower())

    def __contains__(self, court_id: object) -> bool:
        return isinstance(court_id, str) and court_id.strip().lower() in self._courts

    def __iter__(self) -> Iterator[Court]:
        return iter(sorted(self._courts.values(), key=lambda c: c.id))

    def __len__(self) -> int:
        return len(self._courts)

    def ids(self) -> list[str]:
        return sorted(self._courts)


def _entries(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the courts file ({exc.strerror})") from None
    if path.suffix.lower() == ".csv":
        return [{k.strip().lower(): (v.strip() or None) for k, v in row.items() if k} for row in csv.DictReader(
            text.splitlines())]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path.name}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    data = data.get("courts", data) if isinstance(data, dict) else data
    if not isinstance(data, list):
        raise UsageError(f"{path.name}: expected a list of courts or {{\"courts\": [...]}}")
    return data


def _parse(entries: list[dict[str, Any]], origin: str, into: dict[str, Court]) -> None:
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise UsageError(f"{origin}: court #{number} is not an object")
        entry = {k: v for k, v in entry.items() if v is not None}
        court_id = str(entry.get("id", "")).strip().lower()
        base = into.get(court_id)
        merged = {**(base.model_dump() if base else {}), **entry, "id": court_id}
        try:
            court = Court.model_validate(merged)
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(p) for p in error["loc"]) or "entry"
            raise UsageError(f"{origin}: court #{number} ({court_id or 'no id'}), field '{field}': {error['msg']}") \
                from None
        if not court_id:
            raise UsageError(f"{origin}: court #{number}, field 'id': missing")
        into[court_id] = court


def load_courts(extra: Path | None = None) -> CourtRegistry:
    """The bundled courts, then the user's file adding or overriding courts by id."""
    courts: dict[str, Court] = {}
    bundled = json.loads(resources.files("verifier").joinpath("data/courts.json").read_text(encoding="utf-8"))
    _parse(bundled["courts"], "bundled courts.json", courts)
    if extra is not None:
        _parse(_entries(extra), extra.name, courts)
    return CourtRegistry(courts)
