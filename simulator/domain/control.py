"""The control plane's verbs, in Python: the same calls ``/_sim/*`` makes, with the same shapes.

Bodies in, JSON-ready dicts out, so an in-process test and an out-of-process one read the
same values. Bad input is refused with the same Nuki-shaped 400 as the API's.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfoNotFoundError

from nuki_sim.simulator.domain import inputs, snapshot, webhooks, wire
from nuki_sim.simulator.domain.clock import VirtualClock, isoformat, parse_instant
from nuki_sim.simulator.domain.codes import SCOPES
from nuki_sim.simulator.domain.errors import BadParameter, ClockError, NotFound
from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.domain.schedule import zone
from nuki_sim.simulator.domain.scheduler import Due
from nuki_sim.simulator.domain.shapes import Smartlock, WebhookLog
from nuki_sim.simulator.domain.world import World

MAX_ADVANCE = timedelta(days=3660)


class SimControl:
    """Steer a world: accounts, locks, time, connectivity and other device events."""

    def __init__(self, world: World, genesis: dict[str, Any] | None = None) -> None:
        self.world = world
        self.genesis = genesis if genesis is not None else snapshot.snapshot(world)

    # --- the world as a whole ---------------------------------------------------------

    def reset(self) -> dict[str, Any]:
        """Back to the world as it was at start (same seed, same demo, same clock)."""
        snapshot.restore(self.world, self.genesis)
        return self.clock()

    def snapshot(self) -> dict[str, Any]:
        return snapshot.snapshot(self.world)

    def restore(self, body: object) -> dict[str, Any]:
        snapshot.restore(self.world, body)
        return self.clock()

    # --- accounts and locks -----------------------------------------------------------

    def create_account(self, body: object = None) -> dict[str, Any]:
        self.world.catch_up()  # what fell due comes first, as on a virtual clock
        data = inputs.obj(body or {})
        name = _text(data, "name") or f"Account {self.world._next_account_id}"
        email = _text(data, "email") or f"account{self.world._next_account_id}@example.com"
        account = self.world.add_account(email=email, name=name)
        token = self.world.add_token(account.account_id, SCOPES)
        return {"accountId": account.account_id, "token": token.token, "apiKeyId": token.api_key_id}

    def create_token(self, account_id: int, body: object = None) -> dict[str, Any]:
        self.world.catch_up()
        data = inputs.obj(body or {})
        scopes = data.get("scopes", sorted(SCOPES))
        if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
            raise BadParameter("scopes must be a list of scope names")
        unknown = sorted(set(scopes) - SCOPES)
        if unknown:
            raise BadParameter(
                f"unknown scopes: {', '.join(unknown)}", hint=f"known: {', '.join(sorted(SCOPES))}"
            )
        if account_id not in self.world.accounts:
            raise NotFound(f"no account {account_id}")
        token = self.world.add_token(
            account_id, frozenset(scopes), name=_text(data, "name") or "API token"
        )
        return {"token": token.token, "apiKeyId": token.api_key_id, "scopes": sorted(token.scopes)}

    def create_smartlock(self, body: object) -> Smartlock:
        self.world.catch_up()
        data = inputs.obj(body)
        account_id = data.get("accountId")
        if isinstance(account_id, bool) or not isinstance(account_id, int):
            raise BadParameter("accountId (an integer) is required")
        if account_id not in self.world.accounts:
            raise NotFound(f"no account {account_id}")
        timezone = _text(data, "timezone") or "Europe/Berlin"
        try:
            zone(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise BadParameter(f"unknown IANA time zone {timezone!r}") from None
        charge = data.get("batteryCharge", 100)
        if isinstance(charge, bool) or not isinstance(charge, int) or not 0 <= charge <= 100:
            raise BadParameter("batteryCharge is an integer from 0 to 100")
        lock = self.world.add_lock(
            account_id,
            name=inputs.printable_name(
                _text(data, "name") or f"Smart Lock {len(self.world.locks) + 1}"
            ),
            keypad=_flag(data, "keypad", True),
            online=_flag(data, "online", True),
            battery=charge,
            timezone=timezone,
            sync_minute=_sync_minute(data.get("syncTime")),
        )
        return wire.smartlock(lock)

    # --- time ---------------------------------------------------------------------------

    def clock(self) -> dict[str, Any]:
        """The simulated time; with a system clock, reading it also runs what fell due."""
        self.world.catch_up()
        due = self.world.scheduler.next_due()
        return {
            "now": isoformat(self.world.clock.now()),
            "kind": "virtual" if isinstance(self.world.clock, VirtualClock) else "system",
            "nextDue": isoformat(due) if due else None,
            "pending": len(self.world.scheduler),
        }

    def advance(self, body: object) -> dict[str, Any]:
        data = inputs.obj(body)
        seconds = data.get("seconds")
        # ``not seconds >= 0`` also refuses NaN; the bound is checked before timedelta(), which
        # overflows (a 500) on huge numbers such as 1e308 or Infinity.
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not seconds >= 0:
            raise BadParameter("seconds is a number of seconds, 0 or more")
        if seconds > MAX_ADVANCE.total_seconds():
            raise ClockError("advance at most ten years at a time")
        return self._ran(self.world.advance(timedelta(seconds=seconds)))

    def set_clock(self, body: object) -> dict[str, Any]:
        data = inputs.obj(body)
        text = _text(data, "now")
        if text is None:
            raise BadParameter("now (an ISO-8601 instant) is required")
        try:
            target = parse_instant(text)
        except ValueError:
            raise BadParameter(f"not an ISO-8601 instant: {text!r}") from None
        if target - self.world.clock.now() > MAX_ADVANCE:
            raise ClockError("move at most ten years at a time")
        return self._ran(self.world.advance_to(target))

    def _ran(self, ran: list[Due]) -> dict[str, Any]:
        kinds = Counter(type(d.job).__name__ for d in ran)
        return {**self.clock(), "ran": len(ran), "byKind": dict(sorted(kinds.items()))}

    # --- device events ------------------------------------------------------------------

    def lock(self, smartlock_id: int) -> Lock:
        lock = self.world.locks.get(smartlock_id)
        if lock is None:
            raise NotFound(f"no smartlock {smartlock_id}")
        self.world.catch_up()
        return lock

    def connectivity(self, smartlock_id: int, body: object) -> dict[str, Any]:
        lock = self.lock(smartlock_id)
        outcomes = self.world.set_online(lock, _required_flag(inputs.obj(body), "online"))
        view = self.device(smartlock_id)
        view["delivered"] = [
            {
                "operationId": o.command.operation_id,
                "command": type(o.command).__name__,
                "error": o.error,
            }
            for o in outcomes
        ]
        return view

    def battery(self, smartlock_id: int, body: object) -> dict[str, Any]:
        lock = self.lock(smartlock_id)
        charge = inputs.obj(body).get("charge")
        if (
            isinstance(charge, bool)
            or not isinstance(charge, int | float)
            or not 0 <= charge <= 100
        ):
            raise BadParameter("charge is a number from 0 to 100")
        self.world.set_battery(lock, float(charge))
        return self.device(smartlock_id)

    def jam(self, smartlock_id: int, body: object) -> dict[str, Any]:
        lock = self.lock(smartlock_id)
        self.world.set_jammed(lock, _required_flag(inputs.obj(body), "jammed"))
        return self.device(smartlock_id)

    def keypad(self, smartlock_id: int, body: object) -> dict[str, Any]:
        lock = self.lock(smartlock_id)
        code = inputs.obj(body).get("code")
        if isinstance(code, bool) or not isinstance(code, int | str):
            raise BadParameter("code (the digits typed on the keypad) is required")
        granted, reason = self.world.keypad_entry(lock, code)
        return {"granted": granted, "reason": reason}

    def sync(self, smartlock_id: int) -> dict[str, Any]:
        lock = self.lock(smartlock_id)
        return {"synced": self.world.sync(lock), "lastSync": _iso(lock.cloud.last_sync)}

    def device(self, smartlock_id: int) -> dict[str, Any]:
        """The device's truth beside what the cloud knows: state, auths, queue, next sync."""
        lock = self.lock(smartlock_id)
        device = lock.device
        return {
            "smartlockId": lock.smartlock_id,
            "online": device.online,
            "jammed": device.jammed,
            "keypadPaired": device.keypad_paired,
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

    def webhooks(self) -> list[dict[str, Any]]:
        """Every subscription with its delivery state (active, failures, outbox)."""
        now = self.world.now()
        views = []
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

    def deliveries(self, query: dict[str, str] | Any) -> list[WebhookLog]:
        """Delivery attempts of every subscription, newest first (``webhookId``, ``limit``, ``id``)."""
        attempts = self.world.attempts()
        webhook = inputs.query_int(query, "webhookId")
        if webhook is not None:
            attempts = [a for a in attempts if a.subscription_id == webhook]
        cursor = query.get("id") or None
        if cursor is not None:
            index = next((i for i, a in enumerate(attempts) if a.id == cursor), None)
            if index is None:
                raise BadParameter(f"no delivery {cursor}")
            attempts = attempts[index + 1 :]
        limit = inputs.query_int(query, "limit", lo=1) or 300
        return [wire.webhook_log(a) for a in attempts[:limit]]

    def reactivate_webhook(self, sub_id: int) -> dict[str, Any]:
        sub = self.world.subscriptions.get(sub_id)
        if sub is None:
            raise NotFound(f"no decentral webhook {sub_id}")
        webhooks.reactivate(sub)
        self.world.wake()
        return next(v for v in self.webhooks() if v["id"] == sub_id)


def _command(command: object) -> dict[str, Any]:
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
    return fields


def _iso(value: Any) -> str | None:
    return isoformat(value) if value is not None else None


def _text(data: dict[str, Any] | Any, key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadParameter(f"{key} must be a string")
    return value


def _flag(data: Any, key: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise BadParameter(f"{key} must be true or false")
    return value


def _required_flag(data: Any, key: str) -> bool:
    if key not in data:
        raise BadParameter(f"{key} (true or false) is required")
    return _flag(data, key, False)


def _sync_minute(value: object) -> int | None:
    """``syncTime``: "HH:MM" (UTC) or minutes after midnight UTC; None = spread by the seed."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1440:
        return value
    if isinstance(value, str):
        hours, _, minutes = value.partition(":")
        if hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60:
            return int(hours) * 60 + int(minutes)
    raise BadParameter("syncTime is 'HH:MM' (UTC) or minutes after midnight UTC (0-1439)")
