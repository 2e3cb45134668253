"""The implementation under test, seen through one small async JSON interface.

Two kinds of trait targets: a Python adapter built in-process by a factory
(``--adapter module:factory``), and any implementation that serves the JSON trait API over
HTTP (``--adapter-url``). Either way steps see the same JSON: devices, actions and events as
``nuki_sim.adapters.codec`` writes them.
"""

from __future__ import annotations

import importlib
import inspect
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any, Protocol

import aiohttp

from nuki_sim.adapters.clock import Clock
from nuki_sim.adapters.traits import ActionName, TraitAdapter, TraitName
from nuki_sim.conformance.control import call

ENTRY_POINT_GROUP = "nuki_conformance.adapters"
REFERENCE_FACTORY = "nuki_sim.adapters.nuki.factory:reference_adapter"


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
        from nuki_sim.adapters import codec  # the JSON shapes of the trait API

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
        try:
            await self.adapter.close()
        except Exception as exc:
            raise AdapterCloseError(f"the adapter's close() raised {_cause(exc)}") from exc


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

    async def reset(self) -> None:
        """The simulator was reset for a new scenario: the implementation starts afresh."""
        await self._post("/reset")

    async def refresh(self) -> None:
        """Reload what Nuki Web lists, keeping pending actions (a restart or a periodic poll)."""
        await self._post("/refresh")

    async def _post(self, path: str) -> None:
        answer = await call(self.session, "POST", self.url + path)
        if answer.status != 200:
            raise AssertionError(
                f"POST {path} on the adapter answered {answer.status}: {answer.body}"
            )

    async def close(self) -> None:
        return None


class FactoryError(Exception):
    """The adapter factory could not give an adapter: no scenario can run, so the run stops."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"the adapter factory failed: {problem}")


class AdapterCloseError(Exception):
    """The adapter's ``close()`` raised: reported as an error of the scenario it ended."""


ADAPTER_METHODS = ("devices", "device", "execute", "action", "events")
NO_CLOSE = (
    "it has no close(): the kit calls it after every scenario to stop the adapter's webhook "
    "receiver and subscription; add `async def close(self) -> None` (it may do nothing)"
)


def load_factory(spec: str | None) -> AdapterFactory:
    """``module:attribute``, an entry point name in ``nuki_conformance.adapters``, or the
    reference adapter when nothing is given. Raises :class:`FactoryError` naming the spec."""
    spec = spec or REFERENCE_FACTORY
    if ":" not in spec:
        for point in entry_points(group=ENTRY_POINT_GROUP):
            if point.name == spec:
                try:
                    factory: AdapterFactory = point.load()
                except Exception as exc:
                    raise FactoryError(
                        f"cannot load the entry point {spec!r} ({point.value}): {_cause(exc)}"
                    ) from exc
                return _callable(factory, spec)
        raise FactoryError(
            f"no adapter {spec!r}: give module:factory or the name of an entry point in "
            f"{ENTRY_POINT_GROUP!r}"
        )
    module_name, _, attribute = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        raise FactoryError(
            f"cannot import the module {module_name!r} of --adapter {spec}: {_cause(exc)}"
        ) from exc
    try:
        found: AdapterFactory = getattr(module, attribute)
    except AttributeError:
        raise FactoryError(
            f"the module {module_name!r} has no attribute {attribute!r} (--adapter {spec})"
        ) from None
    return _callable(found, spec)


async def build_adapter(spec: str | None, context: AdapterContext) -> ClosableAdapter:
    """Load and call the factory, then check that what it gave is an adapter with ``close()``.

    Anything that would make every scenario fail alike raises :class:`FactoryError`. A missing
    ``close()`` is refused too: without it every scenario would leak a receiver and sockets.
    """
    factory = load_factory(spec)
    shown = spec or REFERENCE_FACTORY
    try:
        made: Any = factory(context)
    except Exception as exc:
        raise FactoryError(f"{shown} raised {_cause(exc)}") from exc
    if not inspect.isawaitable(made):
        raise FactoryError(
            f"{shown} is not async: it returned {type(made).__name__}, not an awaitable; "
            "write `async def factory(context: AdapterContext) -> adapter`"
        )
    try:
        adapter = await made
    except Exception as exc:
        raise FactoryError(f"{shown} raised {_cause(exc)}") from exc
    missing = [m for m in ADAPTER_METHODS if not callable(getattr(adapter, m, None))]
    if missing:
        raise FactoryError(
            f"{shown} returned {type(adapter).__name__}, not a trait adapter: it lacks "
            f"{', '.join(missing)} (see nuki_sim.adapters.traits.TraitAdapter)"
        )
    if not callable(getattr(adapter, "close", None)):
        raise FactoryError(f"{shown} returned {type(adapter).__name__}, but {NO_CLOSE}")
    return adapter  # type: ignore[no-any-return]


def _callable(factory: Any, spec: str) -> AdapterFactory:
    if not callable(factory):
        raise FactoryError(f"{spec} is a {type(factory).__name__}, not a callable factory")
    return factory  # type: ignore[no-any-return]


def _cause(exc: BaseException) -> str:
    """``Type: message`` and where it was raised: the one line a user needs, not 60 tracebacks."""
    text = "".join(traceback.format_exception_only(exc)).strip()
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if f.filename != __file__
        and not f.filename.startswith("<frozen")
        and "importlib" not in f.filename
    ]
    if frames:
        last = frames[-1]
        text += f" (at {last.filename}:{last.lineno} in {last.name})"
    return text
