"""What every page object works with, in one place: the tab, the addresses it may visit and send
credentials to, the watch on the documents the tab loads, and the time each wait may take."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.async_api import Page

from flows.navigation import DocumentWatch
from flows.urls import SiteUrls


@dataclass(eq=False)
class OnPage:
    page: Page
    site: SiteUrls
    watch: DocumentWatch
    timeout_ms: float = 30_000
