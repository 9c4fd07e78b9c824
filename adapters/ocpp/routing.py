"""The action table: `@router.on(Action.X, RequestModel)` registers one handler per action."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from adapters.ocpp import v16
from adapters.ocpp.errors import NotImplementedAction, NotSupported

Handler = Callable[[Any, Any], Awaitable[BaseModel]]
H = TypeVar("H", bound=Handler)

KNOWN_ACTIONS = frozenset(a.value for a in v16.Action)


@dataclass(frozen=True)
class Route:
    action: str
    request_model: type[BaseModel]
    handler: Handler
    # Transaction messages are never refused for what a real charger gets wrong (T5, T8).
    lenient: bool


class Router:
    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}

    def on(
        self, action: v16.Action, request_model: type[BaseModel], *, lenient: bool = False
    ) -> Callable[[H], H]:
        def register(handler: H) -> H:
            if action.value in self._routes:
                msg = f"duplicate handler for {action.value}"
                raise ValueError(msg)
            self._routes[action.value] = Route(action.value, request_model, handler, lenient)
            return handler

        return register

    def route(self, action: str) -> Route:
        """The route for an action.

        Raises:
            NotImplementedAction: OCPP 1.6 has no such action.
            NotSupported: a 1.6 action we do not take from a charge point.
        """
        try:
            return self._routes[action]
        except KeyError:
            if action in KNOWN_ACTIONS:
                msg = f"{action} is not supported by this Central System"
                raise NotSupported(msg) from None
            msg = f"{action!r} is not an OCPP 1.6 action"
            raise NotImplementedAction(msg) from None

    def copy(self) -> Router:
        """A router with the same routes, to extend without touching this one."""
        twin = Router()
        twin._routes = dict(self._routes)
        return twin

    @property
    def actions(self) -> frozenset[str]:
        return frozenset(self._routes)
