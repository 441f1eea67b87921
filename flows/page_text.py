"""Read a page's visible text the way a person does: in reading order, where each text lies, and the
label-value pairs the markup draws (`page_fields`, read by flows.fields), with only what a person sees.

"Visible" is strict, because a decoy a person cannot see must never decide a status (issue 19): a
text counts only when it is rendered (not display:none, visibility:hidden, opacity 0 on the way up,
content-visibility, a closed <details>), has a real size (not zero-size, not a font too small to
read), is not clipped away (an overflow or `clip` ancestor, the sr-only pattern), lies on the page
(not pushed off to the left or top, nor beyond the first screen's width), has contrast with what is
behind it (not transparent, not white on white), and is what the browser hits at its place (not
covered by another element). All of it runs in one evaluate per page: no driver round trip per
element, which matters at hundreds of accounts.
"""

from __future__ import annotations

from playwright.async_api import Page

from flows.fields import MarkedPair, PageFields, SeenText

#: JS statements defining `squash(text)` (runs of white space as one space) and `shown(el)`: rendered
#: (not display:none, visibility:hidden or opacity 0 on the way up) and with a size. What a person can
#: see at all; `textsSeen` below is the stricter rule for a text that decides a status.
SHOWN_JS = r"""
  const squash = (text) => (text || '').replace(/\s+/g, ' ').trim();
  const shown = (el) => {
    if (!el || !el.isConnected) return false;
    if (el.checkVisibility && !el.checkVisibility({visibilityProperty: true, opacityProperty: true})) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
"""

#: JS statements defining `textsSeen(root, hitTest)`: the texts under `root` a person sees, in reading
#: order. Without `hitTest`, text under another element still counts, and nothing is scrolled.
SEEN_TEXT_JS = r"""
  const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);
  const rgba = (color) => {
    const m = /^rgba?\(([^)]*)\)$/.exec(color || '');
    if (!m) return null;  // another colour space: not judged
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(parseFloat);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const luminance = (c) => {
    const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  };
  // The colour behind an element: the first ancestor that paints a background (white at the top).
  const behind = (el) => {
    for (let a = el; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.backgroundImage && s.backgroundImage !== 'none') return null;  // an image: not judged
      const c = rgba(s.backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const readable = (el) => {
    const s = getComputedStyle(el);
    if (parseFloat(s.fontSize) < 6) return false;
    let opacity = 1;
    for (let a = el; a; a = a.parentElement) opacity *= parseFloat(getComputedStyle(a).opacity);
    if (opacity < 0.2) return false;
    const fg = rgba(s.color);
    if (!fg) return true;
    if (fg.a < 0.2) return false;
    const bg = behind(el);
    if (!bg) return true;
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05) >= 1.5;
  };
  // The text's box, cut by every ancestor that clips; null when nothing of it is left to see.
  // `node` is a text node, or an element read as a whole (a read-only input showing a value).
  const box = (node, el) => {
    const range = document.createRange();
    if (node.nodeType === Node.TEXT_NODE) range.selectNodeContents(node); else range.selectNode(node);
    const first = [...range.getClientRects()].find((r) => r.width > 0 && r.height > 0);
    if (!first) return null;
    let {left, top, right, bottom} = first;
    for (let a = el; a && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.clip && s.clip !== 'auto' && (s.position === 'absolute' || s.position === 'fixed')) return null;
      const clipped = s.overflowX !== 'visible' || s.overflowY !== 'visible';
      const inset = /^inset\(([^)]*)\)$/.exec(s.clipPath || '');
      if (clipped || inset) {
        const c = a.getBoundingClientRect();
        // clip-path: inset(t r b l): the common way to hide text visually (the other sr-only pattern).
        const cut = inset ? inset[1].split(/\s+round\s+/)[0].split(/\s+/) : ['0'];
        const px = (v, size) => (v.endsWith('%') ? (parseFloat(v) * size) / 100 : parseFloat(v) || 0);
        const [t, r = t, bt = t, l = r] = cut;
        left = Math.max(left, c.left + px(l, c.width)); top = Math.max(top, c.top + px(t, c.height));
        right = Math.min(right, c.right - px(r, c.width)); bottom = Math.min(bottom, c.bottom - px(bt, c.height));
      }
    }
    if (right - left < 2 || bottom - top < 4) return null;
    return {left, top, right, bottom};
  };
  const onPage = (b) =>
    b.right + window.scrollX > 0 && b.bottom + window.scrollY > 0 && b.left + window.scrollX < window.innerWidth;
  // What the browser hits at the text's place: the text's own element (or one inside it), not a cover.
  const hit = (node, el) => {
    let b = box(node, el);
    if (!b || !onPage(b)) return false;
    if (b.top < 0 || b.bottom > window.innerHeight) {
      window.scrollTo({left: 0, top: b.top + window.scrollY - window.innerHeight / 2, behavior: 'instant'});
      b = box(node, el);
      if (!b) return false;
    }
    // Off the exact centre: a clip-path such as inset(50%) leaves only the centre, which a person cannot see.
    const x = b.left + (b.right - b.left) * 0.3, y = b.top + (b.bottom - b.top) * 0.4;
    const top = document.elementFromPoint(x, y);
    // Not an ancestor either: behind its parent's background, the parent is what is hit.
    return !!top && (top === el || el.contains(top));
  };
  // Where a seen text lies on the page (not the viewport: hit() may have scrolled to it).
  const placed = (node, el, text) => {
    const b = box(node, el);
    if (!b) return null;
    const [x, y] = [window.scrollX, window.scrollY];
    return {text, left: b.left + x, top: b.top + y, right: b.right + x, bottom: b.bottom + y};
  };
  const seenText = (node, hitTest) => {
    const el = node.parentElement;
    if (!node.nodeValue.trim() || !el || skip.has(el.tagName)) return false;
    if (el.checkVisibility && !el.checkVisibility({
      visibilityProperty: true, opacityProperty: true, contentVisibilityAuto: true})) return false;
    if (!readable(el)) return false;
    if (hitTest) return hit(node, el);
    const b = box(node, el);
    return !!b && onPage(b);
  };
  const textsSeen = (root, hitTest) => {
    const out = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (seenText(node, hitTest)) out.push(node.nodeValue.trim());
    }
    return out;
  };
"""

# Text nodes rather than innerText (in `_PAGE_FIELDS` below): innerText glues adjacent inline elements
# ("Account TypeUpgraded") where a person sees two separate things.

# The page's seen texts with their places, and the label-value pairs its markup draws: a <label for>
# and its control (a read-only input shows its value, not a text), a <dt> and its <dd>s, a table
# row's cell and the next data cell, a header row's cell and the data cells below it, an element
# and its aria-labelledby label. Pairs are only of seen texts and seen controls; which labels matter
# is decided in Python (flows.fields). A password field's value is never read.
_PAGE_FIELDS = (
    "() => {"
    + SEEN_TEXT_JS
    + SHOWN_JS
    + r"""
  // Every text node a person sees, with its text: hit-tested once, in the walk below; a label's or a
  // value's text is read from here rather than tested (and scrolled to) again.
  const seenNodes = new Map();
  const seenIn = (el) => {
    const out = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (seenNodes.has(node)) out.push(seenNodes.get(node));
    }
    return squash(out.join(' '));
  };
  const seenControl = (el) => {
    if (el.type === 'password' || el.type === 'hidden') return false;
    if (el.checkVisibility && !el.checkVisibility({
      visibilityProperty: true, opacityProperty: true, contentVisibilityAuto: true})) return false;
    return readable(el) && hit(el, el);
  };
  const valueOf = (el) => {
    if (el instanceof HTMLSelectElement) {
      return seenControl(el) && el.selectedOptions.length ? squash(el.selectedOptions[0].text) : '';
    }
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
      return seenControl(el) ? squash(el.value) : '';
    }
    return seenIn(el);
  };
  const pairs = [];
  const labelled = new Set();  // label elements the markup ties to a seen value
  const pair = (labelEl, valueEl, how) => {
    if (!labelEl || !valueEl || labelEl === valueEl || labelEl.contains(valueEl)) return;
    const label = seenIn(labelEl);
    const value = label ? valueOf(valueEl) : '';
    if (!value) return;
    pairs.push({label, value, how});
    labelled.add(labelEl);
  };
  const start = {left: window.scrollX, top: window.scrollY};
  try {
    const seen = [];
    const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!seenText(node, true)) continue;
      const place = placed(node, node.parentElement, node.nodeValue.trim());
      if (!place) continue;
      seen.push([node, place]);
      seenNodes.set(node, place.text);
    }
    for (const label of document.querySelectorAll('label[for]')) {
      pair(label, document.getElementById(label.htmlFor), 'label');
    }
    for (const el of document.querySelectorAll('[aria-labelledby]')) {
      for (const id of el.getAttribute('aria-labelledby').split(/\s+/)) {
        pair(document.getElementById(id), el, 'aria-labelledby');
      }
    }
    for (const dt of document.querySelectorAll('dt')) {
      let dd = dt.nextElementSibling;
      while (dd && dd.tagName === 'DT') dd = dd.nextElementSibling;
      for (; dd && dd.tagName === 'DD'; dd = dd.nextElementSibling) pair(dt, dd, 'dl');
    }
    for (const table of document.querySelectorAll('table')) {
      const rows = [...table.rows];
      rows.forEach((row) => [...row.cells].forEach((cell, i) => {
        const next = row.cells[i + 1];
        if (next && next.tagName === 'TD') pair(cell, next, 'row');
      }));
      // A header row over data rows: each header names the cells below it (colspan is not followed).
      const head = rows.findIndex((r) => r.cells.length > 0 && [...r.cells].every((c) => c.tagName === 'TH'));
      if (head < 0) continue;
      for (const row of rows.slice(head + 1)) {
        if (![...row.cells].every((c) => c.tagName === 'TD')) continue;
        [...rows[head].cells].forEach((th, i) => pair(th, row.cells[i], 'column'));
      }
    }
    const texts = seen.map(([node, place]) => {
      const paired = [...labelled].some((label) => label.contains(node));
      return {...place, paired};
    });
    return {texts, pairs};
  } finally {
    window.scrollTo({left: start.left, top: start.top, behavior: 'instant'});
  }
}
"""
)


async def page_fields(page: Page) -> PageFields:
    """What a person sees on the page, read for fields (flows.fields), in one round trip."""
    seen = await page.evaluate(_PAGE_FIELDS)
    texts = [SeenText(**text) for text in seen["texts"]]
    pairs = [MarkedPair(**pair) for pair in seen["pairs"]]
    return PageFields(texts, pairs)
