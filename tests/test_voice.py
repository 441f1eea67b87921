"""One voice on standard error: `pacer-verify: warning: …` / `pacer-verify: error: …`, whole sentences;
logging's own format (`WARNING verifier.store.checkpoint: …`) only with --verbose."""

from __future__ import annotations

import logging
from pathlib import Path

from helpers import make_result, run_cli

from verifier.models import Status
from verifier.voice import VoiceFormatter, error_line, sentence, warning_line


def _results_with_a_broken_line(tmp_path: Path) -> Path:
    path = tmp_path / "results.jsonl"
    good = make_result(name="Alice Smith", username="asmith2001", status=Status.UPGRADED).model_dump_json()
    path.write_text(good + '\n{"broken\n', encoding="utf-8")
    return path


def test_a_module_warning_reads_as_the_tools_own_sentence(tmp_path: Path) -> None:
    path = _results_with_a_broken_line(tmp_path)
    done = run_cli("report", str(path), "-f", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "pacer-verify: warning: results.jsonl line 2 is incomplete or not a result; skipped.\n"


def test_verbose_shows_loggings_own_format(tmp_path: Path) -> None:
    path = _results_with_a_broken_line(tmp_path)
    done = run_cli("--verbose", "report", str(path), "-f", "json", cwd=tmp_path)
    assert "WARNING verifier.store.checkpoint: results.jsonl line 2" in done.stderr
    assert "pacer-verify: warning:" not in done.stderr


def test_an_error_is_one_sentence_with_the_prefix(tmp_path: Path) -> None:
    done = run_cli("report", str(tmp_path / "missing.jsonl"), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("pacer-verify: error: ") and done.stderr.endswith(".\n")
    assert done.stderr.count("\n") == 1


def test_sentences_end_once_and_show_control_characters() -> None:
    assert sentence("see `pacer-verify courts`") == "see `pacer-verify courts`."
    assert sentence("did you mean cod?") == "did you mean cod?"
    assert sentence("done.") == "done."
    assert sentence("a\x1b[31mred\nline") == "a\\x1b[31mred line."
    assert warning_line("x") == "pacer-verify: warning: x."
    assert error_line("x") == "pacer-verify: error: x."
    record = logging.LogRecord("verifier.roster", logging.WARNING, __file__, 1, "row %d: odd", (3,), None)
    assert VoiceFormatter().format(record) == "pacer-verify: warning: row 3: odd."


def test_one_attorney_is_not_attorneys() -> None:
    from rich.console import Console

    from verifier.reports.terminal import render_summary

    console = Console(record=True, width=120, color_system=None)
    render_summary([make_result(name="Alice Smith", username="asmith2001", status=Status.UPGRADED)], console)
    text = console.export_text()
    assert "1 of 1 attorney ready" in text and "attorneys" not in text
