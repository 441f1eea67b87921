"""The court registry: which courts are on NextGen CM/ECF, since when, and where that date comes from.

The bundled registry (verifier/data/courts.json, kept identical to fixtures/courts.json) is seeded from
the public facts in docs/real-site.md §4; a firm adds or corrects courts with its own file (`--courts`,
JSON or CSV with the same fields), matched by court id.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from verifier.errors import UsageError

NOT_FOUND = "not found"
# Words a courts file may use for "no known go-live date" (a blank CSV cell keeps the registry's value).
NO_DATE_WORDS = frozenset({"null", "none", "not found", "unknown", "n/a"})
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _no_date(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in NO_DATE_WORDS)


class Court(BaseModel):
    """One court. Unknown fields are refused, so a misspelt field in a user's file is not silently dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+$", description="PACER's lowercase court id, e.g. cod, utb")
    cso_id: str = ""
    name: str = Field(min_length=1)
    kind: Literal["district", "bankruptcy", "appellate"]
    nextgen_go_live: dt.date | None = None
    cmecf_url: str = ""
    generation: Literal["nextgen", "currentgen"] = "nextgen"
    source: str = NOT_FOUND
    note: str = ""

    @field_validator("kind", "generation", mode="before")
    @classmethod
    def _lowercase(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("cso_id", mode="before")
    @classmethod
    def _uppercase(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("nextgen_go_live", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        # Only YYYY-MM-DD: "02/03/2020" is ambiguous, and pydantic would read a bare number as a timestamp.
        if value is None or isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            text = value.strip()
            if _no_date(text):
                return None
            if _ISO_DATE.match(text):
                try:
                    return dt.date.fromisoformat(text)
                except ValueError:
                    pass
        raise ValueError(f"expected a date as YYYY-MM-DD (e.g. 2021-08-02) or null, got {value!r}")

    @field_validator("cmecf_url")
    @classmethod
    def _https(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not value.startswith("https://"):
            raise ValueError("must be an https:// address")
        return value

    @property
    def is_nextgen(self) -> bool:
        return self.generation == "nextgen"

    def live_on(self, day: dt.date) -> bool:
        """On NextGen on that day. A NextGen court with no known date is taken as live: PACER's lookup
        already lists it as NextGen, so its go-live is in the past."""
        if not self.is_nextgen:
            return False
        return self.nextgen_go_live is None or day >= self.nextgen_go_live


class CourtRegistry:
    """Courts by lowercase id. Look-ups forgive case and surrounding spaces, as roster cells have them."""

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


@dataclass(frozen=True)
class _Entry:
    """One court as read from a file, with how to name it in an error."""

    label: str
    data: object


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the courts file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path.name}: the courts file is not UTF-8 text") from None


def _csv_entries(path: Path, text: str) -> list[_Entry]:
    # StringIO with newline="" so that a quoted cell may hold a line break.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    entries = []
    try:
        for number, row in enumerate(reader, start=1):
            # A blank cell keeps the registry's value; cells beyond the header's columns are ignored.
            cells = {k.strip().lower(): v.strip() for k, v in row.items()
                     if k and k.strip() and isinstance(v, str) and v.strip()}
            entries.append(_Entry(f"row {number} (line {reader.line_num})", cells))
    except csv.Error as exc:
        raise UsageError(f"{path.name}: not a readable CSV file ({exc})") from None
    return entries


def _json_entries(path: Path, text: str) -> list[_Entry]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path.name}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    # Both shapes are read: the bundled {"courts": [...]} and the bare list `pacer-verify courts --json` prints.
    data = data.get("courts", data) if isinstance(data, dict) else data
    if not isinstance(data, list):
        raise UsageError(f"{path.name}: expected a list of courts or {{\"courts\": [...]}}")
    return [_Entry(f"court #{number}", entry) for number, entry in enumerate(data, start=1)]


def _entries(path: Path) -> list[_Entry]:
    text = _read_text(path)
    if path.suffix.lower() == ".csv":
        return _csv_entries(path, text)
    return _json_entries(path, text)


def _merge(entry: dict[str, Any], base: Court | None, origin: str) -> dict[str, Any]:
    """The court's fields after this entry: the registry's values, then the entry's."""
    # JSON null clears a go-live date (date not found); for every other field it keeps the registry's value.
    given = {k: v for k, v in entry.items() if v is not None or k == "nextgen_go_live"}
    merged = {**(base.model_dump() if base else {}), **given}
    if "nextgen_go_live" in given and "source" not in given:
        # A date from the user's file must not carry the bundled source (or its note) as if that said so.
        merged["source"] = NOT_FOUND if _no_date(given["nextgen_go_live"]) else origin
        if base is not None and "note" not in given:
            merged["note"] = ""
    return merged


def _parse(entries: list[_Entry], origin: str, into: dict[str, Court]) -> None:
    for entry in entries:
        if not isinstance(entry.data, dict):
            raise UsageError(f"{origin}: {entry.label} is not an object")
        court_id = str(entry.data.get("id") or "").strip().lower()
        if not court_id:
            raise UsageError(f"{origin}: {entry.label}, field 'id': missing")
        merged = _merge({**entry.data, "id": court_id}, into.get(court_id), origin)
        try:
            into[court_id] = Court.model_validate(merged)
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(p) for p in error["loc"]) or "entry"
            message = str(error["msg"]).removeprefix("Value error, ")
            raise UsageError(f"{origin}: {entry.label} ({court_id}), field '{field}': {message}") from None


def _bundled() -> list[_Entry]:
    # Package data, so an installed pacer-verify finds it too (fixtures/ exists only in a checkout).
    text = resources.files("verifier").joinpath("data/courts.json").read_text(encoding="utf-8")
    return [_Entry(f"court #{n}", c) for n, c in enumerate(json.loads(text)["courts"], start=1)]


def load_courts(extra: Path | None = None) -> CourtRegistry:
    """The bundled courts, then the user's file (JSON or CSV) adding or overriding courts by id."""
    courts: dict[str, Court] = {}
    _parse(_bundled(), "bundled courts.json", courts)
    if extra is not None:
        _parse(_entries(extra), extra.name, courts)
    return CourtRegistry(courts)
