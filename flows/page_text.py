"""Read a page's visible text the way a person does: in reading order, hidden text left out."""

from __future__ import annotations

from playwright.async_api import Page

# Text nodes rather than innerText: innerText glues adjacent inline elements ("Account TypeUpgraded")
# where a person sees two separate things.
_VISIBLE_TEXT_CHUNKS = """
() => {
  const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);
  const out = [];
  const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.trim();
    const el = node.parentElement;
    if (!text || !el || skip.has(el.tagName)) continue;
    if (el.checkVisibility && !el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    out.push(text);
  }
  return out;
}
"""


async def visible_text_chunks(page: Page) -> list[str]:
    chunks = await page.evaluate(_VISIBLE_TEXT_CHUNKS)
    return [str(chunk) for chunk in chunks]
