"""Encoders from the address book's values to Nuki's address shapes (mypy checks each key)."""

from __future__ import annotations

from typing import Literal

from nuki_sim.simulator.domain.address_calls import pending
from nuki_sim.simulator.domain.address_shapes import (
    Address,
    AddressReservation,
    AddressToken,
    AddressTokenInfo,
    AddressUnitResponse,
)
from nuki_sim.simulator.domain.addresses import ISSUED, REVOKED
from nuki_sim.simulator.domain.addresses import Address as AddressValue
from nuki_sim.simulator.domain.addresses import AddressToken as TokenValue
from nuki_sim.simulator.domain.addresses import AddressUnit as UnitValue
from nuki_sim.simulator.domain.addresses import Reservation as ReservationValue
from nuki_sim.simulator.domain.clock import isoformat
from nuki_sim.simulator.domain.control_shapes import SimReservation
from nuki_sim.simulator.domain.world import World

OK = "ok"


def address(value: AddressValue) -> Address:
    out: Address = {
        "addressId": value.address_id,
        "accountId": value.account_id,
        "name": value.name,
        "smartlockIds": list(value.smartlock_ids),
        "timeZone": value.time_zone,
        "creationDate": isoformat(value.creation_date),
        "updateDate": isoformat(value.update_date),
    }
    if value.settings:
        out["settings"] = dict(value.settings)
    return out


def unit(world: World, value: UnitValue) -> AddressUnitResponse:
    out: AddressUnitResponse = {
        "id": value.id,
        "name": value.name,
        "addressId": value.address_id,
        "addressTokenId": value.token_id,
        "creationDate": isoformat(value.creation_date),
    }
    if value.operation_id is not None:
        out["operationId"] = value.operation_id
    token = world.addresses.tokens.get(value.token_id)
    if token is not None and token.redeem_date is not None:
        out["redeemDate"] = isoformat(token.redeem_date)
        out["redeemResult"] = OK
    return out


def token(value: TokenValue) -> AddressToken:
    out: AddressToken = {
        "id": value.id,
        "addressId": value.address_id,
        "creationDate": isoformat(value.creation_date),
    }
    if value.redeem_date is not None and value.redeem_account_id is not None:
        out["redeemDate"] = isoformat(value.redeem_date)
        out["redeemAccountId"] = value.redeem_account_id
        out["redeemResult"] = OK
    return out


def token_info(value: TokenValue, where: AddressValue, names: list[str]) -> AddressTokenInfo:
    return {"id": value.id, "addressName": where.name, "smartlockNames": names}


def reservation(world: World, value: ReservationValue) -> AddressReservation:
    busy = pending(world, value)
    issuing = busy and value.access == ISSUED
    revoking = busy and value.access == REVOKED
    out: AddressReservation = {
        "id": value.id,
        "addressId": value.address_id,
        "accountId": value.account_id,
        "email": value.email,
        "name": value.name,
        "guests": value.guests,
        "guestsIssued": 0,
        "keypadIssued": value.access == ISSUED and bool(value.grants),
        "state": value.state,
        "automation": 0,
        "startDate": isoformat(value.start_date),
        "endDate": isoformat(value.end_date),
        "updateDate": isoformat(value.update_date),
        "isCurrentlyIssuingAuth": issuing,
        "isCurrentlyRevokingAuth": revoking,
        "hasCustomAccessTimes": (
            value.check_in_time is not None or value.check_out_time is not None
        ),
        "currentlyIssuingAuth": issuing,
        "currentlyRevokingAuth": revoking,
    }
    if value.reference is not None:
        out["reference"] = value.reference
    if value.service_id is not None:
        out["serviceId"] = value.service_id
    return out


def sim_reservation(world: World, value: ReservationValue) -> SimReservation:
    """The control plane's view: Nuki's shape plus the code and the authorizations issued."""
    access: Literal["new", "issued", "revoked"] = (
        "issued" if value.access == ISSUED else "revoked" if value.access == REVOKED else "new"
    )
    return {
        "reservation": reservation(world, value),
        "access": access,
        "code": value.code if value.access == ISSUED else None,
        "authorizations": [{"smartlockId": g.smartlock_id, "id": g.auth_id} for g in value.grants],
    }
