"""Settings: declared once, read from the environment, checked with messages that say the fix."""

from __future__ import annotations

import io
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import get_origin

import pytest
from rich.console import Console
from typer.testing import CliRunner

from rapport import cli
from rapport.errors import ConfigError
from rapport.settings import SETTINGS, Settings, declared, setting


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
        ({"RAPPORT_TRUSTED_PROXIES": "10.0.0.0/8, proxy"}, "'proxy' is not an address or CIDR"),
    ],
)
def test_bad_settings_stop_start_up_with_the_variable_named(
    environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.load(environ=environ)


def test_a_misspelt_override_is_refused_rather_than_ignored() -> None:
    with pytest.raises(ConfigError, match="unknown setting 'batchsize'"):
        Settings.load({"batchsize": 5}, environ={})


def test_a_bad_override_names_its_option() -> None:
    with pytest.raises(ConfigError, match="batch_size from --batch-size has bad value -1"):
        Settings.load({"batch_size": -1}, environ={})


def test_every_setting_has_help_and_a_field() -> None:
    described = {name for name, _, _ in Settings.load(environ={}).describe()}
    assert described == {s.name for s in SETTINGS}
    assert all(s.help for s in SETTINGS)


def test_every_default_converts_to_its_declared_type() -> None:
    # mypy trusts each field's annotation; this checks the converters keep that promise.
    settings = Settings.load(environ={})
    for each in SETTINGS:
        declared_type = get_origin(each.type) or each.type
        assert isinstance(declared_type, type)
        assert isinstance(getattr(settings, each.name), declared_type), each.name


@dataclass(frozen=True)
class WithGreetings(Settings):
    """Settings with one more setting, declared the only way a setting is declared."""

    greetings_per_hour: int = field(metadata=setting(3, "Greetings an agent may send an hour."))


def test_a_setting_declared_once_is_loaded_converted_checked_and_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert WithGreetings.load(environ={}).greetings_per_hour == 3
    loaded = WithGreetings.load(environ={"RAPPORT_GREETINGS_PER_HOUR": "7"})
    assert loaded.greetings_per_hour == 7
    with pytest.raises(ConfigError, match="greetings_per_hour from RAPPORT_GREETINGS_PER_HOUR"):
        WithGreetings.load(environ={"RAPPORT_GREETINGS_PER_HOUR": "0"})
    with pytest.raises(ConfigError, match="unknown setting RAPPORT_GREETINGS_PER_HOUR"):
        Settings.load(environ={"RAPPORT_GREETINGS_PER_HOUR": "7"})
    # Nothing else lists settings: the declarations are exactly the dataclass's fields.
    assert [s.name for s in declared(WithGreetings)] == [f.name for f in fields(WithGreetings)]
    assert ("greetings_per_hour", "7", "Greetings an agent may send an hour.") in (
        loaded.describe()
    )

    shown = io.StringIO()
    monkeypatch.setattr(cli, "Settings", WithGreetings)
    monkeypatch.setattr(cli, "out", Console(file=shown, width=400))
    result = CliRunner().invoke(cli.app, ["settings"], env={"RAPPORT_GREETINGS_PER_HOUR": "7"})
    assert result.exit_code == 0, result.output
    [row] = [line for line in shown.getvalue().splitlines() if "greetings_per_hour" in line]
    assert [cell.strip() for cell in row.split("│")[1:5]] == [
        "greetings_per_hour",
        "7",
        "RAPPORT_GREETINGS_PER_HOUR",
        "Greetings an agent may send an hour.",
    ]


def test_a_field_that_is_not_declared_as_a_setting_stops_the_import() -> None:
    @dataclass(frozen=True)
    class Undeclared(Settings):
        colour: str

    with pytest.raises(TypeError, match=r"Undeclared.colour has no metadata=setting"):
        declared(Undeclared)


def test_a_setting_whose_type_has_no_converter_must_name_one() -> None:
    @dataclass(frozen=True)
    class Unconvertible(Settings):
        ports: list[int] = field(metadata=setting("", "Ports to listen on."))

    with pytest.raises(TypeError, match=r"setting ports of type list\[int\] needs convert="):
        declared(Unconvertible)


def test_trusted_proxies_are_addresses_and_ranges_written_in_full() -> None:
    environ = {"RAPPORT_TRUSTED_PROXIES": " 10.0.4.7/24 , ::1,192.0.2.9 "}
    loaded = Settings.load(environ=environ)
    assert loaded.trusted_proxies == "10.0.4.0/24,::1/128,192.0.2.9/32"
    assert Settings.load(environ={}).trusted_proxies == ""  # none trusted unless named
