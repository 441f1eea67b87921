"""Whether a page shows a heading, or a labelled field, that a person would see: asked in the page's
own script world, in one evaluate, without Playwright's selector engine.

Playwright answers its role and label queries (`get_by_role`, `get_by_label`) in a script world it
builds in each new document on first use, which costs about 0.06 CPU-s per document (bench/README.md,
"the selector engine"). Manage My Account is a new document for every attorney, and the check asks
only two things of it before reading it (flows.page_text, also one evaluate): has the page landed (its
heading, or a sign-on form a script sent the browser to), and is it Manage My Account. Asked here
instead, `bulk` by the API spends about 15 % less CPU per attorney.

The rule is the one a person follows, as Playwright's queries have it: a heading is an `h1` to `h6` or an
element with the heading role; its name is what `aria-labelledby` points to, else `aria-label`, else
its text (else its images' text); a field's label is its `<label>`, else what `aria-labelledby` points
to, else `aria-label`. Only what is shown counts (rendered, not transparent, with a size), as in
flows.screen.

The patterns are Python's and are handed to the page's `RegExp` (case-insensitive): they must be written
in what both read alike (classes such as `\\s`, `^`, `$`, `*`, `?`, `|`, groups; no `(?P<...>)`).
"""

from __future__ import annotations

import re
import time

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from flows.errors import TransientSiteError, first_line
from flows.navigation import is_navigation_error

#: `found()` is the question; with `waitMs` the answer is waited for: on every change of the document
#: (a script adding the heading or showing the form) and every 100 ms (a style sheet arriving changes
#: what is shown without a mutation), until the time is up.
LANDMARK_JS = r"""
({heading, label, title, waitMs}) => {
  const headingName = new RegExp(heading, 'i');
  const labelName = label === null ? null : new RegExp(label, 'i');
  const squash = (text) => (text || '').replace(/\s+/g, ' ').trim();
  const shown = (el) => {
    if (!el || !el.isConnected) return false;
    if (el.checkVisibility && !el.checkVisibility({visibilityProperty: true, opacityProperty: true})) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const pointedTo = (el) => (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)
    .map((id) => document.getElementById(id)).filter(Boolean).map((named) => named.innerText).join(' ');
  const imageText = (el) => [...el.querySelectorAll('img[alt]')].map((img) => img.alt).join(' ');
  const nameOf = (el) => squash(pointedTo(el) || el.getAttribute('aria-label') || el.innerText || imageText(el));
  const labelOf = (field) => squash(
    (field.labels && field.labels.length ? field.labels[0].innerText : '') || pointedTo(field) ||
    field.getAttribute('aria-label'));
  const found = () => {
    const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]')]
      .filter((h) => [null, 'heading'].includes(h.getAttribute('role')) && shown(h));
    if (headings.some((h) => headingName.test(nameOf(h)))) return true;
    if (title && headingName.test(document.title)) return true;
    return labelName !== null && [...document.querySelectorAll('input, textarea')]
      .some((field) => labelName.test(labelOf(field)) && shown(field));
  };
  if (found() || !waitMs) return found();
  return new Promise((resolve) => {
    let pending = false;
    const end = (value) => { observer.disconnect(); clearInterval(timer); resolve(value); };
    const observer = new MutationObserver(() => {
      if (pending) return;
      pending = true;  // one look per burst of changes, not one per change
      setTimeout(() => { pending = false; if (found()) end(true); }, 0);
    });
    observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
    const deadline = Date.now() + waitMs;
    const timer = setInterval(() => { if (found()) end(true); else if (Date.now() >= deadline) end(false); }, 100);
  });
}
"""

#: Documents replaced under the question before it is given up (as flows.navigation.read_screen).
NAVIGATIONS = 5


async def shows(
    page: Page,
    heading: re.Pattern[str],
    *,
    label: re.Pattern[str] | None = None,
    title: bool = False,
    wait_ms: float = 0,
    timeout_ms: float = 30_000,
) -> bool:
    """Whether the page shows a heading named by `heading` (or, with `title`, is titled so), or a field
    labelled by `label`. With `wait_ms`, waits up to that long for one to show, across the documents a
    script or a redirect replaces the page with; a document still loading is waited for up to
    `timeout_ms`. A page that cannot be read is a TransientSiteError."""
    args = {"heading": heading.pattern, "label": label.pattern if label else None, "title": title}
    deadline = time.monotonic() + wait_ms / 1000
    for _ in range(NAVIGATIONS):
        try:
            left_ms = max(0.0, (deadline - time.monotonic()) * 1000)
            return bool(await page.evaluate(LANDMARK_JS, {**args, "waitMs": left_ms}))
        except PlaywrightError as exc:
            if not is_navigation_error(exc):
                raise TransientSiteError(f"could not read the page: {first_line(exc)}") from None
        try:  # the document was replaced under the question: ask the new one, once it is there
            await page.wait_for_load_state("domcontentloaded", timeout=timeout_ms)
        except PlaywrightError as exc:
            raise TransientSiteError(f"the page did not finish loading: {first_line(exc)}") from None
    raise TransientSiteError("the page kept navigating")
