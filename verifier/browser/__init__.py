"""The browser: found, launched or connected, its contexts pooled, and kept to PACER's origins.

- `browser.launch`: `open_browser`, the Chromium pacer-verify uses (Playwright's own or the system's).
- `browser.host`: `BrowserHost`, one browser for a run, restarted if it dies, with a pool of contexts.
- `browser.netguard`: the loopback guard tests use (a browser that asks another host fails the test).
- `_pool`, `_origin_guard`, `_driver_env` (private): contexts reused and wiped; requests only to PACER's
  origins; no DEBUG for Playwright's driver unless asked.
"""
