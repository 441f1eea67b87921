"""A CSV roster, row by row: its dialect (comma, semicolon or tab, sniffed from the header line, or an
Excel ``sep=`` first line), comment lines (a first cell starting with '#'), quoted fields with embedded
newlines, and each row's field count checked against the header's."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from verifier.errors import RosterError
from verifier.roster._header import KNOWN, Record, RowProblem, Wanted, check_header, column

#: The csv module refuses fields over 128 KiB by default, which would end the whole roster on one bad
#: cell; with this limit such a cell is one row error ("longer than 1000 characters") instead.
CSV_FIELD_LIMIT = 1 << 24
_SEP_LINE = re.compile(r"^\s*sep=(.)\s*$", re.IGNORECASE)


def csv_records(path: Path, encoding: str, head: str, warnings: list[str] | None, wanted: Wanted) -> Iterator[Record]:
    """Check the header now (raising `RosterError`), then read the rows one at a time as they are asked for."""
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    delimiter, sep = _dialect(head)
    handle = path.open("r", encoding=encoding, errors="replace", newline="")
    try:
        reader = csv.reader(handle, delimiter=delimiter)
        header = _header(path, reader, sep, warnings, wanted)
    except csv.Error as exc:
        handle.close()
        raise RosterError(f"{path.name}: not a valid CSV header ({exc})") from None
    except BaseException:
        handle.close()
        raise
    return _rows(path, handle, reader, header, delimiter)


def _dialect(head: str) -> tuple[str, bool]:
    """The delimiter (an Excel `sep=` line's, or the header line's most frequent of , ; tab) and whether
    a `sep=` line gave it."""
    lines = head.split("\n")
    first = next((line for line in lines if line.strip() and not _comment([line])), "")
    sep = _SEP_LINE.match(first)
    if sep:
        return sep.group(1), True
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    return (max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","), False


def _header(
    path: Path, reader: Iterator[list[str]], sep: bool, warnings: list[str] | None, wanted: Wanted
) -> list[str]:
    """The header row (after a `sep=` line, blank lines and comments), its columns checked."""
    header: list[str] = []
    for values in reader:
        if sep and len(values) == 1 and _SEP_LINE.match(values[0]):
            continue
        if any(v.strip() for v in values) and not _comment(values):
            header = values
            break
    if not header:
        raise RosterError(f"{path.name}: no header row (the first line must name the columns: {', '.join(KNOWN)})")
    check_header(path, header, warnings, wanted)
    return header


def _rows(path: Path, handle: TextIO, reader: Any, header: list[str], delimiter: str) -> Iterator[Record]:
    """The data rows as records, one at a time; the file is closed when they are done."""
    wanted = [(index, c) for index, c in enumerate(column(h) for h in header) if c in KNOWN]
    with handle:
        row = 0
        line = reader.line_num + 1
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if "field larger than field limit" not in str(exc):
                    raise RosterError(f"{path.name} line {line}: not valid CSV ({exc})") from None
                # One oversized cell is that row's problem; the reader goes on at the next line.
                row += 1
                yield Record(
                    row, line, problem=RowProblem("(row)", f"a cell is larger than {CSV_FIELD_LIMIT >> 20} MiB")
                )
                line = reader.line_num + 1
                continue
            if any(v.strip() for v in values) and not _comment(values):
                row += 1
                problem = _field_count_problem(values, header, delimiter)
                cells = {} if problem else {c: values[i] for i, c in wanted if i < len(values)}
                yield Record(row, line, cells, problem)
            line = reader.line_num + 1


def _field_count_problem(values: list[str], header: list[str], delimiter: str) -> RowProblem | None:
    """A row cut by an unquoted delimiter, or run together by a stray quote, is not what the user meant."""
    if len(values) == len(header):
        return None
    what = {",": "a comma", ";": "a semicolon", "\t": "a tab"}.get(delimiter, repr(delimiter))
    hint = (
        f"quote a password that contains {what}"
        if len(values) > len(header)
        else "give every column a field (an empty one between two separators), and check for a stray quote"
    )
    return RowProblem("(row)", f"row has {len(values)} fields, the header {len(header)}: {hint}")


def _comment(values: list[str]) -> bool:
    """A line whose first cell starts with '#' is a comment (`pacer-verify roster template` writes them)."""
    return bool(values) and values[0].lstrip().startswith("#")
