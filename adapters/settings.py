"""Settings, read once: command-line flags win over `CSMS_<NAME>` environment variables, which
win over defaults. A bad value stops the process with one line naming the setting."""

from __future__ import annotations

from typing import Annotated, TypeVar, overload

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from adapters.eventstore import DEFAULT_DATABASE_URL, DatabaseUrlError, parse_database_url

Port = Annotated[int, Field(ge=0, le=65535)]


class SettingsError(ValueError):
    """One line saying which setting is wrong and why."""


class StoreSettings(BaseSettings):
    """What the registry commands need: only the database (a server's settings in the
    environment, right or wrong, are none of their business)."""

    model_config = SettingsConfigDict(env_prefix="CSMS_", extra="forbid", frozen=True)

    database_url: str = DEFAULT_DATABASE_URL

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        try:
            parse_database_url(value)
        except DatabaseUrlError as error:
            raise ValueError(str(error)) from None
        return value


class Settings(StoreSettings):
    ocpp_host: str = "0.0.0.0"
    ocpp_port: Port = 9000
    http_host: str = "0.0.0.0"
    http_port: Port = 8000
    heartbeat_interval: Annotated[int, Field(gt=0, le=86_400)] = 300
    call_timeout: Annotated[float, Field(gt=0, le=3600)] = 30.0
    accept_unknown_charge_points: bool = False


S = TypeVar("S", bound=StoreSettings)


@overload
def load_settings(**flags: object) -> Settings: ...
@overload
def load_settings(kind: type[S], **flags: object) -> S: ...
def load_settings(kind: type[StoreSettings] = Settings, **flags: object) -> StoreSettings:
    """Settings of `kind` from flags (None = not given) over the environment.

    Raises:
        SettingsError: naming the flag and its environment variable.
    """
    given = {name: value for name, value in flags.items() if value is not None}
    try:
        return kind(**given)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "settings"
        flag = "--" + name.replace("_", "-")
        variable = "CSMS_" + name.upper()
        value = first.get("input")
        message = first["msg"].removeprefix("Value error, ")
        msg = f"{flag} ({variable}) = {value!r}: {message}"
        raise SettingsError(msg) from None
