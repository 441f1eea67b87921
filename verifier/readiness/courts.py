"""The court registry: every CM/ECF court, whether it is on NextGen, since when, and where that comes from.

The bundled registry (verifier/data/courts.json, the only copy) is written by `verifier.readiness.courts_lookup`
from PACER's Court CM/ECF Lookup data, keeping the NextGen dates that courts' own notices give (see
docs/real-site.md). A firm adds or corrects courts with its own file (`--courts`, JSON or CSV with the
same fields), matched by court id; `pacer-verify courts --update data.json` writes such a file from a
newer lookup download.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from rapidfuzz.distance import OSA

from verifier import inputs
from verifier.errors import UsageError

NOT_FOUND = "not found"
BUNDLED_NAME = "bundled courts.json"
# Words a courts file may use for "no known go-live date" (a blank CSV cell keeps the registry's value).
NO_DATE_WORDS = frozenset({"null", "none", "not found", "unknown", "n/a"})
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# `ecf.cod.uscourts.gov`, with or without a scheme, path or trailing dot: the court's CM/ECF host.
_ECF_HOST = re.compile(r"^(?:https?://)?ecf\.([a-z0-9]+)(?:\.[a-z0-9]+)?\.uscourts\.gov\.?(?:[/:].*)?$")
Kind = Literal["district", "bankruptcy", "appellate", "national"]


def _no_date(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in NO_DATE_WORDS)


class Court(BaseModel):
    """One court. Unknown fields are refused, so a misspelt field in a user's file is not silently dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+$", description="the name in ecf.<id>.uscourts.gov, e.g. cod, utb")
    cso_id: str = Field(default="", description="PACER's Central Sign-On court id, e.g. CODC, COBK, 01CA")
    name: str = Field(min_length=1)
    kind: Kind
    circuit: str = ""
    cmecf_url: str = ""
    software_version: str = ""
    generation: Literal["nextgen", "currentgen"] = "nextgen"
    nextgen_go_live: dt.date | None = None
    source: str = NOT_FOUND
    acms: bool = Field(default=False, description="files through ACMS, not NextGen CM/ECF appellate")
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

    @field_validator("acms", mode="before")
    @classmethod
    def _yes_no(cls, value: object) -> object:
        # A CSV cell says "yes"/"true"/"1"; pydantic alone would refuse "yes".
        if isinstance(value, str):
            return value.strip().lower() in ("1", "true", "yes", "y")
        return value

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


def court_key(text: str) -> str:
    """A court as a roster cell or `--court` may write it, reduced to the lowercase form ids are kept in:
    `COD` → `cod`, `https://ecf.cod.uscourts.gov/` → `cod`. A CSO id (`CODC`) stays `codc`; the registry
    maps it."""
    text = text.strip().lower()
    host = _ECF_HOST.match(text)
    return host.group(1) if host else text


class CourtRegistry:
    """Courts by lowercase id. Look-ups forgive case, surrounding spaces, a CSO id (`CODC`) and a CM/ECF
    host name (`ecf.cod.uscourts.gov`), as roster cells have them."""

    def __init__(self, courts: Mapping[str, Court], snapshot: str = "") -> None:
        self._courts = dict(courts)
        self.snapshot = snapshot
        """The date of the lookup data the registry was built from (YYYY-MM-DD), "" when unknown."""
        self._by_cso = {c.cso_id.lower(): c.id for c in self._courts.values() if c.cso_id}

    def canonical_id(self, text: str) -> str | None:
        """The registry's id for a court however it is written, or None for a court it does not know."""
        key = court_key(text)
        if key in self._courts:
            return key
        return self._by_cso.get(key)

    def get(self, court_id: str) -> Court | None:
        canonical = self.canonical_id(court_id)
        return self._courts[canonical] if canonical else None

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """The known ids closest to a court id that is not known ("did you mean cod?"): by edit distance
        counting a swap of two neighbours as one edit (`cdo` → `cod`), one edit for ids of up to 5
        characters (court ids are short: two edits would suggest half the registry), two beyond."""
        key = court_key(text)
        names = {**{i: i for i in self._courts}, **self._by_cso}
        most = 1 if len(key) <= 5 else 2
        close = sorted((OSA.distance(key, name), name) for name in names)
        return list(dict.fromkeys(names[name] for distance, name in close if 0 < distance <= most))[:limit]

    def __contains__(self, court_id: object) -> bool:
        return isinstance(court_id, str) and self.canonical_id(court_id) is not None

    def __iter__(self) -> Iterator[Court]:
        return iter(sorted(self._courts.values(), key=lambda c: c.id))

    def __len__(self) -> int:
        return len(self._courts)

    def ids(self) -> list[str]:
        return sorted(self._courts)

    def with_courts(self, courts: Iterable[Mapping[str, Any]], origin: str) -> CourtRegistry:
        """A copy with these courts added or overriding by id (as a `--courts` file would)."""
        merged = dict(self._courts)
        _parse([_Entry(f"court #{n}", dict(c)) for n, c in enumerate(courts, start=1)], origin, merged)
        return CourtRegistry(merged, self.snapshot)


def did_you_mean(suggestions: list[str]) -> str:
    if not suggestions:
        return "see `pacer-verify courts`"
    return "did you mean " + " or ".join(suggestions) + "?"


@dataclass(frozen=True)
class _Entry:
    """One court as read from a file, with how to name it in an error."""

    label: str
    data: object


def _read_text(path: Path) -> str:
    try:
        return inputs.read_regular_bytes(path, "--courts", inputs.MAX_COURTS).decode("utf-8-sig")
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
            cells = {
                k.strip().lower(): v.strip()
                for k, v in row.items()
                if k and k.strip() and isinstance(v, str) and v.strip()
            }
            entries.append(_Entry(f"row {number} (line {reader.line_num})", cells))
    except csv.Error as exc:
        raise UsageError(f"{path.name}: not a readable CSV file ({exc})") from None
    return entries


def _json_entries(path: Path, text: str) -> tuple[list[_Entry], str]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path.name}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    # Both shapes are read: the bundled {"courts": [...]} (which `courts --update` writes, with the
    # lookup's date) and the bare list `pacer-verify courts --json` prints.
    snapshot = _snapshot_of(data)
    data = data.get("courts", data) if isinstance(data, dict) else data
    if not isinstance(data, list):
        raise UsageError(f'{path.name}: expected a list of courts or {{"courts": [...]}}')
    return [_Entry(f"court #{number}", entry) for number, entry in enumerate(data, start=1)], snapshot


def _snapshot_of(data: object) -> str:
    lookup = data.get("lookup") if isinstance(data, dict) else None
    snapshot = lookup.get("snapshot") if isinstance(lookup, dict) else None
    return snapshot if isinstance(snapshot, str) and _ISO_DATE.match(snapshot) else ""


def _entries(path: Path) -> tuple[list[_Entry], str]:
    text = _read_text(path)
    if path.suffix.lower() == ".csv":
        return _csv_entries(path, text), ""
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
        court_id = _entry_id(entry, origin, into)
        merged = _merge({**entry.data, "id": court_id}, into.get(court_id), origin)
        try:
            into[court_id] = Court.model_validate(merged)
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(p) for p in error["loc"]) or "entry"
            message = str(error["msg"]).removeprefix("Value error, ")
            raise UsageError(f"{origin}: {entry.label} ({court_id}), field '{field}': {message}") from None


def _entry_id(entry: _Entry, origin: str, into: Mapping[str, Court]) -> str:
    """The entry's court id; `COD`, `CODC` (a known court's CSO id) and `ecf.cod.uscourts.gov` all name cod."""
    assert isinstance(entry.data, dict)
    court_id = court_key(str(entry.data.get("id") or ""))
    if not court_id:
        raise UsageError(f"{origin}: {entry.label}, field 'id': missing")
    if court_id not in into:
        by_cso = next((c.id for c in into.values() if c.cso_id.lower() == court_id), None)
        court_id = by_cso or court_id
    return court_id


def bundled_text() -> str:
    """The bundled registry file's text. Package data, so an installed pacer-verify finds it too."""
    return resources.files("verifier").joinpath("data/courts.json").read_text(encoding="utf-8")


def _bundled() -> tuple[list[_Entry], str]:
    data = json.loads(bundled_text())
    return [_Entry(f"court #{n}", c) for n, c in enumerate(data["courts"], start=1)], _snapshot_of(data)


def registry_from_file(path: Path) -> CourtRegistry:
    """One courts file on its own, without the bundled registry under it."""
    courts: dict[str, Court] = {}
    entries, snapshot = _entries(path)
    _parse(entries, path.name, courts)
    return CourtRegistry(courts, snapshot)


def load_courts(extra: Path | None = None) -> CourtRegistry:
    """The bundled courts, then the user's file (JSON or CSV) adding or overriding courts by id. The
    registry's snapshot date is the user's file's when it has one (`courts --update` writes it)."""
    courts: dict[str, Court] = {}
    entries, snapshot = _bundled()
    _parse(entries, BUNDLED_NAME, courts)
    if extra is not None:
        extra_entries, extra_snapshot = _entries(extra)
        _parse(extra_entries, extra.name, courts)
        snapshot = extra_snapshot or snapshot
    return CourtRegistry(courts, snapshot)
