"""The address request bodies (Swagger 4.18.0), declared once for the OpenAPI document.

Open like every Nuki body: unknown keys are ignored and ``null`` counts as omitted.
"""

# No ``from __future__ import annotations``: the schema converter reads these types at runtime.

from typing import Annotated, Any, Required, TypedDict

from nuki_sim.simulator.domain.describe import Doc, doc

NAME = doc("The name, 1 to 50 characters.", minLength=1, maxLength=50)
LOCKS = Doc("The account's smartlocks at this address (400 for a lock of another account).")
MINUTES = Doc("Minutes from midnight in the address's time zone.", minimum=0, maximum=1439)


class AddressCreate(TypedDict, total=False):
    """A new address."""

    name: Required[Annotated[str, NAME]]
    smartlockIds: Required[Annotated[list[Annotated[int, Doc(int64=True)]], LOCKS]]


class AddressUpdate(TypedDict, total=False):
    """Changes to an address; an omitted field stays as it is."""

    name: Annotated[str, NAME]
    smartlockIds: Annotated[list[Annotated[int, Doc(int64=True)]], LOCKS]
    settings: Annotated[dict[str, Any], Doc("The optional settings object (replaced whole).")]


class AddressUnit(TypedDict, total=False):
    """A new address unit (only ``name`` is read; the other fields are read-only)."""

    id: Annotated[str, Doc("Read-only.")]
    name: Required[Annotated[str, NAME]]
    addressId: Annotated[int, Doc("Read-only.")]
    addressTokenId: Annotated[str, Doc("Read-only.")]
    operationId: Annotated[str, Doc("Read-only.")]


class ReservationAccessTimesUpdate(TypedDict, total=False):
    """Custom check-in/check-out times on the booked days (at least one of them)."""

    checkInTime: Annotated[int, MINUTES]
    checkOutTime: Annotated[int, MINUTES]


OPEN_BODIES = (AddressCreate, AddressUpdate, AddressUnit, ReservationAccessTimesUpdate)
