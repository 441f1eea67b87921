"""Next steps are data (`NextStep` in `Result.next`): every output renders them from their fields, and no
output reads back a sentence the verifier wrote (`Result.next_steps`, kept for readers of results.jsonl)
or takes a step's id apart."""

from __future__ import annotations

import ast
import datetime as dt
import io
import json
from pathlib import Path

from helpers import make_result
from pydantic import SecretStr
from rich.console import Console

from verifier.check.outcome import AccountOutcome
from verifier.models import Account, AccountPage, CourtCheck, NextStep, Result, Status, StepKind
from verifier.readiness import Where, advice_of, finalizer, roster_findings, said_all
from verifier.readiness.courts import load_courts
from verifier.reports import csv_report, html, junit
from verifier.reports.common import ReportMeta
from verifier.reports.terminal import render_summary
from verifier.run.results import result_of
from verifier.statuses import Source
from verifier.weekly.notices import build_notice, court_links

ROOT = Path(__file__).resolve().parents[1]
#: The outputs: reports, notices and changes, `serve`'s pages, the commands that print.
OUTPUTS = ("verifier/reports", "verifier/weekly", "verifier/serve", "verifier/commands")
#: What taking a text apart looks like.
TEXT_SURGERY = {"split", "rsplit", "partition", "rpartition", "startswith", "endswith", "removeprefix"}
TEXT_SURGERY |= {"removesuffix", "find", "index", "search", "match", "fullmatch", "sub", "findall"}
#: A step's words and keys: what no output may take apart.
STEP_TEXT = ("next_steps", ".id", ".title", ".detail", ".said", "next_step")


def text_surgery(root: Path) -> list[str]:
    """Every place under the outputs that reads `Result.next_steps`, names DEADLINE_SUFFIX, or splits,
    prefix-matches or regex-matches a step's words or id."""
    found = []
    for folder in OUTPUTS:
        for path in sorted((root / folder).rglob("*.py")):
            where = path.relative_to(root)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and node.attr == "next_steps":
                    found.append(f"{where}:{node.lineno}: reads the sentences: {ast.unparse(node)}")
                elif isinstance(node, ast.Name) and node.id == "DEADLINE_SUFFIX":
                    found.append(f"{where}:{node.lineno}: parses a deadline back")
                elif (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in TEXT_SURGERY
                    and any(t in ast.unparse(part) for part in (node.func.value, *node.args) for t in STEP_TEXT)
                ):
                    found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
        for template in sorted((root / folder).rglob("*.j2")):
            if "next_steps" in template.read_text(encoding="utf-8"):
                found.append(f"{template.relative_to(root)}: reads the sentences")
    return found


def test_no_output_parses_a_next_steps_text_or_a_step_id() -> None:
    assert text_surgery(ROOT) == []


def test_the_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    # The shapes the reports used before next steps were data: each is found.
    module = tmp_path / "verifier" / "reports" / "old.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "def f(result, step, text):\n"
        "    a = DEADLINE_SUFFIX.search(text)\n"
        "    b = result.next_steps[0].partition(': ')\n"
        "    c = step.id.split(':', 1)[0]\n"
        "    d = step.id.startswith(('linked:', 'cmecf_login:'))\n"
        "    e = _OWN_SUFFIX.sub('', step.title)\n"
        "    return a, b, c, d, e\n",
        encoding="utf-8",
    )
    template = tmp_path / "verifier" / "serve" / "t.html.j2"
    template.parent.mkdir(parents=True)
    template.write_text("{% for n in r.next_steps %}{{ n }}{% endfor %}", encoding="utf-8")
    found = text_surgery(tmp_path)
    assert len(found) == 7, found  # the name, its search, the attribute, its partition, two ids, the title
    assert any("t.html.j2" in line for line in found)


# --- behaviour: the outputs read the data, the sentences are what the data says ------------------------

DAY = dt.date(2021, 6, 1)
COURTS = load_courts()


def _results(where: Where = Where()) -> list[Result]:
    """A signed-in legacy attorney with courts (dated links, a reminder overdue), a locked one sharing a
    username, and one stopped at PACER's MFA prompt."""

    def account(username: str, name: str, courts: tuple[str, ...] = ()) -> Account:
        return Account(username=username, name=name, password=SecretStr("x"), courts=courts, row=1)

    legacy = account("lgarcia", "Lena Garcia", ("mdd", "cod", "innd"))
    shared = account("shared1", "Sam Shared", ("cod",))
    others = [legacy, shared, account("shared1", "Other Person")]
    finalize = finalizer(roster_findings(others), COURTS, DAY, where)
    page = AccountPage(account_type_label="Legacy PACER Account", username="lgarcia", mfa_enrolled=False)
    signed_in = AccountOutcome(
        Status.LEGACY,
        "Account Type: Legacy PACER Account",
        page=page,
        courts=(CourtCheck(court="cod", nextgen=True, linked=False),),
        reminder="Change your password by May 3",
        reminder_due=dt.date(2021, 5, 3),
    )
    locked = AccountOutcome(Status.LOCKED, "Your PACER account is locked.")
    return [
        result_of(legacy, signed_in, finalize(signed_in, legacy, page)),
        result_of(shared, locked, finalize(locked, shared, None)),
    ]


def _rendered(results: list[Result]) -> str:
    meta = ReportMeta(generated_at=dt.datetime(2021, 6, 1, 12, tzinfo=dt.UTC), as_of=DAY, tool_version="x")
    console = io.StringIO()
    render_summary(results, Console(file=console, width=100, color_system=None), day=DAY)
    notices = [build_notice(r, court_links(COURTS), DAY) for r in results]
    return "\n".join(
        [
            html.render(results, meta, COURTS),
            csv_report.render(results, meta),
            junit.render(results, meta),
            console.getvalue(),
            *(n.text() + n.html() for n in notices if n is not None),
        ]
    )


def test_the_sentences_are_what_the_steps_say() -> None:
    for result in _results(Where(Source.ROSTER, "pacer-verify bulk r.csv --out o --resume")):
        assert result.next and said_all(result.next, DAY) == result.next_steps
    legacy, locked = _results()
    assert [step.kind for step in legacy.next] == [
        StepKind.UPGRADED,
        StepKind.LINKED,
        StepKind.LINKED,
        StepKind.LINKED,
        StepKind.SITE_REMINDER,
    ]
    assert [(s.court, s.deadline) for s in legacy.next[1:4]] == [
        ("cod", dt.date(2021, 8, 2)),
        ("innd", dt.date(2021, 11, 8)),
        ("mdd", dt.date(2022, 2, 14)),
    ]
    assert [step.kind for step in locked.next] == [StepKind.STATUS, StepKind.OWN_ACCOUNT, StepKind.LINKED]
    assert (locked.next[0].status, locked.next[0].source) == (Status.LOCKED, Source.ROSTER)


def test_no_output_reads_the_sentences() -> None:
    results = _results()
    garbled = [r.model_copy(update={"next_steps": ["GARBLED: not a step — by 1999-01-01"]}) for r in results]
    shown = _rendered(garbled)
    assert "GARBLED" not in shown and "1999" not in shown
    assert shown == _rendered(results)


def test_the_command_that_checks_again_comes_after_the_advice() -> None:
    where = Where(Source.ROSTER, "pacer-verify bulk r.csv --out o --resume")
    step = where.status_step(Status.LOCKED, "jdoe 1")
    assert step.command == "pacer-verify bulk r.csv --out o --resume --recheck 'jdoe 1'"
    advice = advice_of(step)
    assert advice.do == "Contact the PACER Service Center (800-676-6856) to unlock or reactivate the account"
    assert str(advice) == f"{advice.do}. Once that is done, check again: {step.command}"
    row = advice_of(where.status_step(Status.INVALID_INPUT, "", 7))
    assert (row.do, row.then) == ("Fix roster row 7 as the message says", f"then check it again: {where.again}")
    # Where the credentials were typed (`serve`), no command is named.
    assert Where(Source.TYPED, where.again).status_step(Status.LOCKED, "jdoe").command == ""


def _as_written_before(result: Result) -> str:
    """The result as a version before next steps were data wrote it: no `next`, no step kinds."""
    data = json.loads(result.model_dump_json())
    del data["next"]
    for step in data["steps"]:
        del step["kind"]
    return json.dumps(data)


def test_an_earlier_versions_result_loads_with_its_steps_as_data() -> None:
    for where in (Where(), Where(Source.COMMAND), Where(Source.TYPED)):
        for result in _results(where):
            old = Result.model_validate_json(_as_written_before(result))
            assert [s.kind for s in old.steps] == [s.kind for s in result.steps]
            assert said_all(old.next, DAY) == result.next_steps and old.next[1:] == result.next[1:]
            # A status's words that read alike from several sources (locked) are taken as the roster's.
            assert old.next == result.next or where.source is not Source.ROSTER
    # Words naming a command (they match no advice of this version's) are said as they were stored.
    with_command = _results(Where(Source.ROSTER, "pacer-verify bulk r.csv --out o --resume"))
    old = Result.model_validate_json(_as_written_before(with_command[1]))
    assert old.next[0] == NextStep(kind=StepKind.STATUS, status=Status.LOCKED, said=with_command[1].next_steps[0])
    assert old.next[1:] == with_command[1].next[1:]
    assert said_all(old.next, DAY) == with_command[1].next_steps
    # Before checklists: each sentence, as stored.
    before = make_result(Status.LEGACY).model_dump(exclude={"next"})
    bare = Result.model_validate({**before, "next_steps": ["Upgrade it", "Then X"]})
    assert [s.said or str(advice_of(s)) for s in bare.next] == [
        "Upgrade it",
        "Then X",
    ]


def test_earlier_results_render_as_they_did() -> None:
    results = _results()
    old = [Result.model_validate_json(_as_written_before(r)) for r in results]
    assert _rendered(old) == _rendered(results)
