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

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from verifier.errors import UsageError


class Court(BaseModel):
    """One court. Unknown fields are refused, so a misspelt field in a user's file is not silently dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+$", description="PACER's lowercase court id, e.g. cod, utb")
    cso_id: str = ""
    name: str
    kind: Literal["district", "bankruptcy", "appellate"]
    nextgen_go_live: dt.date | None = None
    cmecf_url: str = ""
    generation: Literal["nextgen", "currentgen"] = "nextgen"
    source: str = "not found"
    note: str = ""

    @field_validator("kind", "generation", mode="before")
    @classmethod
    def _lowercase(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("cso_id", mode="before")
    @classmethod
    def _uppercase(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("cmecf_url")
    @classmethod
    def _https(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not value.startswith("https://"):
            raise ValueError("must be an https:// address")
        return value

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
        raise UsageError(f"{path}: cannot read the courts file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path.name}: the courts file is not UTF-8 text") from None
    if path.suffix.lower() == ".csv":
        try:
            rows = list(csv.DictReader(text.splitlines()))
        except csv.Error as exc:
            raise UsageError(f"{path.name}: not a readable CSV file ({exc})") from None
        # A blank cell keeps the registry's value; cells beyond the header's columns are ignored.
        return [{k.strip().lower(): v.strip() for k, v in row.items()
                 if k and k.strip() and isinstance(v, str) and v.strip()} for row in rows]
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
        # JSON null clears a go-live date (date not found); elsewhere it keeps the registry's value.
        entry = {k: v for k, v in entry.items() if v is not None or k == "nextgen_go_live"}
        court_id = str(entry.get("id", "")).strip().lower()
        if not court_id:
            raise UsageError(f"{origin}: court #{number}, field 'id': missing")
        base = into.get(court_id)
        merged = {**(base.model_dump() if base else {}), **entry, "id": court_id}
        try:
            court = Court.model_validate(merged)
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(p) for p in error["loc"]) or "entry"
            raise UsageError(f"{origin}: court #{number} ({court_id}), field '{field}': {error['msg']}") from None
        into[court_id] = court


def load_courts(extra: Path | None = None) -> CourtRegistry:
    """The bundled courts, then the user's file adding or overriding courts by id."""
    courts: dict[str, Court] = {}
    bundled = json.loads(resources.files("verifier").joinpath("data/courts.json").read_text(encoding="utf-8"))
    _parse(bundled["courts"], "bundled courts.json", courts)
    if extra is not None:
        _parse(_entries(extra), extra.name, courts)
    return CourtRegistry(courts)
