"""pacer-verify: checks, per attorney, what must still be done before a court moves to NextGen CM/ECF.

`import verifier` stays cheap (no Playwright, no pydantic): the library API in `verifier.api` is
imported on first use of one of its names, e.g. `from verifier import check_account`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.3.0"

if TYPE_CHECKING:
    from verifier.api import *  # noqa: F403

# verifier.api.__all__, spelt out: the hook must answer "not ours" for submodule names
# (`from verifier import netguard`) without importing the API (tests/test_package.py keeps them equal).
API_NAMES = frozenset(
    {
        "Account",
        "AccountOutcome",
        "AccountPage",
        "BulkOutcome",
        "BulkPlan",
        "CourtCheck",
        "CourtRegistry",
        "Result",
        "Settings",
        "SiteMap",
        "Status",
        "check_account",
        "install_loopback_guard",
        "load_courts",
        "load_settings",
        "open_browser",
        "read_roster",
        "run_bulk",
        "verify_account",
    }
)


def __getattr__(name: str) -> Any:
    if name in API_NAMES:
        return getattr(importlib.import_module("verifier.api"), name)
    raise AttributeError(f"module 'verifier' has no attribute {name!r}")
