"""Failure evidence that is safe to keep: masked screenshots and scrubbed traces."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, quote_plus

from playwright.async_api import Page
from pydantic import SecretStr

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
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        await page.screenshot(
            path=str(path),
            full_page=True,
            mask=[page.locator(selector) for selector in SECRET_FIELDS],
            mask_color="#222",
            timeout=10_000,
        )
    except Exception:  # a crashed page cannot be photographed; the result says what happened
        return None
    return path


def secret_forms(secrets: Iterable[SecretStr | None]) -> list[bytes]:
    """Each secret as it could appear in a trace: raw, form-encoded, URL-encoded."""
    forms: set[bytes] = set()
    for secret in secrets:
        if secret is None:
            continue
        value = secret.get_secret_value()
        if len(value) < 4:
            continue
        for form in (value, quote_plus(value), quote(value, safe="")):
            forms.add(form.encode("utf-8"))
    return sorted(forms, key=len, reverse=True)


def scrub_trace(trace: Path, secrets: Iterable[SecretStr | None]) -> None:
    """Rewrite a Playwright trace zip with every form of every secret replaced by asterisks.

    Playwright records fill() values, form post bodies and DOM snapshots of input values; scrubbing
    the finished zip catches all of them, whatever Playwright version recorded it.
    """
    forms = secret_forms(secrets)
    if not forms or not trace.exists():
        return
    with tempfile.NamedTemporaryFile(dir=trace.parent, suffix=".zip", delete=False) as handle:
        scratch = Path(handle.name)
    try:
        with zipfile.ZipFile(trace) as source, zipfile.ZipFile(scratch, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = source.read(item)
                for form in forms:
                    data = data.replace(form, b"*" * 8)
                target.writestr(item, data)
        shutil.move(scratch, trace)
    finally:
        scratch.unlink(missing_ok=True)
