"""The mock as a test double for any PACER client: `loginResult` a string in every wording, numeric fields
read as their text, client codes, absolute redirects to sign-on (on PACER's own host names too),
CurrentGen courts taking the `PacerSession` cookie, the logout service and the open-session counters, and
https with a certificate made at start."""

from __future__ import annotations

import json
import re
import ssl
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from helpers import start_cli
from site_client import ACCOUNT, SiteClient

from verifier.mock.auth_api import CLIENT_CODE_NOTE, LOGOUT_PATH, NO_SESSION
from verifier.mock.scenario import MockAccount, MockScenario
from verifier.mock.server import MockServer

API = "/services/cso-auth"
PLAIN = MockAccount(username="plain2001", password="Plain-Passw0rd!")
FILER = MockAccount(username="filer2002", password="Filer-Passw0rd!", filer=True)
OFF = MockAccount(username="off2005", password="Off-Passw0rd!", state="disabled")
PAA = MockAccount(username="paa2006", password="Paa-Passw0rd!", paa="Firm LLP", client_code_required=True)
Factory = Callable[..., MockServer]


def _server(factory: Factory, **changes: object) -> MockServer:
    return factory(MockScenario(accounts=[PLAIN, FILER, OFF, PAA], **changes))


def _login(client: SiteClient, body: dict[str, object]) -> dict[str, object]:
    response = client.http.post(API, content=json.dumps(body), headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("wording", ["guide", "verbose", "plain"])
def test_login_result_is_a_string_in_every_wording(pacer_mock_factory: Factory, clients, wording: str) -> None:
    client = clients(_server(pacer_mock_factory, api_wording=wording, lockout_after=3))
    answers = [
        _login(client, {"loginId": "plain2001", "password": "Plain-Passw0rd!"}),
        _login(client, {"loginId": "plain2001", "password": "wrong-password"}),
        _login(client, {"loginId": "off2005", "password": "Off-Passw0rd!"}),
        _login(client, {"loginId": "filer2002", "password": "Filer-Passw0rd!"}),  # no redactFlag
    ]
    assert [a["loginResult"] for a in answers] == ["0", "13", "1", "1"]  # as the guide types it: text


def test_numeric_fields_are_read_as_their_text(pacer_mock_factory: Factory, clients) -> None:
    client = clients(_server(pacer_mock_factory))
    answer = _login(client, {"loginId": "filer2002", "password": "Filer-Passw0rd!", "redactFlag": 1})
    assert answer["loginResult"] == "0" and answer["nextGenCSO"]


def test_a_required_client_code_missing_is_a_note_beside_the_token(pacer_mock_factory: Factory, clients) -> None:
    server = _server(pacer_mock_factory)
    client = clients(server)
    without = _login(client, {"loginId": "paa2006", "password": "Paa-Passw0rd!", "redactFlag": "1"})
    assert without["loginResult"] == "0" and without["nextGenCSO"] and without["errorDescription"] == CLIENT_CODE_NOTE
    given = {"loginId": "paa2006", "password": "Paa-Passw0rd!", "redactFlag": "1", "clientCode": "MATTER-7"}
    assert _login(client, given)["errorDescription"] == ""
    assert server.stats()["client_codes"] == {"paa2006:MATTER-7": 1}
    too_long = _login(client, {**given, "clientCode": "x" * 33})
    assert too_long["loginResult"] == "13" and not too_long["nextGenCSO"]


def test_the_logout_service_ends_the_session_and_the_counter_says_so(pacer_mock_factory: Factory, clients) -> None:
    server = _server(pacer_mock_factory)
    client = clients(server)
    tokens = [str(_login(client, {"loginId": "plain2001", "password": "Plain-Passw0rd!"})["nextGenCSO"]) for _ in "ab"]
    assert server.stats()["open_sessions"] == {"plain2001": 2}
    ended = client.http.post(LOGOUT_PATH, json={"nextGenCSO": tokens[0]})
    assert ended.json() == {"loginResult": "0", "errorDescription": ""}
    assert server.stats()["open_sessions"] == {"plain2001": 1}
    again = client.http.post(LOGOUT_PATH, json={"nextGenCSO": tokens[0]}).json()
    assert again == {"loginResult": "13", "errorDescription": NO_SESSION}  # no such session any more
    client.http.cookies.set("NextGenCSO", tokens[0])
    assert client.get(ACCOUNT).status_code == 303  # the ended token opens nothing
    client.http.post(LOGOUT_PATH, json={"nextGenCSO": tokens[1]})
    assert server.stats()["open_sessions"] == {}


def test_the_form_session_and_its_logout_are_counted(client: SiteClient) -> None:
    client.full_sign_in("asmith2001")
    assert client.server.stats()["open_sessions"] == {"asmith2001": 1}
    assert client.get("/csologin/logout").status_code == 303
    assert client.server.stats()["open_sessions"] == {}


def test_redirects_to_sign_on_are_absolute_on_the_mocks_own_origin(client: SiteClient) -> None:
    url = client.server.url
    account = client.get(ACCOUNT)
    assert account.headers["location"] == f"{url}/csologin/login.jsf?appurl={quote(url + ACCOUNT, safe='')}"
    court = client.get("/ecf/cod/cgi-bin/iquery.pl")
    appurl = quote(f"{url}/ecf/cod/cgi-bin/iquery.pl", safe="")
    assert court.headers["location"] == f"{url}/csologin/login.jsf?pscCourtId=CODC&appurl={appurl}"


def test_under_pacers_own_host_names(pacer_mock: MockServer, clients) -> None:
    """A client routing `*.uscourts.gov` here (the Host header kept) sees PACER's addresses and cookies."""
    client = clients(pacer_mock)
    court = {"Host": "ecf.cod.uscourts.gov"}
    signed_out = client.http.get("/cgi-bin/ShowIndex.pl", headers=court)
    appurl = quote("http://ecf.cod.uscourts.gov/cgi-bin/ShowIndex.pl", safe="")
    expected = f"http://pacer.login.uscourts.gov/csologin/login.jsf?pscCourtId=CODC&appurl={appurl}"
    assert signed_out.status_code == 303 and signed_out.headers["location"] == expected
    account = client.http.get(ACCOUNT, headers={"Host": "pacer.psc.uscourts.gov"})
    assert account.headers["location"].startswith("http://pacer.login.uscourts.gov/csologin/login.jsf?appurl=")
    assert quote("http://pacer.psc.uscourts.gov/pscof/manage/maint.jsf", safe="") in account.headers["location"]

    # The form's sign-on under the sign-on host: cookies for .uscourts.gov, and on to the court's own host.
    client.http.headers["Host"] = "pacer.login.uscourts.gov"
    done = client.full_sign_in("asmith2001", appurl="http://ecf.cod.uscourts.gov/cgi-bin/ShowIndex.pl")
    assert done.headers["location"] == "http://ecf.cod.uscourts.gov/cgi-bin/ShowIndex.pl"
    cookies = ";".join(done.headers.get_list("set-cookie"))
    assert "Domain=.uscourts.gov" in cookies
    # httpx keeps no .uscourts.gov cookie from a reply to 127.0.0.1: sent by hand, as a routed client would.
    token = re.search(r"NextGenCSO=(\w+)", cookies)
    assert token
    client.http.cookies.clear()
    page = client.http.get("/cgi-bin/ShowIndex.pl", headers={**court, "Cookie": f"NextGenCSO={token.group(1)}"})
    assert page.status_code == 200 and "/cgi-bin/login.pl?logout" in page.text and ">Civil<" in page.text


def test_a_currentgen_court_takes_the_pacer_session_cookie(pacer_mock: MockServer, clients) -> None:
    client = clients(pacer_mock)
    token = _login(client, {"loginId": "egarcia2005", "password": "Mock-Passw0rd-5"})["nextGenCSO"]
    client.http.cookies.set("PacerSession", str(token))
    page = client.get("/ecf/nysd/cgi-bin/iquery.pl")
    assert page.status_code == 200 and 'name="GetPass"' not in page.text and "login.pl?logout" in page.text
    assert 'name="GetPass"' in client.get("/ecf/nysd/cgi-bin/login.pl").text  # still the filers' login form
    client.get("/ecf/nysd/cgi-bin/login.pl?logout")  # signed in here by the PACER session: it ends
    assert pacer_mock.stats()["open_sessions"] == {}
    assert 'name="GetPass"' in client.get("/ecf/nysd/cgi-bin/iquery.pl").text


def test_a_currentgen_login_is_counted_until_its_log_out(client: SiteClient) -> None:
    form = {"login": (None, "xhall"), "key": (None, "Cmecf-Old-6"), "clcode": (None, "")}
    assert client.http.post("/ecf/nysd/cgi-bin/login.pl", files=form).status_code == 200
    assert client.server.stats()["open_court_sessions"] == {"nysd:xhall2023": 1}
    client.get("/ecf/nysd/cgi-bin/login.pl?logout")
    assert client.server.stats()["open_court_sessions"] == {}


# --- https --------------------------------------------------------------------------------------------------


def test_https_with_the_ca_it_made(pacer_mock_tls: MockServer) -> None:
    assert pacer_mock_tls.url.startswith("https://127.0.0.1:") and pacer_mock_tls.ca_file is not None
    trusted = ssl.create_default_context(cafile=pacer_mock_tls.ca_file)
    with httpx.Client(base_url=pacer_mock_tls.url, verify=trusted) as c:
        answer = c.post(API, json={"loginId": "asmith2001", "password": "Mock-Passw0rd-1"}).json()
        assert answer["loginResult"] == "0"
        c.cookies.set("NextGenCSO", answer["nextGenCSO"])
        page = c.get(ACCOUNT)
        assert page.status_code == 200 and "Upgraded PACER Account" in page.text
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"), httpx.Client(verify=True) as plain:
        plain.get(pacer_mock_tls.url + "/")


def test_mock_tls_prints_the_ca_file_for_clients(cli_env: dict[str, str]) -> None:
    process = start_cli("mock", "--tls", "--port", "0", "--quiet", env={**cli_env, "COLUMNS": "200"})
    try:
        seen = ""
        deadline = time.monotonic() + 120
        assert process.stdout is not None
        while "CA certificate for clients:" not in seen and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            seen += line
        url = re.search(r"on (https://127\.0\.0\.1:\d+)", seen)
        ca = re.search(r"CA certificate for clients: (\S+)", seen)
        assert url and ca, seen
        assert Path(ca.group(1)).is_file()
        with httpx.Client(verify=ssl.create_default_context(cafile=ca.group(1))) as client:
            assert client.get(url.group(1) + "/csologin/login.jsf").status_code == 200
    finally:
        process.terminate()
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
    assert not Path(ca.group(1)).exists()  # the certificate's folder goes with the server
