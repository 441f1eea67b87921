"""Personal links in `notices`: each attorney's notice gets their link to check again, and attorneys on
the roster with no result yet get a short invitation to check themselves (text, HTML and a mail-merge
line). Read from `links.csv`, which `serve` writes beside its results.jsonl."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

from verifier.models import Result
from verifier.serve.links import LINKS_FILE
from verifier.text import shown_lines

SUBJECT = "PACER NextGen: please check your PACER account (2 minutes)"


@dataclass(frozen=True)
class Invitation:
    row: int | None
    name: str
    username: str
    email: str
    link: str
    expires: str

    @property
    def greeting_name(self) -> str:
        return " ".join((self.name or self.username or "colleague").split())

    def text(self) -> str:
        return shown_lines(
            f"Dear {self.greeting_name},\n\n"
            "The federal courts are moving to NextGen CM/ECF. Please check that your PACER account "
            f"({self.username}) is ready: open your personal link, type your PACER password (and, if PACER "
            'asks for one, the 6-digit code from your authenticator app) and press "Check my account".\n\n'
            f"   {self.link}\n\n"
            "Your password goes only to PACER, for that one check, and is never stored; the firm sees only the "
            f"result. The link works until {self.expires[:10]}.\n\n"
            "Never send your password or a code by e-mail.\n"
        )

    def html(self) -> str:
        paragraphs = "".join(f"<p>{escape(p.strip())}</p>" for p in self.text().split("\n\n") if p.strip())
        link = escape(self.link)
        paragraphs = paragraphs.replace(f"<p>{link}</p>", f'<p><a href="{link}">{link}</a></p>', 1)
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; base-uri 'none'; "
            f"form-action 'none'\">\n<title>{escape(SUBJECT)}</title>\n</head>\n"
            f"<body>\n{paragraphs}\n</body>\n</html>\n"
        )


def links_beside(results_files: list[Path]) -> list[Invitation]:
    """The personal links `serve` wrote beside these results (folder or results.jsonl), if any."""
    found: dict[str, Invitation] = {}
    for path in results_files:
        folder = path if path.is_dir() else path.parent
        file = folder / LINKS_FILE
        if not file.is_file():
            continue
        for row in csv.DictReader(io.StringIO(file.read_text(encoding="utf-8-sig"))):
            username = (row.get("username") or "").strip()
            link = (row.get("link") or "").strip()
            if username and link.lower().startswith(("https://", "http://")):
                found[username.lower()] = Invitation(
                    int(row["row"]) if (row.get("row") or "").isdigit() else None,
                    (row.get("name") or "").lstrip("'"),
                    username,
                    (row.get("email") or "").strip(),
                    link,
                    row.get("expires") or "",
                )
    return list(found.values())


def link_for(result: Result, invitations: list[Invitation]) -> str:
    wanted = result.username.strip().lower()
    return next((i.link for i in invitations if i.username.lower() == wanted), "")


def not_checked(invitations: list[Invitation], results: list[Result]) -> list[Invitation]:
    checked = {r.username.strip().lower() for r in results}
    return [i for i in invitations if i.username.lower() not in checked]
