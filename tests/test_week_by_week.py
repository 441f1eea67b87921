"""A firm's week, end to end against the mock: run `bulk`, an attorney upgrades, run `bulk --since last`
the next week, then `notices`. Checks the change summary, the history, the notices for every status, and
that no fixture secret is in any byte written or printed."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import run_cli
from playwright.sync_api import Page, expect
from secret_spellings import every_byte, fixture_secrets

from flows.otp import PERIOD_S
from verifier.data import DEMO_ROSTER
from verifier.mock.scenario import MockScenario
from verifier.mock.server import MockServer
from verifier.weekly.notices import HOWTO

BAD_EMAIL_ROW = 6


@dataclass
class Week:
    server: MockServer
    root: Path
    env: dict[str, str]
    streams: list[str] = field(default_factory=list)
    second: subprocess.CompletedProcess[str] | None = None
    notices: subprocess.CompletedProcess[str] | None = None

    @property
    def out(self) -> Path:
        return self.root / "out"


def _roster(path: Path, rows: int, bad_row: bool = False) -> Path:
    with DEMO_ROSTER.open(newline="") as handle:
        reader = csv.DictReader(handle)
        records = [r for _, r in zip(range(rows), reader, strict=False)]
    for index, record in enumerate(records, start=1):
        record["email"] = "frank at firm" if index == BAD_EMAIL_ROW else f"{record['username']}@firm.example"
    if bad_row:
        records.append({"name": "Quinn Blank", "username": "", "password": "x", "email": "quinn@firm.example"})
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*records[0].keys()], restval="")
        writer.writeheader()
        writer.writerows(records)
    return path


@pytest.fixture(scope="module")
def week(pacer_mock_scenario: MockScenario, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Week]:
    root = tmp_path_factory.mktemp("week")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PACER_USERNAME", "PACER_PASSWORD"))}
    env.pop("PACER_OTP_SECRET", None)
    # The product's own sign-in (one request, not the form's steps): the week is about history and notices.
    env.update(HOME=str(root), PYTHONUNBUFFERED="1", COLUMNS="140", PACER_VERIFY_SIGN_IN="api")
    with MockServer(pacer_mock_scenario) as server:
        found = Week(server, root, env)
        common = ["--base-url", server.url, "--out", str(found.out), "--rate", "0", "--retries", "0"]
        first = run_cli("bulk", str(_roster(root / "week1.csv", 14)), *common, env=env, cwd=root, timeout=900)
        assert first.returncode == 1, first.stderr
        account = server.state.account("egarcia2005")
        assert account is not None and account.account_type == "legacy"
        account.account_type = "upgraded"  # Elena upgrades during the week
        # A week passes: on the site's clock, at least the one-time-code step Carmen's first code used (the
        # ledger reads the site's `Date`), so her next check makes a new code instead of waiting for one.
        server.move_clock(PERIOD_S)
        found.second = run_cli(
            "bulk",
            str(_roster(root / "week2.csv", 15, bad_row=True)),
            *common,
            "--since",
            "last",
            env=env,
            cwd=root,
            timeout=900,
        )
        assert found.second.returncode == 1, found.second.stderr
        found.notices = run_cli(
            "notices", str(found.out), "--out", str(root / "notices"), env=env, cwd=root, timeout=900
        )
        found.streams = [
            first.stdout,
            first.stderr,
            found.second.stdout,
            found.second.stderr,
            found.notices.stdout,
            found.notices.stderr,
        ]
        yield found


def _results(week: Week) -> list[dict[str, object]]:
    return json.loads((week.out / "results.json").read_text())["results"]


def test_the_second_run_prints_and_reports_what_changed(week: Week) -> None:
    assert week.second is not None
    document = json.loads((week.out / "results.json").read_text())
    changes = document["changes"]
    assert changes["counts"]["upgraded"] == 1 and changes["counts"]["new"] == 2
    assert changes["counts"]["gone"] == 0
    assert f"Changes: {changes['summary_line']}" in " ".join(week.second.stdout.split())
    assert changes["summary_line"].startswith("1 upgraded since ")
    elena = next(a for a in changes["attorneys"] if a["username"] == "egarcia2005")
    assert (elena["before"], elena["now"]) == ("legacy", "upgraded")
    rows = list(csv.DictReader(io.StringIO((week.out / "changes.csv").read_text(encoding="utf-8-sig"))))
    assert {r["username"] for r in rows if r["change"] == "new"} == {"oanderson2015", ""}


def test_each_run_is_kept_in_the_history(week: Week) -> None:
    entries = sorted(p for p in (week.out / "history").iterdir() if p.is_dir())
    assert len(entries) == 2 and all((e / "results.jsonl").stat().st_mode & 0o777 == 0o600 for e in entries)
    assert len((entries[0] / "results.jsonl").read_text().splitlines()) == 14
    assert len((entries[1] / "results.jsonl").read_text().splitlines()) == 16
    assert json.loads((week.out / "results.json").read_text())["history"][-1]["label"] == entries[1].name


@pytest.mark.browser
def test_the_report_shows_the_week_in_the_browser(week: Week, page: Page) -> None:
    document = json.loads((week.out / "results.json").read_text())
    page.route("**/*", lambda route: route.fallback() if route.request.url.startswith("file:") else route.abort())
    page.goto((week.out / "report.html").as_uri())
    expect(page.locator(".history-chart g.run")).to_have_count(2)
    for point in document["history"]:
        run = page.locator(f'.history-chart g.run[data-run="{point["label"]}"]')
        expect(run).to_have_attribute("data-ready", str(point["ready"]))
        expect(run).to_have_attribute("data-todo", str(point["todo"]))
        expect(run).to_have_attribute("data-not-checked", str(point["not_checked"]))
    expect(page.locator("#changes-summary")).to_have_text(document["changes"]["summary_line"])
    expect(page.locator('[data-count="upgraded"] .big')).to_have_text("1")


def test_notices_for_every_status(week: Week) -> None:
    assert week.notices is not None and week.notices.returncode == 0, week.notices.stderr
    folder = week.root / "notices"
    index = {
        r["username"].lstrip("'"): r
        for r in csv.DictReader(io.StringIO((folder / "index.csv").read_text(encoding="utf-8-sig")))
    }
    expected_link = {
        "legacy": HOWTO["upgrade"][0].url,
        "invalid_credentials": HOWTO["sign_in"][0].url,
        "locked": "(800) 676-6856",
        "mfa_required": HOWTO["manage_account"][0].url,
        "update_required": HOWTO["password"][0].url,
        "unrecognized_page": HOWTO["manage_account"][0].url,
    }
    seen = set()
    for result in _results(week):
        username, status = str(result["username"]), str(result["status"])
        needs = status != "upgraded" or any(s["state"] == "todo" for s in result["steps"])
        if status in ("site_error", "invalid_input") or not needs:
            assert username not in index, f"{username} ({status}) should get no notice"
            continue
        text = (folder / index[username]["text_file"]).read_text()
        seen.add(status)
        # PACER's prompt asking for MFA (Liam) is answered by the MFA step and its link; a new password's
        # (Maria) by the password page.
        asked_mfa = (result.get("update") or {}).get("demand") == "mfa_enrollment"
        assert (HOWTO["mfa"][0].url if asked_mfa else expected_link.get(status, "https://")) in text, (username, status)
        for step in result["steps"]:
            if step["state"] == "todo":
                assert step["title"] in text, (username, step)
    assert seen >= set(expected_link)
    assert f"row {BAD_EMAIL_ROW} (Frank Kim): email 'frank at firm' is not an e-mail address" in week.notices.stderr
    merge = list(csv.DictReader(io.StringIO((folder / "mail-merge.csv").read_text(encoding="utf-8-sig"))))
    assert merge and all(r["email"].endswith("@firm.example") for r in merge)
    assert "fkim2006.txt" in {r["text_file"] for r in index.values()}  # Frank's note is written all the same


def test_no_secret_in_anything_written_or_printed(week: Week) -> None:
    blobs = every_byte(week.root, week.streams)
    assert any("notices" in where for where, _ in blobs) and any("history" in where for where, _ in blobs)
    for secret in fixture_secrets(week.server):
        leaks = [
            where for where, data in blobs if secret.encode() in data and not where.endswith(("week1.csv", "week2.csv"))
        ]  # the rosters hold them, by design
        assert not leaks, f"a fixture secret leaked into: {leaks[:5]}"


def test_resume_continues_the_runs_history_entry(week: Week) -> None:
    """Runs last: it rewrites the folder's reports."""
    before = sorted(p.name for p in (week.out / "history").iterdir())
    # --resume skips every recorded account except those whose latest result is site_error (checked again).
    recorded = json.loads((week.out / "results.json").read_text())["results"]
    done = sum(r["status"] != "site_error" for r in recorded)
    resumed = run_cli(
        "bulk",
        str(week.root / "week2.csv"),
        "--base-url",
        week.server.url,
        "--out",
        str(week.out),
        "--rate",
        "0",
        "--resume",
        env=week.env,
        cwd=week.root,
        timeout=900,
    )
    assert resumed.returncode == 1, resumed.stderr
    assert f"{done} accounts skipped" in resumed.stdout
    assert sorted(p.name for p in (week.out / "history").iterdir()) == before
    assert not (week.out / "changes.csv").exists()  # no --since this time: last run's changes are not left behind
