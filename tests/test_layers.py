"""The layering the code keeps: flows (pages, Playwright) below verifier (runs, reports, the CLI)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location("depgraph", Path(__file__).parent.parent / "tools" / "depgraph.py")
assert _spec and _spec.loader
depgraph = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(depgraph)
ROOT, module_graph, package_graph = depgraph.ROOT, depgraph.module_graph, depgraph.package_graph


def test_no_module_under_flows_imports_verifier() -> None:
    graph = module_graph()
    offenders = {
        m: sorted(t for t in targets if t.split(".")[0] == "verifier")
        for m, targets in graph.items()
        if m.split(".")[0] == "flows"
    }
    assert {m: t for m, t in offenders.items() if t} == {}
    assert "flows.signin" in graph and "verifier.run.runner" in graph  # the walk found the modules


def test_verifier_depends_on_flows_and_the_script_prints_it() -> None:
    assert package_graph(module_graph()) == {"flows": set(), "verifier": {"flows"}}
    shown = subprocess.run(
        [sys.executable, "tools/depgraph.py"], capture_output=True, text=True, cwd=ROOT, timeout=120, check=True
    ).stdout
    assert shown.splitlines() == ["flows -> (none of ours)", "verifier -> flows"]
