"""Nuki Web's operations for advanced actions and asynchronous authorizations (requestId, API-triggered webhooks), shared keys (Swagger 4.18.0).

Joined into the API by :mod:`nuki_sim.simulator.http.openapi`: ``OPERATIONS`` go into the
Nuki area (a Nuki token, scopes checked by the table, path ids of ``params.NUKI_PATH``);
``AREAS`` are areas of their own (their own path ids or way of identifying the caller).
"""

from __future__ import annotations

from nuki_sim.simulator.http.operations import Area, Operation

TAGS: list[dict[str, str]] = []
OPERATIONS: list[Operation] = []
AREAS: list[Area] = []
COMPONENTS: tuple[type, ...] = ()
"""Named response shapes other schemas refer to (written open: Nuki may add fields)."""
