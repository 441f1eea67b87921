"""One home for what differs between systems: no module of verifier/ or flows/ outside verifier/system/
uses a name one system lacks (os.O_NOFOLLOW, os.fchmod, os.pread, os.O_NONBLOCK, os.getuid, signal.SIGKILL,
loop.add_signal_handler, `import fcntl`, …), opens a descriptor itself (`os.open`: binary on Windows only
when told) or asks which system it runs on.

Which names are one system's is read from typeshed (the stubs mypy ships): a name a stub defines under
`if sys.platform …` for one of Windows, Linux and macOS and not for another."""

from __future__ import annotations

import ast
import functools
import operator
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
HOME = REPO / "verifier" / "system"
PLATFORMS = ("win32", "linux", "darwin")
#: The oldest Python pacer-verify supports (pyproject.toml's requires-python).
OLDEST = (3, 11)
_COMPARE: dict[type, Callable[[object, object], bool]] = {
    ast.GtE: operator.ge,
    ast.Gt: operator.gt,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
#: Methods every event loop has in the stubs, but Windows' raise NotImplementedError.
LOOP_ONLY_ON_POSIX = frozenset({"add_signal_handler", "remove_signal_handler", "add_child_handler"})
#: Decided once, in verifier.system (is_windows, name): nowhere else asks which system this is.
ASKING_WHICH_SYSTEM = {("sys", "platform"), ("os", "name"), ("platform", "system"), ("os", "uname")}
#: What the typeshed reading must find, at least (so an empty reading cannot pass the walk).
KNOWN = {
    "os": {"O_NOFOLLOW", "O_NONBLOCK", "fchmod", "pread", "getuid", "geteuid", "O_BINARY"},
    "signal": {"SIGKILL", "SIGBREAK", "SIGHUP"},
}


def _typeshed() -> Path:
    try:
        import mypy
    except ImportError:
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    return Path(mypy.__file__).parent / "typeshed" / "stdlib"


def _is_sys_platform(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "platform" and getattr(node.value, "id", "") == "sys"


def _holds(test: ast.expr, platform: str) -> bool:
    """Whether a stub's `if` holds on `platform` with the oldest Python pacer-verify runs on (a name
    Windows gained in 3.13, such as os.fchmod, is still missing there)."""
    if isinstance(test, ast.BoolOp):
        values = [_holds(v, platform) for v in test.values]
        return all(values) if isinstance(test.op, ast.And) else any(values)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = test.operand
        return not _holds(inner, platform) if _mentions_platform(inner) else True
    if isinstance(test, ast.Compare) and _is_sys_platform(test.left) and len(test.ops) == 1:
        right = ast.literal_eval(test.comparators[0])
        op = test.ops[0]
        if isinstance(op, ast.Eq):
            return bool(platform == right)
        if isinstance(op, ast.NotEq):
            return bool(platform != right)
        if isinstance(op, ast.In):
            return platform in right
        if isinstance(op, ast.NotIn):
            return platform not in right
    if isinstance(test, ast.Compare) and _is_version(test.left) and len(test.ops) == 1:
        return bool(_COMPARE[type(test.ops[0])](OLDEST, ast.literal_eval(test.comparators[0])))
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and _is_sys_platform(test.func.value):
        return bool(getattr(platform, test.func.attr)(*[ast.literal_eval(a) for a in test.args]))
    return True


def _is_version(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "version_info" and getattr(node.value, "id", "") == "sys"


def _mentions_platform(test: ast.expr) -> bool:
    return any(_is_sys_platform(node) for node in ast.walk(test))


def _defined(statements: list[ast.stmt], platform: str) -> set[str]:
    names: set[str] = set()
    for node in statements:
        if isinstance(node, ast.If):
            names |= _defined(node.body if _holds(node.test, platform) else node.orelse, platform)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _stub(module: str) -> Path | None:
    base = _typeshed() / Path(*module.split("."))
    for path in (base.with_suffix(".pyi"), base / "__init__.pyi"):
        if path.is_file():
            return path
    return None


@functools.cache
def platform_names(module: str) -> tuple[frozenset[str], bool]:
    """(the names only some systems have, whether the whole module is only some systems')."""
    stub = _stub(module)
    if stub is None:
        return frozenset(), False
    tree = ast.parse(stub.read_text(encoding="utf-8"))
    each = {platform: _defined(tree.body, platform) for platform in PLATFORMS}
    everywhere = set.intersection(*each.values())
    anywhere = set.union(*each.values())
    whole = any(not names for names in each.values()) and bool(anywhere)
    return frozenset(anywhere - everywhere), whole


def offenses(source: str, where: str) -> Iterator[str]:
    """Each use in `source` of a name that differs between systems, as `where:line: what`."""
    tree = ast.parse(source)
    modules: dict[str, str] = {}  # local name -> module
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]  # `import os.path` binds os
                modules[alias.asname or top] = alias.name if alias.asname else top
                if platform_names(alias.name)[1]:
                    yield f"{where}:{node.lineno}: import {alias.name}"
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if platform_names(node.module)[1]:
                yield f"{where}:{node.lineno}: from {node.module} import"
            specific = platform_names(node.module)[0]
            for alias in node.names:
                if alias.name in specific:
                    yield f"{where}:{node.lineno}: {node.module}.{alias.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if node.attr in LOOP_ONLY_ON_POSIX:
                yield f"{where}:{node.lineno}: .{node.attr}"
            module = modules.get(getattr(node.value, "id", ""))
            if module is None:
                continue
            if node.attr in platform_names(module)[0] or (module, node.attr) in ASKING_WHICH_SYSTEM:
                yield f"{where}:{node.lineno}: {module}.{node.attr}"
            elif (module, node.attr) == ("os", "open"):
                yield f"{where}:{node.lineno}: os.open (binary only when told, on Windows)"
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("getattr", "hasattr") and node.args:
            module = modules.get(getattr(node.args[0], "id", ""))
            name = node.args[1].value if len(node.args) > 1 and isinstance(node.args[1], ast.Constant) else None
            if module and isinstance(name, str) and name in platform_names(module)[0]:
                yield f"{where}:{node.lineno}: {node.func.id}({module}, {name!r})"  # type: ignore[attr-defined]


def test_typeshed_is_read_as_each_system_has_its_names() -> None:
    for module, names in KNOWN.items():
        assert names <= platform_names(module)[0], module
    assert {"open", "stat", "replace", "fsync", "SIGINT", "SIGTERM"}.isdisjoint(
        platform_names("os")[0] | platform_names("signal")[0]
    )
    assert platform_names("fcntl")[1] and platform_names("msvcrt")[1] and not platform_names("os")[1]


def test_the_walk_finds_each_kind_of_use() -> None:
    source = (
        "import os, signal, asyncio, fcntl, sys\nimport os as o\nfrom os import pread\n"
        "os.open(p, os.O_WRONLY | os.O_NOFOLLOW)\nos.fchmod(fd, 0o600)\no.getuid()\n"
        "flags = getattr(os, 'O_NONBLOCK', 0)\nasyncio.get_running_loop().add_signal_handler(signal.SIGKILL, f)\n"
        "if sys.platform == 'win32': pass\nos.replace(a, b)\n"
    )
    found = {line.split(": ", 1)[1] for line in offenses(source, "x.py")}
    assert found == {
        "import fcntl",
        "os.pread",
        "os.open (binary only when told, on Windows)",
        "os.O_NOFOLLOW",
        "os.fchmod",
        "os.getuid",
        "getattr(os, 'O_NONBLOCK')",
        ".add_signal_handler",
        "signal.SIGKILL",
        "sys.platform",
    }


def test_nothing_outside_verifier_system_uses_a_name_one_system_lacks() -> None:
    found = [
        offense
        for package in ("verifier", "flows")
        for path in sorted((REPO / package).rglob("*.py"))
        if HOME not in path.parents
        for offense in offenses(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))
    ]
    assert found == [], "use verifier.system (files, signals, console, paths, is_windows):\n" + "\n".join(found)
