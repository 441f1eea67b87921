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

from playwright.async_api import Page

from flows.navigation import evaluate_settled
from flows.page_text import SHOWN_JS

#: JS statements defining `MENU_BARS`: a court's menu bar, by its known id (docs/real-site.md §4) or by
#: its role. `menuBars()`: the bars to read, the id first (shown or not, as the bar is found by its id
#: alone), else the shown elements with the role.
MENU_BARS_JS = r"""
  const MENU_BARS = '#topmenu, [role=menubar]';
  const menuBars = () => {
    const named = [...document.querySelectorAll('#topmenu')];
    return named.length ? named : [...document.querySelectorAll('[role=menubar]')].filter(shown);
  };
"""

#: The names of a menu bar's items as a person reads them: each shown link in the bar (an `<a href>`,
#: or an element with the link or menu item role: YUI's script may give its items the menuitem role at
#: run time, which the saved pages cannot show), by its text. None when the page has no menu bar.
#: (Playwright's `get_by_role("link")` read them before: its selector engine costs a new document about
#: 0.06 CPU-s, and every court is a new document.)
MENU_JS = (
    "() => {"
    + SHOWN_JS
    + MENU_BARS_JS
    + r"""
  const bars = menuBars();
  if (!bars.length) return null;
  const items = bars.flatMap((bar) => [...bar.querySelectorAll('a[href], area[href], [role=link], [role=menuitem]')])
    .filter((item) => [null, 'link', 'menuitem'].includes(item.getAttribute('role')) && shown(item));
  // A menu item holding a link (`<li role=menuitem><a href>`) is one item: its link is read.
  const innermost = items.filter((item) => !items.some((other) => other !== item && item.contains(other)));
  return innermost.map((item) => squash(item.innerText)).filter((text) => text);
}
"""
)

#: `found()` is the question; with `waitMs` the answer is waited for: on every change of the document
#: (a script adding the heading or showing the form) and every 100 ms (a style sheet arriving changes
#: what is shown without a mutation), until the time is up.
LANDMARK_JS = (
    "({heading, label, title, menu, waitMs}) => {"
    + SHOWN_JS
    + MENU_BARS_JS
    + r"""
  const headingName = heading === null ? null : new RegExp(heading, 'i');
  const labelName = label === null ? null : new RegExp(label, 'i');
  const pointedTo = (el) => (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)
    .map((id) => document.getElementById(id)).filter(Boolean).map((named) => named.innerText).join(' ');
  const imageText = (el) => [...el.querySelectorAll('img[alt]')].map((img) => img.alt).join(' ');
  const nameOf = (el) => squash(pointedTo(el) || el.getAttribute('aria-label') || el.innerText || imageText(el));
  const labelOf = (field) => squash(
    (field.labels && field.labels.length ? field.labels[0].innerText : '') || pointedTo(field) ||
    field.getAttribute('aria-label'));
  const found = () => {
    if (headingName !== null) {
      const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]')]
        .filter((h) => [null, 'heading'].includes(h.getAttribute('role')) && shown(h));
      if (headings.some((h) => headingName.test(nameOf(h)))) return true;
      if (title && headingName.test(document.title)) return true;
    }
    if (menu && [...document.querySelectorAll(MENU_BARS)].some(shown)) return true;
    return labelName !== null && [...document.querySelectorAll('input, textarea')]
      .some((field) => labelName.test(labelOf(field)) && shown(field));
  };
  const now = found();
  if (now || !waitMs) return now;
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
)


async def read_menu(page: Page, timeout_ms: float = 30_000) -> list[str] | None:
    """The names of the items of the page's menu bar (MENU_JS); None when it shows no menu bar."""
    items = await evaluate_settled(page, MENU_JS, lambda: None, timeout_ms)
    return None if items is None else [str(item) for item in items]


async def shows(
    page: Page,
    heading: re.Pattern[str] | None,
    *,
    label: re.Pattern[str] | None = None,
    title: bool = False,
    menu: bool = False,
    wait_ms: float = 0,
    timeout_ms: float = 30_000,
) -> bool:
    """Whether the page shows a heading named by `heading` (or, with `title`, is titled so), a court's
    menu bar (with `menu`), or a field labelled by `label`. With `wait_ms`, waits up to that long for
    one to show, across the documents a script or a redirect replaces the page with."""
    question = {
        "heading": heading.pattern if heading else None,
        "label": label.pattern if label else None,
        "title": title,
        "menu": menu,
    }
    deadline = time.monotonic() + wait_ms / 1000

    def asked() -> dict[str, object]:  # the wait left, for each document asked
        return {**question, "waitMs": max(0.0, (deadline - time.monotonic()) * 1000)}

    return bool(await evaluate_settled(page, LANDMARK_JS, asked, timeout_ms))
