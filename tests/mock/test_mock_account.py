"""Manage My Account on the mock: redirects, fields, tabs, every drift variant, the upgrade flow."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from site_client import ACCOUNT, LOGIN, UPGRADE, SiteClient, alert_text, visible_text

from verifier.mock.scenario import VARIANTS
from verifier.mock.server import MockServer


def account_page(client: SiteClient, username: str) -> str:
    client.full_sign_in(username)
    response = client.get(ACCOUNT)
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    return response.text


@pytest.mark.parametrize("path", [ACCOUNT, "/pscof/login.xhtml", "/pscof/manage/settings.jsf", UPGRADE])
def test_without_a_session_goes_to_sign_on(client: SiteClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.path == LOGIN
    appurl = parse_qs(location.query)["appurl"][0]
    expected = ACCOUNT if path == "/pscof/login.xhtml" else path
    assert appurl == client.server.url + expected


def test_the_account_page_fields_in_order(client: SiteClient) -> None:
    page = account_page(client, "dpatel2004")
    assert "<title>Manage My Account</title>" in page and "<h1>Manage My Account</h1>" in page
    assert '<form id="popupForm"' in page
    text = visible_text(page)
    order = [
        "Dev Patel",
        "Account Number: 4100148",
        "Username: dpatel2004",
        "Account Type: Upgraded PACER Account",
        "Case Search Status: Active",
        "Multifactor Auth: Not Enrolled Enroll",
        "PACER Administrative Account: Smith & Jones LLP (firm billing)",
    ]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)
    assert re.search(
        r'<div class="field"><span class="label">Account Type:</span> <span class="value">Upgraded PACER '
        r"Account</span></div>",
        page,
    )
    assert re.search(r'<a href="[^"]*">Enroll</a>', page)


def test_tabs(client: SiteClient) -> None:
    page = account_page(client, "asmith2001")
    assert 'role="tablist"' in page
    tabs = re.findall(r'<a role="tab"[^>]*>([^<]+)</a>', page)
    assert tabs == ["Settings", "Maintenance", "Payments", "Usage"]
    assert re.search(r'role="tab" id="tab-maint"[^>]*aria-selected="true"', page)
    for tab, option in (
        ("settings", "Manage MFA Settings"),
        ("payments", "Make One-Time PACER Fee Payment"),
        ("usage", "View Detailed Transactions"),
    ):
        assert option in client.get(f"/pscof/manage/{tab}.jsf").text
    assert client.get("/pscof/manage/paa.jsf").status_code == 404
    assert client.get("/pscof/manage/nonsense.jsf").status_code == 404


def test_paa_owner_has_the_paa_tab(client: SiteClient) -> None:
    page = account_page(client, "zpaaowner2025")
    assert "PAA Maintenance" in re.findall(r'<a role="tab"[^>]*>([^<]+)</a>', page)
    assert "Add Existing PACER Account to My PAA" in client.get("/pscof/manage/paa.jsf").text


def test_mfa_enrolled(client: SiteClient) -> None:
    text = visible_text(account_page(client, "kdavis2011"))
    assert "Multifactor Auth: Enrolled" in text and "Enroll " not in text.replace("Enrolled", "")


@pytest.mark.parametrize(
    ("username", "shown"),
    [
        ("pthomas2016", "Multifactor Auth Enroll Settings"),  # not enrolled: the Enroll link alone (split markup)
        ("rwhite2018", "Multifactor Auth Authenticator app: Work phone"),
        ("cwong2003", "Multifactor Auth: 05/12/2025"),
    ],
)
def test_the_mfa_field_in_its_other_forms(client: SiteClient, username: str, shown: str) -> None:
    assert shown in visible_text(account_page(client, username))


def test_legacy_account_has_the_upgrade_link(client: SiteClient) -> None:
    page = account_page(client, "egarcia2005")
    assert re.search(
        r'<span class="value">Legacy PACER Account</span> <a href="/pscof/upgrade.jsf">\(Upgrade\)</a>', page
    )
    assert "Legacy PACER Account (Upgrade)" in visible_text(page)
    settings = client.get("/pscof/manage/settings.jsf").text
    assert "must be upgraded" in settings


# What a person reads, whatever the markup: label, then value, in reading order.
READS = {
    "legacy": re.compile(r"account\s*type\s*:?\s*legacy\s+pacer\s+account\s*\(upgrade\)", re.I),
    "upgraded": re.compile(r"account\s*type\s*:?\s*upgraded\s+pacer\s+account", re.I),
}


#: Variants whose markup keeps labels apart from their values: their text in reading order is not
#: "Label value" (the flows read them by structure, tests/test_flows.py); the markup is checked below.
APART = ("columns", "readonly", "grid")


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v not in APART])
@pytest.mark.parametrize("username", ["egarcia2005", "asmith2001"])
def test_every_drift_variant_reads_the_same(
    pacer_mock: MockServer, client: SiteClient, variant: str, username: str
) -> None:
    pacer_mock.set_faults(variant=variant)
    text = visible_text(account_page(client, username))
    kind = client.account(username).account_type
    if variant == "broken":
        assert not re.search(r"account\s*type", text, re.I)
        assert re.search(r"account\s*number\s*:?\s*\d{7}", text, re.I)
        return
    assert READS[kind].search(text), text
    assert re.search(r"account\s*number\s*:?\s*\d{7}\s*username\s*:?\s*" + username, text, re.I)
    assert re.search(r"multifactor\s*auth\s*:?\s*not\s+enrolled", text, re.I)


def test_variant_markup_differs(pacer_mock: MockServer, clients: Callable[[MockServer], SiteClient]) -> None:
    markers = {
        "inline": r'<span class="label">Account Type:</span> <span class="value">Legacy PACER Account</span> <a ',
        "split": r'<span class="label">Account Type</span><span class="value">Legacy PACER Account</span>',
        "table": r"<th scope=\"row\">Account Type</th><td>Legacy PACER Account <a ",
        "dl": r"<dt>Account Type</dt><dd>Legacy PACER Account <a ",
        "spacing": r"ACCOUNT  TYPE   :\s+legacy  pacer  account",
        "link": r'<span class="value">Legacy PACER Account <a href="/pscof/upgrade.jsf">\(Upgrade\)</a></span>',
        "columns": r'<th scope="col">Account Type</th>.*<td>Legacy PACER Account <a ',
        "readonly": r'<label for="(field-\d)">Account Type</label>\s*<input id="\1" type="text" readonly value="Legacy',
        "grid": r'<span class="label">Account Type</span>.*<span class="label">Multifactor Auth</span>.*'
        r'<span class="value">Legacy PACER Account <a ',
    }
    for variant, marker in markers.items():
        pacer_mock.set_faults(variant=variant)
        page = account_page(clients(pacer_mock), "egarcia2005")
        assert re.search(marker, page, re.S), variant


def test_per_account_variants_from_the_fixture(
    clients: Callable[[MockServer], SiteClient], pacer_mock: MockServer
) -> None:
    for username, marker in (
        ("pthomas2016", '<div class="field split">'),
        ("qjackson2017", '<table class="fields"'),
        ("rwhite2018", '<dl class="fields">'),
        ("sharris2019", '<div class="field spacing">'),
        ("tclark2020", "(Upgrade)</a></span>"),
        ("ntaylor2014", "could not be displayed"),
    ):
        assert marker in account_page(clients(pacer_mock), username), username


def test_upgrade_flow(client: SiteClient, clients: Callable[[MockServer], SiteClient]) -> None:
    client.full_sign_in("egarcia2005")
    person = client.get(UPGRADE).text
    assert re.findall(r'<span role="tab"[^>]*>(\w+)</span>', person) == ["Person", "Address", "Security"]
    assert '<label for="dob">Date of Birth</label>' in person
    bad = client.post(UPGRADE, {"step": "person", "dob": "1970-01-02"})
    assert "MM/DD/YYYY" in alert_text(bad.text)
    # A post for a later tab before its turn is ignored: the tabs go in order.
    assert '<label for="dob">' in client.post(UPGRADE, {"step": "security", "newPassword": "x"}).text
    address = client.post(UPGRADE, {"step": "person", "dob": "01/02/1970", "userType": "ATTORNEY"}).text
    assert '<label for="county">County</label>' in address
    assert "county" in alert_text(client.post(UPGRADE, {"step": "address", "county": ""}).text).lower()
    security = client.post(UPGRADE, {"step": "address", "county": "Denver"}).text
    assert '<label for="newPassword">New Password</label>' in security
    weak = client.post(UPGRADE, {"step": "security", "newPassword": "weak", "confirmPassword": "weak"})
    assert "14 to 45" in alert_text(weak.text)
    new = "Upgraded-Passw0rd-2026!"
    done = client.post(UPGRADE, {"step": "security", "newPassword": new, "confirmPassword": new})
    assert "Upgrade complete" in done.text and 'href="/pscof/manage/maint.jsf">Close<' in done.text
    assert "Account Type: Upgraded PACER Account" in visible_text(client.get(ACCOUNT).text)
    assert "already an Upgraded PACER Account" in client.get(UPGRADE).text
    assert clients(client.server).sign_in("egarcia2005", new).status_code == 303
    client.server.reset()
    assert client.server.state.account("egarcia2005").account_type == "legacy"
