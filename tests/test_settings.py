"""Settings: declared once, read from the environment, checked with messages that say the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.errors import ConfigError
from rapport.settings import SETTINGS, Settings


def test_defaults_give_an_embedded_sqlite_database_in_the_data_dir() -> None:
    settings = Settings.load(environ={})
    assert settings.database_url == f"sqlite:///{Path('rapport-data') / 'rapport.db'}"
    assert settings.batch_size == 2000
    assert "x" in settings.networks


def test_environment_then_overrides() -> None:
    environ = {
        "RAPPORT_BATCH_SIZE": "500",
        "RAPPORT_NETWORKS": "x, Mastodon",
        "RAPPORT_PORT": "9000",
    }
    settings = Settings.load({"port": 9100}, environ=environ)
    assert settings.batch_size == 500
    assert settings.networks == frozenset({"x", "mastodon"})
    assert settings.port == 9100


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"RAPPORT_BATCH_SIZE": "lots"}, "batch_size from RAPPORT_BATCH_SIZE has bad value 'lots'"),
        ({"RAPPORT_BATCH_SIZE": "0"}, "must be a positive whole number"),
        ({"RAPPORT_ENRICH": "maybe"}, "use true or false"),
        ({"RAPPORT_NETWORKS": " , "}, "name at least one network"),
        ({"RAPPORT_BATCHSIZE": "5"}, "unknown setting RAPPORT_BATCHSIZE"),
    ],
)
def test_bad_settings_stop_start_up_with_the_variable_named(
    environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.load(environ=environ)


def test_every_setting_has_help_and_a_field() -> None:
    described = {name for name, _, _ in Settings.load(environ={}).describe()}
    assert described == {s.name for s in SETTINGS}
    assert all(s.help for s in SETTINGS)
