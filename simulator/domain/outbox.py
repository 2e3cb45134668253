"""The webhook outbox: subscriptions, what each still has to send, retries and delivery logs.

It answers the HTTP dispatcher's two questions ("what is due for this subscription now?",
"this attempt went so") and decides about retries on the simulator's clock: a failed attempt
keeps its item at the head of the outbox and puts a :class:`WebhookRetry` job on the agenda at
the item's new due time. When the job runs, the listeners (the dispatcher) are woken, so a
retry falls due by the one path every timed thing takes: clock, scheduler, job.
"""

from __future__ import annotations

import secrets
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from nuki_sim.simulator.domain import ids, webhooks
from nuki_sim.simulator.domain.errors import Conflict, Forbidden, NotFound
from nuki_sim.simulator.domain.inputs import Registration
from nuki_sim.simulator.domain.model import ApiToken
from nuki_sim.simulator.domain.parts import Context
from nuki_sim.simulator.domain.webhooks import Attempt, Pending, RetryPolicy, Subscription

MAX_SUBSCRIPTIONS_PER_ACCOUNT = 100
"""Nuki documents no limit; without one, every event is copied into each subscription's
outbox, so an unbounded count is unbounded memory and work per event (see docs/webhooks.md)."""
_MS = timedelta(milliseconds=1)
API_RESULT = "API_TRIGGERED"
"""The ``Pending.feature`` of an API-triggered webhook (its payload carries ``type`` instead)."""


@dataclass(frozen=True)
class WebhookRetry:
    """Wake the dispatcher: subscription ``subscription_id``'s failed head is due again."""

    subscription_id: int


class Outbox:
    """Subscriptions with their outboxes, the delivery logs, and the wake-up listeners."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.subscriptions: dict[int, Subscription] = {}
        self.logs: dict[int, deque[Attempt]] = {}
        self.next_id = 1
        self.event_seq = 0
        self.listeners: list[Callable[[], None]] = []  # the HTTP layer's wake-up calls

    @property
    def retry_policy(self) -> RetryPolicy:
        c = self.ctx.config
        return RetryPolicy(
            c.webhook_retry_first, 2.0, c.webhook_retry_ceiling, c.webhook_deactivate_after
        )

    def wake(self) -> None:
        for listener in self.listeners:
            listener()

    # --- subscriptions ------------------------------------------------------------------

    def subscribe(self, token: ApiToken, registration: Registration) -> Subscription:
        ctx = self.ctx
        url, features = webhooks.check_registration(
            registration, allow_private=ctx.config.webhook_allow_private, own_ports=ctx.own_ports
        )
        held = sum(1 for s in self.subscriptions.values() if s.account_id == token.account_id)
        if held >= MAX_SUBSCRIPTIONS_PER_ACCOUNT:
            raise Conflict(
                "Parameter conflicts: the account already has the maximum number of webhooks",
                hint=f"an account holds {MAX_SUBSCRIPTIONS_PER_ACCOUNT} decentral webhooks; "
                "delete one first (DELETE /api/decentralWebhook/{id})",
            )
        # A webhook secret: from the seed, or (off loopback) from :mod:`secrets`. The seeded
        # one is drawn either way, so every later id stays the same.
        drawn = f"{ctx.rng.getrandbits(160):040x}"
        sub = Subscription(
            id=self.next_id,
            account_id=token.account_id,
            api_key_id=token.api_key_id,
            url=url,
            features=features,
            secret=secrets.token_hex(20) if ctx.random_secrets else drawn,
            created=ctx.now(),
        )
        self.next_id += 1
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

    # --- events in ----------------------------------------------------------------------

    def wanted(self, account_id: int, feature: str) -> list[Subscription]:
        if not self.subscriptions:
            return []
        return [
            s for s in self.subscriptions.values()
            if s.account_id == account_id and feature in s.features
        ]  # fmt: skip

    def post(
        self, account_id: int, feature: str, smartlock_id: int | None, payload: dict[str, Any]
    ) -> None:
        """Serialize one event once and queue it for every subscription that wants it."""
        subs = self.wanted(account_id, feature)
        if not subs:
            return
        body = webhooks.encode({"feature": feature, **payload})
        self.event_seq += 1
        now = self.ctx.now()
        for sub in subs:
            sub.outbox.append(Pending(self.event_seq, feature, smartlock_id, body, now))
        self.wake()

    def post_result(
        self, account_id: int, smartlock_id: int | None, payload: dict[str, Any]
    ) -> None:
        """An API-triggered webhook (the outcome of an Advanced API request): it has no
        ``feature``, so every subscription of the account gets it, whatever its features."""
        subs = [s for s in self.subscriptions.values() if s.account_id == account_id]
        if not subs:
            return
        body = webhooks.encode(payload)
        self.event_seq += 1
        now = self.ctx.now()
        for sub in subs:
            sub.outbox.append(Pending(self.event_seq, API_RESULT, smartlock_id, body, now))
        self.wake()

    # --- the dispatcher's side ----------------------------------------------------------

    def due_delivery(self, sub_id: int) -> tuple[Subscription, Pending] | None:
        """The item subscription ``sub_id`` should send now, if any."""
        sub = self.subscriptions.get(sub_id)
        if sub is None:
            return None
        item = sub.head(self.ctx.now())
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
        ctx = self.ctx
        item = sub.outbox[0]
        ok = 200 <= status < 300
        now = ctx.now()
        attempt = Attempt(
            id=ids.object_id(ctx.rng, now),
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
            at=now,
        )
        self.logs.setdefault(sub.api_key_id, deque(maxlen=webhooks.LOG_KEEP)).append(attempt)
        if ok:
            webhooks.after_success(sub)
        else:
            webhooks.after_failure(sub, now, self.retry_policy)
            self._arm(sub)
        return attempt

    def key_counts(self, api_key_id: int) -> tuple[int, int, bool]:
        """Attempts that succeeded and that failed over the existing subscriptions of one API
        key, and whether one of them is deactivated (the advanced key's counters)."""
        subs = [s for s in self.subscriptions.values() if s.api_key_id == api_key_id]
        return (
            sum(s.sent_ok for s in subs),
            sum(s.sent_failed for s in subs),
            any(not s.active for s in subs),
        )

    def attempts(self, api_key_id: int | None = None) -> list[Attempt]:
        """Delivery attempts, newest first (one API key's, or everyone's)."""
        logs = (
            [a for log in self.logs.values() for a in log]
            if api_key_id is None
            else list(self.logs.get(api_key_id, ()))
        )
        # Each key's log is in the order the attempts were made, and many attempts share one
        # simulated instant: a stable sort by time alone keeps that order among ties (the id
        # would not: its bytes after the seconds are random); reversed, it is newest first.
        return sorted(logs, key=lambda a: a.at)[::-1]

    # --- retries on the agenda ----------------------------------------------------------

    def _arm(self, sub: Subscription) -> None:
        """Put the retry of ``sub``'s head on the agenda (none once it is deactivated)."""
        due = sub.outbox[0].due if sub.active and sub.outbox else None
        if due is not None:
            self.ctx.scheduler.schedule(_ceil_ms(due), WebhookRetry(sub.id))

    def run_retry(self, job: WebhookRetry, at: datetime) -> None:
        sub = self.subscriptions.get(job.subscription_id)
        if sub is not None and sub.head(self.ctx.now()) is not None:
            self.wake()

    def rearm(self, agenda: list[Any]) -> None:
        """After a restore: every retry that is waiting has its job on the agenda. Snapshots
        from before retries were jobs carry the due time only; they get their job here."""
        armed = {d[2].subscription_id for d in agenda if isinstance(d[2], WebhookRetry)}
        for sub in self.subscriptions.values():
            if sub.id not in armed:
                self._arm(sub)

    # --- state --------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        return {
            "subscriptions": self.subscriptions,
            "webhook_logs": self.logs,
            "webhook_counters": (self.next_id, self.event_seq),
        }

    def load(self, state: dict[str, Any]) -> None:
        # The same dict object for life: the notifier holds it to see at a glance whether
        # anybody listens at all.
        subscriptions = state["subscriptions"]
        if subscriptions is not self.subscriptions:
            self.subscriptions.clear()
            self.subscriptions.update(subscriptions)
        self.logs = state["webhook_logs"]
        self.next_id, self.event_seq = state["webhook_counters"]


def _ceil_ms(instant: datetime) -> datetime:
    """``instant`` rounded up to the millisecond: the world's instants have no finer grain,
    so a retry job runs at the first instant at which its item is due."""
    extra = instant.microsecond % 1000
    return instant if not extra else instant.replace(microsecond=instant.microsecond - extra) + _MS
