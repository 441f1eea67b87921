"""Rosters as firms really have them: every bad input gives a clear answer, never a crash."""

from __future__ import annotations

import csv
import inspect
import json
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verifier.models import Account, Status
from verifier.readiness.courts import load_courts
from verifier.roster import RosterError, RowError, iter_roster, read_roster
from verifier.run.results import result_of_invalid_row

SECRET = "S3cret-Value-Never-Shown"
OTP = "JBSWY3DPEHPK3PXPJBSWY3DP"


def write(tmp_path: Path, text: str | bytes, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    path.chmod(0o600)
    return path


def test_a_plain_roster(tmp_path: Path) -> None:
    roster = read_roster(
        write(
            tmp_path,
            f'Name,Username,Password,OTP_Secret,Courts\nAlice Smith,asmith2001,{SECRET},{OTP.lower()},"cod, UTB"\n',
        )
    )
    account = roster.accounts[0]
    assert (account.name, account.username, account.row, account.courts) == (
        "Alice Smith",
        "asmith2001",
        1,
        ("cod", "utb"),
    )
    assert account.password.get_secret_value() == SECRET and account.otp_secret.get_secret_value() == OTP
    assert not roster.errors and not roster.warnings


@pytest.mark.parametrize("prefix", [b"\xef\xbb\xbf", b""])
def test_bom_and_semicolons(tmp_path: Path, prefix: bytes) -> None:
    text = prefix + 'name;username;password\nJosé Núñez;jnunez01;"pass;word1"\n'.encode()
    roster = read_roster(write(tmp_path, text))
    assert roster.accounts[0].name == "José Núñez"
    assert roster.accounts[0].password.get_secret_value() == "pass;word1"


def test_windows_1252_roster_is_read_with_a_warning(tmp_path: Path) -> None:
    roster = read_roster(write(tmp_path, "name,username,password\nJosé Núñez,jnunez01,Passw0rd-1\n".encode("cp1252")))
    assert roster.accounts[0].name == "José Núñez"
    assert any("not UTF-8" in w for w in roster.warnings)


def test_quoted_newlines_keep_row_and_line_numbers(tmp_path: Path) -> None:
    text = 'name,username,password\n"Alice\nSmith",asmith2001,Passw0rd-1\nBob,,Passw0rd-2\n'
    roster = read_roster(write(tmp_path, text))
    assert roster.accounts[0].name == "Alice Smith"
    error = roster.errors[0]
    assert (error.row, error.line, error.field) == (2, 4, "username")
    assert "row 2 (line 4), field 'username'" in result_of_invalid_row(error).message


@pytest.mark.parametrize(
    ("cell", "field", "words"),
    [
        (("", "Passw0rd-1", ""), "username", "missing username"),
        (("bob12345", "", ""), "password", "empty password"),
        (("bob12345", "env:NOT_SET_ANYWHERE", ""), "password", "NOT_SET_ANYWHERE is not set"),
        (("bob12345", "Passw0rd-1", "not base32!"), "otp_secret", "base32"),
        (("bob12345", "Passw0rd-1", "ABCD"), "otp_secret", "too short"),
        (("bob12345" + "x" * 1000, "Passw0rd-1", ""), "username", "longer than"),
    ],
)
def test_bad_rows_name_row_and_field(tmp_path: Path, cell: tuple[str, str, str], field: str, words: str) -> None:
    rows = [["name", "username", "password", "otp_secret"], ["Good", "good1234", "Passw0rd-0", ""], ["Bad", *cell]]
    path = tmp_path / "r.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    roster = read_roster(path, env={})
    assert [a.username for a in roster.accounts] == ["good1234"]
    error = roster.errors[0]
    assert (error.row, error.field) == (2, field) and words in error.message
    result = result_of_invalid_row(error)
    assert result.status is Status.INVALID_INPUT and result.row == 2


def test_env_password(tmp_path: Path) -> None:
    roster = read_roster(write(tmp_path, "name,username,password\nA,aaaa1234,env:PW_A\n"), env={"PW_A": SECRET})
    assert roster.accounts[0].password.get_secret_value() == SECRET


def test_unknown_court_does_not_cost_the_row(tmp_path: Path) -> None:
    roster = read_roster(
        write(tmp_path, "name,username,password,courts\nA,aaaa1234,Passw0rd-1,cod zzz\n"), known_courts={"cod"}
    )
    assert not roster.errors
    assert roster.accounts[0].courts == ("cod",) and roster.accounts[0].unknown_courts == ("zzz",)
    assert roster.warnings == [
        "row 1 (line 2), field 'courts': unknown court id 'zzz'; the account is checked, "
        "that court is not (see `pacer-verify courts`)"
    ]


def test_court_ids_however_written_with_the_registry(tmp_path: Path) -> None:
    text = (
        "name,username,password,courts\n"
        "A,aaaa1234,Passw0rd-1,COD CODC ecf.cod.uscourts.gov;UTB\n"
        'B,bbbb1234,Passw0rd-1,"txsd, 01CA, codd"\n'
    )
    roster = read_roster(write(tmp_path, text), known_courts=load_courts())
    first, second = roster.accounts
    assert first.courts == ("cod", "utb") and first.unknown_courts == ()
    assert second.courts == ("txsd", "ca1") and second.unknown_courts == ("codd",)
    assert len(roster.warnings) == 1 and roster.warnings[0].startswith("row 2 (line 3), field 'courts'")
    assert "'codd' (did you mean cod?)" in roster.warnings[0]


def test_unknown_court_warning_is_logged_once_per_pass(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write(tmp_path, "name,username,password,courts\nA,aaaa1234,Passw0rd-1,zzz\n")
    list(iter_roster(path, known_courts={"cod"}))
    list(iter_roster(path, known_courts={"cod"}, quiet=True))  # a second pass over the same roster
    assert sum("unknown court id 'zzz'" in r.getMessage() for r in caplog.records) == 1


def test_not_a_court_id_at_all_is_a_row_error(tmp_path: Path) -> None:
    roster = read_roster(
        write(tmp_path, "name,username,password,courts\nA,aaaa1234,Passw0rd-1,cod$x\n"), known_courts={"cod"}
    )
    assert roster.errors[0].field == "courts" and "not a court id" in roster.errors[0].message


def test_duplicates_and_shared_logins(tmp_path: Path) -> None:
    text = "name,username,password\nAlice,shared01,Passw0rd-1\nAlice,shared01,Passw0rd-1\nBob,shared01,Passw0rd-1\n"
    roster = read_roster(write(tmp_path, text))
    assert [a.name for a in roster.accounts] == ["Alice", "Bob"]  # a shared login is two people
    assert roster.errors[0].row == 2 and "duplicate of row 1" in roster.errors[0].message


def test_extra_columns_warn(tmp_path: Path) -> None:
    roster = read_roster(write(tmp_path, "name,username,password,office\nA,aaaa1234,Passw0rd-1,Denver\n"))
    assert roster.accounts and any("office" in w for w in roster.warnings)


def test_formula_cells_are_read_verbatim(tmp_path: Path) -> None:
    roster = read_roster(write(tmp_path, "name,username,password\n\"=cmd|' /C calc'!A0\",aaaa1234,Passw0rd-1\n"))
    assert roster.accounts[0].name == "=cmd|' /C calc'!A0"


def test_json_roster(tmp_path: Path) -> None:
    data = {"attorneys": [{"name": "A", "username": "aaaa1234", "password": SECRET, "courts": "cod"}, "oops"]}
    roster = read_roster(write(tmp_path, json.dumps(data), "roster.json"))
    assert roster.accounts[0].courts == ("cod",)
    assert roster.errors[0].row == 2


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("", "empty"),
        (b"\x00\x01\x02PK\x03\x04" * 50, "binary"),
        ("name,user\nAlice,asmith\n", "missing required column 'username'"),
        ("name,username\nAlice,asmith\n", "missing required column 'password'"),
        ("[1, 2", "not valid JSON"),
    ],
)
def test_unreadable_rosters_are_one_clear_error(tmp_path: Path, content: str | bytes, words: str) -> None:
    with pytest.raises(RosterError, match=words):
        iter_roster(write(tmp_path, content))


def test_world_readable_roster_warns(tmp_path: Path) -> None:
    path = write(tmp_path, "name,username,password\nA,aaaa1234,Passw0rd-1\n")
    path.chmod(0o644)
    assert any("chmod 600" in w for w in read_roster(path).warnings)


def test_huge_roster_streams(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "username", "password"])
        for i in range(100_000):
            writer.writerow([f"Attorney {i}", f"user{i:06d}", f"Passw0rd-{i}"])
    items = iter_roster(path)
    assert inspect.isgenerator(items)
    tracemalloc.start()
    count = sum(1 for item in items if isinstance(item, Account))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 100_000
    assert peak < 40 * 2**20  # all rows as Account objects would be several times this


def test_secrets_never_in_messages(tmp_path: Path) -> None:
    text = f"name,username,password,otp_secret,cmecf_username,cmecf_password\nA,,{SECRET},{SECRET},x,{SECRET}\n"
    error = read_roster(write(tmp_path, text)).errors[0]
    assert SECRET not in repr(error) + error.describe() + result_of_invalid_row(error).model_dump_json()


field_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(field_text, field_text, field_text, field_text), max_size=8))
def test_any_cell_text_never_crashes(tmp_path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    path = tmp_path / "prop.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "username", "password", "otp_secret"])
        writer.writerows(rows)
    path.chmod(0o600)
    for item in iter_roster(path, env={}):
        assert isinstance(item, Account | RowError)
        if isinstance(item, RowError):
            for _, _, password, otp in rows:
                if len(password) > 6:
                    assert password not in item.message
                if len(otp) > 6:
                    assert otp not in item.message


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.from_regex(r"[A-Z][a-z]{1,10} [A-Z][a-z]{1,10}", fullmatch=True),
            st.from_regex(r"[a-z]{2,8}[0-9]{4}", fullmatch=True),
            st.from_regex(r"[A-Za-z0-9!#%-]{8,20}", fullmatch=True),
        ),
        unique_by=lambda row: row[1],
        max_size=10,
    )
)
def test_valid_rows_round_trip(tmp_path: Path, rows: list[tuple[str, str, str]]) -> None:
    path = tmp_path / "rt.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([("name", "username", "password"), *rows])
    path.chmod(0o600)
    accounts = read_roster(path).accounts
    assert [(a.name, a.username, a.password.get_secret_value()) for a in accounts] == rows


def test_one_record_by_the_row_rules_is_what_a_roster_row_gives(tmp_path: Path) -> None:
    from verifier.roster import account_from_record
    from verifier.roster.secret_refs import SecretSources

    cells = {"name": "Alice Smith", "username": "asmith2001", "password": SECRET, "otp_secret": OTP.lower()}
    header = ",".join(cells) + ",courts\n"
    roster = read_roster(write(tmp_path, header + ",".join(cells.values()) + ",COD codd\n"), known_courts=load_courts())
    warned: list[str] = []
    alone = account_from_record(
        {**cells, "courts": "COD codd"}, SecretSources(env={}), load_courts(), row=1, line=2, warn=warned.append
    )
    assert alone == roster.accounts[0] and alone.courts == ("cod",) and alone.otp_secret is not None
    assert warned == roster.warnings and "'codd' (did you mean cod?)" in warned[0]

    placed: list[str] = []
    account_from_record(
        {**cells, "courts": "codd"}, SecretSources(env={}), load_courts(), warn=placed.append, place=lambda f: "--court"
    )
    assert placed[0].startswith("--court: unknown court id 'codd' (did you mean cod?); the account is checked")
    refused = account_from_record({**cells, "otp_secret": "nope!"}, SecretSources(env={}))
    assert isinstance(refused, RowError) and refused.field == "otp_secret" and SECRET not in repr(refused)
