"""The court registry: the bundled data, a firm's override files, and the `courts` command."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import typer
from pydantic import ValidationError
from typer.testing import CliRunner

from verifier.commands.courts import courts_command
from verifier.courts import Court, CourtRegistry, load_courts
from verifier.errors import UsageError
from verifier.paths import FIXTURES, REPO_ROOT

BUNDLED = REPO_ROOT / "verifier" / "data" / "courts.json"
COURTS = load_courts()

SEEDED = {
    "cod": dt.date(2021, 8, 2), "utb": dt.date(2021, 6, 7), "utd": dt.date(2020, 2, 3),
    "wawb": dt.date(2019, 2, 4), "tnwd": dt.date(2018, 4, 27), "deb": dt.date(2021, 2, 12),
    "ilcd": dt.date(2021, 5, 17), "casd": dt.date(2020, 3, 2), "innd": dt.date(2021, 11, 8),
    "mdd": dt.date(2022, 2, 14), "prb": dt.date(2022, 2, 28), "mssb": dt.date(2020, 4, 25), "cob": None,
}


def write(tmp_path: Path, name: str, content: object) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


# --- The bundled registry ----------------------------------------------------------------------------


def test_bundled_registry_and_fixture_copy_are_identical() -> None:
    assert BUNDLED.read_bytes() == (FIXTURES / "courts.json").read_bytes()


def test_bundled_ids_are_unique() -> None:
    ids = [entry["id"] for entry in json.loads(BUNDLED.read_text(encoding="utf-8"))["courts"]]
    assert len(ids) == len(set(ids)) == len(COURTS)


@pytest.mark.parametrize(("court_id", "go_live"), SEEDED.items())
def test_seeded_nextgen_dates(court_id: str, go_live: dt.date | None) -> None:
    court = COURTS.get(court_id)
    assert court is not None and court.generation == "nextgen" and court.nextgen_go_live == go_live


def test_every_court_is_well_formed() -> None:
    for court in COURTS:
        assert court.id == court.id.lower() and court.cso_id == court.cso_id.upper() and court.cso_id
        assert court.cmecf_url == f"https://ecf.{court.id}.uscourts.gov"
        assert court.name and court.source
        # A date needs a source; "not found" only where there is no date.
        assert (court.source == "not found") == (court.nextgen_go_live is None)


def test_sources_and_notes_of_note() -> None:
    assert COURTS.get("cod").cso_id == "CODC" and COURTS.get("utb").cso_id == "UTBK"
    assert COURTS.get("utd").cso_id == "UTDC" and COURTS.get("utb").kind == "bankruptcy"
    assert COURTS.get("utb").source == ("Utah bankruptcy court NextGen notice (per issue #4); "
                                        "not independently verified")
    utd = COURTS.get("utd")
    assert "Feb 1" in utd.note and "Feb. 3, 2020" in utd.note and utd.source.startswith("https://www.utd.uscourts")
    assert COURTS.get("cod").source.startswith("http://www.cod.uscourts.gov")
    assert "linking" in COURTS.get("mdd").note
    assert COURTS.get("cob").source == "not found"
    # Dates read on the court's own page name that page; the rest say they rest on pacer-reference.md.
    for court_id in ("tnwd", "ilcd", "casd", "innd", "mssb", "mdd", "utd"):
        assert COURTS.get(court_id).source.startswith(f"https://www.{court_id}.uscourts.gov/")
    for court_id in ("wawb", "deb", "prb"):
        assert "pacer-reference.md" in COURTS.get(court_id).source
    nysd = COURTS.get("nysd")
    assert nysd.generation == "currentgen" and nysd.nextgen_go_live is None
    assert nysd.note == "generation chosen for the bundled mock; check the court's own site"


def test_registry_lookups() -> None:
    assert "cod" in COURTS and "COD" in COURTS and " utb " in COURTS
    assert "zzz" not in COURTS and 5 not in COURTS
    assert COURTS.get("UTD").id == "utd" and COURTS.get("zzz") is None
    assert COURTS.ids() == sorted(COURTS.ids()) and {"cod", "utb", "utd", "nysd"} <= set(COURTS.ids())
    assert [c.id for c in COURTS] == COURTS.ids()


def test_court_is_frozen_and_live_on() -> None:
    cod = COURTS.get("cod")
    with pytest.raises(ValidationError):
        cod.name = "x"  # type: ignore[misc]
    assert not cod.live_on(dt.date(2021, 8, 1)) and cod.live_on(dt.date(2021, 8, 2))
    assert COURTS.get("cob").live_on(dt.date(2000, 1, 1))  # NextGen, date not found: taken as live
    assert not COURTS.get("nysd").live_on(dt.date(2030, 1, 1))


# --- A firm's own file ---------------------------------------------------------------------------------


def test_json_list_overrides_and_adds(tmp_path: Path) -> None:
    extra = write(tmp_path, "mine.json", [
        {"id": "COD", "nextgen_go_live": "2030-01-01", "source": "our clerk"},
        {"id": "ca10", "cso_id": "10ca", "name": "Tenth Circuit", "kind": "Appellate",
         "cmecf_url": "https://ecf.ca10.uscourts.gov/", "source": "our clerk", "nextgen_go_live": None},
    ])
    courts = load_courts(extra)
    cod = courts.get("cod")
    assert cod.nextgen_go_live == dt.date(2030, 1, 1) and cod.source == "our clerk"
    assert cod.name == "District of Colorado" and cod.cso_id == "CODC"  # the rest kept
    ca10 = courts.get("ca10")
    assert (ca10.kind, ca10.generation, ca10.cso_id) == ("appellate", "nextgen", "10CA")
    assert ca10.cmecf_url == "https://ecf.ca10.uscourts.gov"
    assert load_courts().get("cod").nextgen_go_live == dt.date(2021, 8, 2)  # the bundled data untouched


def test_json_object_form_and_null_clears_a_date(tmp_path: Path) -> None:
    extra = write(tmp_path, "mine.json", {"courts": [{"id": "utb", "nextgen_go_live": None, "source": "not found"}]})
    utb = load_courts(extra).get("utb")
    assert utb.nextgen_go_live is None and utb.source == "not found" and utb.kind == "bankruptcy"


def test_csv_overrides_and_adds(tmp_path: Path) -> None:
    table = write(tmp_path, "mine.csv",
                  "\ufeffid,name,kind,generation,nextgen_go_live,source\n"
                  "abc,Another Court,bankruptcy,CurrentGen,,\n"
                  "NYSD,,,nextgen,2027-03-01,clerk's e-mail\n"
                  "utd,,,,,\n")
    courts = load_courts(table)
    abc = courts.get("abc")
    assert (abc.name, abc.kind, abc.generation, abc.source) == ("Another Court", "bankruptcy", "currentgen",
                                                                  "not found")
    nysd = courts.get("nysd")
    assert nysd.generation == "nextgen" and nysd.nextgen_go_live == dt.date(2027, 3, 1)
    assert nysd.name == "Southern District of New York" and nysd.source == "clerk's e-mail"
    assert courts.get("utd") == COURTS.get("utd")  # blank cells keep the registry's values


def test_a_date_without_a_source_is_credited_to_the_file(tmp_path: Path) -> None:
    extra = write(tmp_path, "firm-courts.json", [{"id": "utd", "nextgen_go_live": "2020-02-01"},
                                                 {"id": "zzd", "name": "Z District", "kind": "district",
                                                  "nextgen_go_live": "2027-01-04"},
                                                 {"id": "cod", "nextgen_go_live": None}])
    courts = load_courts(extra)
    utd = courts.get("utd")
    # The bundled source and its note speak of Feb 3: they must not vouch for the firm's Feb 1.
    assert (utd.nextgen_go_live, utd.source, utd.note) == (dt.date(2020, 2, 1), "firm-courts.json", "")
    assert courts.get("zzd").source == "firm-courts.json"
    assert (courts.get("cod").nextgen_go_live, courts.get("cod").source) == (None, "not found")


def test_csv_words_for_no_date_and_quoted_line_breaks(tmp_path: Path) -> None:
    table = write(tmp_path, "mine.csv", 'id,name,kind,nextgen_go_live,note\n'
                                        'utb,,,Not Found,\n'
                                        'abc,"A Court,\nSecond Line",district,,"two\nlines"\n')
    courts = load_courts(table)
    assert courts.get("utb").nextgen_go_live is None and courts.get("utb").source == "not found"
    assert courts.get("abc").name == "A Court,\nSecond Line" and courts.get("abc").note == "two\nlines"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bad.json", [{"id": "zzz", "name": "Z", "kind": "tax"}], r"court #1 \(zzz\), field 'kind'"),
    ("bad.json", [{"id": "cod"}, {"id": "cod", "nextgen_go_live": "August 2"}],
     r"court #2 \(cod\), field 'nextgen_go_live'"),
    ("bad.json", [{"id": "new1", "kind": "district"}], r"court #1 \(new1\), field 'name'"),
    ("bad.json", [{"id": "cod", "go_live": "2021-08-02"}], r"court #1 \(cod\), field 'go_live'"),
    ("bad.json", [{"id": "cod", "generation": "nextgen-ish"}], r"court #1 \(cod\), field 'generation'"),
    ("bad.json", [{"id": "cod", "cmecf_url": "http://ecf.cod.uscourts.gov"}], r"court #1 \(cod\), field 'cmecf_url'"),
    ("bad.json", [{"id": "c-d", "name": "X", "kind": "district"}], r"court #1 \(c-d\), field 'id'"),
    ("bad.json", [{"name": "No Id", "kind": "district"}], r"court #1, field 'id': missing"),
    ("bad.json", [{"id": "cod"}, "cod"], r"court #2 is not an object"),
    ("bad.json", {"cod": {}}, r"expected a list of courts"),
    ("bad.json", "{not json", r"bad.json: not valid JSON \(line 1"),
    ("bad.json", [{"id": "cod", "nextgen_go_live": "02/03/2020"}], r"field 'nextgen_go_live': expected a date as "
     r"YYYY-MM-DD \(e.g. 2021-08-02\) or null, got '02/03/2020'"),
    ("bad.json", [{"id": "cod", "nextgen_go_live": 1627862400}], r"field 'nextgen_go_live': expected a date"),
    ("bad.json", [{"id": "cod", "nextgen_go_live": "2021-02-30"}], r"field 'nextgen_go_live': expected a date"),
    ("bad.json", [{"id": "new2", "name": "", "kind": "district"}], r"court #1 \(new2\), field 'name'"),
    ("bad.csv", "id,name,kind\nqqq,Q Court,tax\n", r"bad.csv: row 1 \(line 2\) \(qqq\), field 'kind'"),
    ("bad.csv", "id,name,kind\nabc,\"A\nCourt\",district\nqqq,Q,tax\n", r"row 2 \(line 4\) \(qqq\), field 'kind'"),
    ("bad.csv", "id,kind\n,district\n", r"row 1 \(line 2\), field 'id': missing"),
])
def test_bad_entries_name_the_entry_and_field(tmp_path: Path, name: str, content: object, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        load_courts(write(tmp_path, name, content))


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read the courts file"):
        load_courts(tmp_path / "missing.json")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,name,kind\nxyz,Cour d'\xe9t\xe9,district\n".encode("latin-1"))
    with pytest.raises(UsageError, match="not UTF-8"):
        load_courts(latin)


def test_registry_can_be_built_directly() -> None:
    court = Court(id="abc", name="A Court", kind="district")
    registry = CourtRegistry({"abc": court})
    assert registry.get("ABC") is court and len(registry) == 1 and court.source == "not found"


# --- The `courts` command ------------------------------------------------------------------------------


def cli() -> typer.Typer:
    app = typer.Typer()
    app.command()(courts_command)
    return app


def test_courts_command_json_round_trips(tmp_path: Path) -> None:
    done = CliRunner().invoke(cli(), ["--json"])
    assert done.exit_code == 0, done.output
    listed = json.loads(done.output)
    by_id = {c["id"]: c for c in listed}
    assert by_id["cod"]["nextgen_go_live"] == "2021-08-02" and by_id["utb"]["kind"] == "bankruptcy"
    assert by_id["nysd"]["generation"] == "currentgen" and by_id["cob"]["nextgen_go_live"] is None
    assert [c["id"] for c in listed] == COURTS.ids()
    # What it prints is a file `--courts` reads back to the same registry.
    again = load_courts(write(tmp_path, "again.json", done.output))
    assert [c for c in again] == [c for c in COURTS]


def test_courts_command_table_and_override(tmp_path: Path) -> None:
    extra = write(tmp_path, "mine.csv", "id,name,kind,generation,nextgen_go_live,source\n"
                                        "zzb,Zed Bankruptcy Court,bankruptcy,nextgen,2027-05-03,clerk\n")
    done = CliRunner().invoke(cli(), ["--courts", str(extra)], env={"COLUMNS": "250"})
    assert done.exit_code == 0, done.output
    for text in ("id", "name", "kind", "generation", "NextGen go-live", "source",
                 "zzb", "Zed Bankruptcy Court", "2027-05-03", "cod", "2021-08-02", "CurrentGen", "not found"):
        assert text in done.output


def test_courts_command_bad_file_is_a_usage_error(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.json", [{"id": "cod", "kind": "tax"}])
    done = CliRunner().invoke(cli(), ["--courts", str(bad), "--json"])
    assert isinstance(done.exception, UsageError) and "field 'kind'" in str(done.exception)


def test_courts_command_never_cuts_a_source_short() -> None:
    done = CliRunner().invoke(cli(), [], env={"COLUMNS": "80"})
    assert done.exit_code == 0, done.output
    assert "…" not in done.output  # folded onto more lines instead
    assert "read in a stored copy, not checked live" in " ".join(done.output.replace("│", " ").split())
