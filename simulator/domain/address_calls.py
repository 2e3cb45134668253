"""The address calls of the Nuki Web API: addresses, units, reservations, address tokens.

A reservation's guest access is made of ordinary keypad codes: :meth:`AddressCalls.issue`
checks and queues them exactly as ``PUT /smartlock/auth`` does (the same ``_check_create``
and ``_queue_create``), revoke queues the deletes and new access times queue updates, so
each change reaches a lock after the push delay (an offline lock when it reconnects) and is
listed after the lock's next sync, like any other authorization change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from nuki_sim.simulator.domain import ids, messages, rules
from nuki_sim.simulator.domain.addresses import (
    CANCELED,
    ISSUED,
    NEW,
    REVOKED,
    Address,
    AddressToken,
    AddressUnit,
    DeleteUnits,
    Grant,
    Reservation,
)
from nuki_sim.simulator.domain.codes import AuthType
from nuki_sim.simulator.domain.errors import BadParameter, Forbidden, Locked, NotFound
from nuki_sim.simulator.domain.inputs import AuthCreate
from nuki_sim.simulator.domain.model import (
    ApiToken,
    AuthChanges,
    CreateAuth,
    DeleteAuth,
    Lock,
    Schedule,
    UpdateAuth,
)
from nuki_sim.simulator.domain.schedule import zone
from nuki_sim.simulator.domain.user_calls import check_name
from nuki_sim.simulator.domain.world import World

MAX_NAME = 50
DEFAULT_ZONE = "Europe/Berlin"
ADDRESS_NOT_FOUND = "Address not found"
UNIT_NOT_FOUND = "Address unit not found"
RESERVATION_NOT_FOUND = "Address reservation not found"
TOKEN_NOT_FOUND = "Token not found"
UNIT_LOCKED = "The address unit is being deleted"
_CODE_TRIES = 1000


@dataclass(frozen=True)
class AddressChanges:
    """A type-checked ``AddressCreate``/``AddressUpdate`` body: None keeps (or lacks) a field."""

    name: str | None = None
    smartlock_ids: tuple[int, ...] | None = None
    settings: dict[str, Any] | None = None


@dataclass(frozen=True)
class AccessTimes:
    """``ReservationAccessTimesUpdate``: custom check-in/out, minutes from local midnight."""

    check_in_time: int | None = None
    check_out_time: int | None = None


@dataclass(frozen=True)
class Booking:
    """A reservation as a booking platform hands it to Nuki (``PUT /_sim/.../reservations``)."""

    name: str
    email: str
    start_date: datetime
    end_date: datetime
    guests: int = 1
    unit_id: str | None = None
    reference: str | None = None
    service_id: str | None = None


def address_name(value: str | None) -> str:
    if value is None:
        raise BadParameter(
            messages.invalid_value("name", value), hint=f"a name of 1 to {MAX_NAME} characters"
        )
    return check_name(value)


def access_window(reservation: Reservation, time_zone: str) -> Schedule:
    """From check-in to check-out: the booked instants, or the custom times of those days."""
    start, end = reservation.start_date, reservation.end_date
    tz = zone(time_zone)
    if reservation.check_in_time is not None:
        start = _at_minute(start, reservation.check_in_time, tz)
    if reservation.check_out_time is not None:
        end = _at_minute(end, reservation.check_out_time, tz)
    return Schedule(allowed_from_date=start, allowed_until_date=end)


def _at_minute(instant: datetime, minute: int, tz: Any) -> datetime:
    day = instant.astimezone(tz).date()
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=tz)
    return local.astimezone(instant.tzinfo)


def pending(world: World, reservation: Reservation) -> bool:
    """Whether a change of the reservation's codes is still on its way to a lock."""
    for grant in reservation.grants:
        lock = world.locks.get(grant.smartlock_id)
        if lock is not None and grant.auth_id in lock.cloud.operations:
            return True
    return False


class AddressCalls:
    """What a token may do with its account's addresses (the operation table checks scopes)."""

    world: World
    token: ApiToken

    if TYPE_CHECKING:

        def lock(self, smartlock_id: int) -> Lock: ...
        def _check_create(self, lock: Lock, request: AuthCreate) -> None: ...
        def _queue_create(self, lock: Lock, request: AuthCreate) -> CreateAuth: ...

    # --- addresses ----------------------------------------------------------------------

    def address(self, address_id: int) -> Address:
        """The address, if it exists (404) and belongs to the token's account (403)."""
        address = self.world.addresses.addresses.get(address_id)
        if address is None:
            raise NotFound(ADDRESS_NOT_FOUND, hint=f"no address {address_id}")
        if address.account_id != self.token.account_id:
            raise Forbidden(messages.FORBIDDEN, hint="the address belongs to another account")
        return address

    def addresses(self) -> list[Address]:
        mine = self.token.account_id
        return sorted(
            (a for a in self.world.addresses.addresses.values() if a.account_id == mine),
            key=lambda a: a.address_id,
        )

    def _own_locks(self, smartlock_ids: tuple[int, ...] | None) -> tuple[int, ...]:
        """The ids, if each names a lock of the token's account (400 otherwise)."""
        if not smartlock_ids:
            shown = None if smartlock_ids is None else list(smartlock_ids)
            raise BadParameter(
                messages.invalid_value("smartlockIds", shown),
                hint="a non-empty list of the account's smartlock ids",
            )
        for smartlock_id in smartlock_ids:
            lock = self.world.locks.get(smartlock_id)
            if lock is None or lock.account_id != self.token.account_id:
                raise BadParameter(
                    messages.invalid_value("smartlockIds", smartlock_id),
                    hint=f"{smartlock_id} is no smartlock of this account",
                )
        return smartlock_ids

    def create_address(self, request: AddressChanges) -> Address:
        name = address_name(request.name)
        locks = self._own_locks(request.smartlock_ids)
        world, now = self.world, self.world.now()
        address = Address(
            address_id=world.addresses.new_address_id(),
            account_id=self.token.account_id,
            name=name,
            smartlock_ids=locks,
            time_zone=world.locks[locks[0]].device.timezone,
            creation_date=now,
            update_date=now,
        )
        world.addresses.addresses[address.address_id] = address
        return address

    def update_address(self, address_id: int, changes: AddressChanges) -> None:
        address = self.address(address_id)
        name = address.name if changes.name is None else address_name(changes.name)
        locks = address.smartlock_ids
        if changes.smartlock_ids is not None:
            locks = self._own_locks(changes.smartlock_ids)
        settings = address.settings if changes.settings is None else changes.settings
        self.world.addresses.addresses[address_id] = replace(
            address, name=name, smartlock_ids=locks, settings=settings,
            update_date=self.world.now(),
        )  # fmt: skip

    def delete_address(self, address_id: int) -> None:
        self.world.addresses.drop_address(self.address(address_id).address_id)

    # --- units and their tokens -----------------------------------------------------------

    def address_units(self, address_id: int) -> list[AddressUnit]:
        return self.world.addresses.units_of(self.address(address_id).address_id)

    def create_address_unit(self, address_id: int, name: str | None) -> AddressUnit:
        address = self.address(address_id)
        unit_name = address_name(name)
        world, now = self.world, self.world.now()
        token = AddressToken(_token_id(world), address.address_id, now)
        unit = AddressUnit(ids.object_id(world.rng, now), address.address_id, unit_name,
                           token.id, now)  # fmt: skip
        world.addresses.tokens[token.id] = replace(token, unit_id=unit.id)
        world.addresses.units[unit.id] = unit
        return unit

    def _unit(self, address: Address, unit_id: str) -> AddressUnit:
        unit = self.world.addresses.units.get(unit_id)
        if unit is None or unit.address_id != address.address_id:
            raise NotFound(UNIT_NOT_FOUND, hint=f"no unit {unit_id} at this address")
        return unit

    def delete_address_units(self, address_id: int, unit_ids: list[str]) -> str:
        """Mark the units (400 for one not of the address, 423 while one is being deleted);
        they are gone after the push delay. Answers the request id."""
        address = self.address(address_id)
        units = []
        for unit_id in unit_ids:
            unit = self.world.addresses.units.get(unit_id)
            if unit is None or unit.address_id != address.address_id:
                raise BadParameter(messages.invalid_value("id", unit_id),
                                   hint=f"no unit {unit_id} at this address")  # fmt: skip
            units.append(unit)
        return self._delete_units(address, units)

    def delete_address_unit(self, address_id: int, unit_id: str) -> str:
        address = self.address(address_id)
        return self._delete_units(address, [self._unit(address, unit_id)])

    def _delete_units(self, address: Address, units: list[AddressUnit]) -> str:
        if any(u.operation_id is not None for u in units):
            raise Locked(UNIT_LOCKED, hint="its asynchronous delete is still pending")
        world = self.world
        operation_id = world.new_id()
        for unit in units:
            world.addresses.units[unit.id] = replace(unit, operation_id=operation_id)
        due = world.now() + timedelta(seconds=world.config.push_delay)
        job = DeleteUnits(address.address_id, tuple(u.id for u in units), operation_id)
        world.scheduler.schedule(due, job)
        return operation_id

    def address_tokens(self, address_id: int) -> list[AddressToken]:
        return self.world.addresses.tokens_of(self.address(address_id).address_id)

    def redeem_address_token(self, token_id: str, check: Callable[[], object] = bool) -> None:
        """The token's holder redeems it with the token's account (once: 400 after that);
        ``check`` (the query's checks) runs once the token is found."""
        book = self.world.addresses
        token = book.tokens.get(token_id)
        if token is None:
            raise NotFound(TOKEN_NOT_FOUND, hint=f"no address token {token_id}")
        check()
        if token.redeem_date is not None:
            raise BadParameter(messages.invalid_value("id", token_id),
                               hint="the token was redeemed already")  # fmt: skip
        book.tokens[token_id] = replace(
            token, redeem_date=self.world.now(), redeem_account_id=self.token.account_id
        )

    def redeemed_address_token(self, token_id: str) -> AddressToken:
        """The token, if the token's account redeemed it (404 for anyone else)."""
        token = self.world.addresses.tokens.get(token_id)
        if token is None or token.redeem_account_id != self.token.account_id:
            raise NotFound(TOKEN_NOT_FOUND, hint="no address token this account redeemed")
        return token

    # --- reservations ---------------------------------------------------------------------

    def reservations(self, address_id: int) -> list[Reservation]:
        found = self.world.addresses.reservations_of(self.address(address_id).address_id)
        return sorted(found, key=lambda r: (r.start_date, r.id))

    def reservation(self, address_id: int, reservation_id: str) -> tuple[Address, Reservation]:
        address = self.address(address_id)
        found = self.world.addresses.reservations.get(reservation_id)
        if found is None or found.address_id != address.address_id:
            raise NotFound(RESERVATION_NOT_FOUND, hint=f"no reservation {reservation_id} here")
        return address, found

    def _keypad_locks(self, address: Address) -> list[Lock]:
        locks = [self.world.locks.get(i) for i in address.smartlock_ids]
        return [lk for lk in locks if lk is not None and lk.device.keypad_paired]

    def issue_reservation(self, address_id: int, reservation_id: str) -> None:
        """Queue a keypad code for the guest on every keypad lock of the address, valid from
        check-in to check-out; 400 if canceled, already issued, or no lock has a keypad."""
        address, res = self.reservation(address_id, reservation_id)
        _refuse(res.state == CANCELED, reservation_id, "the reservation was canceled")
        _refuse(res.access == ISSUED, reservation_id, "its access was issued already")
        locks = self._keypad_locks(address)
        _refuse(not locks, reservation_id, "no smartlock of the address has a paired keypad")
        window = rules.check_schedule(access_window(res, address.time_zone))
        request = AuthCreate(
            name=(res.name.strip() or "Guest")[: rules.KEYPAD_NAME_MAX].strip(),
            type=AuthType.KEYPAD_CODE, code=self._draw_code(locks), schedule=window,
            remote_allowed=False, smart_actions_enabled=False, account_user_id=None,
        )  # fmt: skip
        for lock in locks:
            self._check_create(lock, request)
        grants = tuple(
            Grant(lock.smartlock_id, self._queue_create(lock, request).auth.id) for lock in locks
        )
        self._store(replace(res, access=ISSUED, code=request.code, grants=grants))

    def revoke_reservation(self, address_id: int, reservation_id: str) -> None:
        """Queue the delete of every code the reservation issued (after a pending create on
        the same lock, in order); 400 unless it is issued."""
        _, res = self.reservation(address_id, reservation_id)
        _refuse(res.access != ISSUED, reservation_id, "nothing is issued to revoke")
        for lock, grant in self._granted(res):
            command = DeleteAuth(self.world.new_id(), self.world.now(), grant.auth_id)
            self.world.enqueue(lock, command)
        self._store(replace(res, access=REVOKED))

    def update_access_times(self, address_id: int, reservation_id: str, times: AccessTimes) -> None:
        """Custom check-in/out times on the booked days; issued codes get the new window."""
        address, res = self.reservation(address_id, reservation_id)
        _refuse(res.state == CANCELED, reservation_id, "the reservation was canceled")
        changed = replace(res, check_in_time=times.check_in_time,
                          check_out_time=times.check_out_time)  # fmt: skip
        window = access_window(changed, address.time_zone)
        start, end = window.allowed_from_date, window.allowed_until_date
        if start is not None and end is not None and end <= start:
            raise BadParameter(messages.invalid_value("checkOutTime", times.check_out_time),
                               hint="check-out must come after check-in")  # fmt: skip
        if res.access == ISSUED:
            changes = AuthChanges(None, None, None, None, window, None)
            for lock, grant in self._granted(res):
                now = self.world.now()
                command = UpdateAuth(self.world.new_id(), now, grant.auth_id, changes)
                self.world.enqueue(lock, command)
        self._store(changed)

    def _granted(self, res: Reservation) -> list[tuple[Lock, Grant]]:
        found = [(self.world.locks.get(g.smartlock_id), g) for g in res.grants]
        return [(lock, g) for lock, g in found if lock is not None]

    def _store(self, res: Reservation) -> None:
        self.world.addresses.reservations[res.id] = replace(res, update_date=self.world.now())

    def _draw_code(self, locks: list[Lock]) -> int:
        """A keypad code none of the locks knows (listed or queued), from the world's RNG."""
        taken: set[int] = set()
        for lock in locks:
            taken.update(self.world.cloud_keypad_codes(lock))
            taken.update(
                c.auth.code
                for c in lock.cloud.queue
                if isinstance(c, CreateAuth) and c.auth.code is not None
            )
        rng = self.world.rng
        for _ in range(_CODE_TRIES):
            code = int("".join(str(rng.randint(1, 9)) for _ in range(rules.CODE_LENGTH)))
            if not str(code).startswith("12") and code not in taken:
                return code
        raise BadParameter("no free keypad code could be found")  # 531441 codes: unreachable


def book(world: World, address_id: int, booking: Booking) -> Reservation:
    """A booking platform's reservation at the address (the control plane's call)."""
    book_ = world.addresses
    if address_id not in book_.addresses:
        raise NotFound(f"no address {address_id}")
    if booking.end_date <= booking.start_date:
        raise BadParameter("checkOut must be after checkIn")
    if booking.unit_id is not None:
        unit = book_.units.get(booking.unit_id)
        if unit is None or unit.address_id != address_id:
            raise BadParameter(f"no unit {booking.unit_id} at address {address_id}")
    now = world.now()
    res = Reservation(
        id=ids.object_id(world.rng, now), address_id=address_id,
        account_id=book_.addresses[address_id].account_id, name=booking.name,
        email=booking.email, guests=booking.guests, start_date=booking.start_date,
        end_date=booking.end_date, update_date=now, reference=booking.reference,
        service_id=booking.service_id, unit_id=booking.unit_id,
    )  # fmt: skip
    book_.reservations[res.id] = res
    return res


def cancel(world: World, address_id: int, reservation_id: str) -> Reservation:
    """The platform cancels a booking (the control plane's call)."""
    found = world.addresses.reservations.get(reservation_id)
    if address_id not in world.addresses.addresses:
        raise NotFound(f"no address {address_id}")
    if found is None or found.address_id != address_id:
        raise NotFound(f"no reservation {reservation_id} at address {address_id}")
    changed = replace(found, state=CANCELED, update_date=world.now())
    world.addresses.reservations[reservation_id] = changed
    return changed


def token_info(world: World, token_id: str) -> tuple[AddressToken, Address, list[str]]:
    """What ``GET /address/token/{id}`` shows: the token's address and its locks' names."""
    token = world.addresses.tokens.get(token_id)
    address = None if token is None else world.addresses.addresses.get(token.address_id)
    if token is None or address is None:
        raise NotFound(TOKEN_NOT_FOUND, hint=f"no address token {token_id}")
    names = [world.locks[i].name for i in address.smartlock_ids if i in world.locks]
    return token, address, names


def _token_id(world: World) -> str:
    return f"{world.rng.getrandbits(128):032x}"


def _refuse(condition: bool, reservation_id: str, hint: str) -> None:
    if condition:
        raise BadParameter(messages.invalid_value("id", reservation_id), hint=hint)


__all__ = ["NEW", "REVOKED", "AccessTimes", "AddressCalls", "AddressChanges", "Booking"]
