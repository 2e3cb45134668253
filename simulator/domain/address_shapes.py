"""Nuki Web's address shapes (Swagger 4.18.0 ``Address``, ``AddressUnitResponse``,
``AddressReservation``, ``AddressToken``, ``AddressTokenInfo``), declared once.

Required sets are Nuki's or smaller: where the Swagger requires a date the simulator cannot
have yet (a token not redeemed), the field is omitted until it has a value.
"""

# No ``from __future__ import annotations``: the schema converter reads these types at runtime.

from typing import Annotated, Any, NotRequired, TypedDict

from nuki_sim.simulator.domain.describe import OBJECT_ID, Doc, doc, instant

SERVICE = doc(
    "The partner service the address or booking comes from.", enum=["airbnb", "bookingsync"]
)
REDEEM = doc("The redeem result.", enum=["ok", "failed"])
MINUTES = Doc("Minutes from midnight, in the address's time zone.", minimum=0, maximum=1439)


class Address(TypedDict):
    """Address: a rental address of the account, with its smart locks."""

    addressId: Annotated[int, Doc("The address id.", minimum=1)]
    accountId: Annotated[int, Doc("The account id.", minimum=1)]
    name: Annotated[str, Doc("The name of the address.")]
    smartlockIds: Annotated[list[Annotated[int, Doc(int64=True)]], Doc("Its smart locks.")]
    serviceId: NotRequired[Annotated[str, SERVICE]]
    timeZone: NotRequired[Annotated[str, Doc("The time zone (its first lock's, IANA name).")]]
    checkInTime: NotRequired[Annotated[int, MINUTES]]
    checkOutTime: NotRequired[Annotated[int, MINUTES]]
    settings: NotRequired[Annotated[dict[str, Any], Doc("The optional settings object.")]]
    creationDate: Annotated[str, instant("The creation date.")]
    updateDate: Annotated[str, instant("The update date.")]


class AddressUnitResponse(TypedDict):
    """AddressUnitResponse: a unit of an address (a flat, a room) with its address token."""

    id: NotRequired[Annotated[str, Doc("The unit id.", pattern=OBJECT_ID)]]
    name: Annotated[str, Doc("The name of the unit.")]
    addressId: NotRequired[Annotated[int, Doc("The address id.", minimum=1)]]
    addressTokenId: NotRequired[Annotated[str, Doc("The unit's address token id.")]]
    operationId: NotRequired[
        Annotated[
            str, Doc("Set while the unit's asynchronous delete is pending.", pattern=OBJECT_ID)
        ]
    ]
    creationDate: Annotated[str, instant("The creation date.")]
    redeemDate: NotRequired[
        Annotated[str, instant("When its token was redeemed (omitted until then).")]
    ]
    redeemResult: NotRequired[Annotated[str, REDEEM]]


class AddressReservation(TypedDict):
    """AddressReservation: a booking of a guest at an address, from a booking platform."""

    id: Annotated[str, Doc("The reservation id.", pattern=OBJECT_ID)]
    addressId: Annotated[int, Doc("The address id.", minimum=1)]
    accountId: Annotated[int, Doc("The account id.", minimum=1)]
    email: Annotated[str, Doc("The guest's e-mail address.")]
    name: Annotated[str, Doc("The guest's name.")]
    guests: Annotated[int, Doc("The number of guests.", minimum=0)]
    guestsIssued: Annotated[int, Doc("Guests given an app authorization.", minimum=0)]
    keypadIssued: Annotated[bool, Doc("True if a keypad code was issued.")]
    state: Annotated[str, doc("The state.", enum=["canceled", "accepted"])]
    serviceId: NotRequired[Annotated[str, SERVICE]]
    reference: NotRequired[Annotated[str, Doc("The reference (booking code).")]]
    automation: Annotated[int, Doc("The automation state.")]
    checkedIn: NotRequired[
        Annotated[bool, Doc("Whether the guest checked in (not monitored here).")]
    ]
    startDate: Annotated[str, instant("The start date (check-in).")]
    endDate: Annotated[str, instant("The end date (check-out).")]
    updateDate: Annotated[str, instant("The update date.")]
    isCurrentlyIssuingAuth: Annotated[bool, Doc("Issued codes are still on their way to a lock.")]
    isCurrentlyRevokingAuth: Annotated[bool, Doc("Revoked codes are still on a lock.")]
    hasCustomAccessTimes: Annotated[bool, Doc("Access times were set by update/accesstimes.")]
    currentlyIssuingAuth: NotRequired[bool]
    currentlyRevokingAuth: NotRequired[bool]


class AddressToken(TypedDict):
    """AddressToken: a token a resident or guest redeems with their own Nuki account."""

    id: Annotated[str, Doc("The token id.")]
    addressId: Annotated[int, Doc("The address id.", minimum=1)]
    creationDate: Annotated[str, instant("The creation date.")]
    redeemDate: NotRequired[Annotated[str, instant("When it was redeemed (omitted until then).")]]
    redeemAccountId: NotRequired[
        Annotated[int, Doc("The account that redeemed it (omitted until then).", minimum=1)]
    ]
    inviteKeys: NotRequired[Annotated[list[str], Doc("The list of invite keys.")]]
    redeemResult: NotRequired[Annotated[str, REDEEM]]


class AddressTokenInfo(TypedDict):
    """AddressTokenInfo: what a token's holder may see before redeeming it."""

    id: Annotated[str, Doc("The token id.")]
    addressName: Annotated[str, Doc("The address name.")]
    smartlockNames: Annotated[list[str], Doc("The names of the address's smart locks.")]


class AdvancedConfirmationResponse(TypedDict):
    """AdvancedConfirmationResponse: an asynchronous request accepted under this id."""

    requestId: Annotated[str, Doc("Identifies the asynchronous request.")]
    error: NotRequired[Annotated[str, Doc("Why a part of the request cannot be done.")]]


COMPONENTS = (
    Address,
    AddressUnitResponse,
    AddressReservation,
    AddressToken,
    AddressTokenInfo,
    AdvancedConfirmationResponse,
)
