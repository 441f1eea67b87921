"""An httpx transport that routes PACER's host names (`*.uscourts.gov`) to the mock, for a PACER client that
cannot be given a base URL (juriscraper's `PacerSession`).

Only the connection changes: the request keeps its URL, its `Host` header and, over https, the name it
verifies the certificate against (SNI), so the mock answers as PACER's hosts would (verifier.mock.hosts)
and its certificate (verifier.mock.tls, which names those hosts) is checked against the mock's CA. Every
other host goes out unchanged.

`login_fields` adds fields to the Authentication API's JSON body: a stand-in for a client version that
sends a documented field it does not send yet (juriscraper 4.0.1 and `otpCode`).
"""

from __future__ import annotations

import json
import ssl
from pathlib import Path

import httpx

REAL_DOMAIN = "uscourts.gov"
AUTH_PATH = "/services/cso-auth"


class RouteToMock(httpx.AsyncBaseTransport):
    def __init__(self, mock_url: str, ca_file: Path | None, login_fields: dict[str, str] | None = None) -> None:
        self.mock = httpx.URL(mock_url)
        verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=str(ca_file)) if ca_file else True
        self.to_mock = httpx.AsyncHTTPTransport(verify=verify)
        self.elsewhere = httpx.AsyncHTTPTransport()
        self.login_fields = login_fields or {}
        self.routed: list[str] = []
        """`METHOD https://host/path` of each request sent to the mock, for the tests to read."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if host != REAL_DOMAIN and not host.endswith("." + REAL_DOMAIN):
            return await self.elsewhere.handle_async_request(request)
        content = await request.aread()
        if request.url.path == AUTH_PATH and self.login_fields and request.method == "POST":
            content = json.dumps({**json.loads(content), **self.login_fields}).encode()
        headers = httpx.Headers(request.headers)
        if "content-length" in headers:
            headers["content-length"] = str(len(content))
        if self.mock.scheme == "http" and request.url.scheme == "https":
            headers["x-forwarded-proto"] = "https"  # a plain-http mock still writes https addresses
        routed = httpx.Request(
            request.method,
            request.url.copy_with(scheme=self.mock.scheme, host=self.mock.host, port=self.mock.port),
            headers=headers,
            content=content,
            extensions={**request.extensions, "sni_hostname": host},
        )
        self.routed.append(f"{request.method} {request.url.scheme}://{host}{request.url.path}")
        return await self.to_mock.handle_async_request(routed)

    async def aclose(self) -> None:
        await self.to_mock.aclose()
        await self.elsewhere.aclose()
