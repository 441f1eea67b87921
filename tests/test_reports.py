"""Reports in every format, as the people who read them would check them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page

from verifier.checkpoint import CheckpointWriter
from verifier.models import NEXT_STEP, Result, Status, Step, StepState
from verifier.reports import ReportError, ReportMeta, load_results, write_all

XSS = "<script>alert(1)</script>"
FORMULA = "=cmd|' /C calc'!A0"


def sample_results() -> list[Result]:
    results = []
    for i, status in enumerate(Status):
        results.append(Result(name=f"Attorney {status.value}", username=f"user{i:04d}", row=i + 1, status=status,
                              next_steps=[NEXT_STEP[status]], duration_s=1.5))
    results[0].steps = [Step(id="upgraded", title="Upgraded", state=StepState.DONE),
                        Step(id="linked:cod", title="Link", state=StepState.TODO, court="cod",
                             deadline=dt.date(2027, 1, 4))]
    results.append(Result(name=XSS, username="xss00001", status=Status.LEGACY, artifacts=["artifacts/x/attempt-1.png"]))
    results.append(Result(name=FORMULA, username="@SUM(1)", status=Status.UPGRADED))
    results.append(Result(name="José Núñez", username="jnunez01", status=Status.UPGRADED))
    return results


@pytest.fixture
def written(tmp_path: Path) -> dict[str, Path]:
    return write_all(sample_results(), tmp_path, ReportMeta(roster="roster.csv", site="http://127.0.0.1:1"))


def test_json(written: dict[str, Path]) -> None:
    data = json.loads(written["json"].read_text())
    assert data["summary"]["upgraded"] == 3 and data["summary"]["legacy"] == 2
    assert len(data["results"]) == len(sample_results())


def test_csv_has_step_columns_and_neutralised_formulas(written: dict[str, Path]) -> None:
    raw = written["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads accents right
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert "step:linked:cod" in rows[0] and rows[0]["step:linked:cod"] == "todo (by 2027-01-04)"
    by_user = {r["username"]: r for r in rows}
    assert by_user["'@SUM(1)"]["name"] == "'" + FORMULA
    assert by_user["jnunez01"]["name"] == "José Núñez"


def test_junit(written: dict[str, Path]) -> None:
    suite = ET.parse(written["junit"]).getroot()
    assert suite.get("tests") == str(len(sample_results()))
    errors = {Status.SITE_ERROR, Status.UNRECOGNIZED_PAGE, Status.INVALID_INPUT}
    assert suite.get("errors") == "3"
    failing = [r for r in sample_results() if r.needs_action and r.status not in errors]
    assert suite.get("failures") == str(len(failing))
    assert len(suite.findall("testcase/failure")) == len(failing)


def test_load_results_merges_shards_and_rejects_conflicts(tmp_path: Path) -> None:
    one, two = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    with CheckpointWriter(one) as writer:
        writer.write(Result(name="A", username="aaaa1111", status=Status.UPGRADED))
        writer.write(Result(name="B", username="bbbb2222", status=Status.LEGACY))
    with CheckpointWriter(two) as writer:
        writer.write(Result(name="B", username="bbbb2222", status=Status.LEGACY))
        writer.write(Result(name="C", username="cccc3333", status=Status.LOCKED))
    with two.open("a") as handle:
        handle.write('{"name": "torn')
    assert sorted(r.username for r in load_results([one, two])) == ["aaaa1111", "bbbb2222", "cccc3333"]
    with CheckpointWriter(two) as writer:
        writer.write(Result(name="A", username="aaaa1111", status=Status.SITE_ERROR))
    with pytest.raises(ReportError, match="aaaa1111"):
        load_results([one, two])


def test_html_report_in_the_browser(written: dict[str, Path], page: Page) -> None:
    dialogs: list[Dialog] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(written["html"].as_uri())
    total = len(sample_results())
    rows = page.locator("#results tbody tr")
    assert rows.count() == total
    assert page.get_by_text(f"{total} of {total} shown").is_visible()
    assert page.locator('.count[data-status="upgraded"]').text_content() == "3"
    assert page.get_by_text(XSS).is_visible() and not dialogs

    page.get_by_label("Search names, usernames, messages").fill("núñez")
    assert page.get_by_text(f"1 of {total} shown").is_visible()
    page.get_by_label("Search names, usernames, messages").fill("")
    page.get_by_label("Status", exact=True).select_option("legacy")
    assert page.get_by_text(f"2 of {total} shown").is_visible()
    page.get_by_label("Status", exact=True).select_option("")

    page.get_by_role("columnheader", name="Username").click()
    first = rows.nth(0).locator("td").nth(1).inner_text()
    page.get_by_role("columnheader", name="Username").click()
    assert rows.nth(0).locator("td").nth(1).inner_text() != first
    assert page.get_by_role("link", name="attempt-1.png").get_attribute("href") == "artifacts/x/attempt-1.png"
    assert all(url.startswith("file:") for url in requests), requests
