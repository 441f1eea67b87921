"""Rosters a hostile tester writes: JSON values that are not text, usernames PACER cannot have,
keys given twice, a cell past the CSV size limit. Each is one row's error (or a warning); the rest runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.roster import CSV_FIELD_LIMIT, read_roster
from verifier.run.results import result_of_invalid_row


def write(tmp_path: Path, text: str, name: str = "roster.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


@pytest.mark.parametrize(
    ("literal", "kind"),
    [
        ("12345678", "a number"),
        ("1e400", "a number"),
        ("true", "true or false"),
        ('["a", "b"]', "a list"),
        ('{"x": "y"}', "an object"),
    ],
)
@pytest.mark.parametrize("field", ["password", "username", "cmecf_password"])
def test_json_values_that_are_not_text_are_row_errors(tmp_path: Path, literal: str, kind: str, field: str) -> None:
    bad = {"name": '"B"', "username": '"bbbb1234"', "password": '"Passw0rd-2"'}
    if field == "cmecf_password":
        bad["cmecf_username"] = '"bold"'
    bad[field] = literal
    text = (
        '[{"name": "A", "username": "aaaa1234", "password": "Passw0rd-1"},\n {'
        + ", ".join(f'"{k}": {v}' for k, v in bad.items())
        + "}]"
    )
    roster = read_roster(write(tmp_path, text))
    assert [a.username for a in roster.accounts] == ["aaaa1234"]
    (error,) = roster.errors
    assert (error.row, error.field) == (2, field)
    assert (
        result_of_invalid_row(error).message == f"row 2 (line 2), field '{field}': must be text in quotes, not {kind}"
    )


@pytest.mark.parametrize(
    ("username", "named"),
    [
        ("jdoe\u200b1234", "U+200B ZERO WIDTH SPACE"),
        ("\u200fjdoe1234", "U+200F RIGHT-TO-LEFT MARK"),
        ("jdoe\u202e4321", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("jdoé1234", "U+00E9 LATIN SMALL LETTER E WITH ACUTE"),
        ("jd\x1b[31moe", "U+001B a control character"),
        ("jdoe\r1234", "U+000D a control character"),
        ("j doe1234", "U+0020 SPACE"),
    ],
)
@pytest.mark.parametrize("kind", ["csv", "json"])
def test_usernames_pacer_cannot_have_are_refused(tmp_path: Path, username: str, named: str, kind: str) -> None:
    if kind == "json":
        path = write(
            tmp_path,
            json.dumps(
                [{"username": username, "password": "Passw0rd-1"}, {"username": "good1234", "password": "Passw0rd-2"}]
            ),
        )
    else:
        path = write(tmp_path, f'username,password\n"{username}",Passw0rd-1\ngood1234,Passw0rd-2\n', "roster.csv")
    roster = read_roster(path)
    assert [a.username for a in roster.accounts] == ["good1234"]
    (error,) = roster.errors
    assert error.field == "username" and named in error.message


def test_a_json_key_given_twice_is_a_warning_naming_the_row(tmp_path: Path) -> None:
    text = (
        '[{"username": "aaaa1234", "password": "Passw0rd-1"},\n'
        ' {"username": "bbbb1234", "password": "first", "password": "Passw0rd-2"},\n'
        ' {"username": "cccc1234", "Password": "x", "password": "Passw0rd-3"}]'
    )
    roster = read_roster(write(tmp_path, text))
    assert [a.password.get_secret_value() for a in roster.accounts] == ["Passw0rd-1", "Passw0rd-2", "Passw0rd-3"]
    twice = [w for w in roster.warnings if "more than once" in w]
    assert twice == [
        "roster.json row 2 (line 2): key 'password' is given more than once; the last one is used",
        "roster.json row 3 (line 3): key 'password' is given more than once; the last one is used",
    ]


def test_one_cell_past_the_csv_limit_is_a_row_error(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("name,username,password\nA,aaaa1234,Passw0rd-1\n")
        handle.write("B," + "b" * (CSV_FIELD_LIMIT + 10) + ",Passw0rd-2\n")
        handle.write("C,cccc1234,Passw0rd-3\n")
    path.chmod(0o600)
    roster = read_roster(path)
    assert [a.username for a in roster.accounts] == ["aaaa1234", "cccc1234"]
    (error,) = roster.errors
    assert error.row == 2 and "larger than 16 MiB" in error.message
