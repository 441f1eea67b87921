"""Reading a roster file into records, row by row, without holding it all: the file's encoding, its
dialect (delimiter, an Excel ``sep=`` line, comment lines), the header's columns (required, repeated,
unknown, a secret under another name), each row's field count, and the streaming JSON reader.

A record is (data row, file line, {column: text}), secrets and references as written; the row rules
(verifier.roster._rows) turn it into an `Account`. A problem found in one record travels in it (`PROBLEM`)
and becomes that row's error; a file that cannot be read at all raises `RosterError` (exit code 2) when
`roster_records` is called, not halfway through the run.

Accepted: UTF-8 with or without BOM, UTF-16 with BOM (Excel "Unicode Text"), and anything else read as
Windows-1252 with a warning; comma, semicolon or tab delimiters (sniffed from the header line, or an
Excel ``sep=;`` first line); quoted fields with embedded newlines. JSON: a list of objects with the same
keys, or ``{"attorneys": [...]}``.
"""

from __future__ import annotations

import codecs
import csv
import json
import logging
import re
import shlex
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from verifier import inputs
from verifier.errors import RosterError
from verifier.roster._columns import described, holds_secret
from verifier.roster.secret_refs import reference_kind
from verifier.system import files
from verifier.text import shown

log = logging.getLogger(__name__)

REQUIRED = ("username", "password")
KNOWN = (
    *("name", "username", "password", "otp_secret", "courts", "cmecf_username", "cmecf_password", "email"),
    "client_code",
)
#: The csv module refuses fields over 128 KiB by default, which would end the whole roster on one bad
#: cell; with this limit such a cell is one row error ("longer than 1000 characters") instead.
CSV_FIELD_LIMIT = 1 << 24
_HEAD_BYTES = 1 << 16
_SEP_LINE = re.compile(r"^\s*sep=(.)\s*$", re.IGNORECASE)
_WHITESPACE = b" \t\r\n\x0b\x0c"
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

Record = tuple[int, int, dict[str, str]]
"""(data row number, file line where the record starts, {column: text})."""

#: In a record: a problem found while reading it ("field\0message"), reported as that row's error.
PROBLEM = "\0problem"
#: JSON values that must be strings: a number or true sent as a password would be a real failed sign-in.
TEXT_ONLY = ("username", "password", "otp_secret", "cmecf_username", "cmecf_password")


def roster_records(
    path: Path | str, warnings: list[str] | None = None, ignore_columns: Iterable[str] = (), passwords: bool = True
) -> Iterator[Record]:
    """Open and check the roster now (raising `RosterError`), then stream its rows as raw records:
    (row, line, {column: text}), secrets and references as written (for `secrets check`)."""
    path = Path(path)
    head = _read_head(path)
    encoding = _encoding(path, head, warnings)
    shared = _shared_mode(path)
    text_head = head.decode(encoding, errors="replace").lstrip("\ufeff")
    if not text_head.strip():
        raise RosterError(f"{path.name}: the roster is empty")
    if text_head.lstrip().startswith(("[", "{")):
        records = _json_records(path, encoding, warnings, ignore_columns, passwords)
    else:
        records = _csv_records(path, encoding, text_head, warnings, ignore_columns, passwords)
    return records if shared is None else _warn_when_read(records, path, shared, warnings)


def _warn(warnings: list[str] | None, message: str) -> None:
    log.warning("%s", message)
    if warnings is not None:
        warnings.append(message)


def _read_head(path: Path) -> bytes:
    try:
        inputs.require_regular(path, "roster", inputs.MAX_ROSTER)
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as exc:
        raise RosterError(f"{path}: cannot read the roster ({exc.strerror or exc})") from None
    if not head.removeprefix(_UTF8_BOM).strip(_WHITESPACE):
        raise RosterError(f"{path.name}: the roster is empty")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterError(
            f"{path.name}: this is an Excel workbook, not a CSV file; "
            "in Excel use File > Save As > 'CSV UTF-8 (Comma delimited)'"
        )
    return head


def _shared_mode(path: Path) -> int | None:
    """The roster's mode when other users may read it (POSIX), else None."""
    if not files.mode_bits_tell_privacy():
        return None  # Windows: every file reports 0o666; its folder's access list decides (docs/platforms.md)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    return mode if mode & 0o077 else None


#: Columns whose cells are secrets (a reference, or the secret itself).
SECRET_COLUMNS = ("password", "otp_secret", "cmecf_password")


def _warn_when_read(records: Iterator[Record], path: Path, mode: int, warnings: list[str] | None) -> Iterator[Record]:
    """The records as they are, then one warning that others can read the roster, saying what it holds:
    a secret written as itself (not a reference) is found only by reading every row."""
    plain = False
    for record in records:
        plain = plain or any(
            record[2].get(column, "").strip() and reference_kind(record[2][column]) in (None, "literal")
            for column in SECRET_COLUMNS
        )
        yield record
    holds = "passwords in plain text" if plain else "the attorneys' names and usernames"
    fix = f"chmod 600 {shlex.quote(str(path))}"
    _warn(warnings, f"{path.name} is readable by other users (mode {mode:04o}); it holds {holds}: {fix}")


def _encoding(path: Path, head: bytes, warnings: list[str] | None) -> str:
    """utf-16 (BOM), utf-8-sig, or cp1252 with a warning. Refuses a file with NUL bytes as binary."""
    if head.startswith(_UTF16_BOMS):
        return "utf-16"
    valid_utf8 = True
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            if b"\x00" in chunk:
                raise RosterError(f"{path.name}: this is a binary file, not a CSV or JSON roster")
            if valid_utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    valid_utf8 = False
    if valid_utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            valid_utf8 = False
    if valid_utf8:
        return "utf-8-sig"
    # Excel on Windows saves "CSV" in the ANSI code page: read it rather than refuse the whole roster.
    _warn(warnings, f"{path.name} is not UTF-8; read it as Windows-1252 (in Excel, save as 'CSV UTF-8' to avoid this)")
    return "cp1252"


def _column(name: object) -> str:
    """A header cell or JSON key as a column name: trimmed, lowercased, inner spaces/dashes as '_'."""
    return "_".join(str(name).replace("\ufeff", "").replace("-", " ").split()).lower()


def _found(columns: Iterable[str]) -> str:
    shown = [c[:40] for c in columns if c]
    more = f", and {len(shown) - 12} more" if len(shown) > 12 else ""
    return (", ".join(shown[:12]) + more) or "nothing"


def _missing_column(path: Path, columns: list[str], passwords: bool = True) -> None:
    missing = [c for c in REQUIRED if c not in columns and (passwords or c != "password")]
    if not missing:
        return
    if not any(c in KNOWN for c in columns):
        # Most likely the header row was left out and this is the first attorney: do not echo a password.
        raise RosterError(
            f"{path.name}: missing required column '{missing[0]}'; the first line must be a "
            f"header naming the columns, at least {', '.join(REQUIRED)} "
            f"(found {len([c for c in columns if c])} columns, none of them known)"
        )
    raise RosterError(f"{path.name}: missing required column '{missing[0]}' (found: {_found(columns)})")


def _unknown_columns(
    path: Path, headers: Iterable[str], warnings: list[str] | None, ignored: Iterable[str], kind: str = "column"
) -> None:
    """Warn about columns pacer-verify does not read (with what each likely meant); stop at one that may
    hold a secret, unless the user said to ignore it: a secret under another name would sign in without it."""
    skip = {_column(name) for name in ignored}
    unknown = [(h, _column(h)) for h in headers if _column(h) and _column(h) not in KNOWN]
    secret = [(h, c) for h, c in unknown if c not in skip and holds_secret(c, KNOWN)]
    if secret:
        header, column = secret[0]
        more = f" (and {len(secret) - 1} more such {kind}s)" if len(secret) > 1 else ""
        raise RosterError(
            f"{path.name}: {kind} {described(header, column, KNOWN)} is not one pacer-verify reads and may hold a "
            f"secret{more}; rename it, or pass --ignore-column {shlex.quote(header.strip())} to check without it"
        )
    if unknown:
        _warn(
            warnings, f"{path.name}: ignored unknown {kind}(s): {', '.join(described(h, c, KNOWN) for h, c in unknown)}"
        )


def _field_count_problem(values: list[str], header: list[str], delimiter: str) -> str | None:
    """A row cut by an unquoted delimiter, or run together by a stray quote, is not what the user meant."""
    if len(values) == len(header):
        return None
    what = {",": "a comma", ";": "a semicolon", "\t": "a tab"}.get(delimiter, repr(delimiter))
    hint = (
        f"quote a password that contains {what}"
        if len(values) > len(header)
        else "give every column a field (an empty one between two separators), and check for a stray quote"
    )
    return f"(row)\0row has {len(values)} fields, the header {len(header)}: {hint}"


def _csv_records(
    path: Path,
    encoding: str,
    head: str,
    warnings: list[str] | None,
    ignore_columns: Iterable[str] = (),
    passwords: bool = True,
) -> Iterator[Record]:
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    delimiter, sep = _dialect(head)
    handle = path.open("r", encoding=encoding, errors="replace", newline="")
    try:
        reader = csv.reader(handle, delimiter=delimiter)
        header = _csv_header(path, reader, sep, warnings, ignore_columns, passwords)
    except csv.Error as exc:
        handle.close()
        raise RosterError(f"{path.name}: not a valid CSV header ({exc})") from None
    except BaseException:
        handle.close()
        raise
    return _csv_rows(path, handle, reader, header, delimiter)


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


def _csv_header(
    path: Path,
    reader: Iterator[list[str]],
    sep: bool,
    warnings: list[str] | None,
    ignore_columns: Iterable[str],
    passwords: bool,
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
    columns = [_column(h) for h in header]
    _missing_column(path, columns, passwords)
    twice = sorted({c for c in columns if c in KNOWN and columns.count(c) > 1})
    if twice:
        raise RosterError(f"{path.name}: column '{twice[0]}' appears more than once in the header")
    _unknown_columns(path, header, warnings, ignore_columns)
    return header


def _csv_rows(path: Path, handle: TextIO, reader: Any, header: list[str], delimiter: str) -> Iterator[Record]:
    """The data rows as records, one at a time; the file is closed when they are done."""
    wanted = [(index, c) for index, c in enumerate(_column(h) for h in header) if c in KNOWN]
    with handle:
        row_number = 0
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
                row_number += 1
                yield row_number, line, {PROBLEM: f"(row)\0a cell is larger than {CSV_FIELD_LIMIT >> 20} MiB"}
                line = reader.line_num + 1
                continue
            if any(v.strip() for v in values) and not _comment(values):
                row_number += 1
                problem = _field_count_problem(values, header, delimiter)
                if problem:
                    yield row_number, line, {PROBLEM: problem}
                else:
                    yield row_number, line, {c: values[i] for i, c in wanted if i < len(values)}
            line = reader.line_num + 1


def _comment(values: list[str]) -> bool:
    """A line whose first cell starts with '#' is a comment (`pacer-verify roster template` writes them)."""
    return bool(values) and values[0].lstrip().startswith("#")


def _json_records(
    path: Path,
    encoding: str,
    warnings: list[str] | None,
    ignore_columns: Iterable[str] = (),
    passwords: bool = True,
) -> Iterator[Record]:
    text = path.read_text(encoding=encoding, errors="replace").lstrip("\ufeff")
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RosterError(f"{path.name}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise RosterError(f"{path.name}: not a roster (JSON nested too deeply)") from None
    key = None
    if isinstance(data, dict):
        key = next((k for k in ("attorneys", "accounts") if isinstance(data.get(k), list)), None)
        data = data.get(key) if key else None
    if not isinstance(data, list):
        raise RosterError(f'{path.name}: a JSON roster is a list of attorneys, or {{"attorneys": [...]}}')
    columns = {_column(k) for item in data if isinstance(item, dict) for k in item}
    if any(isinstance(item, dict) for item in data):
        _missing_column(path, sorted(columns), passwords)
    keys = sorted({str(k) for item in data if isinstance(item, dict) for k in item}, key=_column)
    _unknown_columns(path, keys, warnings, ignore_columns, kind="key")
    del data

    def rows() -> Iterator[Record]:
        for row, (line, item) in enumerate(_json_items(text, key), start=1):
            if not isinstance(item, dict):
                yield row, line, {"": ""}
                continue
            twice = sorted({_column(k) for k in getattr(item, "twice", ())} | _columns_twice(item))
            if twice:
                _warn(
                    warnings,
                    f"{path.name} row {row} (line {line}): key {shown(twice[0])!r} is given more "
                    "than once; the last one is used",
                )
            yield row, line, _json_record(item)

    return rows()


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys it was given more than once (json keeps the last)."""

    twice: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    made = _Object(pairs)
    if len(made) < len(pairs):
        keys = [k for k, _ in pairs]
        made.twice = tuple(sorted({k for k in keys if keys.count(k) > 1}))
    return made


def _columns_twice(item: dict[str, Any]) -> set[str]:
    """Keys that differ but name the same column ("Password" and "password")."""
    columns = [_column(k) for k in item]
    return {c for c in columns if c in KNOWN and columns.count(c) > 1}


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    return "a list" if isinstance(value, list) else "an object"


def _json_record(item: dict[str, Any]) -> dict[str, str]:
    record: dict[str, str] = {}
    for name, value in item.items():
        column = _column(name)
        if column not in KNOWN:
            continue
        if column in TEXT_ONLY and value is not None and not isinstance(value, str):
            record.setdefault(PROBLEM, f"{column}\0must be text in quotes, not {_json_kind(value)}")
            value = None
        record[column] = _json_text(value)
    return record


def _json_items(text: str, key: str | None) -> Iterator[tuple[int, Any]]:
    """The attorneys of an already validated JSON roster, one at a time, each with its line number."""
    decoder = json.JSONDecoder(object_pairs_hook=_object)

    def skip(pos: int) -> int:  # past JSON whitespace
        while pos < len(text) and text[pos] in " \t\n\r":
            pos += 1
        return pos

    pos = skip(0)
    if key is not None:  # walk the top-level object to the array under `key`
        pos = skip(pos + 1)  # after '{'
        while True:
            name, pos = decoder.raw_decode(text, pos)
            pos = skip(skip(pos) + 1)  # after ':'
            if name == key and text[pos] == "[":
                break
            _, pos = decoder.raw_decode(text, pos)
            pos = skip(skip(pos) + 1)  # after ','
    pos = skip(pos + 1)  # after '['
    line, counted = 1, 0
    while text[pos] != "]":
        line += text.count("\n", counted, pos)
        counted = pos
        item, pos = decoder.raw_decode(text, pos)
        yield line, item
        pos = skip(pos)
        if text[pos] == ",":
            pos = skip(pos + 1)


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return " ".join(_json_text(v) for v in value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return json.dumps(value)
    return str(value)
