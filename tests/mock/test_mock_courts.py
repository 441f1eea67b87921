"""Courts' CM/ECF on the mock: NextGen sign-on through CSO, the menus, the link flow, CurrentGen login."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from site_client import LOGIN, SiteClient, alert_text, visible_text

DISTRICT_FILER = ["Civil", "Criminal", "Query", "Reports", "Utilities", "Search", "Help", "Log Out"]
BANKRUPTCY_FILER = ["Bankruptcy", "Adversary", "Query", "Reports", "Utilities", "Search", "Help", "Log Out"]
PACER_ONLY = ["Query", "Reports", "Utilities", "Help", "Log Out"]


def menus(page: str) -> list[str]:
    bar = re.search(r'<div id="topmenu" class="yuimenubar".*?</ul>', page, re.S)
    assert bar, "no menu bar"
    items = re.findall(
        r'<li class="yuimenubaritem[^"]*"><a class="yuimenubaritemlabel[^"]*"[^>]*>(.*?)</a></li>', bar.group(0), re.S
    )
    return [visible_text(item) for item in items]


def signed_in_court(client: SiteClient, username: str, court: str) -> str:
    client.full_sign_in(username)
    response = client.get(f"/ecf/{court}/cgi-bin/login.pl")
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    return page.text


def test_nextgen_login_goes_to_central_sign_on(client: SiteClient) -> None:
    response = client.get("/ecf/cod/cgi-bin/login.pl")
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    query = parse_qs(location.query)
    assert location.path == LOGIN and query["pscCourtId"] == ["CODC"]
    assert query["appurl"] == [client.server.url + "/ecf/cod/cgi-bin/ShowIndex.pl"]
    # Signing on there comes back to the court's main page, by single sign-on.
    client.full_sign_in("asmith2001", appurl=query["appurl"][0])
    assert client.http.cookies.get("NextGenCSO")
    page = client.get("/ecf/cod/cgi-bin/ShowIndex.pl").text
    assert menus(page) == DISTRICT_FILER


def test_other_court_pages_return_to_themselves(client: SiteClient) -> None:
    response = client.get("/ecf/utd/cgi-bin/DisplayMenu.pl?Utilities")
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["pscCourtId"] == ["UTDC"]
    assert query["appurl"] == [client.server.url + "/ecf/utd/cgi-bin/DisplayMenu.pl?Utilities"]


@pytest.mark.parametrize(
    ("username", "court", "expected"),
    [
        ("asmith2001", "cod", DISTRICT_FILER),  # linked, district
        ("cwong2003", "utd", PACER_ONLY),  # not linked, district
        ("wwalker2021", "utb", BANKRUPTCY_FILER),  # linked, bankruptcy
        ("bjones2002", "utb", PACER_ONLY),  # not linked, bankruptcy
        ("egarcia2005", "cod", PACER_ONLY),  # no CM/ECF account there at all
    ],
)
def test_menus(client: SiteClient, username: str, court: str, expected: list[str]) -> None:
    page = signed_in_court(client, username, court)
    assert menus(page) == expected
    assert re.search(r'<a class="yuimenubaritemlabel" href="/ecf/\w+/cgi-bin/login.pl\?logout">Log Out</a>', page)


def test_utilities_and_link_flow(client: SiteClient) -> None:
    signed_in_court(client, "bjones2002", "utb")
    utilities = client.get("/ecf/utb/cgi-bin/DisplayMenu.pl?Utilities").text
    link = re.search(r'<a href="([^"]+)">Link a CM/ECF account to my PACER account</a>', utilities)
    assert link
    form = client.get(link.group(1)).text
    assert '<label for="cmecfLogin">CM/ECF Login</label>' in form
    assert '<label for="cmecfPassword">CM/ECF Password</label>' in form
    assert client.get("/ecf/utb/cgi-bin/DisplayMenu.pl?BankruptcyEvents").status_code == 403
    # Submit without a verified login links nothing.
    assert client.post(link.group(1), {"step": "confirm"}).status_code == 200
    assert client.account("bjones2002").cmecf["utb"].linked is False
    wrong = client.post(link.group(1), {"step": "credentials", "login": "bjones", "password": "Not-It-123"})
    assert alert_text(wrong.text) == "The CM/ECF login or password is incorrect."
    verify = client.post(link.group(1), {"step": "credentials", "login": "bjones", "password": "Cmecf-Old-2"})
    assert "Verify the account information" in verify.text and "bjones2002" in verify.text
    assert client.account("bjones2002").cmecf["utb"].linked is False
    done = client.post(link.group(1), {"step": "confirm"})
    assert "has been linked to your PACER account" in done.text
    assert "Additional filing options should appear on your menu" in done.text
    assert menus(done.text) == BANKRUPTCY_FILER
    assert client.account("bjones2002").cmecf["utb"].linked is True
    assert "already linked" in client.get(link.group(1)).text
    assert client.get("/ecf/utb/cgi-bin/DisplayMenu.pl?BankruptcyEvents").status_code == 200
    assert client.server.stats()["court_login_posts"] == {"utb:bjones": 2}


def test_linking_needs_this_attorneys_own_old_login(client: SiteClient) -> None:
    signed_in_court(client, "egarcia2005", "cod")
    # Alice's old CM/ECF login is not Elena's to link.
    wrong = client.post(
        "/ecf/cod/cgi-bin/LinkAccount.pl", {"step": "credentials", "login": "asmith", "password": "Cmecf-Old-1"}
    )
    assert "incorrect" in alert_text(wrong.text)


def test_court_logout(client: SiteClient) -> None:
    signed_in_court(client, "asmith2001", "cod")
    assert client.get("/ecf/cod/cgi-bin/login.pl?logout").status_code == 200
    assert client.get("/pscof/manage/maint.jsf").status_code == 303


def test_currentgen_login_page(client: SiteClient) -> None:
    response = client.get("/ecf/nysd/cgi-bin/login.pl")
    page = response.text
    assert response.status_code == 200
    assert "<title>CM/ECF Filer or PACER Login</title>" in page and "<h1>CM/ECF Filer or PACER Login</h1>" in page
    assert re.search(
        r'<form name="GetPass" method="post" action="/ecf/nysd/cgi-bin/login.pl" '
        r'enctype="multipart/form-data">',
        page,
    )
    for field, label in (("login", "Login"), ("key", "Password"), ("clcode", "Client Code")):
        assert f'<label for="{field}">{label}</label>' in page and f'name="{field}"' in page
    assert 'type="password" id="key" name="key"' in page
    assert 'id="topmenu"' not in page
    assert client.get("/ecf/nysd/cgi-bin/ShowIndex.pl").text.count('name="GetPass"') == 1


def test_currentgen_login_wrong_and_right(client: SiteClient) -> None:
    wrong = client.http.post(
        "/ecf/nysd/cgi-bin/login.pl", files={"login": (None, "yallen"), "key": (None, "nope"), "clcode": (None, "")}
    )
    assert alert_text(wrong.text) == "Login failed."
    right = client.http.post(
        "/ecf/nysd/cgi-bin/login.pl",
        files={"login": (None, "xhall"), "key": (None, "Cmecf-Old-6"), "clcode": (None, "")},
    )
    assert menus(right.text) == DISTRICT_FILER
    assert menus(client.get("/ecf/nysd/cgi-bin/ShowIndex.pl").text) == DISTRICT_FILER
    assert client.get("/ecf/nysd/cgi-bin/login.pl?logout").text.count('name="GetPass"') == 1
    assert 'name="GetPass"' in client.get("/ecf/nysd/cgi-bin/ShowIndex.pl").text
    assert client.server.stats()["court_login_posts"] == {"nysd:yallen": 1, "nysd:xhall": 1}


def test_currentgen_takes_a_pacer_login_without_filing_menus(client: SiteClient) -> None:
    user = client.account("egarcia2005")
    page = client.post("/ecf/nysd/cgi-bin/login.pl", {"login": user.username, "key": user.password}).text
    assert menus(page) == PACER_ONLY


def test_unknown_court_and_page(client: SiteClient) -> None:
    assert client.get("/ecf/zzz/cgi-bin/login.pl").status_code == 404
    client.full_sign_in("asmith2001")
    assert client.get("/ecf/cod/cgi-bin/NoSuchThing.pl").status_code == 404
    assert client.get("/ecf/cod").headers["location"] == "/ecf/cod/cgi-bin/login.pl"
