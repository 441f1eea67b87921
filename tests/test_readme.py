"""The README is read in five minutes: about 200 lines at most, every docs/ link goes somewhere, the
set-up commands are the ones CI runs, and every pacer-verify command in it is a real command with
real options; the week's workflow block runs as written against the mock."""

from __future__ import annotations

import csv
import importlib.util
import re
import shlex
from pathlib import Path

import pytest
from helpers import REPO_ROOT, run_cli

from verifier.mock.server import MockServer

README = REPO_ROOT / "README.md"
MAX_LINES = 200
_spec = importlib.util.spec_from_file_location("cli_docs", REPO_ROOT / "tools" / "cli_docs.py")
assert _spec and _spec.loader
cli_docs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cli_docs)


def _text() -> str:
    return README.read_text(encoding="utf-8")


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_the_readme_is_short() -> None:
    lines = _text().splitlines()
    assert len(lines) <= MAX_LINES, f"README.md has {len(lines)} lines: move the detail into docs/"


def test_every_docs_link_in_the_readme_resolves() -> None:
    links = re.findall(r"\]\((docs/[^)#\s]+)(?:#([^)\s]+))?\)", _text())
    assert len(links) >= 10  # the README points to the rest rather than holding it
    broken = []
    for target, anchor in links:
        page = REPO_ROOT / target
        if not page.is_file():
            broken.append(target)
            continue
        headings = re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), flags=re.M)
        if anchor and anchor not in {_slug(h) for h in headings}:
            broken.append(f"{target}#{anchor}")
    assert broken == []


def test_the_set_up_commands_are_the_ones_ci_runs() -> None:
    text = _text()
    for command in ("bash bootstrap.sh demo", "bash bootstrap.sh test"):
        assert re.search(rf"^{command}\b", text, flags=re.M), command
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^bash bootstrap.sh test$", ci, flags=re.M)


def _commands() -> list[list[str]]:
    """Every `pacer-verify …` in the README's code blocks and inline code, as words (comments dropped,
    a leading `VAR=value` dropped)."""
    text = _text()
    found = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        found += [line.split(" #", 1)[0] for line in block.splitlines() if "pacer-verify " in line]
    found += re.findall(r"`((?:[A-Z_]+=\S+ )?pacer-verify [^`]+)`", text)
    commands = []
    for line in found:
        words = shlex.split(line.replace("…", "x"))
        while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
            words = words[1:]
        if words and words[0] == "pacer-verify":  # not `keyring set pacer-verify jdoe1234`
            commands.append(words[1:])
    return commands


def _path_and_options(words: list[str]) -> tuple[tuple[str, ...], list[str]]:
    paths = {tuple(p) for p in cli_docs.command_paths()}
    path: tuple[str, ...] = ()
    for word in words:
        if (*path, word) in paths:
            path = (*path, word)
        elif not word.startswith("-"):
            break
    return path, [w.split("=", 1)[0] for w in words if w.startswith("-")]


def test_every_command_in_the_readme_is_real_with_real_options() -> None:
    commands = _commands()
    assert len(commands) >= 10
    unknown = []
    for words in commands:
        path, options = _path_and_options(words)
        if path == () and options in (["--verbose"], ["--version"]):
            continue
        assert path, words
        text = cli_docs.render_help(path)
        unknown += [f"{' '.join(path)} {o}" for o in options if not re.search(rf"(^|[ ,]){re.escape(o)}\b", text, re.M)]
    assert unknown == []


def _week_block() -> list[list[str]]:
    block = next(b for b in re.findall(r"```bash\n(.*?)```", _text(), flags=re.S) if "--since last" in b)
    lines = [line.split(" #", 1)[0].strip() for line in block.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("pacer-verify ")]


@pytest.mark.browser
def test_the_weeks_workflow_runs_as_written_against_the_mock(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    # A roster of three of the mock's accounts, as the README's mock section says; passwords written in
    # (literal:), so that `secrets check` has something to find without a keyring.
    sample = list(csv.DictReader((REPO_ROOT / "verifier" / "data" / "sample_roster.csv").open(encoding="utf-8")))
    wanted = {"asmith2001", "egarcia2005", "lwilson2012"}
    rows = [{**r, "password": f"literal:{r['password']}", "email": f"{r['username']}@firm.example"} for r in sample]
    with (tmp_path / "roster.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*sample[0].keys(), "email"])
        writer.writeheader()
        writer.writerows(r for r in rows if r["username"] in wanted)
    (tmp_path / "roster.csv").chmod(0o600)
    mock = ["--base-url", pacer_mock.url, "--courts", str(REPO_ROOT / "verifier" / "mock" / "data" / "mock_site.json")]
    ran = []
    for words in _week_block():
        if words[:2] == ["roster", "template"]:
            words = [*words[:-1], "template.csv"]  # not over the roster this test wrote
        if "--recheck" in words:  # the README's attorney is jdoe1234; this roster's fixed one is lwilson2012
            words = ["lwilson2012" if w == "jdoe1234" else w for w in words]
        extra = mock if words[0] == "bulk" else []
        done = run_cli(*words, *extra, env=cli_env, cwd=tmp_path)
        ran.append(" ".join(words[:2]))
        # bulk: some attorney needs action (1); the rest: 0.
        assert done.returncode == (1 if words[0] == "bulk" else 0), (words, done.stderr)
    assert ran[0] == "roster template" and ran[-1] == "notices out/results.jsonl"
    assert (tmp_path / "out" / "report.html").is_file() and (tmp_path / "notices" / "mail-merge.csv").is_file()
    sent = {
        u: pacer_mock.stats()["api_login_posts"].get(u, 0) + pacer_mock.stats()["login_posts"].get(u, 0) for u in wanted
    }
    # The --resume run had no one left to check; the --recheck run checked the one named, only.
    assert sent == {**dict.fromkeys(wanted, 1), "lwilson2012": 2}
    assert any("--recheck" in r for r in (" ".join(w) for w in _week_block()))
