"""Who imports whom among pacer-verify's modules, read from the code (no import is run).

    python tools/depgraph.py            # package level: flows -> (nothing of ours), verifier -> flows
    python tools/depgraph.py --modules  # module level, one line per module

A developer's tool: it reads the source tree it sits in, and is not part of the installed package.

Only imports of `flows` and `verifier` are listed; a function-level (lazy) import counts too.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("flows", "verifier")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST, package_of: str) -> Iterator[str]:
    """Every module of ours a module's code imports (relative imports resolved against `package_of`)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package_of.split(".")[: len(package_of.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base


def module_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = module_name(path)
            package_of = name if path.name == "__init__.py" else name.rpartition(".")[0]
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            graph[name] = {
                target for target in imported(tree, package_of) if target.split(".")[0] in PACKAGES and target != name
            }
    return graph


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Top-level package → the other top-level packages of ours it imports."""
    edges: dict[str, set[str]] = {package: set() for package in PACKAGES}
    for source, targets in graph.items():
        top = source.split(".")[0]
        edges[top] |= {t.split(".")[0] for t in targets if t.split(".")[0] != top}
    return edges


def main(argv: list[str]) -> int:
    graph = module_graph()
    if "--modules" in argv:
        for source in sorted(graph):
            print(f"{source} -> {', '.join(sorted(graph[source])) or '-'}")
        return 0
    for package, targets in package_graph(graph).items():
        print(f"{package} -> {', '.join(sorted(targets)) or '(none of ours)'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
