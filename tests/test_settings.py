"""Settings: flags beat the environment, which beats .env, which beats the defaults; only PACER_* names count."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.config import load_settings


def test_settings_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("PACER_VERIFY_RATE=7\nPACER_VERIFY_TIMEOUT=11\nPACER_VERIFY_RETRIES=4\n")
    monkeypatch.setenv("PACER_VERIFY_TIMEOUT", "22")
    monkeypatch.setenv("PACER_VERIFY_RETRIES", "5")
    settings = load_settings(env_file, retries=6)
    assert settings.rate_per_minute == 7  # from .env
    assert settings.timeout_s == 22  # environment beats .env
    assert settings.retries == 6  # flag beats both
    assert load_settings(None).rate_per_minute == 30  # default


def test_settings_ignore_generic_environment_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USERNAME", "someone-else")
    monkeypatch.delenv("PACER_USERNAME", raising=False)
    assert load_settings(None).username is None
