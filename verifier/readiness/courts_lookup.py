"""PACER's Court CM/ECF Lookup data (`data.json`) → our court registry format.

PACER publishes every CM/ECF court at https://pacer.uscourts.gov/file-case/court-cmecf-lookup, its data
as `.../court-cmecf-lookup/data.json`: `{"meta": {"last_updated": ...}, "data": [{"court_id": "CODC",
"title": ..., "software_version": ..., "login_url": ..., "type": ..., "circuit": ...}, ...]}`. Its
`go_live_date` is the court's original CM/ECF date, not its NextGen date, so it is not used.

Used by `pacer-verify courts --update FILE` (a file the user downloaded; nothing here touches the
network) and to write the bundled registry from a saved copy:

    python -m verifier.readiness.courts_lookup data.json --base verifier/data/courts.json -o verifier/data/courts.json

A court's NextGen date and source from its own notice (kept in the base registry) survive an update;
every other court is "NextGen per the lookup snapshot of <date>".
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier import inputs
from verifier.errors import UsageError
from verifier.readiness.courts import Court, CourtRegistry, load_courts

LOOKUP_URL = "https://pacer.uscourts.gov/file-case/court-cmecf-lookup/data.json"
LOOKUP_SOURCE = "NextGen per the lookup snapshot of "
KINDS = {"district": "district", "bankruptcy": "bankruptcy", "appeals": "appellate", "national": "national"}
_HOST = re.compile(r"^(?:https?://)?ecf\.([a-z0-9]+)(?:\.[a-z0-9]+)?\.uscourts\.gov/?$", re.IGNORECASE)
_BAP = re.compile(r"^(\d{2})BAP$")
# The Second and Ninth Circuits file through ACMS, though the lookup still lists them as NextGen
# appellate 1.8 (docs/real-site.md). What ACMS asks of a filer instead of CM/ECF linking is not in
# any source we have, so the note says only that the linking step does not apply.
ACMS_NOTE = (
    "files through ACMS (the Appellate Case Management System), not NextGen CM/ECF, although "
    "the lookup still lists NextGen appellate; the CM/ECF linking step does not apply there: "
    "follow the court's ACMS filer instructions"
)
ACMS_COURTS = frozenset({"ca2", "ca9"})


@dataclass
class Conversion:
    """The courts a lookup file gives, in our format, and what was left out and why."""

    snapshot: str
    courts: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_lookup(path: Path) -> dict[str, Any]:
    """The lookup file as JSON, or one clear UsageError naming the file and what is wrong."""
    try:
        text = inputs.read_regular_bytes(path, "lookup file", inputs.MAX_COURTS).decode("utf-8-sig")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the lookup file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path.name}: not PACER's court lookup data (not UTF-8 text)") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{path.name}: not PACER's court lookup data (not valid JSON: line {exc.lineno}: {exc.msg})"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise UsageError(
            f'{path.name}: not PACER\'s court lookup data (expected {{"meta": ..., "data": '
            "[courts]}} as https://pacer.uscourts.gov/file-case/court-cmecf-lookup/data.json has)"
        )
    return data


def snapshot_date(data: dict[str, Any]) -> str:
    """The lookup's `meta.last_updated` (e.g. "Sun, 21 Dec 2025 06:10:04 -0500") as YYYY-MM-DD, or ""."""
    meta = data.get("meta")
    stamp = meta.get("last_updated") if isinstance(meta, dict) else None
    if not isinstance(stamp, str):
        return ""
    try:
        return email.utils.parsedate_to_datetime(stamp).date().isoformat()
    except (TypeError, ValueError):
        try:
            return dt.date.fromisoformat(stamp.strip()[:10]).isoformat()
        except ValueError:
            return ""


def _court_id(entry: dict[str, Any], host_id: str) -> str:
    # The bankruptcy appellate panels file in their circuit's CM/ECF (01BAP's login_url is ecf.ca1), so
    # the host cannot be their id: bap1, bap9, bap10 (as in www.bap1.uscourts.gov).
    bap = _BAP.match(str(entry.get("court_id", "")).strip().upper())
    return f"bap{int(bap.group(1))}" if bap else host_id


def _text(entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    return " ".join(value.split()) if isinstance(value, str) else ""


def convert_entry(entry: dict[str, Any], snapshot: str) -> dict[str, Any] | None:
    """One lookup entry as our court's fields (only those the entry gives), or None when it is not a
    CM/ECF court (the PACER Case Locator, the Supreme Court: no ecf.*.uscourts.gov login)."""
    host = _HOST.match(_text(entry, "login_url"))
    cso_id = _text(entry, "court_id").upper()
    if not host or not cso_id:
        return None
    court_id = _court_id(entry, host.group(1).lower())
    court: dict[str, Any] = {
        "id": court_id,
        "cso_id": cso_id,
        "cmecf_url": f"https://ecf.{host.group(0).split('ecf.', 1)[1].rstrip('/')}",
    }
    if _text(entry, "title"):
        court["name"] = _text(entry, "title")
    kind = KINDS.get(_text(entry, "type").lower())
    if kind:
        court["kind"] = kind
    if _text(entry, "circuit"):
        court["circuit"] = _text(entry, "circuit")
    version = _text(entry, "software_version")
    if version:
        court["software_version"] = version
        court["generation"] = "nextgen" if "nextgen" in version.lower() else "currentgen"
        when = snapshot or "an undated download"
        court["source"] = LOOKUP_SOURCE + when if court["generation"] == "nextgen" else f"lookup of {when}"
        court["nextgen_go_live"] = None
        court["note"] = ""  # a note about an older status must not outlive it
    court["acms"] = court_id in ACMS_COURTS
    if court["acms"]:
        court["note"] = ACMS_NOTE
    elif court_id.startswith("bap") and version:
        court["note"] = f"the panel files in its circuit's CM/ECF, {court['cmecf_url']}"
    return court


def _from_notice(court: Court | None) -> bool:
    """A court-page NextGen date (cod 2021-08-02 from the court's notice) outranks the lookup's 'NextGen'."""
    return court is not None and court.nextgen_go_live is not None and not court.source.startswith(LOOKUP_SOURCE)


def convert(data: dict[str, Any], base: CourtRegistry) -> Conversion:
    """Every CM/ECF court of the lookup, merged over `base` (courts' own NextGen dates kept)."""
    result = Conversion(snapshot_date(data))
    seen: set[str] = set()
    for number, entry in enumerate(data["data"], start=1):
        label = f"entry #{number}"
        if not isinstance(entry, dict):
            result.skipped.append(f"{label}: not an object")
            continue
        court = convert_entry(entry, result.snapshot)
        if court is None:
            result.skipped.append(f"{label} ({_text(entry, 'court_id') or 'no court_id'}): no CM/ECF login_url")
            continue
        if court["id"] in seen:
            result.skipped.append(f"{label} ({court['cso_id']}): a second entry for {court['id']}")
            continue
        known = base.get(court["id"])
        if known is None and not {"name", "kind"} <= court.keys():
            result.skipped.append(f"{label} ({court['cso_id']}): a new court without title or type")
            continue
        if _from_notice(known):
            assert known is not None
            for key in ("nextgen_go_live", "source", "note"):
                court.pop(key, None)
            court["generation"] = "nextgen"
        seen.add(court["id"])
        result.courts.append(court)
    if not result.courts:
        raise UsageError(
            "no CM/ECF court in the lookup file (each needs a court_id and an ecf.*.uscourts.gov login_url)"
        )
    return result


def registry_document(conversion: Conversion, base: CourtRegistry, origin: str, note: str = "") -> dict[str, Any]:
    """The registry file: the lookup's date, then every converted court in full (checked as a registry)."""
    merged = base.with_courts(conversion.courts, origin)
    lookup: dict[str, Any] = {"url": LOOKUP_URL, "snapshot": conversion.snapshot}
    if note:
        lookup["note"] = note
    courts = [merged.get(c["id"]) for c in conversion.courts]
    return {
        "lookup": lookup,
        "courts": sorted((c.model_dump(mode="json") for c in courts if c is not None), key=lambda c: c["id"]),
    }


def write_registry(document: dict[str, Any], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    scratch = output.with_name(f".{output.name}.partial")
    scratch.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    scratch.replace(output)


def update(lookup_file: Path, output: Path, base: CourtRegistry, note: str = "") -> Conversion:
    """Read a lookup file, write the registry (or override) it gives to `output`."""
    conversion = convert(read_lookup(lookup_file), base)
    write_registry(registry_document(conversion, base, lookup_file.name, note), output)
    return conversion


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m verifier.readiness.courts_lookup", description=__doc__.split("\n")[0]
    )
    parser.add_argument("lookup", type=Path, help="a saved copy of PACER's court-cmecf-lookup data.json")
    parser.add_argument("-o", "--output", type=Path, required=True, help="registry file to write")
    parser.add_argument(
        "--base",
        type=Path,
        help="a courts file whose court-page NextGen dates are kept (default: the bundled registry)",
    )
    parser.add_argument("--note", default="", help="a note about the lookup copy, stored with its date")
    args = parser.parse_args(argv)
    try:
        base = _base_registry(args.base)
        conversion = update(args.lookup, args.output, base, args.note)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{len(conversion.courts)} courts (lookup of {conversion.snapshot or 'unknown date'}) → {args.output}")
    for skipped in conversion.skipped:
        print(f"  skipped {skipped}", file=sys.stderr)
    return 0


def _base_registry(path: Path | None) -> CourtRegistry:
    if path is None:
        return load_courts()
    # A base given as a file stands alone (it may be the bundled file itself, about to be rewritten).
    from verifier.readiness.courts import registry_from_file

    return registry_from_file(path)


if __name__ == "__main__":
    raise SystemExit(main())
