"""Building blocks of the simulator's OpenAPI document, and Nuki Web's JSON shapes.

Response schemas are strict on purpose: every key :mod:`nuki_sim.simulator.domain.wire` always sends is
``required``, and objects whose keys wire.py fully determines are closed
(``additionalProperties: false``), so a new, undocumented field fails the tests instead of
slipping out unnoticed. Request schemas describe what the simulator accepts (unknown keys are
ignored there, as Nuki does). Enum meanings follow the Nuki Web fact sheet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from nuki_sim.simulator.http.errors import HINT_HEADER

Schema = dict[str, Any]

# Nuki's wire format for instants: ISO-8601 UTC with milliseconds and a ``Z``.
NUKI_INSTANT = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"
OBJECT_ID = r"^[0-9a-f]{24}$"
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1


# --- small builders --------------------------------------------------------------------------


def ref(name: str) -> Schema:
    """A local reference to ``components/schemas/<name>``."""
    return {"$ref": f"#/components/schemas/{name}"}


def integer(
    description: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    int64: bool = False,
) -> Schema:
    schema: Schema = {"type": "integer", "format": "int64" if int64 else "int32"}
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    schema["description"] = description
    return schema


def coded(description: str, meanings: Mapping[int, str]) -> Schema:
    """A closed integer enum whose description spells out what each value means."""
    listing = "; ".join(f"{value} = {meaning}" for value, meaning in meanings.items())
    return {
        "type": "integer",
        "enum": list(meanings),
        "description": f"{description}: {listing}.",
    }


def boolean(description: str) -> Schema:
    return {"type": "boolean", "description": description}


def string(description: str, *, pattern: str | None = None, **extra: Any) -> Schema:
    schema: Schema = {"type": "string", **extra}
    if pattern is not None:
        schema["pattern"] = pattern
    schema["description"] = description
    return schema


def instant(description: str) -> Schema:
    """A date-time as Nuki sends it: UTC with milliseconds, e.g. 2026-01-05T09:00:00.000Z."""
    return string(description, pattern=NUKI_INSTANT, format="date-time")


def instant_in(description: str, *, nullable: bool = False) -> Schema:
    """A date-time a client sends: any ISO-8601 instant (``Z`` or an offset)."""
    return {
        "type": ["string", "null"] if nullable else "string",
        "format": "date-time",
        "description": description,
    }


def closed(
    description: str, properties: Mapping[str, Schema], *, optional: tuple[str, ...] = ()
) -> Schema:
    """A response object: every property is required except ``optional``; no other keys."""
    return {
        "type": "object",
        "description": description,
        "properties": dict(properties),
        "required": [key for key in properties if key not in optional],
        "additionalProperties": False,
    }


def array_of(items: Schema, description: str, *, min_items: int = 0) -> Schema:
    schema: Schema = {"type": "array", "items": items, "description": description}
    if min_items:
        schema["minItems"] = min_items
    return schema


# --- enums shared by several schemas -------------------------------------------------------

DEVICE_TYPES = {
    0: "Smart Lock 1.0/2.0 (keyturner)",
    1: "Box",
    2: "Opener",
    3: "Smart Door",
    4: "Smart Lock 3.0/4.0",
    5: "Smart Lock 5th generation / Ultra",
}
AUTH_TYPES = {
    0: "app",
    1: "bridge",
    2: "fob",
    3: "keypad (the device itself)",
    13: "keypad code",
    14: "Z-key",
    15: "virtual",
}
LOCK_ACTIONS = {
    1: "unlock",
    2: "lock",
    3: "unlatch",
    4: "lock 'n' go",
    5: "lock 'n' go with unlatch",
}
BUTTON_ACTIONS = {
    0: "none",
    1: "intelligent",
    2: "unlock",
    3: "lock",
    4: "unlatch",
    5: "lock 'n' go",
    6: "show status",
}
LOG_ACTIONS = {
    **LOCK_ACTIONS,
    11: "restore to factory defaults",
    208: "door warning: ajar",
    209: "door warning: status mismatch",
    224: "doorbell recognition (Opener)",
    240: "door opened",
    241: "door closed",
    242: "door sensor jammed",
    243: "firmware update",
    250: "door log enabled",
    251: "door log disabled",
    252: "initialization",
    253: "calibration",
    254: "log enabled",
    255: "log disabled",
}
WEEKDAYS = (
    "Bitmask of the days the authorization is valid on: Monday 64, Tuesday 32, Wednesday 16, "
    "Thursday 8, Friday 4, Saturday 2, Sunday 1; 127 means every day"
)
MINUTES = "minutes after midnight in the lock's own time zone (0 to 1439)"


# --- response schemas ----------------------------------------------------------------------


def smartlock_config() -> Schema:
    return closed(
        "Smartlock.Config: the lock's settings as the cloud last learned them.",
        {
            "name": string("The lock's name."),
            "latitude": {"type": "number", "description": "Latitude of the lock's location."},
            "longitude": {"type": "number", "description": "Longitude of the lock's location."},
            "autoUnlatch": boolean("Whether an unlock also pulls the latch."),
            "liftUpHandle": boolean("Whether the door has a lift-up handle."),
            "pairingEnabled": boolean("Whether pairing via the button is allowed."),
            "buttonEnabled": boolean("Whether the lock's button is enabled."),
            "ledEnabled": boolean("Whether the LED ring is enabled."),
            "ledBrightness": integer("LED brightness.", minimum=0, maximum=5),
            "timezoneOffset": integer("Deprecated time zone offset in minutes."),
            "daylightSavingMode": integer("Deprecated daylight saving mode.", minimum=0),
            "fobPaired": boolean("Whether a fob is paired (read-only)."),
            "fobAction1": integer("Fob action on a single press (read-only).", minimum=0),
            "fobAction2": integer("Fob action on a double press (read-only).", minimum=0),
            "fobAction3": integer("Fob action on a triple press (read-only).", minimum=0),
            "singleLock": boolean("Whether the lock turns only once when locking."),
            "advertisingMode": coded(
                "Bluetooth advertising interval",
                {0: "automatic", 1: "normal", 2: "slow", 3: "slowest"},
            ),
            "keypadPaired": boolean("Whether a Keypad (1st generation) is paired (read-only)."),
            "keypad2Paired": boolean("Whether a Keypad 2 is paired (read-only)."),
            "homekitState": integer("HomeKit state.", minimum=0, maximum=3),
            "matterState": integer("Matter state.", minimum=0, maximum=4),
            "timezoneId": {
                "anyOf": [
                    {"type": "integer", "minimum": 0, "maximum": 45},
                    {"const": 65535},
                ],
                "description": "Index into Nuki's fixed list of 46 IANA time zones (37 is "
                "Europe/Berlin); 65535 means none (the simulated lock's zone is not in the list).",
            },
            "deviceType": coded("Device type, as in Smartlock.type (read-only)", DEVICE_TYPES),
            "wifiEnabled": boolean("Whether Wi-Fi is enabled (read-only)."),
            "productVariant": integer(
                "Product variant (read-only); for type 5: 1 Go, 2 Pro, 3 Ultra.", minimum=0
            ),
        },
    )


def smartlock_advanced_config() -> Schema:
    return closed(
        "Smartlock.AdvancedConfig: calibration and behaviour settings of the lock.",
        {
            "totalDegrees": integer("Total rotation of the calibrated lock in degrees."),
            "lockedPositionOffsetDegrees": integer("Offset of the locked position."),
            "singleLockedPositionOffsetDegrees": integer("Offset of the single-locked position."),
            "unlockedPositionOffsetDegrees": integer("Offset of the unlocked position."),
            "lockedToUnlockedOffsetDegrees": integer("Offset from locked to unlocked."),
            "lngTimeout": {
                "type": "integer",
                "enum": [5, 10, 15, 20, 30, 45, 60],
                "description": "Seconds lock 'n' go waits before it locks again.",
            },
            "singleButtonPressAction": coded("Action on a single button press", BUTTON_ACTIONS),
            "doubleButtonPressAction": coded("Action on a double button press", BUTTON_ACTIONS),
            "detachedCylinder": boolean("Whether the cylinder is detached."),
            "batteryType": coded("Battery type", {0: "alkali", 1: "accumulator", 2: "lithium"}),
            "automaticBatteryTypeDetection": boolean("Whether the battery type is detected."),
            "unlatchDuration": {
                "type": "integer",
                "enum": [1, 3, 5, 7, 10, 15, 20, 30],
                "description": "Seconds the latch stays pulled after an unlatch.",
            },
            "autoLock": boolean("Whether the lock locks itself automatically."),
            "autoLockTimeout": integer("Seconds before an automatic lock.", minimum=0),
            "autoUpdateEnabled": boolean("Whether firmware updates install automatically."),
            "motorSpeed": coded("Motor speed", {0: "standard", 1: "fast", 2: "slow"}),
            "enableSlowSpeedDuringNightmode": boolean("Whether night mode slows the motor."),
        },
    )


def smartlock_state() -> Schema:
    return closed(
        "Smartlock.State: the lock's status as the cloud last learned it. The simulated lock "
        "walks through the transitional states (2 unlocking, 4 locking, 7 unlatching) for as "
        "long as its motor runs.",
        {
            "mode": coded(
                "Operating mode",
                {
                    0: "uninitialized",
                    1: "pairing",
                    2: "door (normal operation)",
                    3: "continuous (Opener only)",
                    4: "maintenance",
                    5: "off-door charging",
                },
            ),
            "state": coded(
                "Lock state (smart lock types 0, 3, 4, 5)",
                {
                    0: "uncalibrated",
                    1: "locked",
                    2: "unlocking",
                    3: "unlocked",
                    4: "locking",
                    5: "unlatched",
                    6: "unlocked (lock 'n' go)",
                    7: "unlatching",
                    224: "error: wrong entry code",
                    225: "error: wrong fingerprint",
                    254: "motor blocked",
                    255: "undefined",
                },
            ),
            "trigger": coded(
                "What caused the current state",
                {
                    0: "system",
                    1: "manual",
                    2: "button",
                    3: "automatic",
                    4: "web (Box only)",
                    5: "app (Box only)",
                    6: "continuous mode (Opener)",
                    7: "accessory (Smart Door)",
                },
            ),
            "lastAction": coded("The last action the lock ran", LOCK_ACTIONS),
            "batteryCritical": boolean("Whether the battery is critically low."),
            "batteryCharging": boolean("Whether the battery is charging."),
            "batteryCharge": integer("Battery charge in percent.", minimum=0, maximum=100),
            "keypadBatteryCritical": boolean("Whether the paired keypad's battery is critical."),
            "doorsensorBatteryCritical": boolean("Whether the door sensor's battery is critical."),
            "doorState": coded(
                "Door sensor state",
                {
                    0: "unavailable (no door sensor paired)",
                    1: "deactivated",
                    2: "door closed",
                    3: "door opened",
                    4: "unknown",
                    5: "calibrating",
                    16: "uncalibrated",
                    240: "removed",
                    255: "unknown",
                },
            ),
            "ringToOpenTimer": integer("Deprecated (Opener only).", minimum=0),
            "nightMode": boolean("Whether night mode is active."),
        },
    )


def smartlock() -> Schema:
    return closed(
        "Smartlock: the cloud's view of one lock, as GET /smartlock/{smartlockId} shows it.",
        {
            "smartlockId": integer(
                "The lock's id: the device type digit followed by the 8-hex-digit Nuki ID.",
                minimum=1,
                int64=True,
            ),
            "accountId": integer("The account that owns the lock.", minimum=1),
            "type": coded("Device type", DEVICE_TYPES),
            "authId": integer("The Web API's own authorization slot on the lock.", minimum=0),
            "name": string("The lock's name."),
            "favorite": boolean("Whether the lock is marked as a favourite."),
            "config": ref("SmartlockConfig"),
            "advancedConfig": ref("SmartlockAdvancedConfig"),
            "state": ref("SmartlockState"),
            "firmwareVersion": integer(
                "Firmware version packed as major<<16 | minor<<8 | patch (read-only).", minimum=0
            ),
            "hardwareVersion": integer("Hardware version, packed (read-only).", minimum=0),
            "serverState": coded(
                "The cloud's connection to the lock",
                {
                    0: "ok",
                    1: "unregistered",
                    2: "auth UUID invalid",
                    3: "auth invalid",
                    4: "offline",
                },
            ),
            "adminPinState": coded("Admin PIN state", {0: "ok", 1: "missing", 2: "invalid"}),
            "virtualDevice": boolean("Whether this is a virtual device (read-only)."),
            "creationDate": instant("When the lock was added to the account."),
            "updateDate": instant("When the lock's master data last changed."),
        },
    )


def smartlock_auth() -> Schema:
    schema = closed(
        "SmartlockAuth: one authorization (app user, fob, keypad code …) as the cloud lists it "
        "after the lock's last sync. Optional fields are omitted, never sent as null.",
        {
            "id": string(
                "The authorization's id (24-hex ObjectId), used in paths.", pattern=OBJECT_ID
            ),
            "smartlockId": integer("The lock it belongs to.", minimum=1, int64=True),
            "authId": integer("The slot on the lock (0 until the lock assigned one).", minimum=0),
            "type": coded("Authorization type", AUTH_TYPES),
            "name": string(
                "Name of the authorization (keypad codes: at most 20 characters).", maxLength=32
            ),
            "enabled": boolean("Whether the authorization is enabled."),
            "remoteAllowed": boolean("Whether remote (app/web) actions are allowed."),
            "lockCount": integer("How often it was used (0 = never).", minimum=0),
            "smartActionsEnabled": boolean("Whether smart actions are enabled."),
            "creationDate": instant("When the authorization was created."),
            "updateDate": instant("When the lock last changed it."),
            "code": integer(
                "The keypad code in clear: six digits 1-9, not starting with 12. Only type 13.",
                minimum=111111,
                maximum=999999,
            ),
            "accountUserId": integer("The Nuki Web account user it is linked to.", minimum=0),
            "allowedFromDate": instant("Start of the validity window (UTC)."),
            "allowedUntilDate": instant("End of the validity window (UTC)."),
            "allowedWeekDays": integer(WEEKDAYS + ".", minimum=0, maximum=127),
            "allowedFromTime": integer(
                f"Start of the daily window, {MINUTES}; 0 and 0 mean no daily window.",
                minimum=0,
                maximum=1439,
            ),
            "allowedUntilTime": integer(
                f"End of the daily window, {MINUTES}.", minimum=0, maximum=1439
            ),
            "lastActiveDate": instant("When it was last used."),
            "operationId": string(
                "Set while a change to this authorization waits to reach the lock; further "
                "changes are refused with 423 until it is gone.",
                pattern=OBJECT_ID,
            ),
            "error": string("Why the lock refused the last change (a device error)."),
        },
        optional=(
            "code",
            "accountUserId",
            "allowedFromDate",
            "allowedUntilDate",
            "lastActiveDate",
            "operationId",
            "error",
        ),
    )
    # A keypad code always shows its code; every other type never has one.
    schema["if"] = {"properties": {"type": {"const": 13}}}
    schema["then"] = {"required": ["code"]}
    schema["else"] = {"not": {"required": ["code"]}}
    return schema


def smartlock_log() -> Schema:
    return closed(
        "SmartlockLog: one entry of a lock's activity log.",
        {
            "id": string(
                "The entry's id (24-hex ObjectId); also the paging cursor.", pattern=OBJECT_ID
            ),
            "smartlockId": integer("The lock that logged it.", minimum=1, int64=True),
            "deviceType": coded("Device type of the lock", DEVICE_TYPES),
            "authId": string(
                "The slot of the authorization that acted, as a string (empty for an unknown "
                "keypad code)."
            ),
            "name": string("Who acted: the authorization's or keypad code's name."),
            "action": coded("What happened", LOG_ACTIONS),
            "trigger": coded(
                "What triggered it",
                {
                    0: "system",
                    1: "manual",
                    2: "button",
                    3: "automatic",
                    4: "web",
                    5: "app",
                    6: "auto lock",
                    7: "accessory",
                    253: "keypad error",
                    254: "Nuki mode",
                    255: "keypad",
                },
            ),
            "state": coded(
                "How it completed",
                {
                    0: "success",
                    1: "motor blocked",
                    2: "canceled",
                    3: "too recent",
                    4: "busy",
                    5: "low motor voltage",
                    6: "clutch failure",
                    7: "motor power failure",
                    8: "incomplete",
                    9: "rejected",
                    10: "rejected (night mode)",
                    224: "invalid code",
                    225: "invalid fingerprint",
                    226: "invalid NFC tag",
                    254: "other error",
                    255: "unknown error",
                },
            ),
            "autoUnlock": boolean("Whether it was an auto unlock."),
            "date": instant("When it happened (UTC)."),
            "source": coded(
                "Where the identity came from",
                {0: "default", 1: "keypad code", 2: "fingerprint", 3: "tap to unlock"},
            ),
            "accountUserId": integer("The account user that acted, when known.", minimum=0),
        },
        optional=("accountUserId",),
    )


def my_account() -> Schema:
    return closed(
        "MyAccount: the account the token belongs to.",
        {
            "accountId": integer("The account's id.", minimum=1),
            "type": coded("Account type", {0: "user", 1: "company", 2: "caretaker"}),
            "email": string("The account's e-mail address.", format="email"),
            "emailVerified": boolean("Whether the e-mail address is verified."),
            "name": string("The account holder's name."),
            "language": string("Preferred language (ISO 639-1).", minLength=2),
            "config": closed(
                "Account configuration.",
                {
                    "publicKey": string("Public key for encrypted secrets (empty when none)."),
                    "secretType": integer("Kind of secret in use.", minimum=0),
                },
            ),
            "creationDate": instant("When the account was created."),
            "updateDate": instant("When the account last changed."),
        },
    )


def paged_auths() -> Schema:
    page_number = {"type": ["integer", "null"], "minimum": 0}
    return closed(
        "One page of authorizations across all locks of the account.",
        {
            "results": array_of(ref("SmartlockAuth"), "The authorizations on this page."),
            "pagination": closed(
                "Where this page sits.",
                {
                    "totalItems": integer("Authorizations matching the filters.", minimum=0),
                    "totalPages": integer("Pages of pageSize items (0 when none).", minimum=0),
                    "currentPage": integer("This page's number, from 0.", minimum=0),
                    "nextPage": {**page_number, "description": "The next page, or null."},
                    "prevPage": {**page_number, "description": "The previous page, or null."},
                    "pageSize": integer("Items per page.", minimum=1, maximum=1000),
                },
            ),
        },
    )


WEBHOOK_FEATURES = (
    "DEVICE_STATUS",
    "DEVICE_MASTERDATA",
    "DEVICE_CONFIG",
    "DEVICE_LOGS",
    "DEVICE_AUTHS",
    "ACCOUNT_USER",
)


def _features(description: str) -> Schema:
    return {
        "type": "array",
        "items": {"type": "string", "enum": list(WEBHOOK_FEATURES)},
        "minItems": 1,
        "uniqueItems": True,
        "description": description,
    }


def decentral_webhook_fields() -> dict[str, Schema]:
    return {
        "id": integer("The subscription's id.", minimum=1),
        "secret": string(
            "Key of the HMAC-SHA256 in X-Nuki-Signature-SHA256 on every delivery.",
            pattern=r"^[0-9a-f]{40}$",
        ),
        "webhookUrl": string("Where events are POSTed.", format="uri"),
        "webhookFeatures": _features("The event kinds delivered."),
    }


def decentral_webhook() -> Schema:
    return closed("A decentral webhook subscription.", decentral_webhook_fields())


def decentral_webhook_create() -> Schema:
    return {
        "type": "object",
        "description": "A new decentral webhook subscription.",
        "properties": {
            "webhookUrl": string(
                "An https URL (plain http only to a loopback address, for local receivers).",
                format="uri",
                maxLength=2048,
            ),
            "webhookFeatures": _features("The event kinds to deliver, without repeats."),
        },
        "required": ["webhookUrl", "webhookFeatures"],
    }


def webhook_log() -> Schema:
    return closed(
        "WebhookLog: one delivery attempt, with what was sent and what came back.",
        {
            "id": string("The attempt's id; also the paging cursor.", pattern=OBJECT_ID),
            "accountId": integer("The subscription's account.", minimum=1),
            "apiKeyId": integer("The API key the subscription was made with.", minimum=0),
            "webhookId": integer("The subscription.", minimum=1),
            "succeeded": boolean("Whether the receiver answered 2xx."),
            "responseStatus": integer(
                "The receiver's HTTP status; 0 when no answer came.", minimum=0, maximum=599
            ),
            "duration": integer("Milliseconds the attempt took.", minimum=0),
            "request": closed(
                "What was sent.",
                {"url": string("The URL."), "body": string("The exact JSON text sent.")},
            ),
            "response": closed(
                "What came back.",
                {
                    "body": string("The receiver's body (at most 1000 characters)."),
                    "timestamp": instant("When the attempt was made."),
                    "path": string("Path of the URL."),
                },
            ),
            "created": instant("When the attempt was made."),
            "updated": instant("When the attempt was made."),
            "error": string("Why the attempt failed (no answer, or a non-2xx status)."),
        },
        optional=("error",),
    )


# --- error bodies ------------------------------------------------------------------------------


def detail_error() -> Schema:
    return closed(
        "A serialized Java exception, Nuki's usual error body.",
        {
            "detailMessage": string('What went wrong, e.g. "Your access token is not authorized".'),
            "stackTrace": array_of({}, "Always empty."),
            "suppressedExceptions": array_of({}, "Always empty."),
        },
    )


def restlet_error() -> Schema:
    return closed(
        "Restlet's status object, which Nuki sends with 422.",
        {
            "code": integer("The HTTP status (422).", minimum=400, maximum=599),
            "description": string("Restlet's standard text for the status."),
            "homeRef": string('Always "/".'),
            "reasonPhrase": string("The status' reason phrase."),
            "uri": string("Where the status is specified.", format="uri"),
        },
    )


def bare_error() -> Schema:
    return closed(
        "An exception body without a message, which Nuki sends with 423.",
        {
            "stackTrace": array_of({}, "Always empty."),
            "suppressedExceptions": array_of({}, "Always empty."),
        },
    )


# --- request bodies ----------------------------------------------------------------------------


def _auth_fields() -> dict[str, Schema]:
    """Fields a create and an update share. null counts as omitted."""
    return {
        "name": string(
            "Name; 1 to 32 characters, for keypad codes at most 20 (longer: 422).",
            minLength=1,
            maxLength=32,
        ),
        "code": integer(
            "Keypad code (type 13 only): six digits 1-9, not starting with 12 (a numeric string "
            "is accepted too). Unique per lock (409).",
            minimum=111111,
            maximum=999999,
        ),
        "accountUserId": integer(
            "The Nuki Web account user an app authorization is for.", minimum=0
        ),
        "allowedFromDate": instant_in("Start of the validity window.", nullable=True),
        "allowedUntilDate": instant_in(
            "End of the validity window (after the start).", nullable=True
        ),
        "allowedWeekDays": integer(WEEKDAYS + "; omitted means every day.", minimum=0, maximum=127),
        "allowedFromTime": integer(
            f"Start of the daily window, {MINUTES}.", minimum=0, maximum=1439
        ),
        "allowedUntilTime": integer(
            f"End of the daily window, {MINUTES}; later than allowedFromTime.",
            minimum=0,
            maximum=1439,
        ),
        "remoteAllowed": boolean("Whether remote actions are allowed (default false)."),
    }


def smartlock_auth_create() -> Schema:
    fields = _auth_fields()
    return {
        "type": "object",
        "description": "A new authorization. The API creates app authorizations (type 0, needs "
        "accountUserId) and keypad codes (type 13, needs code and a paired keypad).",
        "properties": {
            "name": fields.pop("name"),
            "type": {
                **coded("Authorization type to create", {0: "app", 13: "keypad code"}),
                "default": 0,
            },
            **fields,
            "smartActionsEnabled": boolean("Whether smart actions are enabled (default false)."),
        },
        "required": ["name"],
    }


def smartlocks_auth_create() -> Schema:
    return {
        "description": "SmartlockAuthCreate for several locks at once; every lock is checked "
        "before any is changed.",
        "allOf": [
            ref("SmartlockAuthCreate"),
            {
                "type": "object",
                "properties": {
                    "smartlockIds": array_of(
                        integer("A lock id.", minimum=1, maximum=INT64_MAX, int64=True),
                        "The locks to create the authorization on.",
                        min_items=1,
                    )
                },
                "required": ["smartlockIds"],
            },
        ],
    }


def smartlock_auth_update() -> Schema:
    return {
        "type": "object",
        "description": "Changes to an authorization. Omitted fields keep their value, except the "
        "five time fields: they are replaced, so an omitted one is cleared (Nuki's behaviour).",
        "properties": {
            **_auth_fields(),
            "enabled": boolean("Enable or disable the authorization."),
        },
    }


def smartlock_auth_multi_update() -> Schema:
    return {
        "description": "SmartlockAuthUpdate plus the id of the authorization to change.",
        "allOf": [
            ref("SmartlockAuthUpdate"),
            {
                "type": "object",
                "properties": {"id": string("The authorization's id.", pattern=OBJECT_ID)},
                "required": ["id"],
            },
        ],
    }


def smartlock_action() -> Schema:
    return {
        "type": "object",
        "description": "A lock action.",
        "properties": {
            "action": coded("The action", LOCK_ACTIONS),
            "option": integer(
                "Bitmask of options: 0 none, 2 force, 4 full lock.", minimum=0, maximum=7
            ),
        },
        "required": ["action"],
    }


def smartlock_update() -> Schema:
    return {
        "type": "object",
        "description": "New master data for a lock; omitted fields keep their value.",
        "properties": {
            "name": string("The lock's new name, 1 to 32 characters.", minLength=1, maxLength=32),
            "favorite": boolean("Mark or unmark the lock as a favourite."),
        },
    }


def schemas() -> dict[str, Schema]:
    """Every reusable schema of the document, by name."""
    return {
        "Smartlock": smartlock(),
        "SmartlockConfig": smartlock_config(),
        "SmartlockAdvancedConfig": smartlock_advanced_config(),
        "SmartlockState": smartlock_state(),
        "SmartlockAuth": smartlock_auth(),
        "SmartlockAuthCreate": smartlock_auth_create(),
        "SmartlocksAuthCreate": smartlocks_auth_create(),
        "SmartlockAuthUpdate": smartlock_auth_update(),
        "SmartlockAuthMultiUpdate": smartlock_auth_multi_update(),
        "SmartlockAction": smartlock_action(),
        "SmartlockUpdate": smartlock_update(),
        "SmartlockLog": smartlock_log(),
        "MyAccount": my_account(),
        "DecentralWebhook": decentral_webhook(),
        "DecentralWebhookCreate": decentral_webhook_create(),
        "WebhookLog": webhook_log(),
        "PagedAuths": paged_auths(),
        "DetailError": detail_error(),
        "RestletError": restlet_error(),
        "BareError": bare_error(),
    }


# --- responses and operations ------------------------------------------------------------------
# Responses are always written inline (never ``$ref``'d), so a test that looks a status up finds
# its body schema at once; only schemas, parameters and headers are referenced.

FAULT_HEADER = "X-Nuki-Sim-Fault"
SERVER_ERROR = "500: an unexpected error of the simulator."
SERVER_ERROR_OR_FAULT = (
    "500: an unexpected error of the simulator; or any status a `/_sim/faults` rule injects "
    "(with `X-Nuki-Sim-Fault`, and `Retry-After` for 429). An injected fault's body is a "
    "DetailError unless the rule gives its own."
)


def json_content(schema: Schema) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def header_ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{name}"}


def ok(description: str, schema: Schema, status: int = 200) -> dict[str, Any]:
    return {str(status): {"description": description, "content": json_content(schema)}}


def empty(description: str = "Accepted and queued; the body is empty.") -> dict[str, Any]:
    return {"204": {"description": description}}


def error(status: int | str, description: str, *, fault: bool = False) -> dict[str, Any]:
    """An error response in Nuki's body shape for ``status``, with the optional hint header."""
    shape = {"422": "RestletError", "423": "BareError"}.get(str(status), "DetailError")
    headers = {HINT_HEADER: header_ref(HINT_HEADER)}
    if fault:
        headers |= {
            FAULT_HEADER: header_ref(FAULT_HEADER),
            "Retry-After": header_ref("Retry-After"),
        }
    return {"description": description, "headers": headers, "content": json_content(ref(shape))}


def request_body(schema: Schema, description: str, *, required: bool = True) -> dict[str, Any]:
    return {"required": required, "description": description, "content": json_content(schema)}


def param(name: str) -> dict[str, str]:
    """A reference to ``components/parameters/<name>``."""
    return {"$ref": f"#/components/parameters/{name}"}


def query(name: str, schema: Schema, description: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        **extra,
    }


def operation(
    operation_id: str,
    summary: str,
    description: str,
    *,
    tag: str,
    security: list[dict[str, list[str]]],
    success: Mapping[str, Any],
    errors: Mapping[int, str],
    parameters: Sequence[Mapping[str, Any]] = (),
    body: Mapping[str, Any] | None = None,
    faults: bool = True,
) -> dict[str, Any]:
    """One operation: every status it can answer, plus a ``default`` for 500 (and faults)."""
    op: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "description": description,
        "tags": [tag],
        "security": security,
    }
    if parameters:
        op["parameters"] = list(parameters)
    if body is not None:
        op["requestBody"] = dict(body)
    responses: dict[str, Any] = dict(success)
    for status in sorted(errors):
        responses[str(status)] = error(status, errors[status])
    responses["default"] = error(
        "default", SERVER_ERROR_OR_FAULT if faults else SERVER_ERROR, fault=faults
    )
    op["responses"] = responses
    return op


def headers() -> dict[str, Any]:
    """``components/headers``."""
    return {
        HINT_HEADER: {
            "description": "The simulator's hint on what went wrong and what to do next. Not "
            "sent by the real Nuki Web API.",
            "required": False,
            "schema": {"type": "string"},
        },
        FAULT_HEADER: {
            "description": "The id of the `/_sim/faults` rule that produced this response.",
            "required": False,
            "schema": {"type": "string", "pattern": r"^\d+$"},
        },
        "Retry-After": {
            "description": "Seconds to wait, on a 429 injected by a fault rule.",
            "required": False,
            "schema": {"type": "string", "pattern": r"^\d+$"},
        },
    }
