"""Failure evidence that is safe to keep: masked screenshots and scrubbed traces (verifier.evidence._trace_scrub),
both private files (verifier.outputs)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from playwright.async_api import Locator, Page
from pydantic import SecretStr

from verifier import outputs
from verifier.evidence._spellings import MIN_SEARCHED
from verifier.evidence._trace_scrub import scrub_trace

__all__ = ["MASK_COLOR", "SECRET_FIELDS", "masked_screenshot", "scrub_trace"]

MASK_COLOR = "#222"

# Every field a flow may have typed into, whatever its type or name: a sign-on answer can re-render
# the password field as type=text under another name (issue 19 §3), and a field a person typed into
# is never needed to understand a screenshot. Then, by type and name, the secret ones once more.
SECRET_FIELDS = (
    "input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=submit])"
    ":not([type=button]):not([type=reset]):not([type=image]):not([type=file]):not([type=range])"
    ":not([type=color])",
    "textarea",
    "[contenteditable]:not([contenteditable=false])",
    "input[type=password]",
    "input[autocomplete=one-time-code]",
    "input[name*=mfa i]",
    "input[name*=otp i]",
    "input[name*=passcode i]",
    "input[name=key]",
)


def _echoes(page: Page, secrets: Iterable[SecretStr | None]) -> list[Locator]:
    """Text on the page that repeats a secret (a site echoing the password in a message): masked too.
    The selector holds the secret, so the trace that records this call is scrubbed (trace_scrub)."""
    values = {s.get_secret_value() for s in secrets if s is not None}
    return [page.get_by_text(value) for value in sorted(values) if len(value.strip()) >= MIN_SEARCHED]


async def masked_screenshot(page: Page, path: Path, secrets: Iterable[SecretStr | None] = ()) -> Path | None:
    """A full-page screenshot with every typed-in field, and any text repeating a secret, painted over."""
    try:
        outputs.ensure_dir(path.parent)
        await page.screenshot(
            path=str(path),
            full_page=True,
            mask=[*(page.locator(selector) for selector in SECRET_FIELDS), *_echoes(page, secrets)],
            mask_color=MASK_COLOR,
            timeout=10_000,
        )
    except Exception:  # a crashed page cannot be photographed; the result says what happened
        return None
    return outputs.restrict(path)
