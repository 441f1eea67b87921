"""What an attempt leaves for a person to look at: a masked screenshot when it ended badly, and a
Playwright trace (kept on failure, or always with --trace on), scrubbed of the account's secrets.

Every method returns the paths it wrote, relative to the output folder; it never edits a result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from verifier.evidence._artifacts import masked_screenshot, scrub_trace
from verifier.models import Account, Status
from verifier.statuses import FACTS


class EvidenceSettings(Protocol):
    """The two settings the recorder reads (verifier.config.Settings has them). Named here, not
    imported: config reads --base-url through verifier.check, and verifier.check keeps its evidence
    through this package, so importing config here would close a circle."""

    @property
    def trace(self) -> str: ...  # "off", "on" or "retain-on-failure"

    @property
    def screenshots(self) -> bool: ...


class ArtifactRecorder:
    def __init__(self, settings: EvidenceSettings, out_dir: Path | None) -> None:
        self.settings = settings
        self.out_dir = out_dir

    @property
    def tracing(self) -> bool:
        return self.settings.trace != "off" and self.out_dir is not None

    def _folder(self, account: Account) -> Path | None:
        return self.out_dir / "artifacts" / account.slug if self.out_dir else None

    async def start(self, context: BrowserContext) -> None:
        if self.tracing:
            await context.tracing.start(screenshots=True, snapshots=True)

    async def screenshot(self, page: Page, account: Account, attempt: int, status: Status) -> list[str]:
        """A masked screenshot of an attempt that ended in `status`, when that status keeps one."""
        folder = self._folder(account)
        if folder is None or self.out_dir is None or not self.settings.screenshots:
            return []
        if not FACTS[status].keeps_screenshot:
            return []
        try:
            shot = await masked_screenshot(
                page, folder / f"attempt-{attempt}.png", [account.password, account.otp_secret, account.cmecf_password]
            )
        except PlaywrightError:
            return []  # the page is gone (a crash): nothing to show
        return [str(shot.relative_to(self.out_dir))] if shot else []

    async def stop(self, context: BrowserContext, account: Account, attempt: int, status: Status | None) -> list[str]:
        """Stop tracing; keep the trace when asked to always, or when the attempt failed (`status`
        None: it raised). The kept trace is listed only when the attempt produced a result."""
        if not self.tracing:
            return []
        folder = self._folder(account)
        failed = status is None or FACTS[status].keeps_screenshot
        try:
            if folder is None or self.out_dir is None or not (self.settings.trace == "on" or failed):
                await context.tracing.stop()
                return []
            folder.mkdir(parents=True, exist_ok=True)
            trace = folder / f"trace-attempt-{attempt}.zip"
            await context.tracing.stop(path=str(trace))
            scrub_trace(trace, [account.password, account.otp_secret, account.cmecf_password])
            return [str(trace.relative_to(self.out_dir))] if status is not None else []
        except PlaywrightError:
            return []
