"""A certificate for the mock's https mode (`pacer-verify mock --tls`, the `pacer_mock_tls` fixture), made
at start by `trustme`: a throwaway certificate authority, and a server certificate it signs.

The certificate names the address the mock listens on, `localhost`, and PACER's own host names for the
scenario (sign-on, Manage My Account, each court's `ecf.<id>.uscourts.gov`), so a client that routes
`*.uscourts.gov` to the mock verifies the connection as it would the real site's, with only the CA file
changed (`SSL_CERT_FILE`, httpx's `verify=`, requests' `verify=`). The files live in a private folder
for as long as the server runs; nothing is added to any trust store.
"""

from __future__ import annotations

import ipaddress
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from verifier import outputs
from verifier.mock.hosts import PACER_HOSTS, court_host

CA_FILE = "mock-pacer-ca.pem"


@dataclass(frozen=True)
class TlsFiles:
    folder: Path
    ca: Path
    """The CA certificate clients trust (PEM)."""
    cert: Path
    """The server's certificate chain (PEM)."""
    key: Path
    """The server's private key (PEM): readable by this user only."""

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def names_for(host: str, court_ids: Iterable[str]) -> list[str]:
    """What the certificate covers: the listening address, localhost, PACER's hosts and the courts'."""
    names = [host.strip("[]"), "localhost", "127.0.0.1", *PACER_HOSTS, *(court_host(c) for c in court_ids)]
    try:
        if ipaddress.ip_address(host.strip("[]")).is_unspecified:
            names.remove(host.strip("[]"))  # 0.0.0.0 is no address a client connects to
    except ValueError:
        pass
    return list(dict.fromkeys(names))


def make_certificate(host: str, court_ids: Iterable[str]) -> TlsFiles:
    import trustme  # only for --tls: a runtime dependency, imported when asked for

    folder = Path(tempfile.mkdtemp(prefix="pacer-mock-tls-"))
    ca = trustme.CA(organization_name="pacer-verify mock PACER site")
    leaf = ca.issue_cert(*names_for(host, court_ids))
    files = TlsFiles(folder, folder / CA_FILE, folder / "server-chain.pem", folder / "server-key.pem")
    outputs.write_bytes(files.ca, ca.cert_pem.bytes())
    outputs.write_bytes(files.cert, b"".join(pem.bytes() for pem in leaf.cert_chain_pems))
    outputs.write_bytes(files.key, leaf.private_key_pem.bytes())
    return files
