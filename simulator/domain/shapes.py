"""Nuki Web's JSON shapes, declared once: each field with its type, constraints and meaning.

:mod:`nuki_sim.simulator.domain.wire` builds these dicts; the OpenAPI document derives its
schemas from them (the class docstring is the schema's description). Every field is sent
unless marked ``NotRequired`` (then it is omitted, never sent as null). Names and enum
meanings follow the Nuki Web fact sheet; when a shape changes, it changes here only.
"""

# No ``from __future__ import annotations``: the schema converter reads these types at runtime.

from typing import Annotated, Any, NotRequired, TypedDict

from nuki_sim.simulator.domain import codes
from nuki_sim.simulator.domain.config_shapes import (
    SmartlockOpenerAdvancedConfig,
    SmartlockSmartdoorAdvancedConfig,
    SmartlockWebConfig,
)
from nuki_sim.simulator.domain.describe import OBJECT_ID, Coded, Doc, Raw, doc, instant
from nuki_sim.simulator.domain.webhooks import FEATURES

WEEKDAYS = (
    "Bitmask of the days the authorization is valid on: Monday 64, Tuesday 32, Wednesday 16, "
    "Thursday 8, Friday 4, Saturday 2, Sunday 1; 127 means every day"
)
MINUTES = "minutes after midnight in the lock's own time zone (0 to 1439)"
PIN_CODE = "six digits 1-9, not starting with 12"


class SmartlockConfig(TypedDict):
    """Smartlock.Config: the lock's settings as the cloud last learned them."""

    name: Annotated[str, Doc("The lock's name.")]
    latitude: Annotated[float, Doc("Latitude of the lock's location.")]
    longitude: Annotated[float, Doc("Longitude of the lock's location.")]
    autoUnlatch: Annotated[bool, Doc("Whether an unlock also pulls the latch.")]
    liftUpHandle: Annotated[bool, Doc("Whether the door has a lift-up handle.")]
    pairingEnabled: Annotated[bool, Doc("Whether pairing via the button is allowed.")]
    buttonEnabled: Annotated[bool, Doc("Whether the lock's button is enabled.")]
    ledEnabled: Annotated[bool, Doc("Whether the LED ring is enabled.")]
    ledBrightness: Annotated[int, Doc("LED brightness.", minimum=0, maximum=5)]
    timezoneOffset: Annotated[int, Doc("Deprecated time zone offset in minutes.")]
    daylightSavingMode: Annotated[int, Doc("Deprecated daylight saving mode.", minimum=0)]
    fobPaired: Annotated[bool, Doc("Whether a fob is paired (read-only).")]
    fobAction1: Annotated[int, Doc("Fob action on a single press (read-only).", minimum=0)]
    fobAction2: Annotated[int, Doc("Fob action on a double press (read-only).", minimum=0)]
    fobAction3: Annotated[int, Doc("Fob action on a triple press (read-only).", minimum=0)]
    singleLock: Annotated[bool, Doc("Whether the lock turns only once when locking.")]
    advertisingMode: Annotated[
        int, Coded("Bluetooth advertising interval", codes.ADVERTISING_MODES)
    ]
    keypadPaired: Annotated[bool, Doc("Whether a Keypad (1st generation) is paired (read-only).")]
    keypad2Paired: Annotated[bool, Doc("Whether a Keypad 2 is paired (read-only).")]
    homekitState: Annotated[int, Doc("HomeKit state.", minimum=0, maximum=3)]
    matterState: Annotated[int, Doc("Matter state.", minimum=0, maximum=4)]
    timezoneId: Annotated[
        int,
        Raw({"anyOf": [{"type": "integer", "minimum": 0, "maximum": 45}, {"const": 65535}]}),
        Doc(
            "Index into Nuki's fixed list of 46 IANA time zones (37 is Europe/Berlin); 65535 "
            "means none (the simulated lock's zone is not in the list)."
        ),
    ]
    deviceType: Annotated[
        int, Coded("Device type, as in Smartlock.type (read-only)", codes.DEVICE_TYPES)
    ]
    wifiEnabled: Annotated[bool, Doc("Whether Wi-Fi is enabled (read-only).")]
    productVariant: Annotated[
        int, Doc("Product variant (read-only); for type 5: 1 Go, 2 Pro, 3 Ultra.", minimum=0)
    ]


class SmartlockAdvancedConfig(TypedDict):
    """Smartlock.AdvancedConfig: calibration and behaviour settings of the lock."""

    totalDegrees: Annotated[int, Doc("Total rotation of the calibrated lock in degrees.")]
    lockedPositionOffsetDegrees: Annotated[int, Doc("Offset of the locked position.")]
    singleLockedPositionOffsetDegrees: Annotated[int, Doc("Offset of the single-locked position.")]
    unlockedPositionOffsetDegrees: Annotated[int, Doc("Offset of the unlocked position.")]
    unlockedToLockedTransitionOffsetDegrees: Annotated[
        int, Doc("Offset of the position where unlocked turns into locked.")
    ]
    lngTimeout: Annotated[
        int,
        Raw({"type": "integer", "enum": [5, 10, 15, 20, 30, 45, 60]}),
        Doc("Seconds lock 'n' go waits before it locks again."),
    ]
    singleButtonPressAction: Annotated[
        int, Coded("Action on a single button press", codes.BUTTON_ACTIONS)
    ]
    doubleButtonPressAction: Annotated[
        int, Coded("Action on a double button press", codes.BUTTON_ACTIONS)
    ]
    detachedCylinder: Annotated[bool, Doc("Whether the cylinder is detached.")]
    batteryType: Annotated[int, Coded("Battery type", codes.BATTERY_TYPES)]
    automaticBatteryTypeDetection: Annotated[bool, Doc("Whether the battery type is detected.")]
    unlatchDuration: Annotated[
        int,
        Raw({"type": "integer", "enum": [1, 3, 5, 7, 10, 15, 20, 30]}),
        Doc("Seconds the latch stays pulled after an unlatch."),
    ]
    autoLock: Annotated[bool, Doc("Whether the lock locks itself automatically.")]
    autoLockTimeout: Annotated[int, Doc("Seconds before an automatic lock.", minimum=0)]
    autoUpdateEnabled: Annotated[bool, Doc("Whether firmware updates install automatically.")]
    motorSpeed: Annotated[int, Coded("Motor speed", codes.MOTOR_SPEEDS)]
    enableSlowSpeedDuringNightmode: Annotated[bool, Doc("Whether night mode slows the motor.")]


class SmartlockState(TypedDict):
    """Smartlock.State: the lock's status as the cloud last learned it. The simulated lock \
walks through the transitional states (2 unlocking, 4 locking, 7 unlatching) for as long as \
its motor runs."""

    mode: Annotated[int, Coded("Operating mode", codes.LOCK_MODES)]
    state: Annotated[int, Coded("Lock state (smart lock types 0, 3, 4, 5)", codes.LOCK_STATES)]
    trigger: Annotated[int, Coded("What caused the current state", codes.STATE_TRIGGERS)]
    lastAction: Annotated[int, Coded("The last action the lock ran", codes.LOCK_ACTIONS)]
    batteryCritical: Annotated[bool, Doc("Whether the battery is critically low.")]
    batteryCharging: Annotated[bool, Doc("Whether the battery is charging.")]
    batteryCharge: Annotated[int, Doc("Battery charge in percent.", minimum=0, maximum=100)]
    keypadBatteryCritical: Annotated[bool, Doc("Whether the paired keypad's battery is critical.")]
    doorsensorBatteryCritical: Annotated[
        bool, Doc("Whether the door sensor's battery is critical.")
    ]
    doorState: Annotated[int, Coded("Door sensor state", codes.DOOR_STATES)]
    ringToOpenTimer: Annotated[int, Doc("Deprecated (Opener only).", minimum=0)]
    nightMode: Annotated[bool, Doc("Whether night mode is active.")]
    ringToOpenEnd: NotRequired[
        Annotated[str, instant("When ring to open ends (Opener only; never sent).")]
    ]
    operationId: NotRequired[
        Annotated[str, Doc("Set while the lock is held by another operation (read-only).")]
    ]


class Smartlock(TypedDict):
    """Smartlock: the cloud's view of one lock, as GET /smartlock/{smartlockId} shows it."""

    smartlockId: Annotated[
        int,
        Doc(
            "The lock's id: the device type digit followed by the 8-hex-digit Nuki ID.",
            minimum=1,
            int64=True,
        ),
    ]
    accountId: Annotated[int, Doc("The account that owns the lock.", minimum=1)]
    type: Annotated[int, Coded("Device type", codes.DEVICE_TYPES)]
    authId: Annotated[int, Doc("The Web API's own authorization slot on the lock.", minimum=0)]
    name: Annotated[str, Doc("The lock's name.")]
    favorite: Annotated[bool, Doc("Whether the lock is marked as a favourite.")]
    config: SmartlockConfig
    advancedConfig: NotRequired[SmartlockAdvancedConfig]  # smart locks (not types 2, 3)
    openerAdvancedConfig: NotRequired[SmartlockOpenerAdvancedConfig]  # type 2 only
    smartdoorAdvancedConfig: NotRequired[SmartlockSmartdoorAdvancedConfig]  # type 3 only
    webConfig: NotRequired[SmartlockWebConfig]
    state: SmartlockState
    firmwareVersion: Annotated[
        int, Doc("Firmware version packed as major<<16 | minor<<8 | patch (read-only).", minimum=0)
    ]
    hardwareVersion: Annotated[int, Doc("Hardware version, packed (read-only).", minimum=0)]
    serverState: Annotated[int, Coded("The cloud's connection to the lock", codes.SERVER_STATES)]
    adminPinState: Annotated[int, Coded("Admin PIN state", codes.ADMIN_PIN_STATES)]
    virtualDevice: Annotated[bool, Doc("Whether this is a virtual device (read-only).")]
    creationDate: Annotated[str, instant("When the lock was added to the account.")]
    updateDate: Annotated[str, instant("When the lock's master data last changed.")]
    operationId: NotRequired[
        Annotated[str, Doc("Set while the lock is held by another operation (read-only).")]
    ]
    error: NotRequired[Annotated[str, Doc("The lock's error message, if any.")]]


class SmartlockAuth(TypedDict):
    """SmartlockAuth: one authorization (app user, fob, keypad code …) as the cloud lists it \
after the lock's last sync. Optional fields are omitted, never sent as null."""

    id: Annotated[
        str, Doc("The authorization's id (24-hex ObjectId), used in paths.", pattern=OBJECT_ID)
    ]
    smartlockId: Annotated[int, Doc("The lock it belongs to.", minimum=1, int64=True)]
    authId: Annotated[int, Doc("The slot on the lock (0 until the lock assigned one).", minimum=0)]
    type: Annotated[int, Coded("Authorization type", codes.AUTH_TYPES)]
    name: Annotated[
        str, doc("Name of the authorization (keypad codes: at most 20 characters).", maxLength=32)
    ]
    enabled: Annotated[bool, Doc("Whether the authorization is enabled.")]
    remoteAllowed: Annotated[bool, Doc("Whether remote (app/web) actions are allowed.")]
    lockCount: Annotated[int, Doc("How often it was used (0 = never).", minimum=0)]
    creationDate: Annotated[str, instant("When the authorization was created.")]
    updateDate: Annotated[str, instant("When the lock last changed it.")]
    code: NotRequired[
        Annotated[
            int,
            Doc(
                f"The keypad code in clear: {PIN_CODE}. Only type 13.",
                minimum=111111,
                maximum=999999,
            ),
        ]
    ]
    accountUserId: NotRequired[
        Annotated[int, Doc("The Nuki Web account user it is linked to.", minimum=0)]
    ]
    allowedFromDate: NotRequired[Annotated[str, instant("Start of the validity window (UTC).")]]
    allowedUntilDate: NotRequired[Annotated[str, instant("End of the validity window (UTC).")]]
    allowedWeekDays: Annotated[int, Doc(WEEKDAYS + ".", minimum=0, maximum=127)]
    allowedFromTime: Annotated[
        int,
        Doc(
            f"Start of the daily window, {MINUTES}; 0 and 0 mean no daily window.",
            minimum=0,
            maximum=1439,
        ),
    ]
    allowedUntilTime: Annotated[
        int, Doc(f"End of the daily window, {MINUTES}.", minimum=0, maximum=1439)
    ]
    lastActiveDate: NotRequired[Annotated[str, instant("When it was last used.")]]
    operationId: NotRequired[
        Annotated[
            str,
            Doc(
                "Set while a change to this authorization waits to reach the lock; further "
                "changes are refused with 423 until it is gone.",
                pattern=OBJECT_ID,
            ),
        ]
    ]
    error: NotRequired[
        Annotated[str, Doc("Why the lock refused the last change (a device error).")]
    ]
    fingerprints: NotRequired[
        Annotated[dict[str, str], Doc("Keypad 2 fingerprints linked to the code (never set).")]
    ]
    appId: NotRequired[Annotated[int, Doc("The ID of the Nuki app (never set).")]]
    authTypeAsString: NotRequired[Annotated[str, Doc("The type as a word (never set).")]]


# A keypad code always shows its code; every other type never has one.
KEYPAD_CODE_RULE: dict[str, Any] = {
    "if": {"properties": {"type": {"const": 13}}},
    "then": {"required": ["code"]},
    "else": {"not": {"required": ["code"]}},
}


class SmartlockLog(TypedDict):
    """SmartlockLog: one entry of a lock's activity log."""

    id: Annotated[
        str, Doc("The entry's id (24-hex ObjectId); also the paging cursor.", pattern=OBJECT_ID)
    ]
    smartlockId: Annotated[int, Doc("The lock that logged it.", minimum=1, int64=True)]
    deviceType: Annotated[int, Coded("Device type of the lock", codes.DEVICE_TYPES)]
    authId: Annotated[
        str,
        Doc(
            "The id of the authorization that acted (its 24-hex id; empty for an unknown "
            "keypad code)."
        ),
    ]
    name: Annotated[str, Doc("Who acted: the authorization's or keypad code's name.")]
    action: Annotated[int, Coded("What happened", codes.LOG_ACTIONS)]
    trigger: Annotated[int, Coded("What triggered it", codes.LOG_TRIGGERS)]
    state: Annotated[int, Coded("How it completed", codes.LOG_STATES)]
    autoUnlock: Annotated[bool, Doc("Whether it was an auto unlock.")]
    date: Annotated[str, instant("When it happened (UTC).")]
    source: Annotated[int, Coded("Where the identity came from", codes.LOG_SOURCES)]
    accountUserId: NotRequired[
        Annotated[int, Doc("The account user that acted, when known.", minimum=0)]
    ]
    ajarTimeout: NotRequired[
        Annotated[int, Doc("Minutes of the door-ajar warning (only action 208; never set).")]
    ]
    error: NotRequired[Annotated[str, Doc("The entry's error message, if any (never set).")]]


class AccountConfig(TypedDict):
    """Account.Config: the voice-assistant pins and when one-time passwords were enabled."""

    alexaPin: Annotated[str, Doc("The Alexa pin, used by Alexa for unlock actions.")]
    gactionsHomePin: Annotated[str, Doc("The Google smart home pin, used for unlock actions.")]
    otpEnabledDate: NotRequired[
        Annotated[str, instant("When one-time passwords were enabled (absent: they are off).")]
    ]


class AccountProfile(TypedDict):
    """Account.Profile: the account holder's postal details."""

    firstName: Annotated[str, Doc("The first name.")]
    lastName: Annotated[str, Doc("The last name.")]
    address: Annotated[str, Doc("The address.")]
    zip: Annotated[str, Doc("The postal code.")]
    city: Annotated[str, Doc("The city.")]
    country: Annotated[str, Doc("The 2-letter country code.")]


ACCOUNT_RIGHTS = (
    "The rights bitmask, if this is a sub account (0 to 127; Nuki's own shapes name the bits "
    "differently: its AccountSubCreate body reads 1 operate smartlock, 2 change smartlock "
    "config, 4 manage smartlock users, 8 view smartlock logs, 16 manage sub accounts)."
)


class MyAccount(TypedDict):
    """MyAccount: the account the token belongs to (or a sub account it created)."""

    accountId: Annotated[int, Doc("The account's id.", minimum=1)]
    type: Annotated[int, Coded("Account type", codes.ACCOUNT_TYPES)]
    email: Annotated[str, Doc("The account's e-mail address.", format="email")]
    emailVerified: NotRequired[Annotated[bool, Doc("Whether the e-mail address is verified.")]]
    name: Annotated[str, Doc("The account holder's name.")]
    masterAccountId: NotRequired[
        Annotated[int, Doc("The master account's id, if this is a sub account.", minimum=1)]
    ]
    rights: NotRequired[Annotated[int, Doc(ACCOUNT_RIGHTS, minimum=0, maximum=127)]]
    language: NotRequired[Annotated[str, doc("Preferred language (ISO 639-1).", minLength=2)]]
    config: NotRequired[AccountConfig]
    profile: NotRequired[AccountProfile]
    creationDate: Annotated[str, instant("When the account was created.")]
    updateDate: Annotated[str, instant("When the account last changed.")]


class Pagination(TypedDict):
    """Pagination: where this page sits. ``nextPage`` and ``prevPage`` are strings, as in
    Nuki's Swagger: the page number in decimal, omitted on the last and first page."""

    totalItems: Annotated[int, Doc("Authorizations matching the filters.", minimum=0, int64=True)]
    totalPages: Annotated[int, Doc("Pages of pageSize items (0 when none).", minimum=0)]
    currentPage: Annotated[int, Doc("This page's number, from 0.", minimum=0)]
    nextPage: NotRequired[
        Annotated[str, Doc("The next page's number; absent on the last page.", pattern=r"^\d+$")]
    ]
    prevPage: NotRequired[
        Annotated[
            str, Doc("The previous page's number; absent on the first page.", pattern=r"^\d+$")
        ]
    ]
    pageSize: Annotated[int, Doc("Items per page.", minimum=1, maximum=1000)]


class PagedAuths(TypedDict):
    """PaginatedResponse: one page of authorizations across all locks of the account."""

    results: Annotated[list[SmartlockAuth], Doc("The authorizations on this page.")]
    pagination: Pagination


Features = Annotated[
    list[Annotated[str, Raw({"type": "string", "enum": list(FEATURES)})]],
    doc(minItems=1, uniqueItems=True),
]


class DecentralWebhook(TypedDict):
    """A decentral webhook subscription."""

    id: Annotated[int, Doc("The subscription's id.", minimum=1)]
    secret: Annotated[
        str,
        Doc(
            "Key of the HMAC-SHA256 in X-Nuki-Signature-SHA256 on every delivery.",
            pattern=r"^[0-9a-f]{40}$",
        ),
    ]
    webhookUrl: Annotated[str, Doc("Where events are POSTed.", format="uri")]
    webhookFeatures: Annotated[Features, Doc("The event kinds delivered.")]


class WebhookMessage(TypedDict):
    """WebhookMessage: the POST as it was sent."""

    headers: Annotated[dict[str, str], Doc("The HTTP headers sent, by name.")]
    body: Annotated[dict[str, Any], Doc("The JSON payload sent.")]
    timestamp: Annotated[str, instant("When it was sent.")]
    path: Annotated[str, Doc("The full URL it was sent to.", format="uri")]


class WebhookLog(TypedDict):
    """WebhookLog: one delivery attempt of a webhook, with the message sent (``response``)."""

    id: Annotated[str, Doc("The attempt's id; also the paging cursor.", pattern=OBJECT_ID)]
    requestId: NotRequired[
        Annotated[str, Doc("The requestId of an API-triggered webhook; absent otherwise.")]
    ]
    succeeded: Annotated[bool, Doc("Whether the receiver answered 2xx.")]
    responseStatus: Annotated[
        int, Doc("The receiver's HTTP status; 0 when no answer came.", minimum=0, maximum=599)
    ]
    duration: Annotated[int, Doc("Milliseconds the attempt took.", minimum=0, int64=True)]
    accountId: Annotated[int, Doc("The subscription's account.", minimum=1)]
    response: WebhookMessage
    apiKeyId: Annotated[int, Doc("The API key the subscription was made with.", minimum=0)]
    created: Annotated[str, instant("When the attempt was made.")]
    updated: Annotated[str, instant("When the attempt was made.")]


# --- Nuki's required sets -----------------------------------------------------------------------

NUKI_REQUIRED: dict[type, tuple[str, ...]] = {
    Smartlock: (
        "smartlockId", "accountId", "type", "authId", "name", "favorite", "serverState",
        "adminPinState",
    ),
    SmartlockConfig: (
        "name", "latitude", "longitude", "singleLock", "advertisingMode", "timezoneId",
        "timezoneOffset",
    ),
    SmartlockAdvancedConfig: (
        "totalDegrees", "lockedPositionOffsetDegrees", "singleLockedPositionOffsetDegrees",
        "unlockedPositionOffsetDegrees", "batteryType",
    ),
    SmartlockState: (
        "mode", "state", "trigger", "lastAction", "batteryCritical", "doorState",
        "ringToOpenTimer", "nightMode",
    ),
    SmartlockAuth: ("id", "smartlockId", "type", "name", "enabled", "remoteAllowed", "lockCount"),
    SmartlockLog: (
        "id", "smartlockId", "deviceType", "name", "action", "trigger", "state", "autoUnlock",
        "date",
    ),
    MyAccount: ("accountId", "type", "email", "name", "creationDate", "updateDate"),
    Pagination: (),
    PagedAuths: (),
    DecentralWebhook: ("webhookUrl", "webhookFeatures"),
    WebhookMessage: ("headers", "path"),
    WebhookLog: ("id", "accountId", "apiKeyId", "created", "updated"),
}  # fmt: skip
"""Nuki's Swagger 4.18.0 ``required`` of each shape where it is smaller than what the
simulator always sends: the served document requires only these, so a client validated
against it accepts real payloads; the simulator's tests check its own replies in full."""


# --- error bodies ------------------------------------------------------------------------------

AlwaysEmpty = Annotated[list[Any], Doc("Always empty.")]


class DetailError(TypedDict):
    """A serialized Java exception, Nuki's usual error body."""

    detailMessage: Annotated[
        str, Doc('What went wrong, e.g. "Your access token is not authorized".')
    ]
    stackTrace: AlwaysEmpty
    suppressedExceptions: AlwaysEmpty


class RestletError(TypedDict):
    """Restlet's status object, which Nuki sends with 422."""

    code: Annotated[int, Doc("The HTTP status (422).", minimum=400, maximum=599)]
    description: Annotated[str, Doc("Restlet's standard text for the status.")]
    homeRef: Annotated[str, Doc('Always "/".')]
    reasonPhrase: Annotated[str, Doc("The status' reason phrase.")]
    uri: Annotated[str, Doc("Where the status is specified.", format="uri")]


class BareError(TypedDict):
    """An exception body without a message, which Nuki sends with 423."""

    stackTrace: AlwaysEmpty
    suppressedExceptions: AlwaysEmpty
