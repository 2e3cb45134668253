"""The control plane's verbs, in Python: the same calls ``/_sim/*`` makes, with the same shapes.

Typed inputs in (:mod:`nuki_sim.simulator.domain.inputs`, parsed by the HTTP layer), the
``Sim…`` shapes of :mod:`nuki_sim.simulator.domain.control_shapes` out, so an in-process
test and an out-of-process one read the same values.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from nuki_sim.simulator.domain import address_calls, address_wire, snapshot, webhooks, wire
from nuki_sim.simulator.domain.address_calls import Booking
from nuki_sim.simulator.domain.clock import VirtualClock, isoformat
from nuki_sim.simulator.domain.codes import SCOPES
from nuki_sim.simulator.domain.control_shapes import (
    SimAccount,
    SimClock,
    SimClockMoved,
    SimCommand,
    SimDelivery,
    SimDevice,
    SimDeviceReconnected,
    SimKeypadResult,
    SimReservation,
    SimSettings,
    SimSyncResult,
    SimToken,
    SimWebhook,
)
from nuki_sim.simulator.domain.errors import BadParameter, ClockError, NotFound
from nuki_sim.simulator.domain.inputs import (
    DeliveryQuery,
    NewAccount,
    NewLock,
    NewToken,
    printable_name,
)
from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.domain.scheduler import Due
from nuki_sim.simulator.domain.shapes import Smartlock
from nuki_sim.simulator.domain.world import World

MAX_ADVANCE = timedelta(days=3660)
ANY_ACCOUNT = NewAccount()


class SimControl:
    """Steer a world: accounts, locks, time, connectivity and other device events."""

    def __init__(self, world: World, genesis: dict[str, Any] | None = None) -> None:
        self.world = world
        self.genesis = genesis if genesis is not None else snapshot.snapshot(world)
        self._genesis: snapshot.Kept | None = None  # checked on the first reset, then kept

    # --- the world as a whole ---------------------------------------------------------

    def reset(self) -> SimClock:
        """Back to the world as it was at start (same seed, same demo, same clock)."""
        kept = self._genesis
        if kept is None or kept.data is not self.genesis:
            kept = self._genesis = snapshot.Kept(self.genesis)
        kept.restore(self.world)
        return self.clock()

    def snapshot(self) -> dict[str, Any]:
        return snapshot.snapshot(self.world)

    def restore(self, body: object) -> SimClock:
        """Replace the world with a snapshot (opaque data, checked by ``snapshot.restore``)."""
        snapshot.restore(self.world, body)
        return self.clock()

    # --- accounts and locks -----------------------------------------------------------

    def account(self, account_id: int) -> int:
        """``account_id``, if there is such an account (404 otherwise)."""
        if account_id not in self.world.accounts:
            raise NotFound(f"no account {account_id}")
        return account_id

    def create_account(self, new: NewAccount = ANY_ACCOUNT) -> SimAccount:
        self.world.catch_up()  # what fell due comes first, as on a virtual clock
        name = new.name or f"Account {self.world._next_account_id}"
        email = new.email or f"account{self.world._next_account_id}@example.com"
        account = self.world.add_account(email=email, name=name)
        token = self.world.add_token(account.account_id, SCOPES)
        return {"accountId": account.account_id, "token": token.token, "apiKeyId": token.api_key_id}

    def create_token(self, account_id: int, new: NewToken) -> SimToken:
        self.world.catch_up()
        self.account(account_id)
        token = self.world.add_token(account_id, new.scopes, name=new.name or "API token")
        return {"token": token.token, "apiKeyId": token.api_key_id, "scopes": sorted(token.scopes)}

    def create_smartlock(self, account_id: int, new: NewLock) -> Smartlock:
        self.world.catch_up()
        self.account(account_id)
        lock = self.world.add_lock(
            account_id,
            name=new.name or printable_name(f"Smart Lock {len(self.world.locks) + 1}"),
            keypad=new.keypad,
            online=new.online,
            battery=new.battery,
            timezone=new.timezone,
            sync_minute=new.sync_minute,
            model=new.model,
            keypad_model=new.keypad_model,
        )
        return wire.smartlock(lock)

    def settings(self) -> SimSettings:
        """The world's settings, the profile first (the dashboard shows it)."""
        config = self.world.config
        return {
            "profile": config.profile,
            "propagationSeconds": config.propagation_seconds,
            "settings": {  # as JSON: a set of names (the quirks) as a sorted list
                name: sorted(value) if isinstance(value, frozenset) else value
                for name, value in dataclasses.asdict(config).items()
            },
        }

    # --- time ---------------------------------------------------------------------------

    def clock(self) -> SimClock:
        """The simulated time; with a system clock, reading it also runs what fell due."""
        self.world.catch_up()
        due = self.world.scheduler.next_due()
        return {
            "now": isoformat(self.world.clock.now()),
            "kind": "virtual" if isinstance(self.world.clock, VirtualClock) else "system",
            "nextDue": isoformat(due) if due else None,
            "pending": len(self.world.scheduler),
        }

    def advance(self, seconds: float) -> SimClockMoved:
        if not seconds >= 0:  # NaN too
            raise BadParameter("seconds is a number of seconds, 0 or more")
        if seconds > MAX_ADVANCE.total_seconds():
            raise ClockError("advance at most ten years at a time")
        return self._ran(self.world.advance(timedelta(seconds=seconds)))

    def set_clock(self, target: datetime) -> SimClockMoved:
        if target - self.world.clock.now() > MAX_ADVANCE:
            raise ClockError("move at most ten years at a time")
        return self._ran(self.world.advance_to(target))

    def _ran(self, ran: list[Due]) -> SimClockMoved:
        kinds = Counter(type(d.job).__name__ for d in ran)
        return {**self.clock(), "ran": len(ran), "byKind": dict(sorted(kinds.items()))}

    # --- device events ------------------------------------------------------------------

    def lock(self, smartlock_id: int) -> Lock:
        lock = self.world.locks.get(smartlock_id)
        if lock is None:
            raise NotFound(f"no smartlock {smartlock_id}")
        self.world.catch_up()
        return lock

    def connectivity(self, lock: Lock, online: bool) -> SimDeviceReconnected:
        outcomes = self.world.set_online(lock, online)
        view = self.device(lock.smartlock_id)
        delivered = [
            {
                "operationId": o.command.operation_id,
                "command": type(o.command).__name__,
                "error": o.error,
            }
            for o in outcomes
        ]
        return {**view, "delivered": delivered}  # type: ignore[typeddict-item]

    def battery(self, lock: Lock, charge: float) -> SimDevice:
        if not 0 <= charge <= 100:  # NaN too: refused, never clamped into the world
            raise BadParameter("charge is a number from 0 to 100")
        self.world.set_battery(lock, charge)
        return self.device(lock.smartlock_id)

    def jam(self, lock: Lock, jammed: bool) -> SimDevice:
        self.world.set_jammed(lock, jammed)
        return self.device(lock.smartlock_id)

    def keypad(self, lock: Lock, code: int | str) -> SimKeypadResult:
        granted, reason = self.world.keypad_entry(lock, code)
        return {"granted": granted, "reason": reason}

    def sync(self, smartlock_id: int) -> SimSyncResult:
        lock = self.lock(smartlock_id)
        return {"synced": self.world.sync(lock), "lastSync": _iso(lock.cloud.last_sync)}

    def device(self, smartlock_id: int) -> SimDevice:
        """The device's truth beside what the cloud knows: state, auths, queue, next sync."""
        lock = self.lock(smartlock_id)
        device = lock.device
        return {
            "smartlockId": lock.smartlock_id,
            "online": device.online,
            "jammed": device.jammed,
            "keypadPaired": device.keypad_paired,
            "model": lock.model,
            "keypad": device.keypad_model if device.keypad_paired else None,
            "timezone": device.timezone,
            "batteryCharge": round(device.battery, 2),
            "state": wire.state(device.status),
            "auths": [wire.smartlock_auth(a) for a in device.auths.values()],
            "queue": [_command(c) for c in lock.cloud.queue],
            "lastSync": _iso(lock.cloud.last_sync),
            "nextAutoSync": _iso(lock.next_auto_sync),
            "syncTime": f"{lock.sync_minute // 60:02d}:{lock.sync_minute % 60:02d}",
        }

    # --- webhooks ---------------------------------------------------------------------

    def webhooks(self) -> list[SimWebhook]:
        """Every subscription with its delivery state (active, failures, outbox)."""
        now = self.world.now()
        views: list[SimWebhook] = []
        for sub in self.world.subscriptions.values():
            head = sub.outbox[0] if sub.outbox else None
            views.append(
                {
                    **wire.decentral_webhook(sub),
                    "accountId": sub.account_id,
                    "apiKeyId": sub.api_key_id,
                    "active": sub.active,
                    "consecutiveFailures": sub.failures,
                    "sentSuccessfully": sub.sent_ok,
                    "sentErroneous": sub.sent_failed,
                    "outbox": len(sub.outbox),
                    "nextAttempt": (
                        _iso(head.due or now) if head is not None and sub.active else None
                    ),
                }
            )
        return views

    def deliveries(self, query: DeliveryQuery) -> list[SimDelivery]:
        """Delivery attempts of every subscription, newest first (``webhookId``, ``limit``, ``id``)."""
        attempts = self.world.attempts()
        if query.webhook_id is not None:
            attempts = [a for a in attempts if a.subscription_id == query.webhook_id]
        cursor = query.cursor
        if cursor is not None:
            index = next((i for i, a in enumerate(attempts) if a.id == cursor), None)
            if index is None:
                raise BadParameter(f"no delivery {cursor}")
            attempts = attempts[index + 1 :]
        limit = query.limit or 300
        return [wire.sim_delivery(a) for a in attempts[:limit]]

    def reactivate_webhook(self, sub_id: int) -> SimWebhook:
        sub = self.world.subscriptions.get(sub_id)
        if sub is None:
            raise NotFound(f"no decentral webhook {sub_id}")
        webhooks.reactivate(sub)
        self.world.wake()
        return next(v for v in self.webhooks() if v["id"] == sub_id)

    # --- reservations (a booking platform's side of Nuki's rental model) -----------------

    def book_reservation(self, address_id: int, booking: Booking) -> SimReservation:
        """A platform books a guest at the address (404 no address, 400 a bad booking)."""
        self.world.catch_up()
        res = address_calls.book(self.world, address_id, booking)
        return address_wire.sim_reservation(self.world, res)

    def reservations(self, address_id: int) -> list[SimReservation]:
        self.world.catch_up()
        book = self.world.addresses
        if address_id not in book.addresses:
            raise NotFound(f"no address {address_id}")
        found = sorted(book.reservations_of(address_id), key=lambda r: (r.start_date, r.id))
        return [address_wire.sim_reservation(self.world, r) for r in found]

    def cancel_reservation(self, address_id: int, reservation_id: str) -> SimReservation:
        """The platform cancels the booking: its state becomes canceled (codes stay until
        revoked)."""
        self.world.catch_up()
        res = address_calls.cancel(self.world, address_id, reservation_id)
        return address_wire.sim_reservation(self.world, res)


def _command(command: object) -> SimCommand:
    fields: dict[str, Any] = {"command": type(command).__name__}
    fields["operationId"] = getattr(command, "operation_id", "")
    accepted = getattr(command, "accepted_at", None)
    fields["acceptedAt"] = isoformat(accepted) if accepted else ""
    target = getattr(command, "auth_id", None)
    auth = getattr(command, "auth", None)
    if auth is not None:
        fields["authorizationId"] = auth.id
        fields["name"] = auth.name
    elif isinstance(target, str):
        fields["authorizationId"] = target
    action = getattr(command, "action", None)
    if action is not None:
        fields["action"] = int(action)
    return fields  # type: ignore[return-value]


def _iso(value: Any) -> str | None:
    return isoformat(value) if value is not None else None
