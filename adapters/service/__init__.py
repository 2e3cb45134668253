"""The trait adapter as a service: JSON over HTTP, so tools in any language can use it.

Routes (every body is JSON; every error is ``{"error": {"code", "message"}}`` except the
webhook receiver's 401, which is :mod:`nuki_sim.adapters.nuki.receiver`'s own):

* ``GET /health`` – 200 once the adapter has loaded its locks and subscribed, 503 before;
* ``GET /devices`` (a list), ``GET /devices/{deviceId}`` – as :func:`~nuki_sim.adapters.codec.device_json`;
* ``POST /reset`` – forget all adapter state and start afresh (the conformance kit calls it
  before each scenario, after resetting its simulator);
* ``POST /refresh`` – read every lock and its codes from Nuki again; answers the device list
  (502 when Nuki Web refuses or does not answer);
* ``POST /devices/{deviceId}/actions`` ``{trait, action, parameters}`` – 202 with the PENDING
  action, or 200 with an action that already ended (REJECTED, FAILED);
* ``GET /actions/{actionId}`` – the action as it is now;
* ``GET /events?after=&limit=`` – a list of the events after seq ``after``, in order, each
  with its ``seq`` (1 for the first event the adapter ever emitted);
* ``POST /callbacks {url[, after]}``, ``GET /callbacks``, ``DELETE /callbacks[?url=]`` – push
  every event, in order, to a URL, from a background task with bounded retries;
* ``POST /nuki/webhook`` – Nuki's signed webhooks (see :mod:`nuki_sim.adapters.nuki.receiver`).

The modules: :mod:`.callbacks` (the callback hub), :mod:`.errors` (refusals as JSON),
:mod:`.routes` (the trait API over any :class:`~.routes.ServedAdapter`), :mod:`.app` (the
aiohttp app and its background tasks), :mod:`.urls` (which callback URLs are allowed) — none
of them knows Nuki — and :mod:`.serve`, which puts the reference Nuki adapter behind them:
:func:`start_adapter_service` wires a Nuki Web client, the adapter and the app together on
a real socket, and subscribes to Nuki's webhooks at ``<public URL>/nuki/webhook``.
"""

from __future__ import annotations

from nuki_sim.adapters.service.app import create_app
from nuki_sim.adapters.service.callbacks import Callback, CallbackHub, CallbackPolicy
from nuki_sim.adapters.service.routes import ServedAdapter
from nuki_sim.adapters.service.serve import (
    AdapterService,
    create_service_app,
    start_adapter_service,
)

__all__ = [
    "AdapterService",
    "Callback",
    "CallbackHub",
    "CallbackPolicy",
    "ServedAdapter",
    "create_app",
    "create_service_app",
    "start_adapter_service",
]
