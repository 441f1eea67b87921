"""The run history under OUT/history, and the report's week-by-week sections in a real browser: the
readiness-over-runs chart and the Changes section render under the report's CSP, with matching counts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import make_result
from playwright.sync_api import ConsoleMessage, Page, Route, expect
from test_changes import new_run, old_run, write_jsonl

from verifier.models import Status
from verifier.reports import ReportMeta, write_report
from verifier.store import history
from verifier.store.history import RunPoint, run_point
from verifier.weekly.changes import compare

NOW = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)


def test_a_fresh_run_starts_a_new_entry_and_resume_continues_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = history.begin_entry(out, resume=False, now=NOW)
    assert first.name == "2026-12-01T0930Z" and first.stat().st_mode & 0o777 == 0o700
    assert history.begin_entry(out, resume=True, now=NOW + dt.timedelta(hours=2)) == first
    second = history.begin_entry(out, resume=False, now=NOW)  # same minute: never the same folder
    assert second.name == "2026-12-01T0930Z-2"
    assert history.begin_entry(out, resume=True) == second


def test_entries_keep_each_runs_results_privately(tmp_path: Path) -> None:
    out = tmp_path / "out"
    checkpoint = write_jsonl(out / "results.jsonl", old_run())
    week1 = history.begin_entry(out, resume=False, now=NOW - dt.timedelta(days=7))
    history.save_entry(week1, checkpoint)
    write_jsonl(checkpoint, new_run())
    week2 = history.begin_entry(out, resume=False, now=NOW)
    history.save_entry(week2, checkpoint)
    assert (week1 / "results.jsonl").read_text() != (week2 / "results.jsonl").read_text()
    assert (week2 / "results.jsonl").stat().st_mode & 0o777 == 0o600
    assert history.entries(history.history_root(out)) == [week1, week2]
    points = history.points(history.root_near(checkpoint))
    assert [(p.label, p.ready, p.todo, p.not_checked) for p in points] == [
        ("2026-11-24T0930Z", 5, 4, 1),
        ("2026-12-01T0930Z", 7, 3, 0),
    ]
    assert history.root_near(week2 / "results.jsonl") == history.history_root(out)
    # A report of an old entry charts the runs up to that one, not the weeks after it.
    assert [p.label for p in history.points_near(week1 / "results.jsonl")] == ["2026-11-24T0930Z"]
    assert [p.label for p in history.points_near(week2)] == ["2026-11-24T0930Z", "2026-12-01T0930Z"]


def test_an_unreadable_entry_is_left_out_of_the_chart(tmp_path: Path) -> None:
    root = tmp_path / "out" / "history"
    write_jsonl(root / "2026-11-24T0930Z" / "results.jsonl", old_run())
    (root / "2026-12-01T0930Z").mkdir()
    (root / "2026-12-01T0930Z" / "results.jsonl").write_text("not results\n")
    assert [p.label for p in history.points(root)] == ["2026-11-24T0930Z"]


def test_run_point_counts() -> None:
    results = [
        make_result(name="a", username="a", status=Status.SITE_ERROR),
        make_result(name="b", username="b", status=Status.LEGACY),
    ]
    point = run_point("x", results)
    assert (point.ready, point.todo, point.not_checked, point.total) == (0, 1, 1, 2)


HISTORY = [
    RunPoint(label="2026-11-17T0930Z", at=NOW - dt.timedelta(days=14), ready=2, todo=6, not_checked=2),
    RunPoint(label="2026-11-24T0930Z", at=NOW - dt.timedelta(days=7), ready=5, todo=4, not_checked=1),
    RunPoint(label="2026-12-01T0930Z", at=NOW, ready=7, todo=3, not_checked=0),
]


@pytest.fixture
def opened(tmp_path: Path, page: Page) -> Page:
    changes = compare(old_run(), new_run(), ["2026-11-24T0930Z"])
    meta = ReportMeta(title="Week by week", generated_at=NOW, changes=changes, history=HISTORY)
    path = write_report("html", new_run(), tmp_path / "report.html", meta=meta)
    problems: list[str] = []

    def only_the_file(route: Route) -> None:
        if route.request.url.startswith("file:"):
            route.fallback()
        else:
            problems.append(route.request.url)
            route.abort()

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):  # a CSP refusal shows up here
            problems.append(message.text)

    page.route("**/*", only_the_file)
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(path.as_uri())
    yield page
    assert problems == []


@pytest.mark.browser
def test_the_history_chart_draws_each_run_with_its_counts(opened: Page) -> None:
    runs = opened.locator(".history-chart g.run")
    expect(runs).to_have_count(3)
    for index, point in enumerate(HISTORY):
        run = runs.nth(index)
        expect(run).to_have_attribute("data-run", point.label)
        expect(run).to_have_attribute("data-ready", str(point.ready))
        expect(run.locator(".run-total")).to_have_text(f"{point.ready}/{point.total}")
        expect(run.locator(".run-label")).to_have_text(point.label[5:10])
        row = opened.locator(f'#history-table tr[data-run="{point.label}"] td')
        expect(row).to_have_text([str(point.ready), str(point.todo), str(point.not_checked)])
    # Taller green for more ready attorneys: the bars are drawn to scale, and visible.
    heights = [runs.nth(i).locator(".seg-ready").bounding_box()["height"] for i in range(3)]  # type: ignore[index]
    assert 0 < heights[0] < heights[1] < heights[2]
    expect(runs.nth(2).locator(".seg-not_checked")).to_have_count(0)  # zero is not drawn


@pytest.mark.browser
def test_the_changes_section_shows_the_counts_and_who_moved(opened: Page) -> None:
    changes = compare(old_run(), new_run(), ["2026-11-24T0930Z"])
    expect(opened.get_by_role("heading", name="Changes since 2026-11-24")).to_be_visible()
    expect(opened.locator("#changes-summary")).to_have_text(changes.summary_line())
    expect(opened.locator('[data-count="upgraded"] .big')).to_have_text("2")
    expect(opened.locator('[data-count="gone"] .big')).to_have_text("1")
    rows = opened.locator("#changes-table tbody tr")
    expect(rows).to_have_count(len(changes.attorneys))
    expect(opened.locator('#changes-table tr[data-change="new"]')).to_have_count(1)
    grace = opened.locator('#changes-table tr[data-username="grace.jones.esq"]')
    expect(grace.locator(".transition")).to_contain_text("legacy")
    expect(grace).to_contain_text("username changed from gjones2007 to grace.jones.esq")
    # The report's own table and its filter still work beside the new sections.
    opened.get_by_label("Search").fill("Kim Knew")
    expect(opened.locator("#shown")).to_have_text("1 of 10 shown")


def test_bulk_since_problems_are_warnings_and_last_finds_the_previous_run(tmp_path: Path) -> None:
    from verifier.weekly import followup

    out = tmp_path / "out"
    nothing = followup.begin(out, resume=False, since=[Path("last")])
    assert nothing.earlier is None and "no earlier run" in nothing.warnings[0]
    assert "without the Changes section" in nothing.warnings[0]
    bad = followup.begin(out, resume=False, since=[tmp_path / "missing.jsonl"])
    assert bad.earlier is None and "not found" in bad.warnings[0]

    checkpoint = write_jsonl(out / "results.jsonl", old_run())
    week1 = history.begin_entry(out, resume=False, now=NOW - dt.timedelta(days=7))
    history.save_entry(week1, checkpoint)
    follow = followup.begin(out, resume=False, since=[Path("last")])
    assert follow.warnings == [] and follow.sources == [week1.name] and follow.entry != week1
    write_jsonl(checkpoint, new_run())
    runs = followup.finish(follow, checkpoint, new_run())
    assert follow.changes is not None and follow.changes.counts["upgraded"] == 2
    assert [p.label for p in runs][-1] == follow.entry.name


def test_two_runs_on_one_day_are_told_apart_by_their_time() -> None:
    from verifier.reports.history_chart import columns

    points = [RunPoint(label=label, at=NOW, ready=1, todo=2) for label in ("2026-12-01T0930Z", "2026-12-02T0900Z")]
    points.append(RunPoint(label="2026-12-02T1415Z", at=NOW, ready=2, todo=1))
    assert [c.label for c in columns(points)] == ["12-01", "12-02 09:00", "12-02 14:15"]
    morning, afternoon = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC), dt.datetime(2026, 12, 2, 14, 15, tzinfo=dt.UTC)
    changes = compare(old_run(), new_run())
    assert changes.model_copy(update={"since": morning, "until": afternoon}).since_label == "2026-12-02 09:00 UTC"
    week_before = changes.model_copy(update={"since": morning - dt.timedelta(days=7), "until": afternoon})
    assert week_before.since_label == "2026-11-25"


def test_a_new_run_keeps_no_second_copy_of_a_run_the_history_holds(tmp_path: Path) -> None:
    from verifier.run.bulk import previous_run_kept

    out = tmp_path / "out"
    checkpoint = write_jsonl(out / "results.jsonl", old_run())
    assert not previous_run_kept(out, checkpoint)  # no history yet: kept as results.previous.jsonl
    history.save_entry(history.begin_entry(out, resume=False, now=NOW), checkpoint)
    assert previous_run_kept(out, checkpoint)  # the history holds it: no copy beside it
    write_jsonl(checkpoint, new_run())  # a run that ended before its entry was saved
    assert not previous_run_kept(out, checkpoint)
