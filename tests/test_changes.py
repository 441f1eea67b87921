"""Changes between two runs: every transition, matching by key, by name and row, by username and row, shards,
and the earlier runs a comparison must refuse. Pure functions over hand-made results, then the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import make_result, run_cli

from verifier.models import Result, Status, Step, StepState
from verifier.reports import ReportMeta, render, write_all
from verifier.weekly.changes import ChangeKind, Changes, ChangesError, compare
from verifier.weekly.followup import changes_since

OLD_AT = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
NEW_AT = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
DONE, TODO, UNKNOWN = StepState.DONE, StepState.TODO, StepState.UNKNOWN


def step(step_id: str, state: StepState, court: str | None = None, deadline: str | None = None) -> Step:
    return Step(
        id=step_id,
        title=step_id.split(":")[0].replace("_", " ").capitalize(),
        state=state,
        court=court,
        deadline=dt.date.fromisoformat(deadline) if deadline else None,
    )


def result(name: str, username: str, row: int, status: Status, at: dt.datetime, *steps: Step) -> Result:
    return make_result(name=name, username=username, row=row, status=status, checked_at=at, steps=list(steps))


def account_steps(upgraded: StepState, mfa: StepState) -> list[Step]:
    return [step("own_account", DONE), step("upgraded", upgraded), step("mfa", mfa, deadline="2025-12-31")]


def old_run() -> list[Result]:
    at = OLD_AT
    return [
        result("Ann Able", "aable2001", 1, Status.LEGACY, at, *account_steps(TODO, DONE)),
        result("Ben Baker", "bbaker2002", 2, Status.UPGRADED, at, *account_steps(DONE, DONE)),
        result("Cal Cole", "ccole2003", 3, Status.LOCKED, at, *account_steps(UNKNOWN, UNKNOWN)),
        result("Dee Dunn", "ddunn2004", 4, Status.UPGRADED, at, *account_steps(DONE, DONE)),
        result("Eve East", "eeast2005", 5, Status.UPGRADED, at, *account_steps(DONE, TODO)),
        result("Fay Fox", "ffox2006", 6, Status.UPGRADED, at, *account_steps(DONE, DONE)),
        result("Grace Jones", "gjones2007", 7, Status.LEGACY, at, *account_steps(TODO, DONE)),
        result("Hank Hill", "hhill2008", 8, Status.UPGRADED, at, *account_steps(DONE, DONE)),
        make_result(
            name="Ivy Ng",
            username="",
            row=9,
            status=Status.INVALID_INPUT,
            checked_at=at,
            message="row 9, field 'username': missing username",
        ),
        result("Jon Gone", "jgone2010", 10, Status.UPGRADED, at, *account_steps(DONE, DONE)),
    ]


def new_run() -> list[Result]:
    at = NEW_AT
    return [
        result("Ann Able", "aable2001", 1, Status.UPGRADED, at, *account_steps(DONE, DONE)),
        result("Ben Baker", "bbaker2002", 2, Status.INVALID_CREDENTIALS, at, *account_steps(UNKNOWN, UNKNOWN)),
        result("Cal Cole", "ccole2003", 3, Status.UPGRADED, at, *account_steps(DONE, DONE)),
        result("Dee Dunn", "ddunn2004", 4, Status.UPGRADED, at, *account_steps(DONE, DONE)),
        result("Eve East", "eeast2005", 5, Status.UPGRADED, at, *account_steps(DONE, DONE)),
        result(
            "Fay Fox",
            "ffox2006",
            6,
            Status.UPGRADED,
            at,
            *account_steps(DONE, DONE),
            step("linked:utb", TODO, court="utb", deadline="2027-01-04"),
        ),
        result("Grace Jones", "grace.jones.esq", 7, Status.UPGRADED, at, *account_steps(DONE, DONE)),
        result("Henry Hill", "hhill2008", 8, Status.UPGRADED, at, *account_steps(DONE, DONE)),
        result("Ivy Ng", "ivng2009", 9, Status.UPGRADED, at, *account_steps(DONE, DONE)),
        result("Kim Knew", "kknew2011", 11, Status.LEGACY, at, *account_steps(TODO, TODO)),
    ]


def by_username(changes: Changes) -> dict[str, object]:
    return {e.username: e for e in changes.attorneys}


def test_every_transition_is_found_and_counted() -> None:
    changes = compare(old_run(), new_run(), ["2026-11-24T0930Z"])
    entries = by_username(changes)
    ann = entries["aable2001"]
    assert (ann.before, ann.now, ann.kind) == (Status.LEGACY, Status.UPGRADED, ChangeKind.CHANGED)
    assert [s.id for s in ann.done] == ["upgraded"] and ann.ready and not ann.was_ready
    ben = entries["bbaker2002"]
    assert (ben.before, ben.now, ben.was_ready, ben.ready) == (Status.UPGRADED, Status.INVALID_CREDENTIALS, True, False)
    assert entries["ccole2003"].before is Status.LOCKED and entries["ccole2003"].ready
    assert "ddunn2004" not in entries  # unchanged: counted, not listed
    assert [s.id for s in entries["eeast2005"].done] == ["mfa"]
    assert [(s.id, s.court) for s in entries["ffox2006"].newly_due] == [("linked:utb", "utb")]
    grace = entries["grace.jones.esq"]
    assert grace.previous_username == "gjones2007" and "matched by name and roster row 7" in grace.note
    assert "name changed from 'Hank Hill' to 'Henry Hill'" in entries["hhill2008"].note
    assert "roster row 9 fixed" in entries["ivng2009"].note and entries["ivng2009"].before is Status.INVALID_INPUT
    assert entries["kknew2011"].kind is ChangeKind.NEW and [s.id for s in entries["kknew2011"].newly_due] == [
        "upgraded",
        "mfa",
    ]
    assert entries["jgone2010"].kind is ChangeKind.GONE and entries["jgone2010"].now is None
    assert changes.counts == {
        "upgraded": 2,
        "newly_ready": 5,
        "sign_in_fixed": 1,
        "newly_failing_sign_in": 1,
        "no_longer_ready": 2,
        "steps_done": 3,
        "newly_due": 1,
        "new": 1,
        "gone": 1,
        "username_changed": 1,
        "status_changed": 5,
    }
    assert (changes.compared, changes.unchanged) == (9, 1)
    assert changes.summary_line() == (
        "2 upgraded since 2026-11-24, 5 newly ready, 1 sign-in fixed, 1 newly failing sign-in, 2 no longer ready, "
        "3 checklist items done, 1 item newly due, 1 new to the roster, 1 gone from the roster, 1 username changed"
    )
    # Worst news first: those who were ready and are not any more lead the list; new then gone at the end.
    assert [e.username for e in changes.attorneys][:2] == ["bbaker2002", "ffox2006"]
    assert [e.kind for e in changes.attorneys][-2:] == [ChangeKind.NEW, ChangeKind.GONE]


def test_no_changes_says_so() -> None:
    changes = compare(old_run(), old_run())
    assert changes.attorneys == []
    # The same run on both sides: the same day, so the time tells the runs apart.
    assert changes.summary_line() == "No changes since 2026-11-24 09:30 UTC (10 attorneys in both runs)"


def test_an_ambiguous_rematch_matches_nobody() -> None:
    """Two rows that could each be the renamed attorney: neither is guessed, both are new/gone."""
    old = [
        result("Pat Poe", "ppoe2001", 1, Status.LEGACY, OLD_AT),
        result("Sam Sun", "ssun2002", 2, Status.LEGACY, OLD_AT),
    ]
    new = [
        result("Pat Poe", "pat.poe.one", 1, Status.UPGRADED, NEW_AT),
        result("Pat Poe", "pat.poe.two", 1, Status.UPGRADED, NEW_AT),
        result("Sam Sun", "ssun2002", 2, Status.LEGACY, NEW_AT),
    ]
    changes = compare(old, new)
    assert sorted(e.kind.value for e in changes.attorneys) == ["gone", "new", "new"]


def test_refuses_an_earlier_run_that_is_newer() -> None:
    with pytest.raises(ChangesError, match=r"is newer .* than the results it is compared with"):
        compare(new_run(), old_run(), ["week2/results.jsonl"])


def test_refuses_another_rosters_run() -> None:
    other = [result("Zed Zee", "zzee2099", 1, Status.UPGRADED, OLD_AT)]
    with pytest.raises(ChangesError, match="no attorney in it is in these results; is it another roster's run"):
        compare(other, new_run(), ["other/results.jsonl"])


def write_jsonl(path: Path, results: list[Result]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(r.model_dump_json() + "\n" for r in results), encoding="utf-8")
    return path


def test_shards_merge_and_a_missing_shard_shows_as_new_or_gone(tmp_path: Path) -> None:
    old = old_run()
    shard1 = write_jsonl(tmp_path / "old1" / "results.jsonl", old[:5])
    shard2 = write_jsonl(tmp_path / "old2" / "results.jsonl", old[5:])
    new = new_run()
    whole, problem = changes_since([shard1, shard2], new)
    assert problem is None and whole is not None
    assert whole.counts == compare(old, new).counts and whole.sources == ["old1/results.jsonl", "old2/results.jsonl"]

    half, problem = changes_since([shard1], new)  # the earlier run's second shard was not given
    assert problem is None and half is not None
    assert {e.username for e in half.attorneys if e.kind is ChangeKind.NEW} >= {"ffox2006", "hhill2008"}
    assert half.counts["gone"] == 0

    missing_now = compare(old, new[:5])  # this run's second shard was not given
    assert missing_now.counts["gone"] == 5 and "shard" in missing_now.gone_hint


def test_unreadable_or_missing_earlier_run_is_a_message_not_a_crash(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_bytes(b"\xff\xfe not results")
    changes, problem = changes_since([garbage], new_run())
    assert changes is None and problem and "garbage.jsonl" in problem and "without the Changes section" in problem
    changes, problem = changes_since([tmp_path / "nowhere"], new_run())
    assert changes is None and problem and "not found" in problem


def test_every_format_carries_the_changes(tmp_path: Path) -> None:
    changes = compare(old_run(), new_run(), ["2026-11-24T0930Z"])
    meta = ReportMeta(generated_at=NEW_AT, changes=changes)
    document = json.loads(render("json", new_run(), meta))
    assert document["changes"]["summary_line"] == changes.summary_line()
    assert document["changes"]["counts"]["upgraded"] == 2 and "changes" not in document["meta"]

    suite = ET.fromstring(render("junit", new_run(), meta))
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["changes.summary"] == changes.summary_line() and props["changes.since"] == "2026-11-24"
    assert props["change:Ann Able (aable2001)"].startswith("changed: legacy → upgraded; done: Upgraded")

    html = render("html", new_run(), meta)
    assert 'id="changes-summary"' in html and "Changes since 2026-11-24" in html

    written = write_all(new_run(), tmp_path / "out", meta)
    rows = list(csv.DictReader(io.StringIO(written["changes"].read_text(encoding="utf-8-sig"))))
    assert {r["username"]: (r["before"], r["now"]) for r in rows}["aable2001"] == ("legacy", "upgraded")
    assert written["changes"].stat().st_mode & 0o777 == 0o600
    # A later report without changes takes the stale changes.csv away.
    assert "changes" not in write_all(new_run(), tmp_path / "out", ReportMeta())
    assert not (tmp_path / "out" / "changes.csv").exists()


def test_changes_csv_is_spreadsheet_safe(tmp_path: Path) -> None:
    old = [result('=HYPERLINK("http://x")', "evil2001", 1, Status.LEGACY, OLD_AT, *account_steps(TODO, DONE))]
    new = [result('=HYPERLINK("http://x")', "evil2001", 1, Status.UPGRADED, NEW_AT, *account_steps(DONE, DONE))]
    written = write_all(new, tmp_path, ReportMeta(changes=compare(old, new)))
    rows = list(csv.reader(io.StringIO(written["changes"].read_text(encoding="utf-8-sig"))))
    assert rows[1][1].startswith("'=")


def test_report_since_in_a_subprocess(tmp_path: Path, cli_env: dict[str, str]) -> None:
    old = write_jsonl(tmp_path / "week1" / "results.jsonl", old_run())
    new = write_jsonl(tmp_path / "week2" / "results.jsonl", new_run())
    done = run_cli(
        "report", str(new), "--since", str(old), "-f", "json", "-o", str(tmp_path / "r.json"), env=cli_env, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "2 upgraded since 2026-11-24" in done.stdout
    assert json.loads((tmp_path / "r.json").read_text())["changes"]["counts"]["gone"] == 1

    table = run_cli(
        "report", str(new), "--since", str(old.parent), "-f", "table", env={**cli_env, "COLUMNS": "120"}, cwd=tmp_path
    )
    assert table.returncode == 0, table.stderr
    assert "Changes since 2026-11-24" in table.stdout and "grace.jones.esq" in table.stdout

    csv_out = run_cli(
        "report",
        str(new),
        "--since",
        str(old),
        "-f",
        "csv",
        "-o",
        str(tmp_path / "c" / "all.csv"),
        env=cli_env,
        cwd=tmp_path,
    )
    assert csv_out.returncode == 0, csv_out.stderr
    assert (tmp_path / "c" / "changes.csv").is_file()

    swapped = run_cli(
        "report", str(old), "--since", str(new), "-f", "html", "-o", str(tmp_path / "s.html"), env=cli_env, cwd=tmp_path
    )
    assert swapped.returncode == 0, swapped.stderr
    assert "is newer" in swapped.stderr and "without the Changes section" in swapped.stderr
    assert (tmp_path / "s.html").is_file() and 'id="changes"' not in (tmp_path / "s.html").read_text()


def test_the_terminal_table_lists_the_steps_done_and_newly_due() -> None:
    # Text.rstrip works in place; the column once read its None and showed "—" for everyone.
    from rich.console import Console

    from verifier.reports.changes_terminal import render_changes

    changes = compare(old_run(), new_run(), ["2026-11-24T0930Z"])
    console = Console(record=True, width=160)
    render_changes(changes, console)
    text = console.export_text()
    assert "done: " in text or "due: " in text
