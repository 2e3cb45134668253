"""What the world tells webhook subscribers, and the bookkeeping of telling them.

A mixin of :class:`~nuki_sim.simulator.domain.world.World`: it owns the subscriptions, their outboxes
and the delivery logs, turns world changes into Nuki's payloads (fact sheet §6.4), and
answers the HTTP dispatcher's two questions: "what is due for this subscription now?" and
"this attempt went so". Nothing is emitted for an account without a subscription that wants
the feature, so a world nobody listens to pays nothing.
"""

from __future__ import annotations

import random
import secrets
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Any

from nuki_sim.simulator.domain import ids, webhooks, wire
from nuki_sim.simulator.domain.clock import Clock
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.errors import Conflict, Forbidden, NotFound
from nuki_sim.simulator.domain.model import ApiToken, Auth, Lock, LogEntry
from nuki_sim.simulator.domain.webhooks import Attempt, Pending, RetryPolicy, Subscription

MAX_SUBSCRIPTIONS_PER_ACCOUNT = 100
"""Nuki documents no limit; without one, every event is copied into each subscription's
outbox, so an unbounded count is unbounded memory and work per event (see docs/webhooks.md)."""


class Notifications:
    """Subscriptions, outboxes and delivery logs (mixed into World)."""

    clock: Clock
    config: SimConfig
    rng: random.Random
    locks: dict[int, Lock]
    now: Callable[[], datetime]

    def _init_notifications(self) -> None:
        self.subscriptions: dict[int, Subscription] = {}
        self.webhook_logs: dict[int, deque[Attempt]] = {}
        self._next_webhook_id = 1
        self._event_seq = 0
        self.listeners: list[Callable[[], None]] = []  # the HTTP dispatcher's wake-up calls
        self.own_ports: set[int] = set()  # where the HTTP layer listens: no webhooks there
        # Off loopback, secrets must not follow from the seed (docs/security.md).
        self.random_secrets = False

    @property
    def retry_policy(self) -> RetryPolicy:
        c = self.config
        return RetryPolicy(
            c.webhook_retry_first, 2.0, c.webhook_retry_ceiling, c.webhook_deactivate_after
        )

    # --- subscriptions ------------------------------------------------------------------

    def subscribe(self, token: ApiToken, raw: object) -> Subscription:
        url, features = webhooks.check_registration(
            raw, allow_private=self.config.webhook_allow_private, own_ports=self.own_ports
        )
        held = sum(1 for s in self.subscriptions.values() if s.account_id == token.account_id)
        if held >= MAX_SUBSCRIPTIONS_PER_ACCOUNT:
            raise Conflict(
                "Parameter conflicts: the account already has the maximum number of webhooks",
                hint=f"an account holds {MAX_SUBSCRIPTIONS_PER_ACCOUNT} decentral webhooks; "
                "delete one first (DELETE /api/decentralWebhook/{id})",
            )
        sub = Subscription(
            id=self._next_webhook_id,
            account_id=token.account_id,
            api_key_id=token.api_key_id,
            url=url,
            features=features,
            secret=_secret(self.rng, random_too=self.random_secrets),
            created=self.now(),
        )
        self._next_webhook_id += 1
        self.subscriptions[sub.id] = sub
        return sub

    def subscription(self, account_id: int, sub_id: int) -> Subscription:
        sub = self.subscriptions.get(sub_id)
        if sub is None:
            raise NotFound(f"no decentral webhook {sub_id}")
        if sub.account_id != account_id:
            raise Forbidden("Forbidden", hint="the webhook belongs to another account")
        return sub

    def unsubscribe(self, account_id: int, sub_id: int) -> None:
        del self.subscriptions[self.subscription(account_id, sub_id).id]

    def reactivate_key(self, account_id: int, api_key_id: int) -> list[Subscription]:
        subs = [s for s in self.subscriptions.values() if s.api_key_id == api_key_id]
        if any(s.account_id != account_id for s in subs):
            raise Forbidden("Forbidden", hint="the API key belongs to another account")
        for sub in subs:
            webhooks.reactivate(sub)
        self.wake()
        return subs

    # --- emitting -----------------------------------------------------------------------

    def _wanted(self, account_id: int, feature: str) -> list[Subscription]:
        if not self.subscriptions:
            return []
        return [
            s for s in self.subscriptions.values()
            if s.account_id == account_id and feature in s.features
        ]  # fmt: skip

    def emit(
        self, account_id: int, feature: str, smartlock_id: int | None, payload: dict[str, Any]
    ) -> None:
        subs = self._wanted(account_id, feature)
        if not subs:
            return
        body = webhooks.encode({"feature": feature, **payload})
        self._event_seq += 1
        for sub in subs:
            sub.outbox.append(Pending(self._event_seq, feature, smartlock_id, body, self.now()))
        self.wake()

    def wake(self) -> None:
        for listener in self.listeners:
            listener()

    def notify_status(self, lock: Lock) -> None:
        if self._wanted(lock.account_id, "DEVICE_STATUS"):
            self.emit(lock.account_id, "DEVICE_STATUS", lock.smartlock_id, wire.device_status(lock))

    def notify_log(self, lock: Lock, entry: LogEntry) -> None:
        if self._wanted(lock.account_id, "DEVICE_LOGS"):
            payload = {"smartlockLog": wire.smartlock_log(entry)}
            self.emit(lock.account_id, "DEVICE_LOGS", lock.smartlock_id, payload)

    def notify_masterdata(self, lock: Lock, *, deleted: bool = False) -> None:
        if self._wanted(lock.account_id, "DEVICE_MASTERDATA"):
            payload = wire.masterdata(lock, deleted=deleted)
            self.emit(lock.account_id, "DEVICE_MASTERDATA", lock.smartlock_id, payload)

    def notify_config(self, lock: Lock) -> None:
        if self._wanted(lock.account_id, "DEVICE_CONFIG"):
            self.emit(lock.account_id, "DEVICE_CONFIG", lock.smartlock_id, wire.device_config(lock))

    def notify_auth_changes(
        self, lock: Lock, before: dict[str, Auth], errors_before: dict[str, str]
    ) -> None:
        """DEVICE_AUTHS for every authorization whose cloud copy changed (or vanished)."""
        if not self._wanted(lock.account_id, "DEVICE_AUTHS"):
            return
        cloud = lock.cloud
        for auth_id, auth in cloud.auths.items():
            error = cloud.errors.get(auth_id)
            if before.get(auth_id) != auth or errors_before.get(auth_id) != error:
                body = wire.smartlock_auth(auth, error=error)
                payload = {"deleted": False, "smartlockAuth": body}
                self.emit(lock.account_id, "DEVICE_AUTHS", lock.smartlock_id, payload)
        for auth_id, auth in before.items():
            if auth_id not in cloud.auths:
                payload = {"deleted": True, "smartlockAuth": wire.smartlock_auth(auth)}
                self.emit(lock.account_id, "DEVICE_AUTHS", lock.smartlock_id, payload)

    # --- the dispatcher's side ----------------------------------------------------------

    def due_delivery(self, sub_id: int) -> tuple[Subscription, Pending] | None:
        """The item subscription ``sub_id`` should send now, if any."""
        sub = self.subscriptions.get(sub_id)
        if sub is None:
            return None
        item = sub.head(self.now())
        return (sub, item) if item is not None else None

    def record_attempt(
        self,
        sub_id: int,
        seq: int,
        *,
        status: int,
        duration_ms: int,
        error: str = "",
        response_body: str = "",
    ) -> Attempt | None:
        """Note how one POST went: a 2xx takes the item out of the outbox, anything else
        schedules a retry on the simulator's clock (and may deactivate the subscription)."""
        sub = self.subscriptions.get(sub_id)
        if sub is None or not sub.outbox or sub.outbox[0].seq != seq:
            return None  # unsubscribed or restored meanwhile: the outcome no longer applies
        item = sub.outbox[0]
        ok = 200 <= status < 300
        attempt = Attempt(
            id=ids.object_id(self.rng, self.now()),
            subscription_id=sub.id,
            account_id=sub.account_id,
            api_key_id=sub.api_key_id,
            seq=item.seq,
            url=sub.url,
            body=item.body,
            succeeded=ok,
            status=status,
            duration_ms=duration_ms,
            error=error,
            response_body=response_body[:1000],
            at=self.now(),
        )
        self.webhook_logs.setdefault(sub.api_key_id, deque(maxlen=webhooks.LOG_KEEP)).append(
            attempt
        )
        if ok:
            webhooks.after_success(sub)
        else:
            webhooks.after_failure(sub, self.now(), self.retry_policy)
        return attempt

    def attempts(self, api_key_id: int | None = None) -> list[Attempt]:
        """Delivery attempts, newest first (one API key's, or everyone's)."""
        logs = (
            [a for log in self.webhook_logs.values() for a in log]
            if api_key_id is None
            else list(self.webhook_logs.get(api_key_id, ()))
        )
        # Each key's log is in the order the attempts were made, and many attempts share one
        # simulated instant: a stable sort by time alone keeps that order among ties (the id
        # would not: its bytes after the seconds are random); reversed, it is newest first.
        return sorted(logs, key=lambda a: a.at)[::-1]

    def notifications_state(self) -> dict[str, Any]:
        return {
            "subscriptions": self.subscriptions,
            "webhook_logs": self.webhook_logs,
            "webhook_counters": (self._next_webhook_id, self._event_seq),
        }

    def load_notifications(self, state: dict[str, Any]) -> None:
        self.subscriptions = state["subscriptions"]
        self.webhook_logs = state["webhook_logs"]
        self._next_webhook_id, self._event_seq = state["webhook_counters"]
        self.wake()


def _secret(rng: random.Random, *, random_too: bool) -> str:
    """A webhook secret: from the seed, or (off loopback) from :mod:`secrets`. The seeded one
    is drawn either way, so every later id stays the same."""
    drawn = f"{rng.getrandbits(160):040x}"
    return secrets.token_hex(20) if random_too else drawn
