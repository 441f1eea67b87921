"""Where the bundled data lives: the repository's fixtures/ in a checkout."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "fixtures"
MOCK_SCENARIO = FIXTURES / "mock_site.json"
DEMO_ROSTER = FIXTURES / "sample_roster.csv"
