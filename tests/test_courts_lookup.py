"""PACER's Court CM/ECF Lookup data → the registry: the converter, and `pacer-verify courts --update`.

The lookup files here are small hand-made ones in the lookup's shape (no network, no third-party file).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import run_cli

from verifier.errors import UsageError
from verifier.readiness.courts import load_courts
from verifier.readiness.courts_lookup import convert, main, read_lookup, snapshot_date


def entry(
    court_id: str,
    host: str,
    title: str,
    kind: str,
    version: str = "NextGen CM/ECF Release 1.8 (Revision 1.8.5)",
    circuit: str = "10",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "court_id": court_id,
        "title": title,
        "software_version": version,
        "login_url": f"https://{host}",
        "type": kind,
        "circuit": circuit,
        "go_live_date": "11/01/2004",
        **extra,
    }


GOOD = {
    "meta": {"credit": "PACER: Federal Court Records", "last_updated": "Sun, 21 Dec 2025 06:10:04 -0500"},
    "data": [
        {
            "title": "Pacer Case Locator",
            "login_url": "https://pcl.uscourts.gov/search",
            "court_id": "00PCL",
            "type": "District",
        },
        entry("CODC", "ecf.cod.uscourts.gov", "Colorado District Court", "District"),
        entry(
            "COBK",
            "ecf.cob.uscourts.gov/",
            "Colorado Bankruptcy Court",
            "Bankruptcy",
            "NextGen CM/ECF Release 1.8 (Revision 1.8.3)",
        ),
        entry(
            "10BAP",
            "ecf.ca10.uscourts.gov",
            "U.S. Court of Appeals, Tenth Circuit BAP",
            "Appeals",
            "NextGen CM/ECF Appellate Release 1.8",
        ),
        entry(
            "09CA",
            "ecf.ca9.uscourts.gov",
            "U.S. Court of Appeals, Ninth Circuit",
            "Appeals",
            "NextGen CM/ECF Appellate Release 1.8",
            circuit="09",
        ),
        entry("ZZDC", "ecf.zzd.uscourts.gov", "Zed District Court", "District"),
        {"title": "Supreme Court of the United States", "court_id": "SCOTUS", "type": "National"},
    ],
}


def write(tmp_path: Path, name: str, content: object) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_snapshot_date_from_the_lookup_meta() -> None:
    assert snapshot_date(GOOD) == "2025-12-21"
    assert snapshot_date({"meta": {"last_updated": "2026-03-01"}}) == "2026-03-01"
    assert snapshot_date({"data": []}) == "" and snapshot_date({"meta": {"last_updated": "soon"}}) == ""


def test_good_file_converts_every_cmecf_court() -> None:
    conversion = convert(GOOD, load_courts())
    by_id = {c["id"]: c for c in conversion.courts}
    assert set(by_id) == {"cod", "cob", "bap10", "ca9", "zzd"}
    assert conversion.skipped == ["entry #1 (00PCL): no CM/ECF login_url", "entry #7 (SCOTUS): no CM/ECF login_url"]
    cob = by_id["cob"]
    assert (cob["cso_id"], cob["kind"], cob["cmecf_url"], cob["circuit"]) == (
        "COBK",
        "bankruptcy",
        "https://ecf.cob.uscourts.gov",
        "10",
    )
    assert cob["source"] == "NextGen per the lookup snapshot of 2025-12-21" and cob["generation"] == "nextgen"
    assert by_id["bap10"]["cmecf_url"] == "https://ecf.ca10.uscourts.gov" and by_id["bap10"]["kind"] == "appellate"
    assert by_id["ca9"]["acms"] is True and "ACMS" in by_id["ca9"]["note"]
    # go_live_date is the original CM/ECF date, not NextGen's: never read as a NextGen date.
    assert all("2004" not in json.dumps(c) for c in conversion.courts)


def test_update_keeps_court_page_dates(tmp_path: Path) -> None:
    out = tmp_path / "courts-update.json"
    done = run_cli("courts", "--update", str(write(tmp_path, "data.json", GOOD)), "--output", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "5 courts from data.json (lookup of 2025-12-21) written to" in " ".join(done.stderr.split())
    assert "skipped entry #1 (00PCL)" in done.stderr
    courts = load_courts(out)
    assert courts.snapshot == "2025-12-21"
    cod = courts.get("cod")
    assert cod.nextgen_go_live == dt.date(2021, 8, 2) and cod.source.startswith("http://www.cod.uscourts.gov")
    assert cod.software_version == "NextGen CM/ECF Release 1.8 (Revision 1.8.5)"
    assert courts.get("cob").software_version.endswith("1.8.3)")
    assert courts.get("cob").source == "NextGen per the lookup snapshot of 2025-12-21"
    assert courts.get("zzd").name == "Zed District Court" and len(courts) == len(load_courts()) + 1
    # Courts the update does not mention keep the bundled values.
    assert courts.get("utd") == load_courts().get("utd")
    listed = run_cli("courts", "--courts", str(out), cwd=tmp_path)
    assert "Lookup of 2025-12-21" in listed.stdout


def test_partial_file_updates_what_it_gives(tmp_path: Path) -> None:
    partial = {
        "meta": {"last_updated": "Mon, 01 Jun 2026 06:00:00 -0400"},
        "data": [
            {"court_id": "UTDC", "login_url": "https://ecf.utd.uscourts.gov"},  # no title, type, version
            {
                "court_id": "TXSDC",
                "login_url": "https://ecf.txsd.uscourts.gov",
                "title": "Texas Southern District Court",
                "software_version": "NextGen CM/ECF Release 1.9",
            },
            {"court_id": "QQDC", "login_url": "https://ecf.qqd.uscourts.gov"},  # new, and nothing to name it
            {"court_id": "CODC"},  # no login_url
            "not an object",
        ],
    }
    out = tmp_path / "update.json"
    done = run_cli("courts", "--update", str(write(tmp_path, "partial.json", partial)), "-o", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for skipped in (
        "entry #3 (QQDC): a new court without title or type",
        "entry #4 (CODC): no CM/ECF login_url",
        "entry #5: not an object",
    ):
        assert skipped in done.stderr
    courts = load_courts(out)
    bundled = load_courts()
    assert courts.get("utd") == bundled.get("utd")  # nothing new given: all kept, court-page date too
    txsd = courts.get("txsd")
    assert txsd.software_version == "NextGen CM/ECF Release 1.9" and txsd.kind == "district"
    assert txsd.source == "NextGen per the lookup snapshot of 2026-06-01"
    assert "qqd" not in courts and courts.snapshot == "2026-06-01"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not PACER's court lookup data (not valid JSON: line 1"),
        ("[1, 2, 3]", 'not PACER\'s court lookup data (expected {"meta": ..., "data": [courts]}'),
        ('{"data": "everything"}', "not PACER's court lookup data (expected"),
        ('{"meta": {}, "data": [{"court_id": "00PCL"}, 7]}', "no CM/ECF court in the lookup file"),
        ("", "not valid JSON"),
    ],
)
def test_garbage_file_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = write(tmp_path, "data.json", content)
    with pytest.raises(UsageError) as caught:
        convert(read_lookup(path), load_courts())
    assert message in str(caught.value)
    done = run_cli("courts", "--update", str(path), "-o", str(tmp_path / "out.json"), cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out.json").exists()


def test_binary_and_missing_files(tmp_path: Path) -> None:
    binary = tmp_path / "data.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    with pytest.raises(UsageError, match="not PACER's court lookup data"):
        read_lookup(binary)
    with pytest.raises(UsageError, match="cannot read the lookup file"):
        read_lookup(tmp_path / "nowhere.json")


def test_module_entry_writes_the_registry_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "courts.json"
    assert main([str(write(tmp_path, "data.json", GOOD)), "-o", str(out), "--note", "a test copy"]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["lookup"] == {
        "url": "https://pacer.uscourts.gov/file-case/court-cmecf-lookup/data.json",
        "snapshot": "2025-12-21",
        "note": "a test copy",
    }
    assert [c["id"] for c in document["courts"]] == ["bap10", "ca9", "cob", "cod", "zzd"]
    assert "5 courts (lookup of 2025-12-21)" in capsys.readouterr().out
    assert main([str(write(tmp_path, "bad.json", "[]")), "-o", str(out)]) == 2
