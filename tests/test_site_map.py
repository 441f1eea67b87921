"""Addresses: the real PACER's by default, every page on one origin with --base-url, and which base URLs are safe."""

from __future__ import annotations

import pytest

from verifier.check.site import SiteMap, UnsafeBaseUrl, check_base_url


def test_real_addresses_by_default() -> None:
    site = SiteMap.for_base_url(None)
    assert site.login_url == "https://pacer.login.uscourts.gov/csologin/login.jsf"
    assert site.account_url == "https://pacer.psc.uscourts.gov/pscof/manage/maint.jsf"
    assert site.court_login_url("COD") == "https://ecf.cod.uscourts.gov/cgi-bin/login.pl"
    assert site.may_receive_pacer_credentials("https://pacer.login.uscourts.gov/csologin/login.jsf?x=1")
    assert not site.may_receive_pacer_credentials("https://pacer.login.uscourts.gov.evil.example/")


def test_base_url_maps_every_page_to_one_origin() -> None:
    site = SiteMap.for_base_url("http://127.0.0.1:8765/")
    assert site.login_url == "http://127.0.0.1:8765/csologin/login.jsf"
    assert site.court_login_url("utb") == "http://127.0.0.1:8765/ecf/utb/cgi-bin/login.pl"
    assert site.may_receive_court_credentials("http://127.0.0.1:8765/ecf/utb/cgi-bin/login.pl", "utb")
    assert not site.may_receive_court_credentials("http://127.0.0.1:8765/ecf/cod/cgi-bin/login.pl", "utb")
    assert not site.may_receive_pacer_credentials("http://127.0.0.1:9999/csologin/login.jsf")


@pytest.mark.parametrize("url", ["http://pacer.example.com", "ftp://127.0.0.1", "not a url", "http://10.0.0.5:80"])
def test_unsafe_base_urls_are_refused(url: str) -> None:
    with pytest.raises(UnsafeBaseUrl):
        check_base_url(url)


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://pacer.example.com", "https://pacer.example.com"),
        ("http://localhost:8000", "http://localhost:8000"),
        # As a browser writes the origin: the default port dropped, scheme and host lower-cased.
        ("http://[::1]:80", "http://[::1]"),
        ("HTTP://LOCALHOST:8000/", "http://localhost:8000"),
        ("HTTPS://Pacer.Example.COM:443", "https://pacer.example.com"),
    ],
)
def test_safe_base_urls(url: str, origin: str) -> None:
    assert check_base_url(url) == origin
