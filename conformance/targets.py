"""The implementation under test, seen through one small async JSON interface.

Two kinds of trait targets: a Python adapter built in-process by a factory
(``--adapter module:factory``), and any implementation that serves the JSON trait API over
HTTP (``--adapter-url``). Either way steps see the same JSON: devices, actions and events as
``adapters.codec`` writes them.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any, Protocol

import aiohttp

from adapters.clock import Clock
from adapters.traits import ActionName, TraitAdapter, TraitName
from conformance.control import call

ENTRY_POINT_GROUP = "nuki_conformance.adapters"
REFERENCE_FACTORY = "adapters.nuki.factory:reference_adapter"


@dataclass
class AdapterContext:
    """What a factory gets to build its adapter: where Nuki Web is and whose token to use."""

    nuki_url: str
    token: str
    session: aiohttp.ClientSession
    clock: Clock
    seed: int = 0


class ClosableAdapter(TraitAdapter, Protocol):
    async def close(self) -> None: ...


AdapterFactory = Callable[[AdapterContext], Awaitable[ClosableAdapter]]


class TraitTarget(Protocol):
    async def devices(self) -> list[dict[str, Any]]: ...

    async def execute(
        self, device_id: str, trait: str, action: str, parameters: dict[str, Any]
    ) -> dict[str, Any]: ...

    async def action(self, action_id: str) -> dict[str, Any]: ...

    async def events(self) -> list[dict[str, Any]]: ...

    async def refresh(self) -> None: ...

    async def close(self) -> None: ...


class InProcessTarget:
    def __init__(self, adapter: ClosableAdapter) -> None:
        from adapters import codec  # the JSON shapes of the trait API

        self.adapter = adapter
        self.codec = codec

    async def devices(self) -> list[dict[str, Any]]:
        return [self.codec.device_json(d) for d in await self.adapter.devices()]

    async def execute(
        self, device_id: str, trait: str, action: str, parameters: dict[str, Any]
    ) -> dict[str, Any]:
        try:
            trait_name, action_name = TraitName(trait), ActionName(action)
        except ValueError as exc:
            raise AssertionError(f"the kit asked for an unknown trait/action: {exc}") from None
        done = await self.adapter.execute(device_id, trait_name, action_name, parameters)
        return self.codec.action_json(done)

    async def action(self, action_id: str) -> dict[str, Any]:
        return self.codec.action_json(await self.adapter.action(action_id))

    async def events(self) -> list[dict[str, Any]]:
        return [self.codec.event_json(i + 1, e) for i, e in enumerate(self.adapter.events())]

    async def refresh(self) -> None:
        refresh = getattr(self.adapter, "refresh", None)
        if refresh is not None:
            await refresh()

    async def close(self) -> None:
        await self.adapter.close()


class HttpTarget:
    """An implementation that serves the JSON trait API (``nuki-sim adapter serve`` does)."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self.session = session
        self.url = url.rstrip("/")

    async def _get(self, path: str) -> Any:
        answer = await call(self.session, "GET", self.url + path)
        if answer.status != 200:
            raise AssertionError(
                f"GET {path} on the adapter answered {answer.status}: {answer.body}"
            )
        return answer.body

    async def devices(self) -> list[dict[str, Any]]:
        return list(await self._get("/devices"))

    async def execute(
        self, device_id: str, trait: str, action: str, parameters: dict[str, Any]
    ) -> dict[str, Any]:
        body = {"trait": trait, "action": action, "parameters": parameters}
        answer = await call(
            self.session, "POST", f"{self.url}/devices/{device_id}/actions", body=body
        )
        if answer.status not in (200, 202):
            raise AssertionError(
                f"the adapter refused the action request: {answer.status} {answer.body}"
            )
        return dict(answer.body)

    async def action(self, action_id: str) -> dict[str, Any]:
        return dict(await self._get(f"/actions/{action_id}"))

    async def events(self) -> list[dict[str, Any]]:
        return list(await self._get("/events"))

    async def refresh(self) -> None:
        """The simulator was reset for a new scenario: the implementation starts afresh."""
        answer = await call(self.session, "POST", self.url + "/reset")
        if answer.status != 200:
            raise AssertionError(
                f"POST /reset on the adapter answered {answer.status}: {answer.body}"
            )

    async def close(self) -> None:
        return None


def load_factory(spec: str | None) -> AdapterFactory:
    """``module:attribute``, an entry point name in ``nuki_conformance.adapters``, or the
    reference adapter when nothing is given."""
    spec = spec or REFERENCE_FACTORY
    if ":" not in spec:
        for point in entry_points(group=ENTRY_POINT_GROUP):
            if point.name == spec:
                factory: AdapterFactory = point.load()
                return factory
        raise LookupError(f"no adapter {spec!r}: give module:factory or an entry point name")
    module_name, _, attribute = spec.partition(":")
    module = importlib.import_module(module_name)
    found: AdapterFactory = getattr(module, attribute)
    return found
