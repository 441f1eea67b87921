"""Personal links: `/a/<row>.<expires>.<signature>`, one per roster row, signed with a key kept in the
output folder (`serve-links.key`, 0600). Nothing about a link is stored: the signature (HMAC-SHA256
over the row, its username and the expiry, 128 bits kept) makes it unguessable and unforgeable, and
the expiry in it ends it. A link stops working when its row's username changes, when it expires, or
for every link at once when the key file is deleted (the next start makes a new key)."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import hmac
import io
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from verifier import outputs
from verifier.reports.csv_report import neutralize
from verifier.serve.people import People, Person

KEY_FILE = "serve-links.key"
LINKS_FILE = "links.csv"
DEFAULT_DAYS = 14
_SIGNATURE_BYTES = 16


def load_key(out_dir: Path) -> bytes:
    """The folder's link key, made on first use; private like every output."""
    path = out_dir / KEY_FILE
    if path.is_file() and not path.is_symlink():
        text = path.read_text(encoding="ascii").strip()
        if len(text) == 64:
            return bytes.fromhex(text)
    key = secrets.token_bytes(32)
    outputs.write_text(path, key.hex() + "\n", encoding="ascii")
    return key


def _signature(key: bytes, row: int, username: str, expires: int) -> str:
    message = f"{row}\0{username.strip().lower()}\0{expires}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()[:_SIGNATURE_BYTES]
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


@dataclass(frozen=True)
class Link:
    person: Person
    token: str
    expires: dt.datetime

    def url(self, public_url: str) -> str:
        return f"{public_url.rstrip('/')}/a/{self.token}"


def make_link(key: bytes, person: Person, now: dt.datetime, days: int = DEFAULT_DAYS) -> Link:
    expires = int((now + dt.timedelta(days=days)).timestamp())
    token = f"{person.row}.{expires}.{_signature(key, person.row, person.username, expires)}"
    return Link(person, token, dt.datetime.fromtimestamp(expires, dt.UTC))


#: What `make_link` writes: ASCII digits only (`"²".isdigit()` is true, and int() refuses it).
_TOKEN = re.compile(r"([0-9]{1,9})\.([0-9]{1,12})\.([A-Za-z0-9_-]{22})")


def person_for(key: bytes, token: str, people: People, now: dt.datetime) -> Person | None:
    """The roster row a link is for, or None: malformed, unknown, altered, expired, or the row's
    username changed."""
    parts = _TOKEN.fullmatch(token)
    if parts is None:
        return None
    row, expires = int(parts[1]), int(parts[2])
    person = people.by_row(row)
    if person is None:
        return None
    good = hmac.compare_digest(parts[3].encode(), _signature(key, row, person.username, expires).encode())
    return person if good and expires > now.timestamp() else None


def token_in(pasted: str) -> str:
    """The token of a personal link as an attorney pastes it: the whole address, or only its end."""
    text = pasted.strip().split("/a/")[-1]
    return text.split("?")[0].split("#")[0].strip("/ ")


def links_csv(links: list[Link], public_url: str) -> str:
    """`links.csv` for `notices` (and for IT): row, name, username, email, link, expires."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(("row", "name", "username", "email", "link", "expires"))
    for link in links:
        person = link.person
        writer.writerow(
            neutralize(cell)
            for cell in (
                person.row,
                person.name,
                person.username,
                person.email or "",
                link.url(public_url),
                link.expires.isoformat(),
            )
        )
    return buffer.getvalue()


def write_links(out_dir: Path, people: People, public_url: str, days: int, now: dt.datetime) -> tuple[Path, list[Link]]:
    key = load_key(out_dir)
    links = [make_link(key, person, now, days) for person in people.people]
    path = outputs.write_text(out_dir / LINKS_FILE, links_csv(links, public_url), encoding="utf-8-sig")
    return path, links
