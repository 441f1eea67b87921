"""A court's CM/ECF page as the mock draws it, NextGen's and CurrentGen's alike: the menu bar (filing menus
only for a filer), the heading, and the pages the mock keeps simple."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.responses import Response

from verifier.mock.render import page, simple_page

if TYPE_CHECKING:
    from verifier.mock.scenario import MockAccount, MockCourt


@dataclass(frozen=True)
class MenuItem:
    text: str
    href: str
    accesskey: str = ""
    submenu: bool = False


def menu_bar(court: MockCourt, base: str, filer: bool) -> list[MenuItem]:
    """The `div#topmenu` items, as juriscraper's saved pages show them (docs/real-site.md §4).

    The real bar underlines an access-key letter (`C<u>i</u>vil`); the mock gives it as an
    `accesskey` attribute so that each item's text stays one text node.
    """
    cgi = f"{base}/cgi-bin"
    filing: list[MenuItem] = []
    if filer and court.kind == "bankruptcy":
        filing = [
            MenuItem("Bankruptcy", f"{cgi}/DisplayMenu.pl?BankruptcyEvents", "b", True),
            MenuItem("Adversary", f"{cgi}/DisplayMenu.pl?AdversaryEvents", "a", True),
        ]
    elif filer and court.kind == "appellate":
        filing = [MenuItem("Filing", f"{cgi}/DisplayMenu.pl?FilingEvents", "f", True)]  # a guess
    elif filer:
        filing = [
            MenuItem("Civil", f"{cgi}/DisplayMenu.pl?CivilEvents", "i", True),
            MenuItem("Criminal", f"{cgi}/DisplayMenu.pl?CriminalEvents", "n", True),
        ]
    common = [
        MenuItem("Query", f"{cgi}/iquery.pl", "q"),
        MenuItem("Reports", f"{cgi}/DisplayMenu.pl?Reports", "r", True),
        MenuItem("Utilities", f"{cgi}/DisplayMenu.pl?Utilities", "u", True),
    ]
    # The real Search item runs a script and Help has only an onclick; the mock links simple pages.
    search = [MenuItem("Search", f"{cgi}/SearchMenu.pl", "c")] if filer else []
    return [
        *filing,
        *common,
        *search,
        MenuItem("Help", f"{cgi}/Help.pl"),
        MenuItem("Log Out", f"{cgi}/login.pl?logout"),
    ]


def court_heading(court: MockCourt) -> str:
    kind = {"district": "District Court", "bankruptcy": "Bankruptcy Court", "appellate": "Court of Appeals"}
    return f"U.S. {kind[court.kind]}, {court.name}"


def court_page(
    court: MockCourt,
    account: MockAccount | None,
    heading: str,
    *,
    filer: bool = False,
    paragraphs: list[str] | None = None,
    links: list[tuple[str, str]] | None = None,
    sections: list[tuple[str, list[tuple[str, str]]]] | None = None,
    form: str = "",
    message: str = "",
    facts: list[tuple[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    base = f"/ecf/{court.id}"
    return page(
        "court.html",
        status_code,
        title=f"CM/ECF - {court.name} - Live",
        court=court,
        court_heading=court_heading(court),
        heading=heading,
        base=base,
        menus=menu_bar(court, base, filer) if account is not None else [],
        paragraphs=paragraphs or [],
        links=links or [],
        sections=sections or [],
        form=form,
        message=message,
        facts=facts or [],
    )


def simple_court_page(court: MockCourt, account: MockAccount | None, script: str, query: str, filer: bool) -> Response:
    titles = {
        ("DisplayMenu.pl", "Reports"): "Reports",
        ("iquery.pl", ""): "Query",
        ("SearchMenu.pl", ""): "Search",
        ("Help.pl", ""): "Help",
    }
    title = titles.get((script, query))
    if title is None:
        return court_page(
            court,
            account,
            "Not Found",
            filer=filer,
            status_code=404,
            paragraphs=["This CM/ECF page is not part of the mock site."],
        )
    return court_page(
        court, account, title, filer=filer, paragraphs=[f"{title} is not part of the mock site's CM/ECF."]
    )


def linked(account: MockAccount, court: MockCourt) -> bool:
    old = account.cmecf.get(court.id)
    return old is not None and old.linked


def no_such_court() -> Response:
    return simple_page("Not Found", ["There is no such court on the mock site."], status_code=404)
