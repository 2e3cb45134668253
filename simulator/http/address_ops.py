"""Nuki Web's operations for addresses, units, reservations and address tokens (Swagger 4.18.0).

Joined into the API by :mod:`nuki_sim.simulator.http.openapi`: ``OPERATIONS`` go into the
Nuki area (a Nuki token, scopes checked by the table, path ids of ``params.NUKI_PATH``);
``AREAS`` are areas of their own (their own path ids or way of identifying the caller).

Every address route is in two areas of its own, for the path ids ``addressId`` and ``id``.
Security as the Swagger lists it: most need the ``account`` scope; ``PUT /address``,
``DELETE /address/{addressId}`` and ``GET /address/{addressId}/token`` list none, so any
valid token of the account will do; ``GET /address/token/{id}`` lists Nuki's app key
(``api_key``), which the simulator does not model: it needs no token, the token id is the
secret a guest was given.
"""

from __future__ import annotations

from nuki_sim.simulator.domain import address_wire as aw
from nuki_sim.simulator.domain.address_calls import token_info
from nuki_sim.simulator.domain.address_shapes import (
    COMPONENTS as SHAPES,
)
from nuki_sim.simulator.domain.address_shapes import (
    Address,
    AddressReservation,
    AddressToken,
    AddressTokenInfo,
    AddressUnitResponse,
    AdvancedConfirmationResponse,
)
from nuki_sim.simulator.domain.api import Session
from nuki_sim.simulator.http import address_parse as ap
from nuki_sim.simulator.http import nuki_ops
from nuki_sim.simulator.http.address_bodies import OPEN_BODIES
from nuki_sim.simulator.http.keys import WORLD
from nuki_sim.simulator.http.nuki_ops import E400_BODY, E401, E413
from nuki_sim.simulator.http.operations import Area, Body, Call, Operation, PathParam
from nuki_sim.simulator.http.params import DIGITS, path_int, query
from nuki_sim.simulator.http.schema import ref

ADDRESS_TAG, RESERVATION_TAG, TOKEN_TAG = "Address", "AddressReservation", "AddressToken"
ACCOUNT = ("account",)
ADDRESS = "/address/{addressId}"
RESERVATION = ADDRESS + "/reservation/{id}"
TOKEN = "/address/token/{id}"
ANY_TOKEN = " Nuki's Swagger lists no security here: any valid token of the account will do."

E403 = "The address belongs to another account: `Forbidden`."
E404 = "No such address: `Address not found`."
E400_ID = "addressId is not a valid number."
ONE = {400: E400_ID, 401: E401, 403: E403, 404: E404}
E400_ADDRESS = (
    E400_BODY + " The name is missing, empty or longer than 50 characters, or smartlockIds is "
    "empty or names a lock that is not the account's."
)
E404_RES = E404 + " Or no such reservation at the address: `Address reservation not found`."
E400_RES = (
    "addressId is not a valid number, or the reservation cannot be changed so (canceled, "
    "issued already, nothing issued, no keypad lock at the address)."
)
E404_TOKEN = "No such address token: `Token not found`."
E423 = "A unit's asynchronous delete is still pending."
QUEUED_CODES = (
    " Answers 204 as soon as the changes are queued: each lock gets them after the push delay "
    "(an offline lock when it reconnects) and lists them after its next sync, as with "
    "`PUT/POST/DELETE /smartlock/{smartlockId}/auth`."
)


def _reservations(api: Session, c: Call) -> list[AddressReservation]:
    return [aw.reservation(api.world, r) for r in api.reservations(c.ids["addressId"])]


def _units(api: Session, c: Call) -> list[AddressUnitResponse]:
    return [aw.unit(api.world, u) for u in api.address_units(c.ids["addressId"])]


# The lookup comes before the body: an unknown or foreign address is a 404/403 whatever the
# body holds, as on the lock routes.


def _update(api: Session, c: Call) -> None:
    api.address(c.ids["addressId"])
    api.update_address(c.ids["addressId"], ap.address(c.body))


def _create_unit(api: Session, c: Call) -> AddressUnitResponse:
    api.address(c.ids["addressId"])
    unit = api.create_address_unit(c.ids["addressId"], ap.unit_name(c.body))
    return aw.unit(api.world, unit)


def _delete_units(api: Session, c: Call) -> AdvancedConfirmationResponse:
    api.address(c.ids["addressId"])
    return {"requestId": api.delete_address_units(c.ids["addressId"], ap.unit_ids(c.body))}


def _access_times(api: Session, c: Call) -> None:
    api.reservation(c.ids["addressId"], c.ids["id"])
    api.update_access_times(c.ids["addressId"], c.ids["id"], ap.access_times(c.body))


def _info(world_call: Call) -> AddressTokenInfo:
    return aw.token_info(*token_info(world_call.request.app[WORLD], world_call.ids["id"]))


def _redeem(api: Session, c: Call) -> None:
    api.redeem_address_token(c.ids["id"], check=lambda: ap.redeem_email(c.query))


OPERATIONS: list[Operation] = []
ADDRESS_OPERATIONS = [
    Operation(
        "GET", "/address", "listAddresses", ADDRESS_TAG, "List addresses",
        "The account's addresses by id.",
        lambda api, c: [aw.address(a) for a in api.addresses()],
        scopes=ACCOUNT, reply=list[Address], reply_text="The addresses.", errors={401: E401},
    ),
    Operation(
        "PUT", "/address", "createAddress", ADDRESS_TAG, "Create an address",
        "A new address with some of the account's smartlocks; its time zone is its first "
        "lock's." + ANY_TOKEN,
        lambda api, c: aw.address(api.create_address(ap.address(c.body))),
        body=Body(ref("AddressCreate"), "The address."), reply=Address,
        reply_text="The address.", errors={400: E400_ADDRESS, 401: E401, 413: E413},
    ),
    Operation(
        "POST", ADDRESS, "updateAddress", ADDRESS_TAG, "Update an address",
        "Change the name, the smartlocks or the settings (omitted fields stay).",
        _update,
        scopes=ACCOUNT, body=Body(ref("AddressUpdate"), "The changes."),
        reply_text="Ok; the body is empty.", errors={**ONE, 400: E400_ADDRESS, 413: E413},
    ),
    Operation(
        "DELETE", ADDRESS, "deleteAddress", ADDRESS_TAG, "Delete an address",
        "The address with its units, tokens and reservations. Codes already issued to guests "
        "stay on the locks as ordinary keypad codes." + ANY_TOKEN,
        lambda api, c: api.delete_address(c.ids["addressId"]),
        reply_text="Ok; the body is empty.", errors=ONE,
    ),
    Operation(
        "GET", ADDRESS + "/unit", "listAddressUnits", ADDRESS_TAG, "List address units",
        "The address's units, each with its address token and, once redeemed, the redeem "
        "date and result.",
        _units, scopes=ACCOUNT, reply=list[AddressUnitResponse], reply_text="The units.",
        errors=ONE,
    ),
    Operation(
        "PUT", ADDRESS + "/unit", "createAddressUnit", ADDRESS_TAG, "Create an address unit",
        "A new unit of the address, with a new address token for its resident or guest.",
        _create_unit, scopes=ACCOUNT, body=Body(ref("AddressUnit"), "The unit."),
        reply=AddressUnitResponse, reply_text="The unit.",
        errors={**ONE, 400: E400_ID + " Or the name is missing, empty or too long.", 413: E413},
    ),
    Operation(
        "DELETE", ADDRESS + "/unit", "deleteAddressUnits", ADDRESS_TAG,
        "Delete address units asynchronously",
        "Answers a requestId at once; the units carry it as `operationId` (deleting them again "
        "is 423) and are gone, with their tokens, after the push delay.",
        _delete_units,
        scopes=ACCOUNT, body=Body({"type": "array", "items": {"type": "string"}},
                                  "The ids of the units to delete."),
        reply=AdvancedConfirmationResponse, reply_text="Accepted.",
        errors={**ONE, 400: E400_ID + " Or the body is no array of the address's unit ids.",
                413: E413, 423: E423},
    ),
    Operation(
        "DELETE", ADDRESS + "/unit/{id}", "deleteAddressUnit", ADDRESS_TAG,
        "Delete an address unit",
        "As the bulk delete, for one unit: asynchronous, answered with a requestId.",
        lambda api, c: {"requestId": api.delete_address_unit(c.ids["addressId"], c.ids["id"])},
        scopes=ACCOUNT, reply=AdvancedConfirmationResponse, reply_text="Accepted.",
        errors={**ONE, 404: E404 + " Or no such unit: `Address unit not found`.", 423: E423},
    ),
    Operation(
        "GET", ADDRESS + "/reservation", "listAddressReservations", RESERVATION_TAG,
        "List address reservations",
        "The address's reservations (booked by a platform; in the simulator through "
        "`PUT /_sim/addresses/{addressId}/reservations`), by check-in.",
        _reservations, scopes=ACCOUNT, reply=list[AddressReservation],
        reply_text="The reservations.", errors=ONE,
    ),
    Operation(
        "POST", RESERVATION + "/issue", "issueAddressReservation", RESERVATION_TAG,
        "Issue a reservation's authorizations",
        "A keypad code (type 13, named after the guest, code drawn by the simulator) on every "
        "keypad lock of the address, valid from check-in to check-out." + QUEUED_CODES,
        lambda api, c: api.issue_reservation(c.ids["addressId"], c.ids["id"]),
        scopes=ACCOUNT, errors={**ONE, 400: E400_RES, 404: E404_RES,
                                409: "A lock of the address holds the maximum of keypad codes."},
    ),
    Operation(
        "POST", RESERVATION + "/revoke", "revokeAddressReservation", RESERVATION_TAG,
        "Revoke a reservation's authorizations",
        "Delete the codes the reservation was issued (queued after a create still on its way, "
        "so never 423)." + QUEUED_CODES,
        lambda api, c: api.revoke_reservation(c.ids["addressId"], c.ids["id"]),
        scopes=ACCOUNT, errors={**ONE, 400: E400_RES, 404: E404_RES},
    ),
    Operation(
        "POST", RESERVATION + "/update/accesstimes", "updateAddressReservationAccessTimes",
        RESERVATION_TAG, "Update a reservation's access times",
        "Access from `checkInTime` on the check-in day to `checkOutTime` on the check-out day "
        "(local time of the address; an omitted one keeps the booked instant). Issued codes "
        "get the new window." + QUEUED_CODES,
        _access_times,
        scopes=ACCOUNT, body=Body(ref("ReservationAccessTimesUpdate"), "The times."),
        errors={**ONE, 400: E400_RES + " Or a time is not 0-1439, or check-out is not after "
                "check-in.", 404: E404_RES, 413: E413},
    ),
    Operation(
        "GET", ADDRESS + "/token", "listAddressTokens", TOKEN_TAG, "List address tokens",
        "The address's tokens (one per unit) with their redemption." + ANY_TOKEN,
        lambda api, c: [aw.token(t) for t in api.address_tokens(c.ids["addressId"])],
        reply=list[AddressToken], reply_text="The tokens.", errors=ONE,
    ),
    Operation(
        "GET", TOKEN + "/redeem", "getRedeemedAddressToken", TOKEN_TAG,
        "Get a redeemed address token",
        "The token, if the token's account redeemed it.",
        lambda api, c: aw.token(api.redeemed_address_token(c.ids["id"])),
        scopes=ACCOUNT, reply=AddressToken, reply_text="The token.",
        errors={401: E401, 404: E404_TOKEN + " Or this account did not redeem it."},
    ),
    Operation(
        "POST", TOKEN + "/redeem", "redeemAddressToken", TOKEN_TAG, "Redeem an address token",
        "Redeem the token with the token's account (once). `email=false`: no e-mail (the "
        "simulator sends none either way).",
        _redeem, scopes=ACCOUNT, reply_text="Ok; the body is empty.",
        query=[query("email", {"type": "boolean"}, "If false, no e-mail is sent.")],
        errors={400: "email is not true or false, or the token was redeemed already.",
                401: E401, 404: E404_TOKEN},
    ),
]  # fmt: skip

TOKEN_INFO = [
    Operation(
        "GET", TOKEN, "getAddressTokenInfo", TOKEN_TAG, "Get an address token's info",
        "What the holder of a token sees before redeeming it: the address and its locks' "
        "names. Nuki lists its app key (`api_key`) as security; the simulator asks for no "
        "token (the token id is the secret).",
        lambda _, c: _info(c), reply=AddressTokenInfo, reply_text="The token's address.",
        errors={404: E404_TOKEN},
    ),
]  # fmt: skip

PARAMS = {
    "addressId": PathParam(DIGITS, lambda text: path_int(text, "addressId")),
    "id": PathParam("[^/]+", str),
}


def _security(op: Operation) -> list[dict[str, list[str]]]:
    if not op.scopes:
        return [{"bearerAuth": []}]
    return [{"bearerAuth": [scope]} for scope in op.scopes]


TAGS = [
    {"name": ADDRESS_TAG, "description": "Rental addresses, their locks and units."},
    {"name": RESERVATION_TAG, "description": "Guest bookings: issue, revoke, access times."},
    {"name": TOKEN_TAG, "description": "Tokens a unit's resident or guest redeems."},
]
AREAS: list[Area] = [
    Area(
        operations=TOKEN_INFO,
        params=PARAMS,
        caller=lambda request: request,
        allow=lambda caller, scopes: None,
        security=lambda op: [],
        catch_up=True,
    ),
    Area(
        operations=ADDRESS_OPERATIONS,
        params=PARAMS,
        caller=nuki_ops.session,
        allow=nuki_ops.allow,
        security=_security,
        catch_up=True,
    ),
]
COMPONENTS: tuple[type, ...] = (*SHAPES, *OPEN_BODIES)
"""Named response shapes other schemas refer to (written open: Nuki may add fields)."""
