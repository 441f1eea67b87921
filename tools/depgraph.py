"""Who imports whom among pacer-verify's modules, read from the code (no import is run).

    python tools/depgraph.py            # package level: flows -> (nothing of ours), verifier -> flows
    python tools/depgraph.py --modules  # module level, one line per module
    python tools/depgraph.py --cycles   # import circles among modules and among subpackages (exit 1 if any)

A developer's tool: it reads the source tree it sits in, and is not part of the installed package.

Only imports of `flows` and `verifier` are listed. A function-level (lazy) import counts, and so does
one under `if TYPE_CHECKING:`: a circle that only the type checker walks still ties two modules
together (neither can be read, tested or moved without the other), so the cycle check keeps them.
`from package import name` counts as importing `package.name` when that is a module of ours. The
packages above a module (whose `__init__` Python runs first) are not counted as imported: every
module would otherwise import `verifier/__init__`, and the graph would say nothing.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Collection, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("flows", "verifier")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST, package_of: str, modules: Collection[str]) -> Iterator[str]:
    """Every module a module's code imports, relative imports resolved against `package_of`.

    `from x import y` imports the module `x.y` when there is one in `modules`, else a name from `x`.
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package_of.split(".")[: len(package_of.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base


def _sources() -> dict[str, Path]:
    return {module_name(path): path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))}


def module_graph() -> dict[str, set[str]]:
    sources = _sources()
    graph: dict[str, set[str]] = {}
    for name, path in sources.items():
        package_of = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[name] = {target for target in imported(tree, package_of, sources) if target in sources} - {name}
    return graph


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Top-level package → the other top-level packages of ours it imports."""
    edges: dict[str, set[str]] = {package: set() for package in PACKAGES}
    for source, targets in graph.items():
        top = source.split(".")[0]
        edges[top] |= {t.split(".")[0] for t in targets if t.split(".")[0] != top}
    return edges


def part_of(module: str, packages: set[str]) -> str:
    """The unit a module belongs to: its subpackage (`verifier.mock`, `verifier.run`, …), or the module
    itself when it sits at a package's top (`verifier.models`, `flows.signin`)."""
    parts = module.split(".")
    inside_a_subpackage = len(parts) > 2 or (len(parts) == 2 and module in packages)
    return ".".join(parts[:2]) if inside_a_subpackage else module


def subpackage_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Subpackage (or top-level module) → the others it imports."""
    packages = {name for name, path in _sources().items() if path.name == "__init__.py"}
    edges: dict[str, set[str]] = {}
    for source, targets in graph.items():
        unit = part_of(source, packages)
        edges.setdefault(unit, set())
        edges[unit] |= {part_of(t, packages) for t in targets} - {unit}
    return edges


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles: each group of nodes that reach one another (Tarjan's strongly connected
    components with more than one node), sorted, so that a failing test names every member."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def main(argv: list[str]) -> int:
    graph = module_graph()
    if "--modules" in argv:
        for source in sorted(graph):
            print(f"{source} -> {', '.join(sorted(graph[source])) or '-'}")
        return 0
    if "--cycles" in argv:
        circles = [("module", c) for c in cycles(graph)] + [("subpackage", c) for c in cycles(subpackage_graph(graph))]
        for level, members in circles:
            print(f"{level} circle among: {', '.join(members)}")
        return 1 if circles else 0
    for package, targets in package_graph(graph).items():
        print(f"{package} -> {', '.join(sorted(targets)) or '(none of ours)'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
