"""Broken adapters that look right through their own eyes and are wrong on the lock.

Each is the reference adapter with one plausible bug an outside team actually shipped:

* schedules encoded their own way and decoded back the same way, so the credential they
  report is exactly what was asked for, while the keypad obeys something else;
* an update that sends only the fields that changed, which Nuki reads as "no schedule";
* a lock state taken from the command, or from a state that is still moving.

``PROOFS`` names the scenario of ``features/traits/schedules.feature`` or
``lock_motion.feature`` that each must fail (``tests/kit/test_suite_bites.py`` runs them).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from nuki_sim.adapters import instants
from nuki_sim.adapters.nuki import mapping
from nuki_sim.adapters.nuki.devices import DeviceRecord
from nuki_sim.adapters.nuki.factory import ReferenceAdapter
from nuki_sim.adapters.nuki.pending import Pending
from nuki_sim.adapters.traits import Action, ActionName, ActionStatus, TraitName
from tests.kit.broken_adapters import factory
from tests.kit.proof import Proof

MODULE = "tests.kit.broken_device"
SITE_ZONE = ZoneInfo("Europe/Berlin")  # the zone these adapters are configured with (right)
WEEK = 7
MINUTES_PER_DAY = 1440
_ZERO = timedelta(0)


# --- schedules that round-trip through the adapter's own encoding ---------------------------


class Recodes(ReferenceAdapter):
    """Writes the time fields its own way and reads Nuki's reports back the same way.

    ``encode`` changes the body sent to Nuki; ``decode`` undoes it on every DEVICE_AUTHS
    webhook, so the adapter resolves its actions and reports what it was asked for.
    """

    def encode(self, body: dict[str, Any]) -> dict[str, Any]:
        return body

    def decode(self, auth: dict[str, Any]) -> dict[str, Any]:
        return auth

    async def _send(self, record: DeviceRecord, pending: Pending) -> None:
        if pending.credential is None or pending.kind is ActionName.DELETE_PIN:
            await super()._send(record, pending)
            return
        body = self.encode(mapping.auth_body(pending.credential))
        if pending.kind is ActionName.CREATE_PIN:
            await self.client.create_auth(record.smartlock_id, body)
        else:
            await self.client.update_auth(record.smartlock_id, pending.target, body)

    def on_nuki_event(self, payload: dict[str, Any]) -> None:
        auth = payload.get("smartlockAuth")
        if isinstance(auth, dict):
            payload = {**payload, "smartlockAuth": self.decode(auth)}
        super().on_nuki_event(payload)

    def shifted(self, fields: dict[str, Any], minutes: int) -> dict[str, Any]:
        """The daily window moved by ``minutes`` (0/0, whole days, stays as it is)."""
        start, end = fields.get("allowedFromTime") or 0, fields.get("allowedUntilTime") or 0
        if not start and not end:
            return fields
        return {
            **fields,
            "allowedFromTime": (start + minutes) % MINUTES_PER_DAY,
            "allowedUntilTime": (end + minutes) % MINUTES_PER_DAY,
        }


class SaturdaySundaySwapped(Recodes):
    """Builds the weekday mask with the Saturday and Sunday bits the wrong way round."""

    def encode(self, body: dict[str, Any]) -> dict[str, Any]:
        return {**body, "allowedWeekDays": _swap_weekend(body.get("allowedWeekDays"))}

    def decode(self, auth: dict[str, Any]) -> dict[str, Any]:
        return {**auth, "allowedWeekDays": _swap_weekend(auth.get("allowedWeekDays"))}


class WeekendSwappedOnUpdate(ReferenceAdapter):
    """Builds an update's weekday mask with Saturday and Sunday swapped (creates are right)."""

    async def _send(self, record: DeviceRecord, pending: Pending) -> None:
        if pending.kind is not ActionName.UPDATE_PIN or pending.credential is None:
            await super()._send(record, pending)
            return
        body = mapping.auth_body(pending.credential)
        body["allowedWeekDays"] = _swap_weekend(body.get("allowedWeekDays"))
        await self.client.update_auth(record.smartlock_id, pending.target, body)


class SundayFirstWeekdays(Recodes):
    """Counts the week from Sunday (Sunday 64 … Saturday 1), as US calendars do."""

    def encode(self, body: dict[str, Any]) -> dict[str, Any]:
        return {**body, "allowedWeekDays": _rotate(body.get("allowedWeekDays"), 1)}

    def decode(self, auth: dict[str, Any]) -> dict[str, Any]:
        return {**auth, "allowedWeekDays": _rotate(auth.get("allowedWeekDays"), -1)}


class WindowInUtc(Recodes):
    """Takes Nuki's allowedFromTime/UntilTime for UTC and converts the local hours into it."""

    def offset(self) -> int:
        return int((SITE_ZONE.utcoffset(self.clock.now()) or _ZERO).total_seconds() // 60)

    def encode(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.shifted(body, -self.offset())

    def decode(self, auth: dict[str, Any]) -> dict[str, Any]:
        return self.shifted(auth, self.offset())


class StandardTimeAllYear(Recodes):
    """Believes the lock keeps standard time all year, so in summer it sends the window an
    hour early (right all winter: the bug waits for the clocks to change)."""

    def summer(self) -> int:
        return int((SITE_ZONE.dst(self.clock.now()) or _ZERO).total_seconds() // 60)

    def encode(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.shifted(body, -self.summer())

    def decode(self, auth: dict[str, Any]) -> dict[str, Any]:
        return self.shifted(auth, self.summer())


class LastMinuteInclusive(Recodes):
    """Sends the window's last minute as allowedUntilTime, which Nuki reads as its end."""

    def encode(self, body: dict[str, Any]) -> dict[str, Any]:
        end = body.get("allowedUntilTime") or 0
        return {**body, "allowedUntilTime": end - 1} if end else body

    def decode(self, auth: dict[str, Any]) -> dict[str, Any]:
        end = auth.get("allowedUntilTime") or 0
        return {**auth, "allowedUntilTime": end + 1} if end else auth


class DateWindowInLocalTime(Recodes):
    """Writes the date window as the lock's local wall time, labelled UTC."""

    def encode(self, body: dict[str, Any]) -> dict[str, Any]:
        return _dates(body, lambda at: at.astimezone(SITE_ZONE).replace(tzinfo=UTC))

    def decode(self, auth: dict[str, Any]) -> dict[str, Any]:
        return _dates(auth, lambda at: at.replace(tzinfo=SITE_ZONE).astimezone(UTC))


# --- updates that send only what changed -------------------------------------------------------


class SendsOnlyChanges(ReferenceAdapter):
    """Updates a credential with only the fields that differ from what it reports (a PATCH).

    Nuki's update replaces the time fields, so a rename clears the schedule on the lock.
    """

    async def _send(self, record: DeviceRecord, pending: Pending) -> None:
        known = record.known.get(pending.target)
        if pending.kind is not ActionName.UPDATE_PIN or pending.credential is None or not known:
            await super()._send(record, pending)
            return
        wanted, had = mapping.auth_body(pending.credential), mapping.auth_body(known)
        changes = {k: v for k, v in wanted.items() if had.get(k) != v}
        await self.client.update_auth(record.smartlock_id, pending.target, changes)


# --- lock state from the command instead of from Nuki ------------------------------------------


class ReportsCommandedState(ReferenceAdapter):
    """Sets isLocked as soon as Nuki answers 204, before the lock has moved."""

    async def execute(
        self, device_id: str, trait: TraitName, name: ActionName, parameters: dict[str, Any]
    ) -> Action:
        action = await super().execute(device_id, trait, name, parameters)
        if action.status is ActionStatus.PENDING and name is ActionName.SET_LOCKED:
            self._set(
                self.records[device_id], TraitName.LOCK, "isLocked", parameters["lock"], action.id
            )
        return action


class MovingMeansDone(ReferenceAdapter):
    """Maps the moving states to their targets: unlocking is unlocked, locking is locked."""

    def _apply_status(self, record: DeviceRecord, state: dict[str, Any], server_state: Any) -> None:
        target = {2: 3, 4: 1, 7: 5}.get(state.get("state"))  # type: ignore[arg-type]
        super()._apply_status(
            record, state if target is None else {**state, "state": target}, server_state
        )


class ResolvesOnFirstStatus(ReferenceAdapter):
    """Resolves a lock action on the first DEVICE_STATUS after it, whatever state that shows."""

    def _apply_status(self, record: DeviceRecord, state: dict[str, Any], server_state: Any) -> None:
        super()._apply_status(record, state, server_state)
        if isinstance(state.get("state"), int) and not mapping.is_jammed(state["state"]):
            for pending in list(self.pending.get(record.device.id, [])):
                if pending.kind is ActionName.SET_LOCKED:
                    self._settle(record, pending, ActionStatus.RESOLVED)


class DoneOnReconnect(ReferenceAdapter):
    """Takes a lock's reconnect for the end of its queued lock actions: Nuki delivers the
    queue on reconnect, so it reports their targets and resolves them at once."""

    def _apply_status(self, record: DeviceRecord, state: dict[str, Any], server_state: Any) -> None:
        was = record.device.traits[TraitName.BETA_CONNECTIVITY].state
        offline = any((f.reported.value if f.reported else None) == "OFFLINE" for f in was.values())
        super()._apply_status(record, state, server_state)
        if offline and server_state == 0:
            for pending in list(self.pending.get(record.device.id, [])):
                if pending.kind is ActionName.SET_LOCKED:
                    self._set(record, TraitName.LOCK, "isLocked", pending.locked, pending.action_id)
                    self._settle(record, pending, ActionStatus.RESOLVED)


# --- helpers -----------------------------------------------------------------------------------


def _swap_weekend(days: Any) -> Any:
    if not isinstance(days, int):
        return days
    saturday, sunday = days & 2, days & 1
    return (days & ~3) | (saturday >> 1) | (sunday << 1)


def _rotate(days: Any, by: int) -> Any:
    """Each weekday's bit moved ``by`` days later in Nuki's Monday-first order (wrapping)."""
    if not isinstance(days, int):
        return days
    out = 0
    for day in range(WEEK):  # Monday 0 … Sunday 6; Nuki's bit for day d is 1 << (6 - d)
        if days & (1 << (WEEK - 1 - day)):
            out |= 1 << (WEEK - 1 - (day + by) % WEEK)
    return out


def _dates(fields: dict[str, Any], move: Any) -> dict[str, Any]:
    out = dict(fields)
    for key in ("allowedFromDate", "allowedUntilDate"):
        if isinstance(out.get(key), str):
            moved: datetime = move(instants.parse(out[key]))
            out[key] = instants.isoformat(moved)
    return out


saturday_sunday_swapped = factory(SaturdaySundaySwapped)
sunday_first_weekdays = factory(SundayFirstWeekdays)
weekend_swapped_on_update = factory(WeekendSwappedOnUpdate)
window_in_utc = factory(WindowInUtc)
standard_time_all_year = factory(StandardTimeAllYear)
last_minute_inclusive = factory(LastMinuteInclusive)
date_window_in_local_time = factory(DateWindowInLocalTime)
sends_only_changes = factory(SendsOnlyChanges)
reports_commanded_state = factory(ReportsCommandedState)
moving_means_done = factory(MovingMeansDone)
resolves_on_first_status = factory(ResolvesOnFirstStatus)
done_on_reconnect = factory(DoneOnReconnect)

# Every schedule scenario rests on the keypad obeying the window: a bug in the weekday mask or
# the daily window also fails the scenarios whose windows it touches.
SUMMER = "traits.schedules.summer-time"
RENAME = "traits.schedules.rename-keeps-window"
RENAME_DAYS = "traits.schedules.rename-keeps-weekdays"
LOCK_STATE = frozenset({"traits.lock.state-from-nuki", "traits.lock.offline-state"})


def _proof(target: str, name: str, collateral: frozenset[str] = frozenset()) -> Proof:
    return Proof(target, f"{MODULE}:{name}", collateral - {target})


PROOFS = [
    _proof(
        "traits.schedules.weekdays", "saturday_sunday_swapped", frozenset({SUMMER, RENAME_DAYS})
    ),
    _proof("traits.schedules.weekdays", "sunday_first_weekdays", frozenset({SUMMER, RENAME_DAYS})),
    _proof("traits.schedules.daily-window", "window_in_utc", frozenset({SUMMER, RENAME})),
    _proof("traits.schedules.daily-window", "last_minute_inclusive", frozenset({SUMMER})),
    _proof(SUMMER, "standard_time_all_year"),
    _proof("traits.schedules.date-window", "date_window_in_local_time"),
    _proof(RENAME, "sends_only_changes", frozenset({RENAME_DAYS})),
    _proof(RENAME_DAYS, "weekend_swapped_on_update"),
    _proof("traits.lock.state-from-nuki", "reports_commanded_state", LOCK_STATE),
    _proof("traits.lock.state-from-nuki", "moving_means_done", LOCK_STATE),
    _proof("traits.lock.state-from-nuki", "resolves_on_first_status", LOCK_STATE),
    _proof("traits.lock.offline-state", "done_on_reconnect"),
]
