"""The bundled mock PACER site (docs/mock-site.md is its contract).

- `scenario`: what it holds (MockScenario, MockAccount, MockCourt, FaultRule, load_scenario,
  load_default_scenario: `data/mock_site.json`, shipped in the package)
- `server`: MockServer (a running site in a background thread) and serve() (foreground)
- `app`: create_app() and MockSite; `signon`, `account`, `courts`: the pages; `render`: templates
- `state`: sessions, half-finished sign-ons, counters; `live`: the state of the moment, as the page
  sets read it (they never hold the site); `fault_plan`: which requests misbehave; `faults`: the
  middleware that makes them
- `pytest_plugin`: the pacer_mock fixtures (docs/pytest-plugin.md); `pytest_optin_browser`,
  `pytest_optin_loopback`: what its `--pacer-browser` and `--pacer-loopback-only` switch on
- `describe`: each account in words, for `pacer-verify mock` and the docs' accounts table
"""
