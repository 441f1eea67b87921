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


def test_each_settings_option_is_its_field_said_once() -> None:
    """Every option that sets a field is defined once, from the field: the flag an error names is the
    option's, and its help says the field's environment name and default."""
    from verifier.commands.options import SETTINGS
    from verifier.config import FLAG_NAMES, FLAGS, Settings

    for param, option in SETTINGS.items():
        field = FLAG_NAMES.get(param, param)
        assert FLAGS[field] == option.names[0].split("/")[0], param
        alias = Settings.model_fields[field].validation_alias
        assert option.env == alias and f"[env: {alias}]" in option.annotation().__metadata__[0].help, param
    assert {FLAG_NAMES.get(p, p) for p in SETTINGS} == set(FLAGS)
    assert SETTINGS["timeout"].default_text() == "60" and SETTINGS["headed"].default_text() == "headless"
    assert SETTINGS["court_checks"].default_text() == "court-checks" and SETTINGS["yes"].default_text() == ""


def test_a_command_gets_the_settings_flags_given_as_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from verifier.cli import app

    seen: dict[str, object] = {}

    def load(**given: object) -> object:
        seen.update(given)
        raise SystemExit(0)

    monkeypatch.setattr("verifier.config.load_settings", load)
    done = CliRunner().invoke(app, ["report", "--private-outputs", "nowhere.jsonl"])
    assert done.exit_code == 0, done.output
    assert seen == {"shared_outputs": False}  # an off-switch is given; options not given are left out
