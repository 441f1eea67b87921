"""Reports as a reader sees them: counts, CSV columns and neutralised cells, JSON shape, JUnit outcomes,
reading checkpoints back (torn lines, shards, conflicts), the terminal summary and `report` command.

The HTML report is tested in a real browser in test_reports_html.py, on the same sample results.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import typer
from helpers import make_result
from rich.console import Console
from typer.testing import CliRunner

from verifier.commands.report import report_command
from verifier.errors import ExitCode, UsageError
from verifier.models import CourtCheck, Result, Status, Step, StepState
from verifier.reports import FILE_NAMES, FORMATS, ReportError, ReportMeta, load_results, render, write_all, write_report
from verifier.reports.csv_report import BASE_COLUMNS, neutralize
from verifier.reports.html import LiveView
from verifier.reports.html import render as render_html
from verifier.reports.terminal import render_summary
from verifier.statuses import FACTS
from verifier.store.checkpoint import CheckpointWriter

GENERATED = dt.datetime(2026, 1, 2, 15, 30, tzinfo=dt.UTC)
CHECKED = dt.datetime(2026, 1, 2, 15, 0, tzinfo=dt.UTC)
XSS_NAME = "<script>alert(1)</script>"
FORMULA_NAME = "=cmd|' /C calc'!A0"
AT_NAME = "@SUM(1)"


def _step(
    id: str, state: StepState, title: str, court: str | None = None, deadline: str | None = None, detail: str = ""
) -> Step:
    return Step(
        id=id,
        state=state,
        title=title,
        court=court,
        detail=detail,
        deadline=dt.date.fromisoformat(deadline) if deadline else None,
    )


DONE, TODO, UNKNOWN, INFO = StepState.DONE, StepState.TODO, StepState.UNKNOWN, StepState.INFO


def _account_steps(upgraded: StepState, mfa: StepState) -> list[Step]:
    return [
        _step("own_account", DONE, "Own individual PACER account"),
        _step(
            "upgraded",
            upgraded,
            "Upgraded PACER account" if upgraded is DONE else "Upgrade the PACER account",
            deadline="2026-03-02" if upgraded is TODO else None,
        ),
        _step(
            "mfa",
            mfa,
            "Multi-factor authentication" if mfa is not TODO else "Enroll in multi-factor authentication",
            deadline="2025-12-31" if mfa is TODO else None,
            detail="Manage My Account → Settings → Manage MFA Settings → Add App" if mfa is TODO else "",
        ),
    ]


def sample_results() -> list[Result]:
    """Every status, steps with courts and deadlines, artifacts, hostile and accented names."""

    def result(name: str, username: str, status: Status, **extra: object) -> Result:
        extra.setdefault("next_steps", [FACTS[status].next_step])
        return make_result(name=name, username=username, status=status, checked_at=CHECKED, **extra)

    return [
        result(
            "Alice Smith",
            "asmith2001",
            Status.UPGRADED,
            row=1,
            account_type="Upgraded PACER Account",
            mfa_enrolled=True,
            duration_s=1.25,
            steps=[*_account_steps(DONE, DONE), _step("linked:cod", DONE, "Linked in CM/ECF", court="cod")],
            courts=[CourtCheck(court="cod", nextgen=True, linked=True)],
            message="Account Type: Upgraded",
        ),
        result(
            "José Núñez",
            "jnunez2002",
            Status.LEGACY,
            row=2,
            account_type="Legacy PACER Account",
            needs_upgrade=True,
            mfa_enrolled=False,
            firm_billing="Smith & Jones LLP",
            duration_s=2.5,
            steps=[
                *_account_steps(TODO, TODO),
                _step(
                    "linked:utb",
                    TODO,
                    "Link CM/ECF to PACER after go-live",
                    court="utb",
                    deadline="2026-03-02",
                    detail="Utilities → Link a CM/ECF account to my PACER account",
                ),
                _step("linked:cod", UNKNOWN, "Link your CM/ECF account", court="cod", detail="not checked"),
                _step("firm_billing", INFO, "Firm billing", detail="Smith & Jones LLP"),
            ],
            next_steps=[
                "Enroll in multi-factor authentication: Manage My Account → Settings → Manage MFA "
                "Settings → Add App — by 2025-12-31",
                "Upgrade the PACER account: Manage My Account → Upgrade — by 2026-03-02",
                "Link CM/ECF to PACER after go-live (utb): Utilities → Link a CM/ECF account to my "
                "PACER account — by 2026-03-02",
            ],
        ),
        result(
            XSS_NAME,
            "xss2003",
            Status.UPGRADED,
            row=3,
            account_type="Upgraded PACER Account",
            mfa_enrolled=False,
            steps=_account_steps(DONE, TODO),
            next_steps=["Enroll in multi-factor authentication: Manage My Account → Settings — by 2025-12-31"],
        ),
        result(
            FORMULA_NAME,
            "formula2004",
            Status.INVALID_CREDENTIALS,
            row=4,
            message="Invalid username or password",
            duration_s=0.75,
        ),
        result(AT_NAME, "atsum2005", Status.LOCKED, row=5, message="-2+3 attempts left"),
        result("Karen Davis", "kdavis2011", Status.MFA_REQUIRED, row=6, message="Enter your one-time code"),
        result("Liam Wilson", "lwilson2012", Status.UPDATE_REQUIRED, row=7),
        result(
            "Noah Taylor",
            "ntaylor2014",
            Status.UNRECOGNIZED_PAGE,
            row=8,
            message="no 'Account Type' on Manage My Account",
            artifacts=["artifacts/ntaylor2014/attempt-1.png"],
        ),
        result(
            "Olivia Anderson",
            "oanderson2015",
            Status.SITE_ERROR,
            row=9,
            attempts=3,
            duration_s=5.5,
            message="the site answered HTTP 503",
            artifacts=["artifacts/oanderson2015/attempt-3.png", "javascript:alert(2)"],
        ),
        result("Zoe Row", "", Status.INVALID_INPUT, row=10, message="row 10, field 'username': missing"),
    ]


EXPECTED_COUNTS = {
    "upgraded": 2,
    "legacy": 1,
    "invalid_credentials": 1,
    "locked": 1,
    "mfa_required": 1,
    "otp_rejected": 0,
    "update_required": 1,
    "unrecognized_page": 1,
    "site_error": 1,
    "invalid_input": 1,
}


@pytest.fixture
def results() -> list[Result]:
    return sample_results()


@pytest.fixture
def meta() -> ReportMeta:
    return ReportMeta(
        title="Smith & Jones — NextGen readiness",
        generated_at=GENERATED,
        roster="roster.csv",
        site="http://it:hunter2@127.0.0.1:8123/base?token=abc",
    )


def _jsonl(path: Path, results: list[Result], tail: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(r.model_dump_json() + "\n" for r in results) + tail, encoding="utf-8")
    return path


# --- write_all, meta ---------------------------------------------------------------------------------


def test_write_all_writes_the_four_files_and_nothing_else(
    tmp_path: Path, results: list[Result], meta: ReportMeta
) -> None:
    written = write_all(results, tmp_path / "out", meta)
    assert set(written) == set(FORMATS)
    assert {p.name for p in (tmp_path / "out").iterdir()} == set(FILE_NAMES.values())  # no partial files left
    assert all(p.stat().st_size > 0 for p in written.values())


def test_meta_never_carries_credentials_from_the_site_address(meta: ReportMeta) -> None:
    assert meta.site == "http://127.0.0.1:8123/base"
    for fmt in FORMATS:
        text = render(fmt, sample_results(), meta)
        assert "hunter2" not in text and "token=abc" not in text, fmt


def test_unknown_format_is_a_usage_error(tmp_path: Path, results: list[Result]) -> None:
    with pytest.raises(ReportError, match="html, csv, json, junit") as caught:
        write_report("pdf", results, tmp_path / "x.pdf")
    assert isinstance(caught.value, UsageError) and caught.value.exit_code == ExitCode.USAGE


# --- JSON ---------------------------------------------------------------------------------------------


def test_json_has_meta_summary_and_every_result(results: list[Result], meta: ReportMeta) -> None:
    document = json.loads(render("json", results, meta))
    assert set(document) >= {"meta", "summary", "results"}
    assert document["summary"] == EXPECTED_COUNTS
    assert document["meta"]["title"] == meta.title and document["meta"]["generated_at"].startswith("2026-01-02T15:30")
    assert [Result.model_validate(r) for r in document["results"]] == results
    assert document["readiness"]["total"] == 10 and document["readiness"]["ready"] == 1  # only Alice
    assert document["readiness"]["per_court"]["cod"] == {"ready": 1, "not_ready": 1, "unknown": 0}
    assert "José Núñez" in render("json", results, meta)  # readable, not \u escapes


# --- CSV ----------------------------------------------------------------------------------------------


def _csv_rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_columns_one_row_per_attorney_and_step_columns(
    tmp_path: Path, results: list[Result], meta: ReportMeta
) -> None:
    rows = _csv_rows(write_report("csv", results, tmp_path / "results.csv", meta=meta))
    assert len(rows) == len(results)
    header = list(rows[0])
    assert header[: len(BASE_COLUMNS)] == list(BASE_COLUMNS)
    assert header[len(BASE_COLUMNS) :] == [
        "step:own_account",
        "step:upgraded",
        "step:mfa",
        "step:linked:cod",
        "step:linked:utb",
        "step:firm_billing",
    ]
    jose = next(r for r in rows if r["username"] == "jnunez2002")
    assert jose["name"] == "José Núñez" and jose["status"] == "legacy" and jose["needs_upgrade"] == "true"
    assert jose["step:upgraded"] == "todo (by 2026-03-02)" and jose["step:linked:cod"] == "unknown"
    assert jose["step:own_account"] == "done" and jose["step:firm_billing"] == "info"
    assert jose["next_steps"].count(" | ") == 2
    alice = next(r for r in rows if r["username"] == "asmith2001")
    assert alice["step:linked:utb"] == "" and alice["mfa_enrolled"] == "true" and alice["duration_s"] == "1.25"
    site_error = next(r for r in rows if r["status"] == "site_error")
    assert site_error["attempts"] == "3" and "artifacts/oanderson2015/attempt-3.png" in site_error["artifacts"]


def test_csv_neutralises_formulas(tmp_path: Path, results: list[Result], meta: ReportMeta) -> None:
    rows = _csv_rows(write_report("csv", results, tmp_path / "results.csv", meta=meta))
    names = {r["username"]: r["name"] for r in rows}
    assert names["formula2004"] == "'" + FORMULA_NAME
    assert names["atsum2005"] == "'" + AT_NAME
    assert next(r for r in rows if r["username"] == "atsum2005")["message"] == "'-2+3 attempts left"
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (column, value)


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@A1"])
def test_every_formula_start_gets_a_quote(cell: str) -> None:
    assert neutralize(cell) == "'" + cell


@pytest.mark.parametrize(
    ("cell", "shown"), [("\tx", "\\tx"), ("\rx", "\\rx"), ("\nx", "\\nx"), ("\0x", "\\x00x"), ("\t=1+1", "\\t=1+1")]
)
def test_control_characters_are_shown_escaped_so_no_cell_starts_with_one(cell: str, shown: str) -> None:
    assert neutralize(cell) == shown


@pytest.mark.parametrize(
    ("value", "expected"), [("Alice", "Alice"), (None, ""), (True, "true"), (3, "3"), ("a=b", "a=b"), ("", "")]
)
def test_ordinary_cells_are_left_alone(value: object, expected: str) -> None:
    assert neutralize(value) == expected


# --- JUnit --------------------------------------------------------------------------------------------


def _assert_junit_schema(suite: ET.Element) -> None:
    """The strict Ant/Jenkins JUnit.xsd: what the attributes and children must look like."""
    assert suite.tag == "testsuite"
    assert set(suite.attrib) == {"name", "timestamp", "hostname", "tests", "failures", "errors", "time"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", suite.get("timestamp", ""))
    for number in ("tests", "failures", "errors"):
        assert int(suite.get(number, "")) >= 0
    float(suite.get("time", ""))
    tags = [child.tag for child in suite]
    assert tags[0] == "properties" and tags[-2:] == ["system-out", "system-err"]
    assert set(tags[1:-2]) <= {"testcase"}
    for case in suite.iter("testcase"):
        assert case.get("name") and case.get("classname") and float(case.get("time", "")) >= 0
        assert len(case) <= 1 and all(c.tag in ("failure", "error") and c.get("type") for c in case)


def test_junit_counts_failures_and_errors(results: list[Result], meta: ReportMeta) -> None:
    suite = ET.fromstring(render("junit", results, meta))
    _assert_junit_schema(suite)
    assert suite.get("name") == "pacer-verify" and suite.get("tests") == "10"
    assert suite.get("failures") == "6" and suite.get("errors") == "3"
    assert float(suite.get("time", "")) == pytest.approx(sum(r.duration_s for r in results))
    assert suite.get("timestamp") == "2026-01-02T15:30:00"
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    legacy = cases["José Núñez (jnunez2002)"]
    assert legacy.get("classname") == "pacer-verify.legacy" and legacy.get("time") == "2.500"
    failure = legacy.find("failure")
    assert failure is not None and failure.get("type") == "legacy"
    assert "Upgrade the PACER account" in (failure.text or "") and failure.get("message", "").startswith("legacy")
    assert len(cases["Alice Smith (asmith2001)"]) == 0  # upgraded passes
    # Upgraded, but MFA is still to do: a failure too, led by that next step.
    mfa = cases[f"{XSS_NAME} (xss2003)"].find("failure")
    assert mfa is not None and mfa.get("type") == "upgraded"
    assert mfa.get("message", "").startswith("upgraded: Enroll in multi-factor authentication")
    outcomes = {c.get("name"): c[0].tag if len(c) else "pass" for c in cases.values()}
    assert outcomes == {
        "Alice Smith (asmith2001)": "pass",
        f"{XSS_NAME} (xss2003)": "failure",
        "José Núñez (jnunez2002)": "failure",
        f"{FORMULA_NAME} (formula2004)": "failure",
        f"{AT_NAME} (atsum2005)": "failure",
        "Karen Davis (kdavis2011)": "failure",
        "Liam Wilson (lwilson2012)": "failure",
        "Noah Taylor (ntaylor2014)": "error",
        "Olivia Anderson (oanderson2015)": "error",
        "Zoe Row (no username)": "error",
    }
    by_status = {
        c.get("classname", "").split(".", 1)[1]: c[0].tag if len(c) else "pass"
        for c in cases.values()
        if "xss2003" not in (c.get("name") or "")
    }
    assert by_status == {
        "upgraded": "pass",
        "legacy": "failure",
        "invalid_credentials": "failure",
        "locked": "failure",
        "mfa_required": "failure",
        "update_required": "failure",
        "unrecognized_page": "error",
        "site_error": "error",
        "invalid_input": "error",
    }
    assert "Zoe Row (no username)" in cases


def test_junit_survives_control_characters(results: list[Result], meta: ReportMeta) -> None:
    results[3] = results[3].model_copy(update={"message": "bad\x1b[31m\x00page", "name": "Ctrl\x07 Name"})
    suite = ET.fromstring(render("junit", results, meta))  # parses: control characters were replaced
    _assert_junit_schema(suite)


# --- loading results.jsonl ----------------------------------------------------------------------------


def test_load_tolerates_a_truncated_last_line(
    tmp_path: Path, results: list[Result], caplog: pytest.LogCaptureFixture
) -> None:
    torn = results[1].model_dump_json()[:57]
    path = _jsonl(tmp_path / "results.jsonl", results[:3], tail="\n" + torn)
    with caplog.at_level(logging.WARNING):
        loaded = load_results([path])
    assert loaded == results[:3]
    assert re.search(r"results.jsonl line \d+ is incomplete", caplog.text)  # logged by iter_checkpoint


def test_a_later_line_replaces_an_earlier_one(tmp_path: Path, results: list[Result]) -> None:
    retried = results[8].model_copy(update={"status": Status.UPGRADED, "message": "fine on the second run"})
    path = _jsonl(tmp_path / "results.jsonl", [results[8], results[0]], tail="\n\n" + retried.model_dump_json() + "\n")
    loaded = load_results([path])
    assert [r.username for r in loaded] == ["asmith2001", "oanderson2015"]
    assert loaded[1].status is Status.UPGRADED


def test_a_resumed_run_after_a_kill(tmp_path: Path, results: list[Result]) -> None:
    """Killed mid-line, then resumed: the writer starts a fresh line, so the torn one sits mid-file."""
    path = tmp_path / "results.jsonl"
    with CheckpointWriter(path) as writer:
        writer.write(results[0])
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"name": "torn')
    fixed = results[9].model_copy(update={"status": Status.LEGACY, "username": "zrow2010"})
    with CheckpointWriter(path) as writer:
        writer.write(results[9])  # row 10 unreadable...
        writer.write(fixed)  # ...then fixed in the roster and checked on a later resume
    loaded = load_results([path])
    assert [r.username for r in loaded] == ["asmith2001", "zrow2010"]  # the unreadable row is gone


def test_shards_merge_and_identical_overlaps_are_deduplicated(tmp_path: Path, results: list[Result]) -> None:
    first = _jsonl(tmp_path / "shard1" / "results.jsonl", results[:6])
    second = _jsonl(tmp_path / "shard2" / "results.jsonl", results[4:])  # results 4 and 5 in both
    loaded = load_results([first, second])
    assert len(loaded) == len(results)
    assert summary(loaded) == {status: n for status, n in EXPECTED_COUNTS.items() if n}
    assert load_results([tmp_path / "shard1", tmp_path / "shard2"]) == loaded  # run folders work too


def test_shards_that_disagree_are_an_error_naming_both_files(tmp_path: Path, results: list[Result]) -> None:
    first = _jsonl(tmp_path / "shard1" / "results.jsonl", results[:3])
    changed = results[1].model_copy(update={"status": Status.UPGRADED})
    second = _jsonl(tmp_path / "shard2" / "results.jsonl", [changed])
    with pytest.raises(ReportError) as caught:
        load_results([first, second])
    message = str(caught.value)
    assert "jnunez2002" in message and str(first) in message and str(second) in message
    assert "legacy" in message and "upgraded" in message
    assert caught.value.exit_code == ExitCode.USAGE


def test_missing_or_foreign_files_are_clear_errors(tmp_path: Path, results: list[Result]) -> None:
    with pytest.raises(ReportError, match="not found"):
        load_results([tmp_path / "nope.jsonl"])
    roster = tmp_path / "roster.csv"
    roster.write_text("name,username,password\nAlice,asmith,env:X\n")
    with pytest.raises(ReportError, match="no results in it"):
        load_results([roster])
    report = tmp_path / "results.json"
    report.write_text(render("json", results))
    assert load_results([report]) == results  # a results.json report reads back too


def summary(results: list[Result]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status.value] = counts.get(result.status.value, 0) + 1
    return counts


# --- terminal -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 140])
def test_terminal_summary_fits_and_counts(width: int, results: list[Result]) -> None:
    results.append(
        make_result(name="[bold]Mark[/] Up [/]", username="markup", status=Status.LEGACY, checked_at=CHECKED)
    )
    console = Console(width=width, record=True, color_system=None)
    render_summary(results, console, CHECKED.date())
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= width
    assert "[bold]Mark[/] Up [/]" in text.replace("\n", "")  # shown literally, not as markup
    assert "legacy 2" in text and "upgraded 2" in text and "site_error 1" in text
    assert "1 of 11 attorneys ready" in text
    assert "Ready per court" in text and re.search(r"cod\s+1/2", text)
    if width > 100:  # on one line: a legacy account's first step is the upgrade, then how many more
        assert "Upgrade the PACER account (by 2026-03-02) (+2 more)" in text
        later = Console(width=width, record=True, color_system=None)
        render_summary(results, later, dt.date(2026, 3, 3))  # --as-of a day after the deadline
        assert "Upgrade the PACER account (overdue since 2026-03-02)" in later.export_text()
    assert "Nothing to do" in text  # Alice is ready
    assert text.index("locked") < text.index("legacy") < text.index("upgraded")  # who needs a person first


def test_terminal_summary_of_nothing() -> None:
    console = Console(width=80, record=True)
    render_summary([], console)
    assert "No results" in console.export_text()


# --- the report command -------------------------------------------------------------------------------


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()
    app.command("report")(report_command)

    @app.command("other")
    def other() -> None:  # a second command, so `report` is a subcommand as in the real CLI
        """Unused."""

    return app


def test_report_command_prints_json_csv_junit(cli: typer.Typer, tmp_path: Path, results: list[Result]) -> None:
    path = _jsonl(tmp_path / "run" / "results.jsonl", results)
    runner = CliRunner()
    done = runner.invoke(cli, ["report", str(path), "--format", "json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["summary"] == EXPECTED_COUNTS
    done = runner.invoke(cli, ["report", str(path), "-f", "csv", "-o", "-"])
    assert done.exit_code == 0 and "'=cmd|" in done.stdout and not done.stdout.startswith("\ufeff")
    done = runner.invoke(cli, ["report", str(path), "-f", "junit"])
    assert ET.fromstring(done.stdout).get("failures") == "6"
    done = runner.invoke(cli, ["report", str(path), "-f", "table"])
    assert done.exit_code == 0 and "jnunez2002" in done.stdout


def test_report_command_html_defaults_next_to_the_input(
    cli: typer.Typer, tmp_path: Path, results: list[Result]
) -> None:
    path = _jsonl(tmp_path / "run" / "results.jsonl", results)
    done = CliRunner().invoke(cli, ["report", str(path)])
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == str(tmp_path / "run" / "report.html")
    html = (tmp_path / "run" / "report.html").read_text(encoding="utf-8")
    assert 'href="artifacts/ntaylor2014/attempt-1.png"' in html and "results.jsonl" in html


def test_report_command_merges_shards_and_rebases_artifact_links(
    cli: typer.Typer, tmp_path: Path, results: list[Result]
) -> None:
    first = _jsonl(tmp_path / "shard1" / "results.jsonl", results[:5])
    second = _jsonl(tmp_path / "shard2" / "results.jsonl", results[5:])
    out = tmp_path / "merged" / "firm.html"
    done = CliRunner().invoke(cli, ["report", str(first), str(second), "-o", str(out)])
    assert done.exit_code == 0, done.output
    html = out.read_text(encoding="utf-8")
    assert 'href="../shard2/artifacts/ntaylor2014/attempt-1.png"' in html  # still points at the screenshot
    assert "10 of 10 shown" in html
    done = CliRunner().invoke(cli, ["report", str(first), str(second), "-f", "json", "-o", str(tmp_path / "merged")])
    assert done.exit_code == 0 and len(json.loads((tmp_path / "merged" / "results.json").read_text())["results"]) == 10


def test_report_command_rejects_unknown_formats_and_conflicts(
    cli: typer.Typer, tmp_path: Path, results: list[Result]
) -> None:
    path = _jsonl(tmp_path / "results.jsonl", results)
    done = CliRunner().invoke(cli, ["report", str(path), "-f", "pdf"])
    assert done.exit_code == 2 and "html, csv, json, junit, table" in done.output
    other = _jsonl(tmp_path / "b" / "results.jsonl", [results[0].model_copy(update={"status": Status.LEGACY})])
    done = CliRunner().invoke(cli, ["report", str(path), str(other), "-f", "json"])
    assert isinstance(done.exception, ReportError) and "asmith2001" in str(done.exception)


def test_report_command_help_shows_the_defaults() -> None:
    from verifier.cli import app as real_cli  # the real group: its commands' help is the plain, panelled one

    done = CliRunner().invoke(real_cli, ["report", "--help"], env={"COLUMNS": "200"})
    assert done.exit_code == 0
    text = " ".join(done.stdout.split())
    assert "html, csv, json, junit, or table" in text
    assert "[default: html: report.html beside the input; others: standard output]" in text  # not eaten as markup


# --- the per-court table and the day deadlines are read against ----------------------------------------


def _court_result(court: str, state: StepState) -> Result:
    steps = [*_account_steps(StepState.DONE, StepState.DONE), _step(f"linked:{court}", state, "Linked", court=court)]
    return make_result(
        name=f"Attorney {court}", username=f"a{court}2001", status=Status.UPGRADED, steps=steps, checked_at=CHECKED
    )


def _users_courts(tmp_path: Path) -> Path:
    path = tmp_path / "firm-courts.csv"
    path.write_text(
        "id,name,kind,nextgen_go_live,source\nzzb,Zed Bankruptcy Court,bankruptcy,2027-05-03,clerk\n"
        "cod,Our Name For Colorado,,,\n",
        encoding="utf-8",
    )
    return path


def _court_cells(html: str, court: str) -> str:
    row = re.search(rf'<tr data-court="{court}">(.*?)</tr>', html, re.S)
    assert row, f"no per-court row for {court}"
    return " ".join(re.sub(r"<[^>]+>", " ", row.group(1)).split())


def test_per_court_table_names_courts_from_the_registry_given(tmp_path: Path) -> None:
    from verifier.readiness.courts import load_courts

    results = [_court_result("zzb", StepState.TODO), _court_result("cod", StepState.DONE)]
    with_file = render("html", results, ReportMeta(generated_at=GENERATED), load_courts(_users_courts(tmp_path)))
    assert "Zed Bankruptcy Court 2027-05-03" in _court_cells(with_file, "zzb")
    assert "Our Name For Colorado 2021-08-02" in _court_cells(with_file, "cod")
    bundled = render("html", results, ReportMeta(generated_at=GENERATED))
    assert "Colorado District Court" in _court_cells(bundled, "cod") and "Zed" not in _court_cells(bundled, "zzb")


def test_report_command_uses_the_users_courts_file(cli: typer.Typer, tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "run" / "results.jsonl", [_court_result("zzb", StepState.TODO)])
    out = tmp_path / "report.html"
    done = CliRunner().invoke(cli, ["report", str(path), "--courts", str(_users_courts(tmp_path)), "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert "Zed Bankruptcy Court" in _court_cells(out.read_text(encoding="utf-8"), "zzb")


def test_bulk_reports_get_the_runs_registry(tmp_path: Path) -> None:
    from verifier.readiness.courts import load_courts

    reports = write_all(
        [_court_result("zzb", StepState.TODO)],
        tmp_path,
        ReportMeta(generated_at=GENERATED),
        courts=load_courts(_users_courts(tmp_path)),
    )
    assert "Zed Bankruptcy Court" in reports["html"].read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("as_of", "phrase"), [("2026-03-02", "by 2026-03-02"), ("2026-03-03", "overdue since 2026-03-02")]
)
def test_report_command_as_of(cli: typer.Typer, tmp_path: Path, results: list[Result], as_of: str, phrase: str) -> None:
    path = _jsonl(tmp_path / "run" / "results.jsonl", results)
    done = CliRunner().invoke(cli, ["report", str(path), "-f", "csv", "-o", "-", "--as-of", as_of])
    assert done.exit_code == 0, done.output
    assert f"todo ({phrase})" in done.stdout
    html = tmp_path / "r.html"
    assert CliRunner().invoke(cli, ["report", str(path), "--as-of", as_of, "-o", str(html)]).exit_code == 0
    assert phrase in " ".join(re.sub(r"<[^>]+>", " ", html.read_text(encoding="utf-8")).split())


def test_report_command_bad_as_of(cli: typer.Typer, tmp_path: Path, results: list[Result]) -> None:
    path = _jsonl(tmp_path / "results.jsonl", results)
    done = CliRunner().invoke(cli, ["report", str(path), "--as-of", "03/02/2026"])
    assert isinstance(done.exception, UsageError) and "--as-of '03/02/2026'" in str(done.exception)


def test_the_live_view_lists_who_has_not_checked_as_text_and_reloads() -> None:
    # serve's /admin is this page with a LiveView; the roster's names are the firm's data, shown as text.
    live = LiveView([(XSS_NAME, "eve<1>"), ("Ann Lee", "alee2001")], refresh_s=30)
    page = render_html(sample_results(), ReportMeta(generated=GENERATED), live=live)
    assert '<meta http-equiv="refresh" content="30">' in page
    assert "Not checked yet: 2 on the roster" in page and "reloads every 30 seconds" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "eve&lt;1&gt;" in page
    assert XSS_NAME not in page
    plain = render_html(sample_results(), ReportMeta(generated=GENERATED))
    assert "Not checked yet" not in plain and 'http-equiv="refresh"' not in plain


def test_a_how_to_said_below_the_table_is_not_repeated_in_each_rows_hover_text() -> None:
    # A screen reader announces a checklist item's title: the long MFA how-to once per attorney was the
    # noise the report's "How to do each step" section exists to remove.
    legacy = sample_results()[1]  # checklist and next steps both say how to enrol in MFA
    results = [legacy.model_copy(update={"username": f"legacy{n}", "row": n}) for n in range(1, 4)]
    page = render_html(results, ReportMeta(generated=GENERATED))
    mfa = "Manage My Account → Settings → Manage MFA Settings → Add App"
    assert page.count(mfa) == 1  # in "How to do each step", and nowhere else
    assert page.count('title="not checked"') == 3  # a detail said nowhere else keeps its hover text
    alone = render_html([legacy], ReportMeta(generated=GENERATED))
    assert alone.count(mfa) == 1  # the row's own next step says it: no title says it again
