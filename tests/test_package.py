"""The package's promises that need no build: a cheap `import verifier`, the API names, docs that
match the bundled scenario, links that resolve, and no command reading the source tree."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO_ROOT

import verifier
from verifier import api
from verifier.mock.describe import accounts_markdown, courts_markdown
from verifier.mock.scenario import load_default_scenario

DOCS = [REPO_ROOT / "README.md", REPO_ROOT / "CHANGELOG.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]


def test_import_verifier_loads_neither_playwright_nor_pydantic() -> None:
    code = (
        "import sys, verifier; print(verifier.__version__); print(sorted(m for m in ('playwright', 'pydantic') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.splitlines() == [verifier.__version__, "[]"]


def test_loading_the_pytest_plugin_is_cheap() -> None:
    # Every pytest run where pacer-verify is installed loads it, fixtures used or not.
    code = (
        "import sys, verifier.mock.pytest_plugin; print(sorted(m for m in ('playwright', 'pydantic', "
        "'starlette', 'uvicorn') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"


def test_the_lazy_names_are_the_api() -> None:
    assert set(api.__all__) == verifier.API_NAMES
    assert verifier.check_account is api.check_account


def test_the_version_is_the_package_metadata() -> None:
    pyproject = (REPO_ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject and 'version = {attr = "verifier.__version__"}' in pyproject
    # The first section of the CHANGELOG is this version's: nothing listed above it as "Unreleased" that
    # `--version` would not show (the lead sets the version at a release).
    first = next(line for line in (REPO_ROOT / "CHANGELOG.md").read_text().splitlines() if line.startswith("## "))
    assert first.startswith(f"## {verifier.__version__} ") or first == f"## {verifier.__version__}", first


def test_the_docs_list_the_bundled_accounts_and_courts() -> None:
    doc = (REPO_ROOT / "docs" / "pytest-plugin.md").read_text(encoding="utf-8")
    scenario = load_default_scenario()
    hint = "docs/pytest-plugin.md is out of date: run python fixtures/generate.py"
    assert f"<!-- accounts:start -->\n{accounts_markdown(scenario)}<!-- accounts:end -->" in doc, hint
    assert f"<!-- courts:start -->\n{courts_markdown(scenario)}<!-- courts:end -->" in doc, hint


def test_generate_py_rewrites_the_docs_tables(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("fixtures_generate", REPO_ROOT / "fixtures" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stale = tmp_path / module.DOC_FILE
    stale.parent.mkdir(parents=True)
    stale.write_text(
        "intro\n<!-- accounts:start -->\nold\n<!-- accounts:end -->\nmiddle\n"
        "<!-- courts:start -->\n<!-- courts:end -->\nend\n"
    )
    module.main(tmp_path)
    text = stale.read_text()
    assert "old" not in text and text.startswith("intro\n") and text.endswith("end\n")
    assert "| `asmith2001` | `Mock-Passw0rd-1` |" in text and "| `cod` | `CODC` |" in text


def test_relative_links_in_the_docs_resolve() -> None:
    broken = []
    for doc in DOCS:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            if "://" not in target and not (doc.parent / target).exists():
                broken.append(f"{doc.relative_to(REPO_ROOT)}: {target}")
    assert broken == []


def test_nothing_points_at_the_unshipped_reference() -> None:
    # Users have docs/real-site.md, not the research notes it was written from.
    sources = [
        *DOCS,
        *(REPO_ROOT / "verifier").rglob("*.py"),
        *(REPO_ROOT / "flows").rglob("*.py"),
        *(REPO_ROOT / "verifier").rglob("*.html"),
    ]
    assert [str(p.relative_to(REPO_ROOT)) for p in sources if "pacer-reference" in p.read_text(encoding="utf-8")] == []


def test_no_command_reads_the_source_tree() -> None:
    # The repository's fixtures/ exists only in a checkout; the installed tool reads its package data.
    offenders = []
    for path in [*(REPO_ROOT / "verifier").rglob("*.py"), *(REPO_ROOT / "flows").rglob("*.py")]:
        if path == REPO_ROOT / "verifier" / "data" / "__init__.py":  # where the package's data is found
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\b(FIXTURES|REPO_ROOT)\b", text):
            offenders.append(str(path.relative_to(REPO_ROOT)))
    assert offenders == []


def test_every_public_name_is_documented() -> None:
    from verifier import API_NAMES

    page = (Path(__file__).resolve().parents[1] / "docs" / "pytest-plugin.md").read_text(encoding="utf-8")
    missing = sorted(name for name in API_NAMES if f"`{name}" not in page)
    assert missing == []


def test_load_settings_takes_the_documented_names_and_refuses_others() -> None:
    from verifier import load_settings

    settings = load_settings(env_file=None, base_url="http://127.0.0.1:8765", rate=0, timeout=5, court_checks=False)
    assert (settings.rate_per_minute, settings.timeout_s, settings.check_courts) == (0, 5, False)
    assert load_settings(env_file=None, rate_per_minute=7).rate_per_minute == 7
    with pytest.raises(TypeError, match=r"'rates'.*valid names: .*\brate\b.*rate_per_minute"):
        load_settings(env_file=None, rates=1)
