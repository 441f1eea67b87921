"""Reading a roster file into records: its encoding, then the CSV reader (verifier.roster._csv) or the
JSON one (verifier.roster._json), both over one check of the columns (verifier.roster._header).

The file is read whole before the first row comes out, and nothing is sent anywhere meanwhile: every byte
is read once to tell its encoding (and refuse a binary file), a JSON roster is then parsed whole, and a
CSV one is read again row by row as the records are asked for. A run keeps every row it read until it
starts (verifier.run.bulk); a roster is at most `inputs.MAX_ROSTER`.

A record (`Record`) is a row's number, the file line where it starts, and its cells, secrets and references
as written; a problem found in one row travels in its record (`RowProblem`) and becomes that row's error
(verifier.roster._rows turns records into `Account`s). A file that cannot be read at all raises
`RosterError` (exit code 2) when `roster_records` is called, not halfway through the run.

Accepted: UTF-8 with or without BOM, UTF-16 with BOM (Excel "Unicode Text"), and anything else read as
Windows-1252 with a warning; comma, semicolon or tab delimiters (sniffed from the header line, or an
Excel ``sep=;`` first line); quoted fields with embedded newlines. JSON: a list of objects with the same
keys, or ``{"attorneys": [...]}``.
"""

from __future__ import annotations

import codecs
import shlex
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from verifier import inputs
from verifier.errors import RosterError
from verifier.roster._csv import CSV_FIELD_LIMIT, csv_records
from verifier.roster._header import KNOWN, REQUIRED, SECRET_COLUMNS, TEXT_ONLY, Record, RowProblem, Wanted, warn
from verifier.roster._json import json_records
from verifier.roster.secret_refs import reference_kind
from verifier.system import files

__all__ = ["CSV_FIELD_LIMIT", "KNOWN", "REQUIRED", "TEXT_ONLY", "Record", "RowProblem", "roster_records"]

_HEAD_BYTES = 1 << 16
_WHITESPACE = b" \t\r\n\x0b\x0c"
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def roster_records(
    path: Path | str, warnings: list[str] | None = None, ignore_columns: Iterable[str] = (), passwords: bool = True
) -> Iterator[Record]:
    """Open and check the roster now (raising `RosterError`), then its rows as raw records, secrets and
    references as written (for `secrets check`)."""
    path = Path(path)
    head = _read_head(path)
    encoding = _encoding(path, head, warnings)
    shared = _shared_mode(path)
    text_head = head.decode(encoding, errors="replace").lstrip("\ufeff")
    if not text_head.strip():
        raise RosterError(f"{path.name}: the roster is empty")
    wanted = Wanted(tuple(ignore_columns), passwords)
    if text_head.lstrip().startswith(("[", "{")):
        records = json_records(path, encoding, warnings, wanted)
    else:
        records = csv_records(path, encoding, text_head, warnings, wanted)
    return records if shared is None else _warn_when_read(records, path, shared, warnings)


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


def _warn_when_read(records: Iterator[Record], path: Path, mode: int, warnings: list[str] | None) -> Iterator[Record]:
    """The records as they are, then one warning that others can read the roster, saying what it holds:
    a secret written as itself (not a reference) is found only by reading every row."""
    plain = False
    for record in records:
        plain = plain or any(
            record.cells.get(column, "").strip() and reference_kind(record.cells[column]) in (None, "literal")
            for column in SECRET_COLUMNS
        )
        yield record
    holds = "passwords in plain text" if plain else "the attorneys' names and usernames"
    fix = f"chmod 600 {shlex.quote(str(path))}"
    warn(warnings, f"{path.name} is readable by other users (mode {mode:04o}); it holds {holds}: {fix}")


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
    warn(warnings, f"{path.name} is not UTF-8; read it as Windows-1252 (in Excel, save as 'CSV UTF-8' to avoid this)")
    return "cp1252"
