"""Which model reads which payload: request/response model per action, and `load`."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeVar

from . import (
    core,
    core_commands,
    firmware,
    local_list,
    remote_trigger,
    reservation,
    security,
    smart_charging,
)
from .actions import Action
from .common import WireModel

__all__ = ["REQUEST_MODELS", "RESPONSE_MODELS", "load"]

M = TypeVar("M", bound=WireModel)

_MODULES = (
    core,
    core_commands,
    firmware,
    local_list,
    reservation,
    smart_charging,
    remote_trigger,
    security,
)


def _models(suffix: str) -> Mapping[Action, type[WireModel]]:
    found: dict[Action, type[WireModel]] = {}
    for module in _MODULES:
        for action in Action:
            model = getattr(module, f"{action.value}{suffix}", None)
            if model is not None:
                found[action] = model
    missing = set(Action) - found.keys()
    if missing:  # a programming error: every action has both models
        msg = f"no {suffix} model for {sorted(missing)}"
        raise RuntimeError(msg)
    return MappingProxyType(dict(sorted(found.items())))


REQUEST_MODELS: Mapping[Action, type[WireModel]] = _models("Request")
"""`<Action>Request` for every action (the payload of the CALL)."""

RESPONSE_MODELS: Mapping[Action, type[WireModel]] = _models("Response")
"""`<Action>Response` for every action (the payload of the CALLRESULT)."""


def load(model_type: type[M], payload: object) -> M:
    """Validate a wire payload strictly, accepting only the OCPP (camelCase) property names.

    Args:
        model_type: the request or response model for the action.
        payload: the decoded JSON payload (normally a dict).

    Returns:
        The validated, frozen model.

    Raises:
        pydantic.ValidationError: map it with `errors.error_code_for` / `errors.describe`.
    """
    return model_type.model_validate(payload, by_alias=True, by_name=False)
