"""Failure evidence that is safe to keep: masked screenshots and scrubbed traces (verifier.trace_scrub),
both private files (verifier.outputs)."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page

from verifier import outputs
from verifier.trace_scrub import scrub_trace

__all__ = ["SECRET_FIELDS", "masked_screenshot", "scrub_trace"]

# Every field that could show a secret, by type and by the labels the flows use.
SECRET_FIELDS = (
    "input[type=password]",
    "input[autocomplete=one-time-code]",
    "input[name*=mfa i]",
    "input[name*=otp i]",
    "input[name*=passcode i]",
    "input[name=key]",
)


async def masked_screenshot(page: Page, path: Path) -> Path | None:
    """A full-page screenshot with password and one-time-code fields painted over."""
    try:
        outputs.ensure_dir(path.parent)
        await page.screenshot(
            path=str(path),
            full_page=True,
            mask=[page.locator(selector) for selector in SECRET_FIELDS],
            mask_color="#222",
            timeout=10_000,
        )
    except Exception:  # a crashed page cannot be photographed; the result says what happened
        return None
    return outputs.restrict(path)
