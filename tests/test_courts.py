"""The court registry: the bundled data, a firm's override files, and the `courts` command."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import typer
from helpers import REPO_ROOT
from pydantic import ValidationError
from typer.testing import CliRunner

from verifier.commands.courts import courts_command
from verifier.errors import UsageError
from verifier.readiness.courts import Court, CourtRegistry, bundled_text, did_you_mean, load_courts

BUNDLED = json.loads(bundled_text())
COURTS = load_courts()
SNAPSHOT = "2023-01-10"

# NextGen dates from the courts' own notices (docs/real-site.md), kept over the lookup's bare "NextGen".
SEEDED = {
    "cod": dt.date(2021, 8, 2),
    "utb": dt.date(2021, 6, 7),
    "utd": dt.date(2020, 2, 3),
    "wawb": dt.date(2019, 2, 4),
    "tnwd": dt.date(2018, 4, 27),
    "deb": dt.date(2021, 2, 12),
    "ilcd": dt.date(2021, 5, 17),
    "casd": dt.date(2020, 3, 2),
    "innd": dt.date(2021, 11, 8),
    "mdd": dt.date(2022, 2, 14),
    "prb": dt.date(2022, 2, 28),
    "mssb": dt.date(2020, 4, 25),
    "cob": None,
}


def write(tmp_path: Path, name: str, content: object) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


# --- The bundled registry ----------------------------------------------------------------------------


def test_one_copy_of_the_registry() -> None:
    # The registry is package data only; the old fixtures/ duplicate is gone.
    assert not (REPO_ROOT / "fixtures" / "courts.json").exists()
    assert BUNDLED["lookup"]["snapshot"] == COURTS.snapshot == SNAPSHOT


def test_every_cmecf_court_of_the_lookup() -> None:
    kinds = Counter(c.kind for c in COURTS)
    assert len(COURTS) == 208
    assert kinds == {"district": 95, "bankruptcy": 94, "appellate": 16, "national": 3}
    assert {c.id for c in COURTS if c.kind == "national"} == {"cit", "jpml", "cofc"}
    assert {"bap1", "bap9", "bap10", "ca1", "cadc", "cafc", "txsd", "ca9", "ohndad"} <= set(COURTS.ids())
    # Every court PACER lists is on NextGen; nothing in the real registry is a choice made for the mock.
    assert all(c.generation == "nextgen" for c in COURTS)
    assert not any("mock" in (c.note + c.source).lower() for c in COURTS)


def test_ids_and_cso_ids_are_unique() -> None:
    ids = [entry["id"] for entry in BUNDLED["courts"]]
    cso_ids = [entry["cso_id"] for entry in BUNDLED["courts"]]
    assert len(ids) == len(set(ids)) == len(set(cso_ids)) == len(COURTS)


@pytest.mark.parametrize(("court_id", "go_live"), SEEDED.items())
def test_seeded_nextgen_dates(court_id: str, go_live: dt.date | None) -> None:
    court = COURTS.get(court_id)
    assert court is not None and court.generation == "nextgen" and court.nextgen_go_live == go_live


def test_every_court_is_well_formed() -> None:
    for court in COURTS:
        assert re.fullmatch(r"[a-z0-9]+", court.id) and re.fullmatch(r"[0-9A-Z]+", court.cso_id), court.id
        assert court.kind in ("district", "bankruptcy", "appellate", "national") and court.name
        host = urlsplit(court.cmecf_url).hostname or ""
        assert court.cmecf_url.startswith("https://") and host.endswith(".uscourts.gov"), court.id
        assert court.software_version.startswith("NextGen CM/ECF"), court.id
        assert court.circuit, court.id
        # A source for every court: the court's notice for a date, else the lookup with its date.
        assert court.source and court.source != "not found", court.id
        if court.nextgen_go_live is None:
            assert court.source == f"NextGen per the lookup snapshot of {SNAPSHOT}", court.id
        else:
            assert "lookup" not in court.source, court.id


def test_the_host_names_the_court_except_the_appellate_panels() -> None:
    for court in COURTS:
        if court.id.startswith("bap"):
            circuit = int(court.cso_id[:2])
            assert court.cmecf_url == f"https://ecf.ca{circuit}.uscourts.gov" and "circuit's CM/ECF" in court.note
        elif court.id == "ohndad":
            assert court.cmecf_url == "https://ecf.ohndad.ohnd.uscourts.gov"
        else:
            assert court.cmecf_url == f"https://ecf.{court.id}.uscourts.gov", court.id


def test_acms_courts_say_how_linking_differs() -> None:
    assert {c.id for c in COURTS if c.acms} == {"ca2", "ca9"}
    for court_id in ("ca2", "ca9"):
        note = COURTS.get(court_id).note
        assert "ACMS" in note and "linking step does not apply" in note
    # The Court of Appeals for Veterans Claims is not a CM/ECF court in PACER's lookup.
    assert not [c for c in COURTS if "veterans" in c.name.lower()]


def test_sources_and_notes_of_note() -> None:
    assert COURTS.get("cod").cso_id == "CODC" and COURTS.get("utb").cso_id == "UTBK"
    assert COURTS.get("utd").cso_id == "UTDC" and COURTS.get("utb").kind == "bankruptcy"
    assert COURTS.get("utb").source == (
        "Utah bankruptcy court NextGen notice (per issue #4); not independently verified"
    )
    utd = COURTS.get("utd")
    assert "Feb 1" in utd.note and "Feb. 3, 2020" in utd.note and utd.source.startswith("https://www.utd.uscourts")
    assert COURTS.get("cod").source.startswith("http://www.cod.uscourts.gov")
    assert "linking" in COURTS.get("mdd").note
    # Dates read on the court's own page name that page; the rest point at docs/real-site.md.
    for court_id in ("tnwd", "ilcd", "casd", "innd", "mssb", "mdd", "utd"):
        assert COURTS.get(court_id).source.startswith(f"https://www.{court_id}.uscourts.gov/")
    for court_id in ("wawb", "deb", "prb"):
        assert "docs/real-site.md" in COURTS.get(court_id).source
    assert "pacer-reference" not in bundled_text()  # a file users do not have
    nysd = COURTS.get("nysd")
    assert nysd.generation == "nextgen" and nysd.source.startswith("NextGen per the lookup") and not nysd.note


def test_registry_lookups() -> None:
    assert "cod" in COURTS and "COD" in COURTS and " utb " in COURTS
    assert "zzz" not in COURTS and 5 not in COURTS
    assert COURTS.get("UTD").id == "utd" and COURTS.get("zzz") is None
    assert COURTS.ids() == sorted(COURTS.ids()) and {"cod", "utb", "utd", "nysd"} <= set(COURTS.ids())
    assert [c.id for c in COURTS] == COURTS.ids()


@pytest.mark.parametrize(
    "written",
    [
        "cod",
        "COD",
        " Cod ",
        "CODC",
        "codc",
        "ecf.cod.uscourts.gov",
        "https://ecf.cod.uscourts.gov/",
        "ECF.COD.USCOURTS.GOV",
    ],
)
def test_a_court_however_written(written: str) -> None:
    assert COURTS.canonical_id(written) == "cod" and COURTS.get(written).id == "cod"


def test_other_ways_of_writing_ids() -> None:
    assert COURTS.canonical_id("01CA") == "ca1" and COURTS.canonical_id("01BAP") == "bap1"
    assert COURTS.canonical_id("1DCCA") == "cadc" and COURTS.canonical_id("USFCC") == "cofc"
    assert COURTS.canonical_id("ecf.ohndad.ohnd.uscourts.gov") == "ohndad"
    assert COURTS.canonical_id("ecf.zzz.uscourts.gov") is None and COURTS.canonical_id("") is None


def test_suggestions_for_unknown_ids() -> None:
    assert COURTS.suggest("codd")[0] == "cod"
    assert "txsd" in COURTS.suggest("txds")
    assert COURTS.suggest("qqqqqq") == []
    assert COURTS.suggest("cdo") == ["cod"]  # two letters swapped: one edit
    assert COURTS.suggest("cood")[0] == "cod"
    assert did_you_mean(["cod"]) == "did you mean cod?" and did_you_mean(["cod", "cob"]) == "did you mean cod or cob?"
    assert did_you_mean([]) == "see `pacer-verify courts`"


def test_court_is_frozen_and_live_on() -> None:
    cod = COURTS.get("cod")
    with pytest.raises(ValidationError):
        cod.name = "x"  # type: ignore[misc]
    assert not cod.live_on(dt.date(2021, 8, 1)) and cod.live_on(dt.date(2021, 8, 2))
    assert COURTS.get("cob").live_on(dt.date(2000, 1, 1))  # NextGen, date not found: taken as live
    currentgen = Court(id="abc", name="A Court", kind="district", generation="currentgen")
    assert not currentgen.live_on(dt.date(2030, 1, 1))


# --- A firm's own file ---------------------------------------------------------------------------------


def test_json_list_overrides_and_adds(tmp_path: Path) -> None:
    extra = write(
        tmp_path,
        "mine.json",
        [
            {"id": "COD", "nextgen_go_live": "2030-01-01", "source": "our clerk"},
            {
                "id": "ca10",
                "cso_id": "10ca",
                "name": "Tenth Circuit",
                "kind": "Appellate",
                "cmecf_url": "https://ecf.ca10.uscourts.gov/",
                "source": "our clerk",
                "nextgen_go_live": None,
            },
        ],
    )
    courts = load_courts(extra)
    cod = courts.get("cod")
    assert cod.nextgen_go_live == dt.date(2030, 1, 1) and cod.source == "our clerk"
    assert cod.name == "Colorado District Court" and cod.cso_id == "CODC"  # the rest kept
    ca10 = courts.get("ca10")
    assert (ca10.kind, ca10.generation, ca10.cso_id) == ("appellate", "nextgen", "10CA")
    assert ca10.cmecf_url == "https://ecf.ca10.uscourts.gov"
    assert load_courts().get("cod").nextgen_go_live == dt.date(2021, 8, 2)  # the bundled data untouched


def test_json_object_form_and_null_clears_a_date(tmp_path: Path) -> None:
    extra = write(tmp_path, "mine.json", {"courts": [{"id": "utb", "nextgen_go_live": None, "source": "not found"}]})
    utb = load_courts(extra).get("utb")
    assert utb.nextgen_go_live is None and utb.source == "not found" and utb.kind == "bankruptcy"


def test_csv_overrides_and_adds(tmp_path: Path) -> None:
    table = write(
        tmp_path,
        "mine.csv",
        "\ufeffid,name,kind,generation,nextgen_go_live,source\n"
        "abc,Another Court,bankruptcy,CurrentGen,,\n"
        "NYSD,,,nextgen,2027-03-01,clerk's e-mail\n"
        "utd,,,,,\n",
    )
    courts = load_courts(table)
    abc = courts.get("abc")
    assert (abc.name, abc.kind, abc.generation, abc.source) == (
        "Another Court",
        "bankruptcy",
        "currentgen",
        "not found",
    )
    nysd = courts.get("nysd")
    assert nysd.generation == "nextgen" and nysd.nextgen_go_live == dt.date(2027, 3, 1)
    assert nysd.name == "New York Southern District Court" and nysd.source == "clerk's e-mail"
    assert courts.get("utd") == COURTS.get("utd")  # blank cells keep the registry's values


def test_a_date_without_a_source_is_credited_to_the_file(tmp_path: Path) -> None:
    extra = write(
        tmp_path,
        "firm-courts.json",
        [
            {"id": "utd", "nextgen_go_live": "2020-02-01"},
            {"id": "zzd", "name": "Z District", "kind": "district", "nextgen_go_live": "2027-01-04"},
            {"id": "cod", "nextgen_go_live": None},
        ],
    )
    courts = load_courts(extra)
    utd = courts.get("utd")
    # The bundled source and its note speak of Feb 3: they must not vouch for the firm's Feb 1.
    assert (utd.nextgen_go_live, utd.source, utd.note) == (dt.date(2020, 2, 1), "firm-courts.json", "")
    assert courts.get("zzd").source == "firm-courts.json"
    assert (courts.get("cod").nextgen_go_live, courts.get("cod").source) == (None, "not found")


def test_a_users_file_may_name_courts_by_cso_id_or_host(tmp_path: Path) -> None:
    extra = write(
        tmp_path,
        "mine.json",
        [{"id": "CODC", "note": "our clerk says so"}, {"id": "ecf.utb.uscourts.gov", "note": "ours too"}],
    )
    courts = load_courts(extra)
    assert courts.get("cod").note == "our clerk says so" and courts.get("utb").note == "ours too"
    assert len(courts) == len(COURTS)  # overridden, not added


def test_csv_words_for_no_date_and_quoted_line_breaks(tmp_path: Path) -> None:
    table = write(
        tmp_path,
        "mine.csv",
        'id,name,kind,nextgen_go_live,note\nutb,,,Not Found,\nabc,"A Court,\nSecond Line",district,,"two\nlines"\n',
    )
    courts = load_courts(table)
    assert courts.get("utb").nextgen_go_live is None and courts.get("utb").source == "not found"
    assert courts.get("abc").name == "A Court,\nSecond Line" and courts.get("abc").note == "two\nlines"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", [{"id": "zzz", "name": "Z", "kind": "tax"}], r"court #1 \(zzz\), field 'kind'"),
        (
            "bad.json",
            [{"id": "cod"}, {"id": "cod", "nextgen_go_live": "August 2"}],
            r"court #2 \(cod\), field 'nextgen_go_live'",
        ),
        ("bad.json", [{"id": "new1", "kind": "district"}], r"court #1 \(new1\), field 'name'"),
        ("bad.json", [{"id": "cod", "go_live": "2021-08-02"}], r"court #1 \(cod\), field 'go_live'"),
        ("bad.json", [{"id": "cod", "generation": "nextgen-ish"}], r"court #1 \(cod\), field 'generation'"),
        (
            "bad.json",
            [{"id": "cod", "cmecf_url": "http://ecf.cod.uscourts.gov"}],
            r"court #1 \(cod\), field 'cmecf_url'",
        ),
        ("bad.json", [{"id": "c-d", "name": "X", "kind": "district"}], r"court #1 \(c-d\), field 'id'"),
        ("bad.json", [{"name": "No Id", "kind": "district"}], r"court #1, field 'id': missing"),
        ("bad.json", [{"id": "cod"}, "cod"], r"court #2 is not an object"),
        ("bad.json", {"cod": {}}, r"expected a list of courts"),
        ("bad.json", "{not json", r"bad.json: not valid JSON \(line 1"),
        (
            "bad.json",
            [{"id": "cod", "nextgen_go_live": "02/03/2020"}],
            r"field 'nextgen_go_live': expected a date as "
            r"YYYY-MM-DD \(e.g. 2021-08-02\) or null, got '02/03/2020'",
        ),
        ("bad.json", [{"id": "cod", "nextgen_go_live": 1627862400}], r"field 'nextgen_go_live': expected a date"),
        ("bad.json", [{"id": "cod", "nextgen_go_live": "2021-02-30"}], r"field 'nextgen_go_live': expected a date"),
        ("bad.json", [{"id": "new2", "name": "", "kind": "district"}], r"court #1 \(new2\), field 'name'"),
        ("bad.csv", "id,name,kind\nqqq,Q Court,tax\n", r"bad.csv: row 1 \(line 2\) \(qqq\), field 'kind'"),
        ("bad.csv", 'id,name,kind\nabc,"A\nCourt",district\nqqq,Q,tax\n', r"row 2 \(line 4\) \(qqq\), field 'kind'"),
        ("bad.csv", "id,kind\n,district\n", r"row 1 \(line 2\), field 'id': missing"),
    ],
)
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
    printed = json.loads(done.output)
    assert printed["lookup"]["snapshot"] == SNAPSHOT
    listed = printed["courts"]
    by_id = {c["id"]: c for c in listed}
    assert by_id["cod"]["nextgen_go_live"] == "2021-08-02" and by_id["utb"]["kind"] == "bankruptcy"
    assert by_id["cob"]["nextgen_go_live"] is None and by_id["cob"]["source"].endswith(SNAPSHOT)
    assert by_id["ca9"]["acms"] is True and by_id["cod"]["software_version"].startswith("NextGen")
    assert [c["id"] for c in listed] == COURTS.ids()
    # What it prints is a file `--courts` reads back to the same registry.
    again = load_courts(write(tmp_path, "again.json", done.output))
    assert [c for c in again] == [c for c in COURTS]


def test_courts_table_fits_80_columns_and_shows_the_snapshot() -> None:
    done = CliRunner().invoke(cli(), [], env={"COLUMNS": "80"})
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    assert lines[0].startswith(f"208 courts (PACER's Court CM/ECF Lookup of {SNAPSHOT})")
    header = next(line for line in lines if "NextGen since" in line)
    for column in ("id", "name", "kind"):
        assert column in header
    assert "source" not in header  # sources are for --long and --json
    cod = next(line for line in lines if line.startswith("│cod "))
    assert "Colorado District Court" in cod and "district" in cod and "2021-08-02" in cod
    assert "per lookup" in next(line for line in lines if line.startswith("│cob "))
    assert "ACMS" in next(line for line in lines if line.startswith("│ca9 "))


def test_courts_command_long_table_and_override(tmp_path: Path) -> None:
    extra = write(
        tmp_path,
        "mine.csv",
        "id,name,kind,generation,nextgen_go_live,source\n"
        "zzb,Zed Bankruptcy Court,bankruptcy,nextgen,2027-05-03,clerk\n",
    )
    done = CliRunner().invoke(cli(), ["--courts", str(extra), "--long"], env={"COLUMNS": "250"})
    assert done.exit_code == 0, done.output
    for text in (
        "id",
        "name",
        "kind",
        "NextGen since",
        "source",
        "zzb",
        "Zed Bankruptcy Court",
        "2027-05-03",
        "cod",
        "2021-08-02",
        "clerk",
        "CODC",
        f"NextGen per the lookup snapshot of {SNAPSHOT}",
    ):
        assert text in done.output
    assert "209 courts" in done.output


def test_courts_command_bad_file_is_a_usage_error(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.json", [{"id": "cod", "kind": "tax"}])
    done = CliRunner().invoke(cli(), ["--courts", str(bad), "--json"])
    assert isinstance(done.exception, UsageError) and "field 'kind'" in str(done.exception)


def test_courts_command_never_cuts_a_source_short() -> None:
    done = CliRunner().invoke(cli(), ["--long"], env={"COLUMNS": "80"})
    assert done.exit_code == 0, done.output
    assert "…" not in done.output  # folded onto more lines instead
    assert "read in a stored copy, not checked live" in " ".join(done.output.replace("│", " ").split())


def test_courts_whose_cmecf_is_elsewhere_are_not_visited_at_a_wrong_host() -> None:
    from verifier.check.court_visits import _cmecf_elsewhere
    from verifier.check.site import SiteMap

    real = SiteMap.for_base_url(None)
    elsewhere = {c.id: _cmecf_elsewhere(real, c.id, c) for c in COURTS if _cmecf_elsewhere(real, c.id, c)}
    assert elsewhere == {
        "bap1": "https://ecf.ca1.uscourts.gov",
        "bap9": "https://ecf.ca9.uscourts.gov",
        "bap10": "https://ecf.ca10.uscourts.gov",
        "ohndad": "https://ecf.ohndad.ohnd.uscourts.gov",
    }
    # A replica (the mock) serves every court under /ecf/<id>.
    assert _cmecf_elsewhere(SiteMap.for_base_url("http://127.0.0.1:8765"), "bap1", COURTS.get("bap1")) == ""
