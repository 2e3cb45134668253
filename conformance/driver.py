"""The one object that owns the event loop: steps are synchronous, everything else is async.

pytest-bdd steps cannot be coroutines (pytest-bdd#223), so the driver keeps an
``asyncio.Runner`` and each step calls ``driver.run(...)``. The driver also owns the Nuki
Web target (an in-process simulator by default), its control plane, the implementation
under test and the time mode:

* ``virtual``: the simulator's virtual clock, moved with ``POST /_sim/clock/advance`` (works
  against an out-of-process simulator too); an in-process adapter's clock moves in step.
* ``freezegun``: an in-process simulator on the system clock under
  ``freeze_time(..., real_asyncio=True)``; ``tick()`` moves simulator and adapter together.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import aiohttp

from nuki_sim.adapters.clock import Clock, ManualClock, SystemClock
from nuki_sim.conformance.control import ControlClient, NukiApi
from nuki_sim.conformance.targets import (
    AdapterContext,
    HttpTarget,
    InProcessTarget,
    TraitTarget,
    build_adapter,
)

T = TypeVar("T")
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # a Monday morning in winter


@dataclass
class KitOptions:
    adapter: str | None = None  # module:factory or entry point name
    adapter_url: str | None = None
    nuki_url: str | None = None
    token: str | None = None
    control_token: str | None = None
    time_mode: str = "virtual"
    seed: int = 0
    profile: str = "seed"  # seed | nuki-docs: how the in-process simulator's cloud behaves


@dataclass
class Scenario:
    """What one scenario has done so far (names to ids, the last answer, the last action)."""

    locks: dict[str, int] = field(default_factory=dict)
    action: dict[str, Any] | None = None
    actions: list[dict[str, Any]] = field(default_factory=list)
    answer: Any = None
    answers: list[Any] = field(default_factory=list)
    journal_mark: int = 0
    webhook: dict[str, Any] | None = None
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


class Driver:
    def __init__(self, options: KitOptions) -> None:
        self.options = options
        self.runner = asyncio.Runner()
        self.session: aiohttp.ClientSession | None = None
        self.sim: Any = None  # RunningSimulator when in-process
        self.nuki_url = options.nuki_url or ""
        self.token = options.token or ""
        self.account_id = 0
        self.control: ControlClient | None = None
        self.has_control = False
        self.target: TraitTarget | None = None
        self.adapter_clock: Clock = SystemClock()
        self.freezer: Any = None
        self.frozen: Any = None
        self.scenario = Scenario()
        self.receiver: Any = None
        self.profile = options.profile
        # nuki-docs: from an API write to the cloud listing it (the device's push delay, then
        # the propagation delay), as the simulator's GET /_sim/config says; else its defaults
        self.listing_delay = 3.0 + 30.0

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.runner.run(coroutine)

    # --- the session ------------------------------------------------------------------

    def open(self) -> None:
        self.run(self._open())

    async def _open(self) -> None:
        self.session = aiohttp.ClientSession()
        if self.options.nuki_url is None:
            from nuki_sim.simulator.domain.clock import SystemClock as SimSystemClock
            from nuki_sim.simulator.domain.clock import VirtualClock
            from nuki_sim.simulator.domain.config import SimConfig
            from nuki_sim.simulator.http.server import start_simulator

            if self.options.time_mode == "freezegun":
                self._freeze()
                clock: Any = SimSystemClock()
            else:
                clock = VirtualClock(START)
            config = SimConfig(profile=self.options.profile)  # type: ignore[arg-type]
            self.sim = await start_simulator(
                seed=self.options.seed, clock=clock, locks=2, config=config
            )
            self._unfreeze()
            self.nuki_url, self.token = self.sim.url, self.sim.token
        elif self.options.time_mode == "freezegun":
            raise ValueError("freezegun mode needs the in-process simulator (drop --nuki-url)")
        self.control = ControlClient(self.session, self.nuki_url, self.options.control_token)
        self.has_control = await self.control.available()
        if self.has_control:
            try:
                settings = await self.control.settings()
            except RuntimeError:
                settings = {}  # a simulator from before profiles: the seed's behaviour
            self.profile = str(settings.get("profile", self.profile))
            push = (settings.get("settings") or {}).get("push_delay", 3.0)
            self.listing_delay = float(push) + float(settings.get("propagationSeconds", 30.0))
        answer = await self.api.request("GET", "/account")
        if isinstance(answer.body, dict):
            self.account_id = int(answer.body.get("accountId", 0))

    def close(self) -> None:
        try:
            self.run(self._close())
        finally:
            self._unfreeze()
            self.runner.close()

    async def _close(self) -> None:
        await self._close_target()
        if self.sim is not None:
            await self.sim.close()
        if self.session is not None:
            await self.session.close()

    @property
    def api(self) -> NukiApi:
        assert self.session is not None
        return NukiApi(self.session, self.nuki_url, self.token)

    # --- one scenario -------------------------------------------------------------------

    def begin(self) -> None:
        self.scenario = Scenario()
        if self.options.time_mode == "freezegun":
            self._freeze()
        if self.has_control:
            assert self.control is not None
            self.run(self.control.reset())

    def end(self) -> None:
        try:
            self.run(self._end())
        finally:
            self._unfreeze()

    async def _end(self) -> None:
        try:
            await self._close_target()
        finally:
            if self.receiver is not None:
                await self.receiver.cleanup()
                self.receiver = None

    async def _close_target(self) -> None:
        if self.target is not None:
            target, self.target = self.target, None
            await target.close()

    def trait_target(self) -> TraitTarget:
        """The implementation under test, started on first use (after the Given steps)."""
        if self.target is None:
            self.target = self.run(self._start_target())
        return self.target

    async def _start_target(self) -> TraitTarget:
        assert self.session is not None
        if self.options.adapter_url:
            target = HttpTarget(self.session, self.options.adapter_url)
            await target.reset()
            return target
        if self.options.time_mode == "virtual":
            now = (await self.control.clock())["now"] if self.has_control and self.control else None
            self.adapter_clock = ManualClock(_parse(now) if now else START)
        else:
            self.adapter_clock = SystemClock()
        context = AdapterContext(
            self.nuki_url, self.token, self.session, self.adapter_clock, self.options.seed
        )
        return InProcessTarget(await build_adapter(self.options.adapter, context))

    # --- a webhook receiver for the API-level suite --------------------------------------

    def start_receiver(self) -> str:
        """A real receiver on 127.0.0.1 that records every POST into the scenario."""
        self.receiver, url = self.run(self._start_receiver())
        return url

    async def _start_receiver(self) -> tuple[Any, str]:
        from aiohttp import web

        scenario = self.scenario

        async def receive(request: web.Request) -> web.Response:
            scenario.received.append((dict(request.headers), await request.read()))
            return web.Response(status=200)

        app = web.Application()
        app.router.add_post("/hook", receive)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        return runner, f"http://127.0.0.1:{port}/hook"

    # --- time ---------------------------------------------------------------------------

    def pass_time(self, delta: timedelta) -> None:
        self.run(self._pass_time(delta))

    async def _pass_time(self, delta: timedelta) -> None:
        assert self.control is not None
        if self.options.time_mode == "freezegun":
            self.frozen.tick(delta)
            await self.control.clock()  # the simulator catches up with the moved wall clock
        else:
            # Move in steps of at most an hour, so webhook retries and the adapter see time
            # pass the way it would (deliveries happen between the steps).
            left = delta
            while left > timedelta(0):
                step = min(left, timedelta(hours=1))
                await self.control.advance(step.total_seconds())
                if isinstance(self.adapter_clock, ManualClock):
                    self.adapter_clock.shift(step)
                await self.control.flush_webhooks()
                left -= step
        await self.control.flush_webhooks()
        await asyncio.sleep(0)

    def _freeze(self) -> None:
        from freezegun import freeze_time

        self._unfreeze()
        self.freezer = freeze_time(START, real_asyncio=True)
        self.frozen = self.freezer.start()

    def _unfreeze(self) -> None:
        if self.freezer is not None:
            self.freezer.stop()
            self.freezer = self.frozen = None

    def pass_time_until(self, instant: datetime) -> None:
        """Move time forward to ``instant`` (UTC) in one jump, then deliver the webhooks.

        Schedules are checked on the lock at exact instants (a window's first minute, local
        midnight, the morning after a DST change), sometimes months ahead: one jump costs
        what its due events cost. Webhooks that fell due on the way reach the implementation
        when the clock arrives, as under freezegun's ``tick``. Time never moves back.
        """
        self.run(self._pass_time_until(instant))

    async def _pass_time_until(self, instant: datetime) -> None:
        assert self.control is not None
        now = _parse((await self.control.clock())["now"])
        delta = instant - now
        if delta < timedelta(0):
            raise AssertionError(f"time only moves forward: it is {now}, {instant} is past")
        if self.options.time_mode == "freezegun":
            self.frozen.move_to(instant)
            await self.control.clock()  # the simulator catches up with the moved wall clock
        else:
            await self.control.advance(delta.total_seconds())
            if isinstance(self.adapter_clock, ManualClock):
                self.adapter_clock.shift(delta)
        await self.control.flush_webhooks()
        await asyncio.sleep(0)


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
