"""How a setting is declared and read: one dataclass field per setting carries its type (the
annotation), its default, its help and, where its type alone does not say, its converter.

Everything else about a setting (its `RAPPORT_<NAME>` variable, its conversion and checks,
its row in `rapport settings`) is derived from that field, so there is no second list of
settings to keep in step with the first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, get_type_hints

from rapport.errors import ConfigError
from rapport.settings.convert import BY_TYPE, Converter

ENV_PREFIX = "RAPPORT_"
_DECLARATION = "rapport.setting"


@dataclass(frozen=True, slots=True)
class _Declaration:
    default: object
    help: str
    convert: Converter | None


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting as declared: the default is the raw value, converted like any other."""

    name: str
    type: object
    default: object
    help: str
    convert: Converter

    @property
    def env_var(self) -> str:
        return ENV_PREFIX + self.name.upper()

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


def setting(
    default: object, help: str, *, convert: Converter | None = None
) -> Mapping[str, object]:
    """The metadata that makes a dataclass field a setting: `field(metadata=setting(...))`.

    The default lives here rather than as the field's default: settings are built by loading,
    which converts the declared default like any value from the environment, so a settings
    object never holds an unconverted value, and mypy requires every field of the constructor.
    """
    return {_DECLARATION: _Declaration(default, help, convert)}


_DECLARED: dict[type[Any], tuple[Setting, ...]] = {}


def declared(settings_class: type[Any]) -> tuple[Setting, ...]:
    """The settings a settings dataclass declares, in field order.

    Raises TypeError for a field without `setting(...)` metadata or of a type with no
    converter, so that a half-declared setting stops the import, not a later start-up.
    """
    # Every load asks, and resolving the annotations costs more than the load itself.
    found = _DECLARED.get(settings_class)
    if found is None:
        found = _DECLARED[settings_class] = _declare(settings_class)
    return found


def _declare(settings_class: type[Any]) -> tuple[Setting, ...]:
    hints = get_type_hints(settings_class)
    found: list[Setting] = []
    for each in fields(settings_class):
        declaration = each.metadata.get(_DECLARATION)
        if not isinstance(declaration, _Declaration):
            raise TypeError(f"{settings_class.__name__}.{each.name} has no metadata=setting(...)")
        kind = hints[each.name]
        convert = declaration.convert or BY_TYPE.get(kind)
        if convert is None:
            raise TypeError(f"setting {each.name} of type {kind} needs convert=...")
        found.append(Setting(each.name, kind, declaration.default, declaration.help, convert))
    return tuple(found)


def read_values(
    settings: tuple[Setting, ...], overrides: Mapping[str, Any], environ: Mapping[str, str]
) -> dict[str, Any]:
    """Each setting's converted value: its default, then its variable, then its override.

    An override of None keeps the value below it (a command-line option left out). Raises
    ConfigError naming the unknown variable or key, or the bad value and where it came from.
    """
    _refuse_unknown(settings, environ, overrides)
    values: dict[str, Any] = {}
    for each in settings:
        raw: Any = each.default
        origin = "default"
        if each.env_var in environ:
            raw, origin = environ[each.env_var], each.env_var
        if overrides.get(each.name) is not None:
            raw, origin = overrides[each.name], each.option
        values[each.name] = _convert(each, raw, origin)
    return values


def _refuse_unknown(
    settings: tuple[Setting, ...],
    environ: Mapping[str, str],
    overrides: Mapping[str, Any],
) -> None:
    # A misspelt variable or key would otherwise leave its setting at the default unnoticed.
    names = {s.name for s in settings}
    unknown_vars = sorted(
        key
        for key in environ
        if key.startswith(ENV_PREFIX) and key[len(ENV_PREFIX) :].lower() not in names
    )
    if unknown_vars:
        known = ", ".join(s.env_var for s in settings)
        raise ConfigError(f"unknown setting {unknown_vars[0]}; known settings are: {known}")
    unknown_keys = sorted(key for key in overrides if key not in names)
    if unknown_keys:
        known = ", ".join(s.name for s in settings)
        raise ConfigError(f"unknown setting {unknown_keys[0]!r}; known settings are: {known}")


def _convert(each: Setting, raw: Any, origin: str) -> Any:
    try:
        return each.convert(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"setting {each.name} from {origin} has bad value {raw!r}: {exc}. Expected: {each.help}"
        ) from None
