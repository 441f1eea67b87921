"""`--help` reads well in a terminal 80 columns wide (and 120): nothing cut off, no line too long, flags
shown as flags, defaults shown; and docs/cli.md is what `--help` prints (generated, never hand-edited)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from helpers import run_cli

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("cli_docs", ROOT / "tools" / "cli_docs.py")
assert _spec and _spec.loader
cli_docs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cli_docs)
PATHS = list(cli_docs.command_paths())


def _help(path: tuple[str, ...], columns: int) -> str:
    env = {**os.environ, "COLUMNS": str(columns), "TERM": "dumb", "NO_COLOR": "1"}
    done = run_cli(*path, "--help", env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_every_command_is_walked() -> None:
    from verifier.cli import COMMANDS

    assert () in PATHS
    assert {path[0] for path in PATHS if path} >= set(COMMANDS)


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "pacer-verify")
def test_help_fits_the_terminal_and_cuts_nothing(path: tuple[str, ...], columns: int) -> None:
    text = _help(path, columns)
    too_long = [line for line in text.splitlines() if len(line) > columns]
    assert too_long == [], f"lines over {columns} columns"
    assert "…" not in text  # rich's cut-off mark, or a help text's own
    cut = [line for line in text.splitlines()[1:] if line.rstrip().endswith("...")]
    assert cut == [], "a summary cut off with '...'"
    assert "<bool>" not in text and "{" not in text.splitlines()[0]  # flags as flags; usage without {roster}
    assert text.startswith(f"Usage: pacer-verify {' '.join(path)}".rstrip())
    if columns == 80:
        assert text == cli_docs.render_help(path), "the subprocess and docs/cli.md's rendering differ"


def test_bulk_help_groups_options_shows_defaults_and_names_email() -> None:
    text = _help(("bulk",), 80)
    for panel in ("Site:", "Browser:", "Politeness:", "Outputs:", "Week by week:"):
        assert f"\n{panel}\n" in text
    assert text.index("Site:") < text.index("Browser:") < text.index("Politeness:") < text.index("Outputs:")
    assert "Usage: pacer-verify bulk [OPTIONS] ROSTER\n" in text
    assert "email" in text
    assert "[default: 30]" in text  # --rate
    assert "[default: 2]" in text  # --retries
    assert "default: 60]" in text  # --timeout
    assert "  --resume  " in text  # a flag, with no placeholder
    assert "--headed / --headless" in text


def test_docs_cli_md_is_the_help_as_printed() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert page == cli_docs.render_page(), "docs/cli.md is stale: run python tools/cli_docs.py"


def test_the_docs_script_check_fails_on_a_stale_page(tmp_path: Path) -> None:
    stale = tmp_path / "cli.md"
    stale.write_text("# old\n", encoding="utf-8")
    assert cli_docs.main(["--check", "--page", str(stale)]) == 1
    assert cli_docs.main(["--page", str(stale)]) == 0
    assert cli_docs.main(["--check", "--page", str(stale)]) == 0


def test_an_option_has_one_placeholder_in_every_command() -> None:
    """`--rate N` in bulk and serve alike, `--host HOST` in mock and serve: never click's own placeholder
    (the parameter's name, "RATE", "OUT"), and one per option name. `--out`/`-o` names a folder in some
    commands and a file in others: its placeholder says which (DIR or FILE)."""
    import typer.main

    from verifier.cli import app

    root = typer.main.get_command(app)
    seen: dict[str, dict[str, list[str]]] = {}
    for path in PATHS:
        command = root
        ctx = root.make_context("pacer-verify", [], resilient_parsing=True)
        for name in path:
            command = command.get_command(ctx, name)  # type: ignore[attr-defined]
            ctx = command.make_context(name, [], parent=ctx, resilient_parsing=True)
        for param in command.params:
            if param.param_type_name != "option" or param.is_flag or param.count or param.hidden:  # type: ignore[attr-defined]
                continue
            long = max(param.opts, key=len)
            assert param.metavar, f"{' '.join(path)} {long}: no metavar, so click shows {param.name.upper()!r}"
            seen.setdefault(long, {}).setdefault(param.metavar, []).append(" ".join(path))
    differ = {flag: uses for flag, uses in seen.items() if len(uses) > 1 and flag not in ("--out", "--output")}
    assert differ == {}
    assert set(seen["--out"]) <= {"DIR", "FILE"} and "--rate" in seen and "--host" in seen
