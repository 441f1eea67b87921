"""The Layout of docs/developers.md (moved there from the README) and docs/architecture.md draw the tree
as it is: every subpackage of verifier/ and every top-level module is named, and nothing that is not there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "verifier"


def _subpackages() -> set[str]:
    return {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}


def _top_modules() -> set[str]:
    return {p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("__")}


def _block(text: str, heading: str) -> str:
    start = text.index(heading)
    fence = text.index("```", start)
    return text[fence : text.index("```", fence + 3)]


def test_the_developers_layout_names_every_subpackage_and_module() -> None:
    block = _block((ROOT / "docs" / "developers.md").read_text(encoding="utf-8"), "## Layout")
    drawn = set(re.findall(r"^\s+(\w+)/\s", block, flags=re.M))
    assert drawn == _subpackages() - {"commands"}  # commands/ is named on the verifier/ line
    for module in _top_modules() | {"commands"}:
        assert re.search(rf"\b{module}\b", block), module


def test_the_architecture_doc_draws_the_same_tree() -> None:
    block = _block((ROOT / "docs" / "architecture.md").read_text(encoding="utf-8"), "# How pacer-verify is built")
    drawn = set(re.findall(r"^\s+(\w+)/\s", block, flags=re.M))
    assert drawn == _subpackages()
    for module in _top_modules():
        assert re.search(rf"\b{module}(\.py)?\b", block), module
