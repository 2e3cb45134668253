"""The control plane's small request bodies, for the OpenAPI document.

Written inline in their operations (no docstring, so no schema description: the request
body's own description says it); :mod:`nuki_sim.simulator.http.control_parse` reads them.
"""

# No ``from __future__ import annotations``: the schema converter reads these types at runtime.

from typing import Annotated, Required, TypedDict

from nuki_sim.simulator.domain.control_shapes import Scope
from nuki_sim.simulator.domain.describe import Doc, instant_in
from nuki_sim.simulator.domain.devices import DEFAULT_MODEL, KEYPADS, MODELS, choices


class NewAccountBody(TypedDict, total=False):
    name: Annotated[str, Doc("Name.")]
    email: Annotated[str, Doc("E-mail address.")]


class NewTokenBody(TypedDict, total=False):
    scopes: Annotated[list[Scope], Doc("Scopes.")]
    name: Annotated[str, Doc("The token's name.")]


class NewLockBody(TypedDict, total=False):
    accountId: Required[Annotated[int, Doc("The owning account.", minimum=1)]]
    name: Annotated[str, Doc("The lock's name.")]
    model: Annotated[str, Doc(f"The device model (default {DEFAULT_MODEL!r}): {choices(MODELS)}.")]
    keypad: Annotated[
        bool | str,
        Doc(
            "Whether a keypad is paired (default true: the model's own keypad), or which: "
            f"{choices(KEYPADS)}."
        ),
    ]
    online: Annotated[bool, Doc("Whether it starts online (default true).")]
    batteryCharge: Annotated[int, Doc("Battery percent.", minimum=0, maximum=100)]
    timezone: Annotated[str, Doc("IANA time zone (default Europe/Berlin).")]
    syncTime: Annotated[
        str | int,
        Doc(
            "Daily sync time: 'HH:MM' UTC or minutes after midnight UTC (default: spread by "
            "the seed)."
        ),
    ]


class AdvanceBody(TypedDict):
    seconds: Annotated[float, Doc("Seconds to move forward.", minimum=0)]


class SetClockBody(TypedDict):
    now: Annotated[str, instant_in("Target.")]


class ConnectivityBody(TypedDict):
    online: Annotated[bool, Doc("Online or not.")]


class BatteryBody(TypedDict):
    charge: Annotated[float, Doc("Percent.", minimum=0, maximum=100)]


class JamBody(TypedDict):
    jammed: Annotated[bool, Doc("Jammed or not.")]


class KeypadBody(TypedDict):
    code: Annotated[str | int, Doc("The digits typed.")]


class FlushBody(TypedDict, total=False):
    timeoutSeconds: Annotated[
        float,
        Doc(
            "Real seconds to wait at most (default 10).", extra={"exclusiveMinimum": 0}, maximum=60
        ),
    ]


class ReservationBody(TypedDict, total=False):
    name: Required[Annotated[str, Doc("The guest's name.")]]
    email: Required[Annotated[str, Doc("The guest's e-mail address.")]]
    checkIn: Required[Annotated[str, instant_in("Check-in: access starts.")]]
    checkOut: Required[Annotated[str, instant_in("Check-out: access ends (after checkIn).")]]
    guests: Annotated[int, Doc("The number of guests (default 1).", minimum=1, maximum=100)]
    unitId: Annotated[str, Doc("A unit of the address.")]
    reference: Annotated[str, Doc("The booking code.")]
    serviceId: Annotated[str, Doc("airbnb or bookingsync.")]
