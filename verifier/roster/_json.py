"""A JSON roster: a list of attorneys (objects with the roster's columns as keys), or
``{"attorneys": [...]}`` (``"accounts"`` too). Read whole and parsed once, by json's own decoder, which
notes where each attorney starts (its line, for messages) and which keys an object gives twice."""

from __future__ import annotations

import json
import json.decoder
import json.scanner
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from verifier.errors import RosterError
from verifier.roster._header import (
    KNOWN,
    NOT_AN_OBJECT,
    TEXT_ONLY,
    Record,
    RowProblem,
    Wanted,
    check_header,
    column,
    warn,
)
from verifier.text import shown


def json_records(path: Path, encoding: str, warnings: list[str] | None, wanted: Wanted) -> Iterator[Record]:
    """Parse and check the roster now (raising `RosterError`); the records follow as they are asked for."""
    text = path.read_text(encoding=encoding, errors="replace").lstrip("\ufeff")
    try:
        data: Any = json.loads(text, cls=_Decoder)
    except json.JSONDecodeError as exc:
        raise RosterError(f"{path.name}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise RosterError(f"{path.name}: not a roster (JSON nested too deeply)") from None
    if isinstance(data, dict):
        data = next((data[k] for k in ("attorneys", "accounts") if isinstance(data.get(k), list)), None)
    if not isinstance(data, _Array):
        raise RosterError(f'{path.name}: a JSON roster is a list of attorneys, or {{"attorneys": [...]}}')
    if any(isinstance(item, dict) for item in data):
        keys = sorted({str(k) for item in data if isinstance(item, dict) for k in item}, key=column)
        check_header(path, keys, warnings, wanted, kind="key")
    return _records(path, text, data, warnings)


def _records(path: Path, text: str, items: _Array, warnings: list[str] | None) -> Iterator[Record]:
    line, counted = 1, 0
    for row, (item, start) in enumerate(zip(items, items.starts, strict=True), start=1):
        line += text.count("\n", counted, start)
        counted = start
        if not isinstance(item, dict):
            yield Record(row, line, problem=RowProblem("(row)", NOT_AN_OBJECT))
            continue
        twice = sorted({column(k) for k in getattr(item, "twice", ())} | _columns_twice(item))
        if twice:
            warn(
                warnings,
                f"{path.name} row {row} (line {line}): key {shown(twice[0])!r} is given more than once; "
                "the last one is used",
            )
        yield _record(row, line, item)


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys it was given more than once (json keeps the last)."""

    twice: tuple[str, ...] = ()

    @classmethod
    def of_pairs(cls, pairs: list[tuple[str, Any]]) -> _Object:
        made = cls(pairs)
        if len(made) < len(pairs):
            keys = [k for k, _ in pairs]
            made.twice = tuple(sorted({k for k in keys if keys.count(k) > 1}))
        return made


class _Array(list[Any]):
    """A JSON array that remembers where each of its values starts in the text."""

    starts: list[int]


class _Decoder(json.JSONDecoder):
    """json's decoder, its arrays noting where each value starts and its objects the keys given twice.
    Its scanner is json's Python one (the C one takes no hook for arrays): the same parse, about twice as
    slow as the C one (100,000 attorneys in some 3 s), once."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(object_pairs_hook=_Object.of_pairs, **kwargs)
        self.parse_array = _array
        self.scan_once = json.scanner.py_make_scanner(self)  # type: ignore[attr-defined]


def _array(s_and_end: tuple[str, int], scan_once: Callable[[str, int], tuple[Any, int]]) -> tuple[_Array, int]:
    starts: list[int] = []

    def noting(text: str, index: int) -> tuple[Any, int]:
        starts.append(index)
        return scan_once(text, index)

    values, end = json.decoder.JSONArray(s_and_end, noting)  # type: ignore[attr-defined]
    made = _Array(values)
    made.starts = starts
    return made, end


def _columns_twice(item: dict[str, Any]) -> set[str]:
    """Keys that differ but name the same column ("Password" and "password")."""
    columns = [column(k) for k in item]
    return {c for c in columns if c in KNOWN and columns.count(c) > 1}


def _record(row: int, line: int, item: dict[str, Any]) -> Record:
    cells: dict[str, str] = {}
    problem: RowProblem | None = None
    for name, value in item.items():
        known = column(name)
        if known not in KNOWN:
            continue
        if known in TEXT_ONLY and value is not None and not isinstance(value, str):
            problem = problem or RowProblem(known, f"must be text in quotes, not {_kind(value)}")
            value = None
        cells[known] = _text(value)
    return Record(row, line, cells, problem)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    return "a list" if isinstance(value, list) else "an object"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return " ".join(_text(v) for v in value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return json.dumps(value)
    return str(value)
