"""`pacer-verify notices`: a note to each attorney with something to do, as files. Nothing is sent."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Protocol

import typer

from verifier import outputs, voice
from verifier.commands import options
from verifier.models import Result
from verifier.readiness.courts import load_courts
from verifier.reports.csv_report import neutralize, neutralize_letter
from verifier.serve import invitations as invite
from verifier.store.loading import load_results
from verifier.system.paths import portable_name
from verifier.text import shown
from verifier.voice import plural
from verifier.weekly.notices import (
    MAIL_MERGE_COLUMNS,
    Notice,
    build_notice,
    court_links,
    is_email,
    mail_merge_rows,
    skip_reason,
)

MAIL_MERGE_FILE = "mail-merge.csv"
INDEX_FILE = "index.csv"


def notices_command(
    results_files: Annotated[
        list[Path],
        typer.Argument(
            metavar="RESULTS",
            help="results.jsonl file(s) written by `bulk` (or their folders); shards are merged.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            metavar="DIR",
            help="Folder for the notices (made private, 0700).",
            parser=options.output_path,
        ),
    ] = Path("notices"),
    courts_file: options.CourtsFile = None,
    prefer: options.Prefer = None,
) -> None:
    """Write a short note for each attorney with something to do: their steps in order, the deadlines,
    and the official PACER how-to links (plain text and HTML, one pair per attorney).

    With an `email` column in the roster, also mail-merge.csv (email, name, subject, body_text, body_html) for any
    mail tool; pacer-verify sends nothing itself. index.csv lists who got which file.
    """
    results = load_results(results_files, options.prefer_choice(prefer))
    links = court_links(load_courts(courts_file))
    today = dt.date.today()
    notices: list[Notice] = []
    skipped: dict[str, list[Result]] = {}
    for result in results:
        notice = build_notice(result, links, today)
        if notice is None:
            skipped.setdefault(skip_reason(result) or "nothing to do", []).append(result)
        else:
            notices.append(notice)
    # `serve`'s personal links, when it wrote them beside the results: in each notice, and an invitation
    # for each attorney who has not checked yet.
    invitations = invite.links_beside(results_files)
    for notice in notices:
        notice.link = invite.link_for(notice.result, invitations)
    pending = invite.not_checked(invitations, results)
    for warning in email_warnings(notices):
        voice.warn(warning)
    merged = write_notices(notices, out, pending, with_links=bool(invitations))
    merge_note = f" ({merged} in {MAIL_MERGE_FILE})" if merged else ""
    typer.echo(f"{plural(len(notices), 'notice')} written to {out}{merge_note}")
    if invitations:
        typer.echo(f"{plural(len(pending), 'invitation')} to check with a personal link (not checked yet)")
    for reason, who in sorted(skipped.items()):
        typer.echo(f"{len(who)} without a notice ({reason}): {named(who)}")


#: How many attorneys a "without a notice" line names before it says how many more.
NAMED = 10


def named(results: Sequence[Result]) -> str:
    """ "Cy Cole (row 3), Di Dunn (row 4)", the first few, then "and N more" """
    names = [
        shown(r.name or r.username or "unnamed") + (f" (row {r.row})" if r.row is not None else "")
        for r in results[:NAMED]
    ]
    more = len(results) - len(names)
    return ", ".join(names) + (f", and {more} more" if more > 0 else "")


def email_warnings(notices: list[Notice]) -> list[str]:
    found = []
    for notice in notices:
        email = notice.result.email
        if email and not is_email(email):
            shown = email if len(email) <= 60 else email[:60] + "..."
            where = f"row {notice.result.row}" if notice.result.row is not None else "no row"
            found.append(
                f"{where} ({notice.greeting_name}): email {shown!r} is not an e-mail address; the notice "
                f"is written, without a line in {MAIL_MERGE_FILE}"
            )
    return found


def _stem(username: str, row: int | None, taken: set[str]) -> str:
    # `taken` holds the stems in lower case: on Windows and macOS, JSmith.txt and jsmith.txt are one file.
    base = portable_name(username, f"row-{row}")
    stem, number = base, 2
    if stem.lower() in taken and row is not None:
        stem = f"{base}-row{row}"
    while stem.lower() in taken:
        stem, number = f"{base}-{number}", number + 1
    taken.add(stem.lower())
    return stem


#: The mail merge's letters: their bodies go into the cells as written, line breaks and all.
LETTER_COLUMNS = ("body_text", "body_html")


def _cell(value: object, column: str) -> str:
    return neutralize_letter(str(value)) if column in LETTER_COLUMNS else neutralize(value)


def _csv(rows: Sequence[tuple[object, ...]], header: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    # Quoted and neutralised like results.csv: a name or subject must never run as a spreadsheet formula.
    # A letter's body keeps its line breaks (a quoted cell holds them; every mail tool's merge reads them).
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(cell, column) for cell, column in zip(row, header, strict=True)] for row in rows)
    return buffer.getvalue()


def _remove_previous(out: Path) -> None:
    """Notices from an earlier run of this command (listed in its index) go: someone ready since must
    not find last week's note in the folder."""
    index = out / INDEX_FILE
    try:
        rows = list(csv.DictReader(io.StringIO(index.read_text(encoding="utf-8-sig"))))
    except (OSError, csv.Error, UnicodeDecodeError):
        return
    for row in rows:
        for column in ("text_file", "html_file"):
            name = (row.get(column) or "").lstrip("'")
            if name and "/" not in name and "\\" not in name and not name.startswith("."):
                (out / name).unlink(missing_ok=True)
    (out / MAIL_MERGE_FILE).unlink(missing_ok=True)


class _Letter(Protocol):
    def text(self) -> str: ...

    def html(self) -> str: ...


def _write_letter(
    out: Path, taken: set[str], letter: _Letter, *, name: str, username: str, row: int | None, email: str, subject: str
) -> tuple[object, ...]:
    """One notice or invitation as its .txt and .html files; returns its line of the index."""
    stem = _stem(username, row, taken)
    outputs.write_text(out / f"{stem}.txt", letter.text())
    outputs.write_text(out / f"{stem}.html", letter.html())
    return (name, username, row, email, subject, f"{stem}.txt", f"{stem}.html")


def write_notices(
    notices: list[Notice], out: Path, invitations: Sequence[invite.Invitation] = (), with_links: bool = False
) -> int:
    """The files, each 0600 in a 0700 folder; returns how many notices went into the mail merge. With
    `serve`'s links, the mail merge has a `link` column and invitations have their own files and lines."""
    outputs.ensure_dir(out)
    _remove_previous(out)
    taken: set[str] = set()
    index = [
        _write_letter(
            out,
            taken,
            n,
            name=n.result.name,
            username=n.result.username,
            row=n.result.row,
            email=n.result.email or "",
            subject=n.subject,
        )
        for n in notices
    ]
    index += [
        _write_letter(out, taken, i, name=i.name, username=i.username, row=i.row, email=i.email, subject=invite.SUBJECT)
        for i in invitations
    ]
    outputs.write_text(
        out / INDEX_FILE,
        _csv(index, ("name", "username", "row", "email", "subject", "text_file", "html_file")),
        encoding="utf-8-sig",
    )
    rows: list[tuple[str, ...]] = list(mail_merge_rows(notices))
    columns: tuple[str, ...] = MAIL_MERGE_COLUMNS
    if with_links:
        columns += ("link",)
        merged = [n for n in notices if n.result.email and is_email(n.result.email)]  # as mail_merge_rows
        rows = [(*row, notice.link) for row, notice in zip(rows, merged, strict=True)]
        rows += [
            (i.email, i.greeting_name, invite.SUBJECT, i.text(), i.html(), i.link)
            for i in invitations
            if is_email(i.email)
        ]
    if rows:
        outputs.write_text(out / MAIL_MERGE_FILE, _csv(rows, columns), encoding="utf-8-sig")
    return len(rows)
