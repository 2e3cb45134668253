"""Nuki's rental model: addresses with locks and units, guest reservations, address tokens.

An address belongs to one account and names some of its locks. Units (flats, rooms) belong
to an address and each carries an address token a resident or guest redeems with their own
Nuki account. Reservations come from booking platforms (here: the control plane); issuing
one puts a keypad code for the guest on the address's locks through the ordinary
authorization path, so the push delay, offline queueing and the sync apply to it as to any
code. All of it is held by one :class:`AddressBook`, snapshotted with the world.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

ACCEPTED = "accepted"
CANCELED = "canceled"
NEW, ISSUED, REVOKED = "new", "issued", "revoked"
"""A reservation's access: never issued, issued (codes queued or on the locks), revoked."""


@dataclass(frozen=True)
class Address:
    address_id: int
    account_id: int
    name: str
    smartlock_ids: tuple[int, ...]
    time_zone: str
    creation_date: datetime
    update_date: datetime
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AddressUnit:
    id: str
    address_id: int
    name: str
    token_id: str
    creation_date: datetime
    operation_id: str | None = None  # set while its asynchronous delete is pending


@dataclass(frozen=True)
class AddressToken:
    """What a unit's resident or guest redeems with their own account."""

    id: str
    address_id: int
    creation_date: datetime
    unit_id: str | None = None
    redeem_date: datetime | None = None
    redeem_account_id: int | None = None


@dataclass(frozen=True)
class Grant:
    """One authorization a reservation made: on which lock, under which auth id."""

    smartlock_id: int
    auth_id: str


@dataclass(frozen=True)
class Reservation:
    id: str
    address_id: int
    account_id: int
    name: str
    email: str
    guests: int
    start_date: datetime
    end_date: datetime
    update_date: datetime
    reference: str | None = None
    service_id: str | None = None
    unit_id: str | None = None
    state: str = ACCEPTED
    check_in_time: int | None = None  # custom access times, minutes from local midnight
    check_out_time: int | None = None
    access: str = NEW
    code: int | None = None
    grants: tuple[Grant, ...] = ()


@dataclass(frozen=True)
class DeleteUnits:
    """The pending asynchronous delete of some units of one address (on the agenda)."""

    address_id: int
    unit_ids: tuple[str, ...]
    operation_id: str


@dataclass
class AddressBook:
    """Every address, unit, token and reservation of the world, keyed by id."""

    addresses: dict[int, Address] = field(default_factory=dict)
    units: dict[str, AddressUnit] = field(default_factory=dict)
    tokens: dict[str, AddressToken] = field(default_factory=dict)
    reservations: dict[str, Reservation] = field(default_factory=dict)
    next_id: int = 1

    def new_address_id(self) -> int:
        address_id = self.next_id
        self.next_id += 1
        return address_id

    def units_of(self, address_id: int) -> list[AddressUnit]:
        return [u for u in self.units.values() if u.address_id == address_id]

    def tokens_of(self, address_id: int) -> list[AddressToken]:
        return [t for t in self.tokens.values() if t.address_id == address_id]

    def reservations_of(self, address_id: int) -> list[Reservation]:
        return [r for r in self.reservations.values() if r.address_id == address_id]

    def drop_address(self, address_id: int) -> None:
        """The address and everything under it (codes already issued stay on the locks)."""
        self.addresses.pop(address_id, None)
        for table in (self.units, self.tokens, self.reservations):
            for key in [k for k, v in table.items() if v.address_id == address_id]:
                del table[key]

    def drop_units(self, unit_ids: tuple[str, ...]) -> None:
        for unit_id in unit_ids:
            unit = self.units.pop(unit_id, None)
            if unit is not None:
                self.tokens.pop(unit.token_id, None)
            for rid, res in list(self.reservations.items()):
                if res.unit_id == unit_id:
                    self.reservations[rid] = replace(res, unit_id=None)

    def forget_account(self, account_id: int) -> None:
        """Drop the account's addresses; tokens it redeemed elsewhere forget the redemption."""
        for address_id in [a for a, v in self.addresses.items() if v.account_id == account_id]:
            self.drop_address(address_id)
        for token_id, token in list(self.tokens.items()):
            if token.redeem_account_id == account_id:
                self.tokens[token_id] = replace(token, redeem_date=None, redeem_account_id=None)

    def forget_lock(self, smartlock_id: int) -> None:
        """The lock leaves every address, and reservations forget their grants on it."""
        for address_id, address in list(self.addresses.items()):
            if smartlock_id in address.smartlock_ids:
                kept = tuple(i for i in address.smartlock_ids if i != smartlock_id)
                self.addresses[address_id] = replace(address, smartlock_ids=kept)
        for rid, res in list(self.reservations.items()):
            kept_grants = tuple(g for g in res.grants if g.smartlock_id != smartlock_id)
            if kept_grants != res.grants:
                self.reservations[rid] = replace(res, grants=kept_grants)

    def run_delete_units(self, job: DeleteUnits) -> None:
        """Remove the units the job still holds (a unit gone or held by another delete stays)."""
        mine = tuple(
            u
            for u in job.unit_ids
            if u in self.units and self.units[u].operation_id == job.operation_id
        )
        self.drop_units(mine)
