"""The complete example files in docs/pytest-plugin.md: fenced blocks whose first line is `# file: NAME`.

The plugin tests run them in a fresh pytest project, the install test from the installed wheel, so the
developer docs cannot drift from what works."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "pytest-plugin.md"
_BLOCK = re.compile(r"^```[a-z]*\n# file: (?P<name>\S+)\n(?P<body>.*?)^```", re.MULTILINE | re.DOTALL)


def doc_examples() -> dict[str, str]:
    """File name -> content (the `# file:` line kept: it is a comment in both Python and ini)."""
    text = DOC.read_text(encoding="utf-8")
    return {m["name"]: f"# file: {m['name']}\n{m['body']}" for m in _BLOCK.finditer(text)}


def write_examples(folder: Path) -> dict[str, str]:
    examples = doc_examples()
    for name, body in examples.items():
        (folder / name).write_text(body, encoding="utf-8")
    return examples
