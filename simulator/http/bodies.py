"""The request bodies Nuki Web's routes take, declared once for the OpenAPI document.

What a client may send, field by field; :mod:`nuki_sim.simulator.http.parse` checks a body
against the same names and turns it into the domain's typed inputs. Unknown keys are
ignored (the schemas stay open), and ``null`` counts as omitted.
"""

# No ``from __future__ import annotations``: the schema converter reads these types at runtime.

from typing import Annotated, Any, Required, TypedDict

from nuki_sim.simulator.domain import codes
from nuki_sim.simulator.domain.describe import (
    INT64_MAX,
    OBJECT_ID,
    Coded,
    Doc,
    doc,
    instant_in,
)
from nuki_sim.simulator.domain.shapes import MINUTES, PIN_CODE, WEEKDAYS, Features
from nuki_sim.simulator.http.schema import ref
from nuki_sim.simulator.http.user_bodies import AccountUserCreate, AccountUserUpdate

AuthName = Annotated[
    str,
    doc(
        "Name; 1 to 32 characters, for keypad codes at most 20 (longer: 422).",
        minLength=1,
        maxLength=32,
    ),
]


class _AuthFields(TypedDict, total=False):
    code: Annotated[
        int,
        Doc(
            f"Keypad code (type 13 only): {PIN_CODE} (a numeric string is accepted too). "
            "Unique per lock (409).",
            minimum=111111,
            maximum=999999,
        ),
    ]
    accountUserId: Annotated[
        int, Doc("The Nuki Web account user an app authorization is for.", minimum=0)
    ]
    allowedFromDate: Annotated[str | None, instant_in("Start of the validity window.")]
    allowedUntilDate: Annotated[
        str | None, instant_in("End of the validity window (after the start).")
    ]
    allowedWeekDays: Annotated[
        int, Doc(WEEKDAYS + "; omitted means every day.", minimum=0, maximum=127)
    ]
    allowedFromTime: Annotated[
        int, Doc(f"Start of the daily window, {MINUTES}.", minimum=0, maximum=1439)
    ]
    allowedUntilTime: Annotated[
        int,
        Doc(
            f"End of the daily window, {MINUTES}; later than allowedFromTime.",
            minimum=0,
            maximum=1439,
        ),
    ]
    remoteAllowed: Annotated[bool, Doc("Whether remote actions are allowed (default false).")]


class SmartlockAuthCreate(_AuthFields, total=False):
    """A new authorization. The API creates app authorizations (type 0) and fobs (type 2), \
both for an accountUserId, and keypad codes (type 13, needs code and a paired keypad)."""

    name: Required[AuthName]
    type: Annotated[
        int,
        Coded("Authorization type to create", {0: "app", 2: "fob", 13: "keypad code"}),
        doc(default=0),
    ]
    smartActionsEnabled: Annotated[bool, Doc("Whether smart actions are enabled (default false).")]


class SmartlockAuthUpdate(_AuthFields, total=False):
    """Changes to an authorization. Omitted fields keep their value, except the five time \
fields: they are replaced, so an omitted one is cleared (Nuki's behaviour)."""

    name: AuthName
    enabled: Annotated[bool, Doc("Enable or disable the authorization.")]


class SmartlockAction(TypedDict, total=False):
    """A lock action."""

    action: Required[Annotated[int, Coded("The action", codes.LOCK_ACTIONS)]]
    option: Annotated[
        int, Doc("Bitmask of options: 0 none, 2 force, 4 full lock.", minimum=0, maximum=7)
    ]


class SmartlockUpdate(TypedDict, total=False):
    """New master data for a lock; omitted fields keep their value."""

    name: Annotated[str, doc("The lock's new name, 1 to 32 characters.", minLength=1, maxLength=32)]
    favorite: Annotated[bool, Doc("Mark or unmark the lock as a favourite.")]


class DecentralWebhookCreate(TypedDict):
    """A new decentral webhook subscription."""

    webhookUrl: Annotated[
        str,
        doc(
            "An https URL (plain http only to a loopback address, for local receivers).",
            format="uri",
            maxLength=2048,
        ),
    ]
    webhookFeatures: Annotated[Features, Doc("The event kinds to deliver, without repeats.")]


OPEN_BODIES = (
    SmartlockAuthCreate,
    SmartlockAuthUpdate,
    SmartlockAction,
    SmartlockUpdate,
    DecentralWebhookCreate,
    AccountUserCreate,
    AccountUserUpdate,
)

# Bodies made of another body plus a key: written as JSON Schema's allOf.
COMPOSED: dict[str, dict[str, Any]] = {
    "SmartlocksAuthCreate": {
        "description": "SmartlockAuthCreate for several locks at once; every lock is checked "
        "before any is changed.",
        "allOf": [
            ref("SmartlockAuthCreate"),
            {
                "type": "object",
                "properties": {
                    "smartlockIds": {
                        "type": "array",
                        "items": {
                            "type": "integer",
                            "format": "int64",
                            "minimum": 1,
                            "maximum": INT64_MAX,
                            "description": "A lock id.",
                        },
                        "description": "The locks to create the authorization on.",
                        "minItems": 1,
                    }
                },
                "required": ["smartlockIds"],
            },
        ],
    },
    "SmartlockAuthMultiUpdate": {
        "description": "SmartlockAuthUpdate plus the id of the authorization to change.",
        "allOf": [
            ref("SmartlockAuthUpdate"),
            {
                "type": "object",
                "properties": {
                    "id": {
                        "type": "string",
                        "pattern": OBJECT_ID,
                        "description": "The authorization's id.",
                    }
                },
                "required": ["id"],
            },
        ],
    },
}
