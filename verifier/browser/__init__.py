"""The browser: found, launched or connected, a new context per account, and kept to PACER's origins.

- `browser.launch`: `open_browser`, the browser pacer-verify uses (a path or channel set, Playwright's own,
  or one installed), and `choice_from_environment` for what launches one outside a run.
- `browser.discovery`: browsers already installed (Chromium, Chrome, Edge), where each system keeps them.
- `browser.host`: `BrowserHost`, one browser for a run, restarted if it dies, with a new context per account.
- `browser.netguard`: the loopback guard tests use (a browser that asks another host fails the test).
- `_contexts`, `_origin_guard`, `_driver_env` (private): a new context per account; requests only to PACER's
  origins; no DEBUG for Playwright's driver unless asked.
"""
