"""The bundled mock PACER site (docs/mock-site.md is its contract).

- `scenario`: what it holds (MockScenario, MockAccount, MockCourt, FaultRule, load_scenario)
- `server`: MockServer (a running site in a background thread) and serve() (foreground)
- `app`: create_app() and MockSite; `signon`, `account`, `courts`: the pages; `render`: templates
- `state`: sessions, half-finished sign-ons, counters; `faults`: fault plan and middleware
- `pytest_plugin`: the pacer_mock fixtures
"""
